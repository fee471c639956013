"""The README's worked example (adding an activity), followed step by step on a copy of the data."""

from __future__ import annotations

import re
import shutil

from bs4 import BeautifulSoup

from clearplan.cli.cli import main
from conftest import ROOT, build_site

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("### Worked example: adding an activity") :]
NEW_ACTIVITY = re.search(r"```yaml\n(.*?)```", SECTION, re.S).group(1)
SHOWN_ERROR = re.search(r"```\n(data/.*?)\n```", SECTION, re.S).group(1)
FILE = "data/workstreams/02-joint-commissioning.yaml"


def add_activity(project, block: str) -> None:
    """Add the block at the end of the workstream's activities, just before its measures."""
    path = project / FILE
    text = path.read_text(encoding="utf-8")
    assert "\nmeasures:" in text
    path.write_text(text.replace("\nmeasures:", "\n" + block.rstrip("\n") + "\nmeasures:", 1), encoding="utf-8")


def copy_project(tmp_path):
    project = tmp_path / "project"
    for name in ("docs", "data", "overrides"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def test_the_worked_example_adds_an_activity_shown_on_the_page(tmp_path, monkeypatch, capsys):
    project = copy_project(tmp_path)
    add_activity(project, NEW_ACTIVITY)
    monkeypatch.chdir(project)
    assert main(["check"]) == 0
    result = build_site(project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((tmp_path / "site" / "workstreams" / "joint-commissioning" / "index.html").read_text(encoding="utf-8"), "html.parser")
    row = page.select_one("tr#ws2-22")
    assert [cell.get_text(" ", strip=True) for cell in row.find_all("td")] == [
        "Agree a shared way to record short breaks used by each family.",
        "Head of Commissioning AfC",
        "Planned",
        "September 2021",
    ]
    home = BeautifulSoup((tmp_path / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "101 things we will do" in home.get_text(" ", strip=True)


def test_the_readme_shows_the_real_message_for_the_typo(tmp_path, monkeypatch, capsys):
    project = copy_project(tmp_path)
    add_activity(project, NEW_ACTIVITY.replace("lead:", "lede:"))
    monkeypatch.chdir(project)
    assert main(["check"]) == 1
    assert SHOWN_ERROR in capsys.readouterr().out.splitlines()
