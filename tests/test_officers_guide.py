"""The officers' guide, followed step by step: each "before" block is found in the data file it
names and replaced by its "after" block, on a copy of the data; the result passes the check and
builds, and each change shows on the website. The guide and this test cannot drift apart."""

from __future__ import annotations

import fnmatch
import re
import textwrap
from pathlib import Path

import pytest
import yaml

from clearplan.checks.check import check_plan
from editing_support import build_copy, copy_data
from test_site import content, page, text

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "OFFICERS-GUIDE.md"
BLOCK = re.compile(r"^( *)<!-- guide: (\w+) (before|after|tag)(?: file=(\S+))? -->\n\1```\w+\n(.*?)\n\1```", re.M | re.S)


def guide_edits() -> dict[str, dict[str, str]]:
    edits: dict[str, dict[str, str]] = {}
    for match in BLOCK.finditer(GUIDE.read_text(encoding="utf-8")):
        indent, name, part, file, body = match.groups()
        edit = edits.setdefault(name, {})
        edit[part] = (
            textwrap.dedent("\n".join(line[len(indent) :] for line in body.splitlines()))
            if part == "tag"
            else "\n".join(line[len(indent) :] for line in body.splitlines())
        )
        if file:
            edit["file"] = file
    return edits


def apply_edit(data: Path, edit: dict[str, str]) -> None:
    path = data.parent / edit["file"]
    body = path.read_text(encoding="utf-8")
    before = edit["before"] + "\n"
    assert body.count(before) >= 1, f"the guide's 'before' text is not in {edit['file']}"
    if edit["after"].startswith(edit["before"]) and body.endswith(before):  # "add at the end of the file"
        path.write_text(body[: -len(before)] + edit["after"] + "\n", encoding="utf-8")
    else:
        assert body.count(before) == 1, f"the guide's 'before' text is ambiguous in {edit['file']}"
        path.write_text(body.replace(before, edit["after"] + "\n"), encoding="utf-8")


def test_the_guide_has_the_four_tasks_in_numbered_steps():
    guide = GUIDE.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", guide, re.M)
    for task in ["Change an activity's status", "Add a risk", "Record a measure's latest figure", "Publish a new version"]:
        assert task in headings
        section = guide.split(f"## {task}\n", 1)[1].split("\n## ", 1)[0]
        assert re.findall(r"^(\d+)\. ", section, re.M)[:3] == ["1", "2", "3"]
    assert set(guide_edits()) == {"status", "risk", "figure", "version", "release"}
    assert not (ROOT / "docs" / GUIDE.name).exists()  # for officers, not part of the public site


def test_the_release_tag_in_the_guide_publishes_a_version():
    workflow = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    patterns = workflow[True]["push"]["tags"]
    tag = guide_edits()["release"]["tag"].strip()
    assert " " not in tag and any(fnmatch.fnmatch(tag, pattern) for pattern in patterns)


@pytest.fixture(scope="module")
def guided(tmp_path_factory):
    project = tmp_path_factory.mktemp("guide")
    data = copy_data(project)
    for name in ("status", "risk", "figure", "version"):
        apply_edit(data, guide_edits()[name])
    return project, data


def test_following_the_guide_passes_the_check(guided):
    _, data = guided
    loaded = check_plan(data)
    assert [str(p) for p in loaded.problems.errors] == []
    bundled = check_plan(ROOT / "data")
    assert len(loaded.problems.warnings) == len(bundled.problems.warnings)  # no new warnings
    ws = next(w for w in loaded.data.workstreams if w.id == "joint-commissioning")
    assert [r.id for r in ws.risks] == ["ws2-r01", "ws2-r02", "ws2-r03"]


def test_following_the_guide_builds_and_shows_each_change(guided):
    project, _ = guided
    site = build_copy(project)
    article = content(page(site, "workstreams/joint-commissioning"))
    status = [text(td) for td in article.select("#ws2-03 td")]
    assert "In progress" in status
    assert text(article.select_one("#ws2-r03 th")) == "Too few local providers bid for the new short breaks contract."
    latest = [text(td) for td in article.select("#ws2-m01 td")][-1]
    assert latest == "80.00 (31 March 2026)"
    about = text(content(page(site, "about")))
    assert "Version November 2026 update" in about and "22 November 2026" in about
