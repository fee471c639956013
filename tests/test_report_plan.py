"""A plan nobody here wrote: tests/plans/report is a committee report that uses issue 13's
constructs at once (report facts, an undated version, an open-ended period, no contact or
vision, risks rated in words and unrated, timings as written, tags). Its built pages are read as
a reader sees them; starting a plan and the build's own checks are tested beside it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from clearplan.figures import compute
from clearplan.checks.check import check_plan
from clearplan.cli.cli import main
from clearplan.plan.dates import parse_stated_date
from clearplan.checks.site_checks import nav_names_workstreams
from conftest import ROOT, build_site

PLAN = ROOT / "tests" / "plans" / "report"


@pytest.fixture(scope="module")
def report_site(tmp_path_factory) -> Path:
    site_dir = tmp_path_factory.mktemp("report-site")
    result = build_site(PLAN / "mkdocs.yml", site_dir)
    assert result.returncode == 0, result.stderr
    return site_dir


def article(site: Path, path: str):
    file = site / path / "index.html" if path else site / "index.html"
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser").select_one("article.md-content__inner")


def text(element) -> str:
    return re.sub(r"\s+", " ", element.get_text(" ", strip=True))


def facts(element) -> dict[str, str]:
    """The first fact list's terms and their descriptions."""
    dl = element.select_one("dl.cp-facts")
    return {text(dt): text(dt.find_next_sibling("dd")) for dt in dl.find_all("dt")}


