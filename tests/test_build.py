"""The build as a whole: it checks the data first, fails loudly, and never publishes error text."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clearplan.mkdocs.plugin import TEMPLATE_CACHE_VARIABLE
from conftest import BIN, ROOT, build_in_process, build_site


def copy_project(tmp_path: Path) -> Path:
    """A copy of the site's sources (config, pages, data, templates) to break on purpose."""
    project = tmp_path / "project"
    for name in ("docs", "data", "overrides"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def test_data_is_loaded_and_checked_once_per_build(tmp_path, monkeypatch):
    import clearplan.cli.prepared_site as prepared_site

    calls = []
    real = prepared_site.check_plan
    monkeypatch.setattr(prepared_site, "check_plan", lambda data_dir: calls.append(data_dir) or real(data_dir))
    build_in_process(ROOT / "mkdocs.yml", tmp_path / "site")
    assert len(calls) == 1
    assert (tmp_path / "site" / "workstreams" / "local-provision" / "index.html").is_file()


def test_compiled_templates_are_kept_in_the_project_and_nothing_in_the_system_temp_folder(tmp_path):
    project = copy_project(tmp_path)
    system_temp = tmp_path / "system-temp"  # what tempfile (and Jinja's default cache) use as the temp folder
    system_temp.mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(system_temp)}
    env.pop(TEMPLATE_CACHE_VARIABLE)  # the project's own cache, as a council's build has it

    def build(site: str) -> None:
        result = subprocess.run(
            [str(BIN / "mkdocs"), "build", "--strict", "-d", str(tmp_path / site)], cwd=project, capture_output=True, text=True, env=env, timeout=300
        )
        assert result.returncode == 0, result.stderr

    build("first")
    assert list(system_temp.iterdir()) == []
    cache = project / ".cache" / "plugin" / "clearplan"
    compiled = {path: path.stat().st_mtime_ns for path in cache.rglob("*.cache")}
    assert {path.parent.name for path in compiled} == {"templates", "theme"}
    build("second")  # reads every compiled template back and compiles none again: no file rewritten
    assert {path: path.stat().st_mtime_ns for path in cache.rglob("*.cache")} == compiled
    assert list(system_temp.iterdir()) == []

    def pages(site: str) -> dict[Path, bytes]:
        return {path.relative_to(tmp_path / site): path.read_bytes() for path in (tmp_path / site).rglob("*.html")}

    assert pages("second") == pages("first")


def test_under_mkdocs_serve_each_rebuild_takes_an_open_data_writer_started_after_the_previous_build(tmp_path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def config():
        return load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)

    first = config()
    first.plugins.on_startup(command="serve", dirty=False)
    plugin = first.plugins["clearplan"]
    try:
        build(first)
        spare = plugin.next_open_data
        assert spare is not None and spare._process.poll() is None  # started, waiting for the next build's jobs
        (tmp_path / "site" / "data" / "plan.json").unlink()
        second = config()  # what `mkdocs serve` does on an edit
        assert second.plugins["clearplan"] is plugin
        build(second)
        assert plugin.open_data is spare
        assert (tmp_path / "site" / "data" / "plan.json").is_file()
        assert (tmp_path / "site" / "data" / "finance" / "history.csv").is_file()
        waiting = plugin.next_open_data
        assert waiting is not None and waiting is not spare
    finally:
        plugin.on_shutdown()
    assert plugin.next_open_data is None and waiting._process.returncode is not None  # stopped with the server


def test_build_stops_with_the_checks_messages_on_bad_data(tmp_path):
    project = copy_project(tmp_path)
    workstream = project / "data" / "workstreams" / "01-participation.yaml"
    workstream.write_text(workstream.read_text(encoding="utf-8").replace("summary:", "sumary:", 1), encoding="utf-8")
    result = build_site(project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert "01-participation.yaml:6:1: error: sumary: unknown key 'sumary'; did you mean 'summary'?" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_template_error_fails_the_build(tmp_path):
    project = copy_project(tmp_path)
    template = project / "overrides" / "clearplan" / "pages" / "glossary.md"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text(
        (ROOT / "src" / "clearplan" / "site" / "templates" / "pages" / "glossary.md").read_text(encoding="utf-8") + "\n{{ no_such_variable }}\n",
        encoding="utf-8",
    )
    result = build_site(project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert "no_such_variable" in result.stderr
    assert not (tmp_path / "site" / "glossary" / "index.html").exists()


def test_a_site_template_override_restyles_without_python(tmp_path):
    project = copy_project(tmp_path)
    status = project / "overrides" / "clearplan" / "components" / "status.html"
    status.parent.mkdir(parents=True, exist_ok=True)
    status.write_text('<span class="council-status">{{ status | status }} (our style)</span>\n', encoding="utf-8")
    result = build_site(project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "workstreams" / "participation" / "index.html").read_text(encoding="utf-8")
    assert html.count('<span class="council-status">Planned (our style)</span>') == 13


def test_text_from_yaml_is_escaped_and_markdown_is_sanitised(tmp_path):
    project = copy_project(tmp_path)
    workstream = project / "data" / "workstreams" / "01-participation.yaml"
    text = workstream.read_text(encoding="utf-8")
    hostile = "\"<script>alert('x')</script> **Bold** [bad](javascript:alert(1)) [good](https://example.org)\""
    text = re.sub(r"(- id: ws1-01\n\s+text: ).*", lambda m: m.group(1) + hostile, text, count=1)
    assert hostile in text
    text = text.replace("title: Participation", "title: <img src=x onerror=alert(1)> Participation", 1)
    workstream.write_text(text, encoding="utf-8")
    result = build_site(project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "workstreams" / "participation" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src=x" not in html and "onerror=alert(1)>" not in html
    assert "<strong>Bold</strong>" in html
    assert 'href="javascript:' not in html
    assert '<a href="https://example.org">good</a>' in html


def test_model_loading_and_computation_never_import_mkdocs():
    code = (
        "import sys, clearplan.checks.check, clearplan.figures.compute, clearplan.site.render, clearplan.cli.cli; "
        "loaded = clearplan.checks.check.check_plan('data'); assert loaded.data is not None; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("args, code", [(["check"], 0), (["check", "--data", "no/such/dir"], 2)])
def test_check_command_exit_codes(args, code, capsys, monkeypatch):
    from clearplan.cli.cli import main

    monkeypatch.chdir(ROOT)
    assert main(args) == code
    captured = capsys.readouterr()
    if code == 0:
        assert "0 errors, 9 warnings in data" in captured.err
        assert "finance.yaml:42:29: warning: forecast.years[0].stated_average_spend" in captured.out
    else:
        assert "no data directory at no/such/dir" in captured.err


def test_check_github_format_annotates_each_problem(capsys, monkeypatch):
    from clearplan.cli.cli import main

    monkeypatch.chdir(ROOT)
    assert main(["check", "--format", "github"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 9
    assert lines[0].startswith("::warning file=data/finance.yaml,line=42,col=29::forecast.years[0].stated_average_spend: ")
