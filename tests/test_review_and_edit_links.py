"""Review dates (check warnings, "Last reviewed", the out-of-date banner) and "Edit this page"
links that open the YAML behind each page."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from browser_support import AXE_SOURCE, AXE_TAGS, describe, serve
from clearplan.checks.check import check_plan
from clearplan.checks.review import TODAY_VARIABLE
from editing_support import build_copy, copy_data
from test_site import built_pages, content, page, text

REPO = "https://github.com/royal-borough-of-kingston/send-futures-plan"
WS_FILE = "workstreams/02-joint-commissioning.yaml"


def add_review_dates(data):
    """Workstream 2 reviewed in January, due by June (overdue on 22 November 2026); one measure
    due by December (not yet due), one measure and one risk overdue."""
    path = data / WS_FILE
    body = path.read_text(encoding="utf-8")
    body = body.replace(
        "\nnumber: 2\n", "\nnumber: 2\nowner: Director for Commissioning and Partnerships\nlast_reviewed: 2026-01-15\nreview_by: 2026-06-30\n", 1
    )
    body = body.replace("  - id: ws2-m01\n", "  - id: ws2-m01\n    review_by: 2026-12-31\n", 1)
    body = body.replace("  - id: ws2-m02\n", "  - id: ws2-m02\n    owner: Head of Commissioning AfC\n    review_by: 2026-03-31\n", 1)
    body = body.replace("  - id: ws2-r01\n", "  - id: ws2-r01\n    review_by: 2026-11-21\n", 1)
    path.write_text(body, encoding="utf-8")


@pytest.fixture(scope="module")
def reviewed_project(tmp_path_factory):
    """A copy of the plan with the review dates above; the check needs no site."""
    project = tmp_path_factory.mktemp("reviewed")
    add_review_dates(copy_data(project))
    return project


@pytest.fixture(scope="module")
def reviewed_site(reviewed_project):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(TODAY_VARIABLE, "2026-11-22")
        return reviewed_project, build_copy(reviewed_project)


def test_check_warns_for_each_passed_review_date(reviewed_project, monkeypatch):
    project = reviewed_project
    monkeypatch.setenv(TODAY_VARIABLE, "2026-11-22")
    loaded = check_plan(project / "data")
    overdue = [p for p in loaded.problems.warnings if "review" in p.message]
    assert [(p.path.split("data/")[-1], p.field) for p in sorted(overdue)] == [
        (WS_FILE, "review_by"),
        (WS_FILE, "measures[1].review_by"),
        (WS_FILE, "risks[0].review_by"),
    ]
    first = sorted(overdue)[0]
    assert first.message == (
        "the review date (2026-06-30) has passed (today is 2026-11-22); review this workstream, then set last_reviewed and a new review_by"
    )
    lines = (project / "data" / WS_FILE).read_text(encoding="utf-8").splitlines()
    assert lines[first.line - 1] == "review_by: 2026-06-30"
    assert first.column == len("review_by: ") + 1  # at the date itself
    # A day earlier the risk is not yet overdue; long before, nothing is, and a future last review is flagged.
    monkeypatch.setenv(TODAY_VARIABLE, "2026-11-21")
    assert len([p for p in check_plan(project / "data").problems.warnings if "has passed" in p.message]) == 2
    monkeypatch.setenv(TODAY_VARIABLE, "2026-01-01")
    warnings = [p.message for p in check_plan(project / "data").problems.warnings if "review" in p.message]
    assert warnings == ["last_reviewed (2026-01-15) is after today (2026-01-01); is the year right?"]


@pytest.mark.parametrize("today, overdue", [("2026-06-29", False), ("2026-06-30", False), ("2026-07-01", True)])
def test_a_review_is_overdue_only_after_its_review_by_day(reviewed_project, monkeypatch, today, overdue):
    monkeypatch.setenv(TODAY_VARIABLE, today)
    flagged = [p.field for p in check_plan(reviewed_project / "data").problems.warnings if "has passed" in p.message]
    assert ("review_by" in flagged) is overdue, flagged


def test_pages_list_the_items_overdue_on_the_day_they_are_built(reviewed_project):
    import datetime as dt

    from clearplan.checks.review import Reviews

    data = check_plan(reviewed_project / "data").data
    joint = next(w for w in data.workstreams if w.id == "joint-commissioning")

    def overdue(on: str) -> tuple[list, list, list]:
        reviews = Reviews(data, dt.date.fromisoformat(on))
        return (
            [(e.kind, e.anchor) for e in reviews.overdue_in(joint)],
            [e.anchor for e in reviews.overdue_of("measure")],
            [e.anchor for e in reviews.overdue_of("risk")],
        )

    assert overdue("2026-03-31") == ([], [], [])
    assert overdue("2026-04-01") == ([("measure", "ws2-m02")], ["ws2-m02"], [])
    assert overdue("2026-11-21") == ([("workstream", None), ("measure", "ws2-m02")], ["ws2-m02"], [])
    assert overdue("2026-11-22") == ([("workstream", None), ("measure", "ws2-m02"), ("risk", "ws2-r01")], ["ws2-m02"], ["ws2-r01"])
    assert overdue("2027-01-01") == (
        [("workstream", None), ("measure", "ws2-m01"), ("measure", "ws2-m02"), ("risk", "ws2-r01")],
        ["ws2-m01", "ws2-m02"],
        ["ws2-r01"],
    )
    items = Reviews(data, dt.date(2027, 1, 1)).overdue_in(joint)
    assert [(e.name, e.workstream.id) for e in items] == [
        ("Joint Commissioning", "joint-commissioning"),
        ("Evidence of Joint Commissioning governance implemented and followed", "joint-commissioning"),
        (
            "Percentage improvement in service delivery for children and young people receiving joint provision (therapies review implementation)",
            "joint-commissioning",
        ),
        ("We cannot recruit and keep staff with business and contract management skills.", "joint-commissioning"),
    ]


@pytest.mark.parametrize("today, flagged", [("2026-01-14", True), ("2026-01-15", False), ("2026-01-16", False)])
def test_a_last_review_is_in_the_future_only_after_today(reviewed_project, monkeypatch, today, flagged):
    monkeypatch.setenv(TODAY_VARIABLE, today)
    found = [p for p in check_plan(reviewed_project / "data").problems.warnings if "is after today" in p.message]
    assert [p.field for p in found] == (["last_reviewed"] if flagged else [])
    if flagged:  # at the date itself
        path = reviewed_project / "data" / WS_FILE
        line = path.read_text(encoding="utf-8").splitlines().index("last_reviewed: 2026-01-15") + 1
        assert (found[0].path, found[0].line, found[0].column) == (str(path), line, len("last_reviewed: ") + 1)


def test_a_bad_today_is_a_clear_error(monkeypatch, root):
    monkeypatch.setenv(TODAY_VARIABLE, "22/11/2026")
    errors = check_plan(root / "data").problems.errors
    assert [str(p) for p in errors] == [
        "CLEARPLAN_TODAY:1:1: error: CLEARPLAN_TODAY is '22/11/2026'; write a date as YYYY-MM-DD, or unset it to use today's date"
    ]
    assert errors[0].field == ""


def test_workstream_page_shows_last_reviewed_and_the_banner(reviewed_site):
    _, site = reviewed_site
    article = content(page(site, "workstreams/joint-commissioning"))
    banner = article.select_one(".cp-review-banner")
    assert text(banner.select_one(".cp-review-banner__title")) == "This section may be out of date"
    items = [text(li) for li in banner.select("li")]
    assert items == [
        "Joint Commissioning (workstream, owner: Director for Commissioning and Partnerships): review was due by 30 June 2026",
        "Percentage improvement in service delivery for children and young people receiving joint provision "
        "(therapies review implementation) (measure, owner: Head of Commissioning AfC): review was due by 31 March 2026",
        "We cannot recruit and keep staff with business and contract management skills. (risk): review was due by 21 November 2026",
    ]
    assert [a["href"] for a in banner.select("a")] == ["#ws2-m02", "#ws2-r01"]
    assert all(article.select_one(a["href"]) for a in banner.select("a"))
    assert text(article.select_one(".cp-reviewed")) == (
        "Last reviewed: 15 January 2026. Next review due by 30 June 2026. Owner: Director for Commissioning and Partnerships."
    )
    # Other workstreams have no review dates: no banner, no review line.
    other = content(page(site, "workstreams/participation"))
    assert other.select_one(".cp-review-banner") is None and other.select_one(".cp-reviewed") is None
    assert not page(site, "workstreams/joint-commissioning").find_all("script", string=lambda s: s and "review" in s)


def test_measures_and_risks_pages_list_their_overdue_items(reviewed_site):
    _, site = reviewed_site
    measures = content(page(site, "measures")).select_one(".cp-review-banner")
    assert [a["href"] for a in measures.select("a")] == ["#ws2-m02"]
    risks = content(page(site, "risks")).select_one(".cp-review-banner")
    assert [a["href"] for a in risks.select("a")] == ["#ws2-r01"]


def test_bundled_site_has_no_review_banner(site):
    for html in built_pages(site):
        assert "This section may be out of date" not in html.read_text(encoding="utf-8"), html


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_banner_passes_axe(reviewed_site, browser, scheme):
    _, site = reviewed_site
    with serve(site) as url:
        tab = browser.new_page()
        try:
            tab.emulate_media(color_scheme=scheme)
            tab.goto(url + "workstreams/joint-commissioning/")
            # Material remembers the last palette in localStorage; set this scheme's palette explicitly.
            tab.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", "slate" if scheme == "dark" else "default")
            assert tab.locator(".cp-review-banner").is_visible()
            assert tab.evaluate("getComputedStyle(document.body).backgroundColor") == (
                "rgb(30, 33, 41)" if scheme == "dark" else "rgb(255, 255, 255)"
            )
            # The banner and review line only: the theme's own parts are the accessibility tests' business.
            tab.evaluate(AXE_SOURCE)
            result = tab.evaluate(
                "tags => axe.run({include: [['.cp-review-banner'], ['.cp-reviewed']]}, "
                "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                AXE_TAGS,
            )
            assert result["violations"] == [], describe(result["violations"])
            assert any(rule["id"] == "color-contrast" for rule in result["passes"])
        finally:
            tab.close()


@pytest.mark.parametrize(
    "path, data_file",
    [
        ("", "edit/main/data/plan.yaml"),
        ("about", "edit/main/data/plan.yaml"),
        ("finance", "edit/main/data/finance.yaml"),
        ("figures-check", "edit/main/data/finance.yaml"),
        ("glossary", "edit/main/data/glossary.yaml"),
        ("measures", "tree/main/data/workstreams/"),
        ("risks", "tree/main/data/workstreams/"),
        ("workstreams", "tree/main/data/workstreams/"),
        ("workstreams/partnership-board", "edit/main/data/workstreams/00-partnership-board.yaml"),
        ("workstreams/joint-commissioning", "edit/main/data/workstreams/02-joint-commissioning.yaml"),
        ("workstreams/assessment-planning", "edit/main/data/workstreams/05-assessment-planning.yaml"),
    ],
)
def test_edit_this_page_opens_the_yaml_behind_the_page(site, root, path, data_file):
    link = page(site, path).select_one("a[rel=edit]")
    assert link["title"] == "Edit this page"
    assert link["href"] == f"{REPO}/{data_file}"
    target = root / data_file.split("/main/", 1)[1]
    assert target.exists()


def test_every_page_has_an_edit_link_to_data(site):
    for html in built_pages(site):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        if soup.select_one("article.md-content__inner") is None:
            continue
        link = soup.select_one("a[rel=edit]")
        assert link is not None and "/main/data/" in link["href"], html