def rows(table) -> list[list[str]]:
    return [[text(c) for c in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]


# --- The data ---------------------------------------------------------------------------------


def test_the_report_plan_has_no_errors():
    loaded = check_plan(PLAN / "data")
    assert loaded.problems.errors == []


def test_words_ratings_keep_the_pair_and_invent_no_score():
    data = check_plan(PLAN / "data").data
    scheme = data.plan.risk_scheme
    rated, unrated = (compute.rating(risk, scheme) for risk in data.workstreams[0].risks)
    assert (rated.name, rated.rank, rated.score, rated.likelihood, rated.impact) == ("Likelihood High, impact Medium", None, None, "High", "Medium")
    assert (unrated.name, unrated.rank, unrated.score, unrated.group) == ("Not rated", None, None, "Not rated")


@pytest.mark.parametrize(
    "written, message",
    [
        ("31st SEPT 2021", "'31st SEPT 2021' is not a real date: September 2021 has 30 days"),
        ("30 February 2022", "'30 February 2022' is not a real date: February 2022 has 28 days"),
        ("31 April", "'31 April' is not a real date: April has 30 days"),
    ],
)
def test_an_impossible_date_in_words_is_refused(written, message):
    with pytest.raises(ValueError) as error:
        parse_stated_date(written)
    assert str(error.value) == message


def test_relative_and_seasonal_timings_are_kept_as_written():
    relative = parse_stated_date("within 12 weeks of the work starting")
    assert (relative.as_written, relative.words(), relative.has_year) == (True, "within 12 weeks of the work starting", False)
    assert parse_stated_date("Spring 2022").words() == "Spring 2022"
    assert parse_stated_date("Aug – March").words() == "August to March (year not stated)"
    assert parse_stated_date("29 February").words() == "29 February (year not stated)"


# --- The pages --------------------------------------------------------------------------------


def test_home_page_says_only_what_the_data_says(report_site):
    home = article(report_site, "")
    assert facts(home) == {
        "Kind of document": "Committee report",
        "Years it covers": "From April 2022 (financial year 2022/23); no end is stated",
        "Status": "Approved: Committee report",
        "Who wrote it": "Shire County Council",
        "For": "Children and Young People Committee, meeting on 8 March 2022",
    }
    page = text(home)
    assert "Our vision" not in page and "Who it is for" not in page and "Draft for comment" not in page
    assert [text(li) for li in home.select(".cp-key-figures li")] == ["2 things we will do", "1 measures of success", "3 risks we are managing"]
    assert "The plan names no contact for comments." in page
    assert home.select('a[href^="mailto:"]') == [] and home.select('a[href$="feed.xml"]') == []
    assert "About this plan : its version and where it comes from." in page


def test_about_page_shows_the_report_facts(report_site):
    about = article(report_site, "about")
    assert facts(about) == {
        "Kind of document": "Committee report",
        "Version": "Committee report",
        "Date": "Not stated",
        "Status": "Approved",
        "Years it covers": "From April 2022 (financial year 2022/23); no end is stated",
        "Who wrote it": "Shire County Council",
    }
    report = about.select("dl.cp-facts")[1]
    assert {text(dt): text(dt.find_next_sibling("dd")) for dt in report.find_all("dt")} == {
        "Decision body": "Children and Young People Committee",
        "Meeting date": "8 March 2022",
        "Purpose": "For decision",
        "Key decision": "Yes",
        "Exempt until": "31 January 2023",
        "Sponsors": "Alex Example, Service Director for Education",
    }
    assert [text(li) for li in about.find(id="recommendations").find_next("ol").find_all("li")] == [
        "Approve the demand management programme.",
        "Note the risks set out in section 6.",
    ]
    implications = about.find(id="implications").find_next("dl")
    assert [text(dt) for dt in implications.find_all("dt")] == ["Financial", "Legal"]  # no equality implications stated
    assert about.find(id="contact") is None


def test_risk_register_shows_words_and_not_rated(report_site):
    risks = article(report_site, "risks")
    assert [text(h) for h in risks.find_all("h2")] == ["Risks rated by likelihood and impact", "Risks not rated"]
    rated, unrated = risks.select("table")
    assert [(r[0], r[-1]) for r in rows(rated)] == [("Not enough psychologists apply", "Likelihood High, impact Medium")]
    assert [(r[0], r[1], r[-1]) for r in rows(unrated)] == [
        ("Families do not hear about the clinics", "Faster assessments", "Not rated"),
        ("The funding is not agreed", "The whole plan", "Not rated"),
    ]
    page = text(risks)
    assert "The source gives no combined score, so none is shown." in page
    assert "score" not in page.replace("no combined score", "") and "highest risks come first" not in page
    assert risks.select("figure") == []  # no chart of levels the data does not have


def test_dashboard_counts_risks_by_how_they_are_rated(report_site):
    dashboard = article(report_site, "dashboard")
    table = dashboard.find(id="risks-by-rating").find_next("table")
    assert [text(th) for th in table.select("thead th")] == ["Workstream", "Rated by likelihood and impact", "Not rated", "All risks"]
    assert rows(table)[0] == ["Faster assessments", "1", "1", "2"]


def test_timings_are_shown_as_the_source_writes_them(report_site):
    milestones = rows(article(report_site, "milestones").select_one("table"))
    assert milestones == [
        ["Clinics run", "August to March (year not stated)", "Aug – March"],
        ["Psychologists in post", "within 12 weeks of the work starting", "within 12 weeks of the work starting"],
        ["First review", "September 2022", "Sept 22"],
    ]
    activities = article(report_site, "workstreams/assessment").select_one("tr#as-01").find_parent("table")
    assert [r[-2:] for r in rows(activities)] == [
        ["No date set", "within 12 weeks of the work starting"],
        ["No date set", "August to March (year not stated)"],
    ]


def test_equality_assessment_to_be_completed_claims_no_finding(report_site):
    page = text(article(report_site, "equality"))
    assert "The assessment is still to be completed, so it has no actions yet." in page
    assert "no disproportionate negative impact" not in page


def test_a_page_per_tag_lists_what_serves_it(report_site):
    early = article(report_site, "serves/early-help")
    assert text(early.h1) == "Help early"
    # The generated page's stub names only the id; its title comes from the data through the template.
    assert "<title>Help early - Demand management report</title>" in (report_site / "serves/early-help/index.html").read_text(encoding="utf-8")
    assert [text(li) for li in early.select("li")] == [
        "Recruit two more educational psychologists. ( Faster assessments )",
        "Not enough psychologists apply (Faster assessments)",
    ]
    finding = article(report_site, "serves/inspection-finding-1")
    assert text(finding.h1) == "Waiting times for assessments are too long."
    assert [text(h) for h in finding.find_all("h2")] == ["Things we will do (1)", "Measures (1)"]
    about = article(report_site, "about")
    assert [a["href"] for a in about.find_all("a", string="What serves this")] == ["../serves/early-help/", "../serves/inspection-finding-1/"]


def test_an_undated_plan_has_no_feed(report_site):
    assert not (report_site / "feed.xml").exists()


# --- Starting a plan --------------------------------------------------------------------------


def test_new_plan_gives_a_folder_that_checks_and_builds(tmp_path, capsys):
    folder = tmp_path / "new-plan"
    assert main(["new", "plan", str(folder)]) == 0
    assert capsys.readouterr().out.startswith(f"{folder}: a new plan.")
    loaded = check_plan(folder / "data")
    assert loaded.problems.errors == []
    assert any("placeholder text left: 'Write the plan's title here.'" in str(p) for p in loaded.problems.sorted())
    result = build_site(folder / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert main(["new", "plan", str(folder)]) == 2  # never over an existing plan
    assert "is not empty" in capsys.readouterr().err


def test_a_page_whose_data_is_missing_is_named_without_a_traceback(tmp_path):
    folder = tmp_path / "plan"
    assert main(["new", "plan", str(folder)]) == 0
    (folder / "docs" / "finance.md").write_text('{{ clearplan_page("finance") }}\n', encoding="utf-8")
    (folder / "docs" / "glosary.md").write_text('{{ clearplan_page("glosary") }}\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs.yml"), "-d", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        cwd=folder,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "clearplan: docs/finance.md shows the plan's finance (page 'finance'), but data has no finance.yaml" in result.stderr
    assert "clearplan: docs/glosary.md asks for the page 'glosary', which clearplan does not have" in result.stderr


def test_workstreams_left_out_of_the_nav_are_reported(tmp_path):
    folder = tmp_path / "plan"
    assert main(["new", "plan", str(folder)]) == 0
    config = folder / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - Workstreams:\n      - workstreams/index.md\n", ""), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(tmp_path / "site")], capture_output=True, text=True, cwd=folder
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "the plan has 1 workstream(s) but the nav in mkdocs.yml has no workstreams/index.md" in result.stderr
    assert nav_names_workstreams([{"Home": "index.md"}, {"Workstreams": ["workstreams/index.md"]}], "workstreams/index.md")
    assert not nav_names_workstreams([{"Home": "index.md"}, {"Workstreams": "workstreams/index.md"}], "workstreams/index.md")


def test_a_new_risk_under_a_words_scheme_is_left_unrated(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(PLAN / "data", data)
    assert main(["new", "risk", "--workstream", "assessment", "--data", str(data)]) == 0
    assert "added risk as-r03" in capsys.readouterr().out
    loaded = check_plan(data)
    assert loaded.problems.errors == []
    risk = loaded.data.workstreams[0].risks[-1]
    assert (risk.id, risk.rating) == ("as-r03", None)  # no pair of words is invented


def test_a_word_the_scheme_does_not_allow_is_reported_at_its_line(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(PLAN / "data", data)
    file = data / "workstreams" / "01-assessment.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("{likelihood: High, impact: Medium}", "{likelihood: Severe, impact: Medium}"), encoding="utf-8")
    line = next(n for n, row in enumerate(file.read_text(encoding="utf-8").splitlines(), 1) if "Severe" in row)
    errors = [str(p) for p in check_plan(data).problems.errors]
    assert errors == [
        f"{file}:{line}:13: error: risks[0].rating: 'Severe' is not a likelihood word; "
        "the plan's words are likelihood: Low, Medium, High; impact: Low, Medium, High"
    ]
