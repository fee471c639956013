"""The What changed page: the bundled plan's first version, and a version with real changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from page_text import without_term_explanations
from conftest import build_site
from diff_support import apply_edits, git, site_repo
from test_site import content, page, text

ROOT = Path(__file__).resolve().parent.parent
WS1 = "Workstream 1: Participation, Engagement and Co-production"


def test_first_version_says_so_and_shows_the_release_note(site, kingston):
    article = content(page(site, "what-changed"))
    body = text(article)
    assert article.h1.get_text(strip=True) == "What changed"
    assert "This is the first published version of the plan on this site, so there is no earlier version to compare it with." in body
    assert "Why we published it A scheduled revision" in body
    assert kingston.data.plan.release.summary in text(without_term_explanations(article.select_one("dl.cp-facts")))
    easy = article.select_one(".cp-easy-read-changes")
    assert [text(p) for p in easy.find_all("p")] == [
        "This is the first version of the plan on this website.",
        "There is no older version to compare it with.",
        "We put this version out as planned.",
    ]
    assert not article.select("table")


@pytest.fixture(scope="module")
def changed_site(tmp_path_factory):
    """A site whose data has changed since the version tagged v1, which plan.yaml names as previous."""
    base = tmp_path_factory.mktemp("changed")
    repo = site_repo(base / "repo")
    apply_edits(repo / "data", [("plan.yaml", "  reason: scheduled revision\n", "  reason: correction\n  previous: v1\n")])
    apply_edits(repo / "data")
    git(repo, "commit", "-q", "-am", "Second version")
    result = build_site(repo / "mkdocs.yml", base / "site")
    assert result.returncode == 0, result.stderr
    return base / "site"


def test_changes_are_listed_by_workstream_with_before_and_now(changed_site):
    article = content(page(changed_site, "what-changed"))
    assert "9 changes since v1, grouped by workstream." in text(article)
    assert [text(h) for h in article.find_all("h3")] == [WS1, "Money"]
    rows = [[text(c) for c in tr.find_all(["th", "td"])] for tr in article.select("#changes-1 tbody tr")]
    item = "Lead the design of how participation, engagement and co-production work across all workstreams."
    assert ["Changed lead", item, "Programme Director AfC", "Head of Participation AfC"] in rows
    assert ["Changed status", item, "Planned", "In progress"] in rows
    assert ["Changed due", item, "No date set", "September 2021"] in rows
    assert ["Changed target", "Feedback on the quality of service provision is good or better", "75%", "80%"] in rows
    assert ["Added risk", "Families stop coming to meetings.", "Not in the previous version", "Low"] in rows
    assert any(r[0] == "Removed activity" and r[3] == "Taken out in this version" for r in rows)
    money = [[text(c) for c in tr.find_all(["th", "td"])] for tr in article.select("#changes-2 tbody tr")]
    assert money == [["Changed amount", "Income, 2017/18", "£20,590,000", "£21,000,000"]]
    assert "Why we published it To correct mistakes" in text(article)
    easy = [text(li) for li in article.select(".cp-easy-read-changes li")]
    assert easy[:2] == ["We added 1 new thing to do.", "We took away 1 thing to do."]
    assert "We changed who leads 1 thing." in easy and "We found 1 new risk." in easy
    assert text(article.select(".cp-easy-read-changes p")[-1]) == "We put this version out to fix mistakes."
    # The changes are open data too.
    csv_text = (changed_site / "data" / "what-changed" / "changes-2.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines() == ["What changed,Item,Before,After", 'Changed amount,"Income, 2017/18","£20,590,000","£21,000,000"']


@pytest.fixture(scope="module")
def cambridgeshire_changed_site(tmp_path_factory):
    """The Cambridgeshire example, whose finance has a cost plan and a contingency but no history,
    changed since the version tagged v1."""
    base = tmp_path_factory.mktemp("cambridgeshire-changed")
    repo = base / "repo"
    site = repo / "examples" / "cambridgeshire"
    shutil.copytree(ROOT / "examples" / "cambridgeshire", site)
    shutil.copy(ROOT / "docs" / "what-changed.md", site / "docs" / "what-changed.md")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Business case")
    git(repo, "tag", "v1")
    apply_edits(
        site / "data",
        [
            ("plan.yaml", "  date: 2021-11\n", "  date: 2021-11\nrelease:\n  reason: correction\n  summary: Corrected costs.\n  previous: v1\n"),
            (
                "finance.yaml",
                "amounts: {2021/22: 15235, 2022/23: 60938, 2023/24: 45703}",
                "amounts: {2021/22: 15000, 2022/23: 60938, 2023/24: 45703}",
            ),
            ("finance.yaml", "high: {alternative: 27000, base: 15235,", "high: {alternative: 28000, base: 15235,"),
        ],
    )
    git(repo, "commit", "-q", "-am", "Corrected costs")
    result = build_site(site / "mkdocs.yml", base / "site")
    assert result.returncode == 0, result.stderr
    return base / "site"


def test_cost_plan_and_contingency_changes_are_listed_for_a_plan_without_finance_history(cambridgeshire_changed_site):
    article = content(page(cambridgeshire_changed_site, "what-changed"))
    assert "2 changes since v1" in text(article)
    assert [text(h) for h in article.find_all("h3")] == ["Money"]
    rows = [[text(c) for c in tr.find_all(["th", "td"])] for tr in article.select("#changes-1 tbody tr")]
    assert rows[0] == ["Changed amount", "Cost plan: Assistant Strategic Improvement Manager (P3) for 24 months, 2021/22", "£15,235", "£15,000"]
    assert rows[1][0] == "Changed amount" and rows[1][1].startswith("Contingency, high figure: ")
    assert rows[1][2:] == ["£11,765", "£12,765"] and len(rows) == 2


def test_an_unreadable_previous_version_stops_the_build_with_a_clear_message(tmp_path):
    repo = site_repo(tmp_path / "repo")
    apply_edits(repo / "data", [("plan.yaml", "  reason: scheduled revision\n", "  reason: scheduled revision\n  previous: v0\n")])
    result = build_site(repo / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert "clearplan: release.previous in plan.yaml: 'v0' is neither a directory nor a git ref" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("path", "parts"), [("what-changed/", "article"), ("finance/", ".cp-downloads")])
def test_what_changed_and_download_links_pass_axe(browser, site_url, path, parts):
    """axe-core on the parts this feature adds (the theme's own findings are reported elsewhere)."""
    from browser_support import AXE_SOURCE, AXE_TAGS, describe

    tab = browser.new_page()
    try:
        tab.goto(site_url + path)
        assert tab.locator(parts).count() > 0
        tab.evaluate(AXE_SOURCE)
        result = tab.evaluate(
            "([parts, tags]) => axe.run({include: [[parts]]}, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", [parts, AXE_TAGS]
        )
        assert result["violations"] == [], describe(result["violations"])
    finally:
        tab.close()
