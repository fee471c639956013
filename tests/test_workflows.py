"""The GitHub Actions workflows: the right triggers, actions pinned by version, and every command
step calling a make target that the Makefile really has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


# Targets other branches of this project add (make pdf, make publish). Until they are merged a
# step calling them is an expected failure, not a pass; once merged, the check below is real.
def makefile_targets() -> set[str]:
    """Rule names in the Makefile: `name:` at the start of a line (not `name :=` assignments)."""
    targets = set()
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+(?:\s+[A-Za-z0-9_.-]+)*)\s*:(?![=:])", line)
        if match and not line.startswith((".", "\t")):
            targets.update(match.group(1).split())
    return targets


def load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads a bare `on` as true
    return workflow


def steps() -> list[tuple[str, str, dict]]:
    return [
        (path.name, job_name, step)
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for job_name, job in load(path.name)["jobs"].items()
        for step in job["steps"]
    ]


def test_makefile_targets_are_parsed():
    targets = makefile_targets()
    assert {"install", "build", "check", "test"} <= targets
    assert "VENV" not in targets and "PYTHON" not in targets and "CHECK_FORMAT" not in targets


@pytest.mark.parametrize("workflow, job, step", steps(), ids=lambda v: v.get("name", v.get("uses")) if isinstance(v, dict) else v)
def test_each_step_is_a_pinned_action_or_a_make_target_that_exists(workflow, job, step):
    if "uses" in step:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+(\.\d+){0,2}", step["uses"]), f"{workflow}: pin {step['uses']} to a version"
        return
    commands = [line for line in step["run"].splitlines() if line.strip()]
    assert commands, f"{workflow}: empty step"
    for command in commands:
        words = shlex.split(command)
        assert words[0] == "make", f"{workflow}: '{command}' is not a make target; put it in the Makefile"
        target = next(w for w in words[1:] if "=" not in w and not w.startswith("-"))
        assert target in makefile_targets(), f"{workflow}: 'make {target}' is not a target in the Makefile"


def test_pull_requests_check_build_test_make_pdfs_and_upload_the_site():
    workflow = load("pull-request.yml")
    assert set(workflow["on"]) == {"pull_request"}
    job_steps = workflow["jobs"]["check"]["steps"]
    runs = [step["run"] for step in job_steps if "run" in step]
    assert runs == ["make check CHECK_FORMAT=github", "make build", "make test", "make pdf"]
    upload = next(step for step in job_steps if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"
    assert workflow["permissions"] == {"contents": "read"}


def test_main_publishes_latest_and_a_tag_publishes_its_version():
    workflow = load("publish.yml")
    assert workflow["on"]["push"] == {"branches": ["main"], "tags": ["v*"]}
    job_steps = workflow["jobs"]["publish"]["steps"]
    by_condition = {step.get("if"): step["run"] for step in job_steps if "run" in step}
    # A version may not share its name with the "latest" alias that make publish moves to it.
    assert by_condition["github.ref_type == 'branch'"].startswith("make publish VERSION=main ")
    assert by_condition["github.ref_type == 'tag'"] == "make publish-tag"
    assert workflow["permissions"] == {"contents": "write"}
    checkout = job_steps[0]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["fetch-depth"] == 0


def test_check_format_variable_reaches_the_check(tmp_path):
    import subprocess

    result = subprocess.run(["make", "-n", "check", "CHECK_FORMAT=github"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert re.search(r"clearplan check --format github$", result.stdout.strip(), re.M)


def _tag_step() -> dict:
    steps = load("publish.yml")["jobs"]["publish"]["steps"]
    return next(step for step in steps if step.get("if") == "github.ref_type == 'tag'")


def test_the_tag_name_reaches_the_shell_only_through_the_environment():
    step = _tag_step()
    assert step["env"] == {"TAG": "${{ github.ref_name }}"}
    assert "${{" not in step["run"]


@pytest.mark.parametrize(
    "tag, published",
    [
        ("v2026.1", True),
        ("v1$(shell touch pwned)", False),  # make would run it: it expands $(...) in a variable's value
        ('v1";touch pwned;"', False),  # the recipe's shell would run it
        ("v1`touch pwned`", False),
    ],
)
def test_make_publish_tag_publishes_only_a_plain_tag_name(tmp_path, tag, published):
    import os
    import subprocess

    # MAKE stands in for the recursive `make publish`, so nothing is published.
    env = {**os.environ, "TAG": tag}
    result = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "publish-tag", "MAKE=echo would-run make"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert not (tmp_path / "pwned").exists() and not (ROOT / "pwned").exists()
    if published:
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"would-run make publish VERSION={tag} TITLE={tag} PUSH=1"
    else:
        assert result.returncode != 0
        assert "would-run" not in result.stdout
        assert result.stdout.startswith("::error::a tag published as a version may hold only")
