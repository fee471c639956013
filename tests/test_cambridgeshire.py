"""The second bundled plan, Cambridgeshire's SEND Transformation business case: computed figures
against the source's own numbers, the check's warnings, and the built pages as a reader sees them."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from clearplan.figures import compute, costs
from clearplan.plan.dates import PartialDate, parse_stated_date
from clearplan.checks.easy_read import easy_read_pages
from clearplan.site.render import PlanView
from easy_read_support import (
    assert_every_point_has_one_picture_with_its_alt_text,
    assert_standard_and_easy_read_pages_link_to_each_other_near_the_top,
)

ROOT = Path(__file__).resolve().parent.parent


def page(site: Path, path: str):
    soup = BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")
    return soup.select_one("article.md-content__inner")


def text(element) -> str:
    return re.sub(r"\s+", " ", element.get_text(" ", strip=True))


def rows(table) -> list[list[str]]:
    return [[text(c) for c in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]


# --- Computed figures ---------------------------------------------------------------------------


def test_risk_values_are_impact_times_probability_with_bands(cambridgeshire):
    scheme = cambridgeshire.data.plan.risk_scheme
    ratings = [compute.rating(risk, scheme) for risk in cambridgeshire.data.risks]
    assert [r.score for r in ratings] == [9, 12, 15, 15, 15]
    assert [r.name for r in ratings] == ["Amber", "Amber", "Red", "Red", "Red"]


def test_cost_plan_totals_are_computed(cambridgeshire):
    totals = costs.cost_totals(cambridgeshire.data.finance.cost_plan)
    assert len(totals.rows) == 17
    assert totals.year_totals == [Decimal(220852), Decimal(528291), Decimal(160554)]
    assert totals.grand_total == Decimal(909697)
    officer = next(r for r in totals.rows if r.id == "business-officer")
    assert officer.total == Decimal(26120)


def test_contingency_totals_and_uplifts_are_computed(cambridgeshire):
    totals = costs.contingency_totals(cambridgeshire.data.finance.contingency)
    assert (totals.high_total, totals.low_total) == (Decimal(395316), Decimal(272016))
    tool = next(r for r in totals.rows if r.id == "send-readiness-tool")
    assert (tool.item, tool.rationale) == (
        "SEND readiness tool, development and roll-out",
        "If no interim can be found, a consultancy may be needed. A firm quoted £166,000 for six months and £249,300 for nine.",
    )
    assert (tool.high.amount, tool.low.amount) == (Decimal(190800), Decimal(107500))
    assert (tool.high.alternative, tool.high.base) == (Decimal(249300), Decimal(58500))


def test_cost_rows_keep_the_source_words_and_amounts(cambridgeshire):
    row = costs.cost_totals(cambridgeshire.data.finance.cost_plan).rows[0]
    assert row == costs.CostRow(
        "assistant-strategic-improvement-manager",
        "Assistant Strategic Improvement Manager (P3) for 24 months",
        "More capacity across the programme, with SEND knowledge. Manages the seconded SENCOs.",
        "Assumes a January 2022 start.",
        [Decimal(15235), Decimal(60938), Decimal(45703)],
        Decimal(121876),
    )


def test_a_contingency_amount_keeps_its_label_and_is_in_the_plans_unit():
    from clearplan.plan.model import Contingency

    contingency = Contingency.model_validate(
        {
            "unit": "£'000",
            "items": [
                {
                    "id": "a",
                    "item": "A",
                    "rationale": "R",
                    "high": {"amount": Decimal("1.5"), "label": "Nine months"},
                    "low": {"alternative": Decimal(27), "base": Decimal("15.235"), "label": "Interim"},
                }
            ],
        }
    )
    row = costs.contingency_totals(contingency).rows[0]
    assert row.high == costs.ContingencyValue(Decimal(1500), "Nine months", None, None)
    assert row.low == costs.ContingencyValue(Decimal(11765), "Interim", Decimal(27000), Decimal(15235))


def test_a_stated_total_may_be_off_by_less_than_half_its_last_digit():
    # 100 in £ is stated to the pound: 100.49 rounds to it, 100.5 does not.
    assert not costs._check("f.yaml", ("x",), "X", Decimal(100), Decimal("100.49"), "£").differs
    assert not costs._check("f.yaml", ("x",), "X", Decimal(100), Decimal("100.5"), "£").differs  # exactly half: rounding either way
    assert costs._check("f.yaml", ("x",), "X", Decimal(100), Decimal("100.51"), "£").differs
    check = costs._check("f.yaml", ("x",), "X", Decimal("1.5"), Decimal(1400), "£'000")
    assert (check.file, check.loc, check.label, check.stated, check.tolerance) == ("f.yaml", ("x",), "X", Decimal(1500), Decimal(50))


def test_plan_level_risks_are_counted(cambridgeshire):
    counts = compute.counts(cambridgeshire.data)
    assert (counts.workstreams, counts.activities, counts.measures, counts.risks) == (15, 0, 0, 5)


def test_each_stated_cost_and_contingency_figure_is_checked_where_the_source_states_it(cambridgeshire):
    checks = compute.figure_checks(cambridgeshire.data, "finance.yaml")
    assert {c.file for c in checks} == {"finance.yaml"}
    # Every figure is stated to the pound: a stated total may be off by less than 50p.
    assert {(c.tolerance, c.is_money) for c in checks} == {(Decimal("0.5"), True)}
    lines = [
        "Assistant Strategic Improvement Manager (P3) for 24 months",
        "Preparing for Adulthood lead (P3) for 24 months",
        "SEN Support workstream lead, backfill for 9 months",
        "External interim Tuition Lead for 125 days",
        "External interim Annual Review Improvement Lead for 52 days",
        "Area SENCO",
        "Changing the Conversation outside support for 6 months",
        "SEND readiness tool, development and roll-out",
        "SENCO secondments (5 SENCOs, 1 day a week for 24 months)",
        "Headteacher secondment (78 days, 1 day a week for 24 months)",
        "Subject expertise for the SEMH workstream",
        "SEMH lead",
        "Communications and digital",
        "Business Officer, half time for 24 months",
        "Business Analyst",
        "Trajectory management resource",
        "Early Years",
    ]
    assert [(c.loc, c.label) for c in checks] == [
        *((("cost_plan", "lines", i, "stated_total"), f"Cost plan, {line}: total") for i, line in enumerate(lines)),
        *((("cost_plan", "stated_year_totals", year), f"Cost plan, total for {year}") for year in ("2021/22", "2022/23", "2023/24")),
        (("cost_plan", "stated_grand_total"), "Cost plan, grand total (the sum of the year totals)"),
        (("contingency", "items", 0, "high", "stated"), "Contingency, Assistant Strategic Improvement Manager (P3): high figure"),
        (("contingency", "items", 3, "high", "stated"), "Contingency, SEND readiness tool, development and roll-out: high figure"),
        (("contingency", "items", 3, "low", "stated"), "Contingency, SEND readiness tool, development and roll-out: low figure"),
        (("contingency", "items", 4, "high", "stated"), "Contingency, Early Years: high figure"),
        (("contingency", "items", 4, "low", "stated"), "Contingency, Early Years: low figure"),
        (("contingency", "stated_high_total"), "Contingency, high total"),
        (("contingency", "stated_low_total"), "Contingency, low total"),
    ]
    assert [c.stated for c in checks[17:]] == [
        Decimal(n) for n in (220852, 528291, 160554, 909696, 11765, 190800, 107500, 74000, 34000, 395316, 272016)
    ]


def test_figures_check_reports_exactly_the_two_cost_plan_differences(cambridgeshire):
    differing = [(c.label, c.stated, c.computed, c.difference) for c in compute.figure_checks(cambridgeshire.data, "finance.yaml") if c.differs]
    assert differing == [
        ("Cost plan, Business Officer, half time for 24 months: total", Decimal(26119), Decimal(26120), Decimal(1)),
        ("Cost plan, grand total (the sum of the year totals)", Decimal(909696), Decimal(909697), Decimal(1)),
    ]


def test_check_warns_about_duplicate_number_undated_and_early_milestones_and_conflicting_fact(cambridgeshire):
    problems = cambridgeshire.problems
    assert not problems.errors
    warnings = [str(p) for p in problems.sorted()]
    expected = [
        ("10-valuing-send.yaml:4:", "workstream number 10 is also used by 'banding-descriptors'"),
        ("programme.yaml:", "'14 September' has no year"),
        ("programme.yaml:", "'To start Jan 21' (Starts January 2021) is before the programme starts (September 2021)"),
        ("facts.yaml:", "is stated as 5874 here (Equality impact assessment, section 3 (service data)) but as 6,044 in Business case, section 2"),
        ("finance.yaml:", "the source states £26,119 but its inputs give £26,120 (a difference of £1)"),
        ("finance.yaml:", "the source states £909,696 but its inputs give £909,697 (a difference of £1)"),
    ]
    for where, message in expected:
        assert any(where in w and message in w and ": warning: " in w for w in warnings), (message, warnings)
    # Nothing else: every plan page has its Easy Read, and the Easy Read lint finds nothing.
    assert len(warnings) == len(expected), warnings


def test_the_command_exits_0_with_warnings(capsys):
    from clearplan.cli.cli import main

    assert main(["check", "--data", str(ROOT / "examples" / "cambridgeshire" / "data")]) == 0
    assert "0 errors, 6 warnings" in capsys.readouterr().err


def test_milestones_keep_their_precision(cambridgeshire):
    groups = cambridgeshire.data.programme.milestone_groups
    assert len(groups) == 7
    assert sum(len(g.milestones) for g in groups) == 26
    when = {m.when.text: m.when for g in groups for m in g.milestones}
    assert when["29 September 21"].start == PartialDate(2021, 9, 29)
    assert when["14 September"].start == PartialDate(None, 9, 14) and not when["14 September"].has_year
    assert (when["Sept – Nov 21"].start, when["Sept – Nov 21"].end) == (PartialDate(2021, 9), PartialDate(2021, 11))
    assert when["End Sept 21"].qualifier == "end"


@pytest.mark.parametrize(
    "written, words",
    [
        ("End Sept 21", "End of September 2021"),
        ("To start Jan 21", "Starts January 2021"),
        ("Nov – Dec 21", "November to December 2021"),
        ("Dec 21 – Feb 22", "December 2021 to February 2022"),
        ("Nov - Jan 22", "November 2021 to January 2022"),
        ("14 September", "14 September (year not stated)"),
        ("July 2022", "July 2022"),
    ],
)
def test_stated_dates_in_words(written, words):
    assert parse_stated_date(written).words() == words


@pytest.mark.parametrize(
    "written, message",
    [
        (
            "Sometime",
            "cannot read 'Sometime' as a date; write a month and year such as 'Sept 21', '29 September 2021' or 'Sept – Nov 21', or a timing as written such as 'within 12 weeks of the work starting'",
        ),
        ("", "expected a date as the source writes it, such as 'Sept 21'"),
        ("   ", "expected a date as the source writes it, such as 'Sept 21'"),
        (2021, "expected a date as the source writes it, such as 'Sept 21'"),
        ("Sept – Oct – Nov 21", "cannot read 'Sept – Oct – Nov 21' as a date range; write it as 'Sept – Nov 21'"),
        ("Dec 22 – Jan 21", "'Dec 22 – Jan 21' ends before it starts"),
        ("Dec 21 – Nov 21", "'Dec 21 – Nov 21' ends before it starts"),
        ("32 May 21", "'32 May 21' is not a real date: May 2021 has 31 days"),
        ("0 May 21", "'0 May 21' is not a real date: May 2021 has 31 days"),
        (
            "Sept-21",
            "cannot read 'Sept-21' as a date; write a month and year such as 'Sept 21', '29 September 2021' or 'Sept – Nov 21', or a timing as written such as 'within 12 weeks of the work starting'",
        ),
        (
            "May 202",
            "cannot read 'May 202' as a date; write a month and year such as 'Sept 21', '29 September 2021' or 'Sept – Nov 21', or a timing as written such as 'within 12 weeks of the work starting'",
        ),
    ],
)
def test_unreadable_dates_are_rejected_with_a_plain_message(written, message):
    with pytest.raises(ValueError) as raised:
        parse_stated_date(written)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "written, start, end, qualifier",
    [
        ("1 May 21", PartialDate(2021, 5, 1), None, "on"),
        ("31st May 2021", PartialDate(2021, 5, 31), None, "on"),
        ("Sept. 21", PartialDate(2021, 9), None, "on"),
        ("sep 99", PartialDate(2099, 9), None, "on"),
        ("End of  March 2022", PartialDate(2022, 3), None, "end"),
        ("Start May 21", PartialDate(2021, 5), None, "start"),
        ("Sept – Nov 21", PartialDate(2021, 9), PartialDate(2021, 11), "on"),
        ("Nov – Nov 21", PartialDate(2021, 11), PartialDate(2021, 11), "on"),
        ("Dec – Jan 22", PartialDate(2021, 12), PartialDate(2022, 1), "on"),
        ("Sept to Nov", PartialDate(None, 9), PartialDate(None, 11), "on"),
        ("Jan 21—Mar 21", PartialDate(2021, 1), PartialDate(2021, 3), "on"),
    ],
)
def test_stated_dates_keep_exactly_what_is_written(written, start, end, qualifier):
    stated = parse_stated_date(written)
    assert (stated.text, stated.start, stated.end, stated.qualifier) == (" ".join(written.split()), start, end, qualifier)
    assert parse_stated_date(stated) is stated


def test_partial_dates_in_words_and_as_months():
    assert PartialDate(2021, 9, 1).words() == "1 September 2021"
    assert PartialDate(None, 12).words() == "December"
    assert PartialDate(2021, None).words() == "2021"
    assert PartialDate(2021, None).month_key() is None
    assert parse_stated_date("14 Sept – 20 Sept 21").words() == "14 September to 20 September 2021"
    assert parse_stated_date("14 Dec 21 – 20 Jan 22").words() == "14 December 2021 to 20 January 2022"
    assert PartialDate(2021, 1).month_key() == (2021, 1)
    assert PartialDate(None, 1).month_key() is None
    assert parse_stated_date("Sept – Nov").words() == "September to November (year not stated)"
    assert parse_stated_date("End 3 Sept 21").words() == "End of 3 September 2021"


def test_a_bad_date_in_the_data_is_an_error_at_its_line(tmp_path):
    import shutil

    from clearplan.checks.check import check_plan

    data = tmp_path / "data"
    shutil.copytree(ROOT / "examples" / "cambridgeshire" / "data", data)
    programme = data / "programme.yaml"
    programme.write_text(programme.read_text(encoding="utf-8").replace("when: Aug 23}", "when: Augtober 23}", 1), encoding="utf-8")
    loaded = check_plan(data)
    errors = [str(p) for p in loaded.problems.errors]
    assert len(errors) == 1 and "programme.yaml:" in errors[0] and "cannot read 'Augtober 23' as a date" in errors[0]


def test_lookup_grid_scheme_rates_by_row_and_column(cambridgeshire):
    from clearplan.plan.model import GridRating

    scheme = cambridgeshire.data.equality.scheme
    assert compute.grid_rating(GridRating(row="Inevitable", column="Minor"), scheme).name == "Medium"
    assert compute.grid_rating(GridRating(row="Unlikely", column="Moderate"), scheme).name == "Low"
    assert compute.grid_rating(GridRating(row="Less than likely", column="Major"), scheme).name == "High"
    assert compute.grid_rating(GridRating(row="Never", column="Major"), scheme) is None


def test_risk_grid_places_each_risk_once(cambridgeshire):
    grid = PlanView(cambridgeshire.data).risk_grid
    assert len(grid) == 5 and all(len(row) == 5 for row in grid)
    placed = {(c.likelihood, c.impact): [r.risk.id for r in c.risks] for row in grid for c in row if c.risks}
    assert placed == {(3, 3): ["partner-capacity"], (4, 3): ["new-members"], (5, 3): ["mobilising-delays", "data-quality", "timeframes"]}


# --- The built site -------------------------------------------------------------------------


def test_risk_page_shows_values_bands_grid_and_missing_action_in_words(cambridgeshire_site):
    article = page(cambridgeshire_site, "risks")
    body = text(article)
    assert body.count("Red (value 15: probability 5 (Very high) × impact 3 (Significant))") == 3
    assert "Amber (value 12: probability 4 (High) × impact 3 (Significant))" in body
    assert "Amber (value 9: probability 3 (Moderate) × impact 3 (Significant))" in body
    timeframes = article.select_one("tr#timeframes")
    assert "No action to reduce this risk is recorded" in text(timeframes)
    grid = article.select_one("#risk-grid")
    cells = {text(td) for td in grid.select("td")}
    assert (
        "Red (15): 3 risks Setting up the project team may be delayed. Poor data may slow down trajectory management and hold back other workstreams. The timescales may be too ambitious, and workstreams may take longer than planned."
        in cells
    )
    assert "Amber (9): 1 risk Partners, such as health, may not have time to take part because they are still dealing with COVID-19." in cells
    assert "Green (1): no risks" in cells


def test_money_page_shows_cost_plan_and_contingency_totals(cambridgeshire_site):
    article = page(cambridgeshire_site, "finance")
    cost_plan = article.select_one("#cost-plan")
    assert len(cost_plan.select("tbody tr")) == 17
    assert [text(c) for c in cost_plan.select("tfoot tr")[0].find_all(["th", "td"])] == ["Total", "220,852", "528,291", "160,554", "909,697"]
    assert rows(cost_plan)[13][2:] == ["3,265", "13,060", "9,795", "26,120"]
    contingency = article.select_one("#contingency-plan")
    assert [text(c) for c in contingency.select("tfoot tr")[0].find_all(["th", "td"])] == ["Total", "£395,316", "£272,016"]
    assert "£190,800 (Uplift for 9 months of consultancy: £249,300 minus £58,500 already in the cost plan)" in text(contingency)


def test_figures_check_page_lists_both_differences_and_the_ehcp_conflict(cambridgeshire_site):
    article = page(cambridgeshire_site, "figures-check")
    assert rows(article.select_one("#differences")) == [
        ["Cost plan, Business Officer, half time for 24 months: total", "£26,119", "£26,120", "£1"],
        ["Cost plan, grand total (the sum of the year totals)", "£909,696", "£909,697", "£1"],
    ]
    assert rows(article.select_one("#fact-conflicts")) == [
        ["Number of EHCPs in Cambridgeshire now", "6,044", "Business case, section 2"],
        ["Number of EHCPs in Cambridgeshire now", "5874", "Equality impact assessment, section 3 (service data)"],
    ]


def test_home_shows_headline_facts_with_their_source(cambridgeshire_site):
    article = page(cambridgeshire_site, "")
    facts = [text(li) for li in article.select(".cp-headline-facts li")]
    assert "£19.7m over three years Cost avoidance the programme could bring (source: Business case, summary box and section 1)" in facts
    assert "£909,696 over three years Money asked for (source: Business case, summary box and section 1)" in facts
    assert "Draft: Business case, November 2021" in text(article)  # a month-only date, no invented day
    figures = [text(li) for li in article.select(".cp-key-figures li") if li.find_parent(class_="cp-headline-facts") is None]
    assert figures == ["15 workstreams", "5 risks we are managing"]


def test_timeline_is_a_table_first_then_a_described_picture(cambridgeshire_site):
    article = page(cambridgeshire_site, "programme-plan")
    table = article.select_one("#timeline")
    found = rows(table)
    assert len(found) == 17
    assert found[0][:3] == ["Changing the Conversation", "September 2021", "Not stated in the source"]
    assert ["Tuition", "July 2022", "August 2023"] == found[-1][:3]
    chart = article.select_one(".cp-timeline__chart[role=img]")
    assert chart.find_previous("table") is table
    assert "Panel Redesign, March 2022 to April 2023" in chart["aria-label"]
    assert len(rows(article.select_one("#terms"))) == 9


def test_milestones_page_shows_every_milestone_with_words_and_source_text(cambridgeshire_site):
    article = page(cambridgeshire_site, "milestones")
    found = [r for table in article.select("table") for r in rows(table)]
    assert len(found) == 26
    assert ["Business case and costs drafted", "14 September (year not stated)", "14 September"] in found
    assert 'Starts January 2021 (the source says "To start Jan 21")' in text(article)


def test_workstreams_keep_the_source_numbers_and_show_impact_tags(cambridgeshire_site):
    article = page(cambridgeshire_site, "workstreams")
    labels = [text(th) for th in article.select("#workstreams tbody th")]
    assert len(labels) == 15
    assert labels[9:11] == ["Workstream 10: Banding and Descriptors", "Workstream 10: Valuing SEND"]
    assert len(article.select("dl.cp-enablers dt")) == 6
    tuition = text(page(cambridgeshire_site, "workstreams/tuition"))
    assert "Fewer tuition packages. Cashable saving" in tuition
    assert "controllable space" in tuition


def test_equality_page_shows_groups_impacts_and_grid(cambridgeshire_site):
    article = page(cambridgeshire_site, "equality")
    assert len(article.select("ul.cp-groups li")) == 11
    assert rows(article.select_one("#equality-grid"))[0] == ["Inevitable", "Medium", "High", "High", "High"]
    impacts = rows(article.select_one("#equality-impacts"))
    assert impacts[0][0] == "Children, young people and their families" and impacts[0][2] == "None identified"
    assert "found no disproportionate negative impact, so it has no actions" in text(article)


# --- Easy Read ----------------------------------------------------------------------------------

WORKSTREAMS = [
    "changing-the-conversation",
    "mapping-provision",
    "send-support",
    "tuition",
    "outreach-model",
    "enhanced-resource-bases",
    "semh",
    "preparing-for-adulthood",
    "system-design",
    "banding-descriptors",
    "valuing-send",
    "panel-redesign",
    "annual-review",
    "legal-review",
    "early-years",
]
# Every plan page but Measures: the workstreams state their success measures in words, without
# targets, so the site has no Measures page to twin.
EASY_READ_KEYS = ["home", *(f"workstream:{w}" for w in WORKSTREAMS), "risks", "finance", "figures-check"]


@pytest.fixture(scope="module")
def easy_read(cambridgeshire):
    return easy_read_pages(cambridgeshire.data)


def test_every_plan_page_has_an_easy_read_twin(cambridgeshire, easy_read):
    assert list(easy_read) == EASY_READ_KEYS
    assert not any(ws.measures for ws in cambridgeshire.data.workstreams)


@pytest.mark.parametrize("key", EASY_READ_KEYS)
def test_each_easy_read_page_is_built_with_one_picture_per_point_and_links_both_ways(cambridgeshire_site, easy_read, key):
    assert_every_point_has_one_picture_with_its_alt_text(cambridgeshire_site, easy_read[key])
    assert_standard_and_easy_read_pages_link_to_each_other_near_the_top(cambridgeshire_site, easy_read[key])


def test_no_measures_page_means_no_measures_easy_read(tmp_path, cambridgeshire_site):
    import shutil

    from clearplan.checks.check import check_plan

    assert not (cambridgeshire_site / "measures").exists() and not (cambridgeshire_site / "easy-read" / "measures").exists()
    data = tmp_path / "data"
    shutil.copytree(ROOT / "examples" / "cambridgeshire" / "data", data)
    plan = data / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8")
        + ("measures_easy_read:\n  points:\n    - text: We will check the plan.\n      picture: looking-closely\n      alt: A magnifying glass.\n"),
        encoding="utf-8",
    )
    loaded = check_plan(data)
    found = [p for p in loaded.problems.items if p.field == "measures_easy_read"]
    assert [(p.severity, "no Measures page" in p.message) for p in found] == [("warning", True)]
    assert "measures" not in easy_read_pages(loaded.data, data, loaded.files)
