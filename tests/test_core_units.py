"""Quick tests of the core's small functions, called directly on literal inputs: the escaping
helpers, the model's field checks, the Easy Read lint's parts and the figures' expressions. They
are what `make mutation` tries most mutants on, so each runs in milliseconds."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from clearplan.checks.check import check_plan
from clearplan.checks.easy_read import Picture, PictureLibrary, PictureSet, easy_read_pages, has_measures_page, load_pictures, plan_pages
from clearplan.checks.section_checks import programme_start, rating_problem
from clearplan.figures.figure_tables import Comparison, FigureBook, LaidTable, _lay_out, build_figures, column_id
from clearplan.figures.graph import Figure, FigureGraph, Origin
from clearplan.outputs.cells import append_rows, csv_original, csv_text, save_workbook
from clearplan.plan import model
from clearplan.plan.dates import PartialDate
from clearplan.plan.model import FigureTable, TableColumn
from clearplan.plan.problems import Problems
from clearplan.site.edit_links import edit_url, page_data_files

# --- Escaping: "Edit this page" links ---------------------------------------------------------


def test_edit_url_reaches_the_data_file_from_docs():
    assert (
        edit_url("https://github.com/council/plan", "edit/main/docs/", Path("/site/docs"), Path("/site/data"), "plan.yaml")
        == "https://github.com/council/plan/edit/main/data/plan.yaml"
    )


def test_edit_url_opens_a_folder_in_the_browse_view():
    assert (
        edit_url("https://github.com/council/plan/", "edit/main/docs/", Path("/site/docs"), Path("/site/data"), "workstreams/")
        == "https://github.com/council/plan/tree/main/data/workstreams/"
    )


def test_edit_url_changes_only_the_first_edit_of_a_folder_link():
    assert (
        edit_url("https://example.org/r", "edit/edit/docs/", Path("/s/docs"), Path("/s/data"), "workstreams/")
        == "https://example.org/r/tree/edit/data/workstreams/"
    )


def test_edit_url_without_a_closing_slash_on_edit_uri():
    assert (
        edit_url("https://example.org/r", "edit/main/docs", Path("/s/docs"), Path("/s/data"), "plan.yaml")
        == "https://example.org/r/edit/main/data/plan.yaml"
    )


def test_edit_url_keeps_the_repository_name_whole():
    assert (
        edit_url("https://example.org/PlanX", "edit/main/docs/", Path("/s/docs"), Path("/s/data"), "plan.yaml")
        == "https://example.org/PlanX/edit/main/data/plan.yaml"
    )


def test_edit_url_percent_encodes_a_file_name():
    assert (
        edit_url("https://example.org/r", "edit/main/docs/", Path("/s/docs"), Path("/s/data"), 'a "b"<c>.yaml')
        == "https://example.org/r/edit/main/data/a%20%22b%22%3Cc%3E.yaml"
    )


def test_edit_url_to_data_inside_docs_without_a_closing_slash_on_edit_uri():
    assert (
        edit_url("https://example.org/r", "edit/main/docs", Path("/s/docs"), Path("/s/docs/data"), "plan.yaml")
        == "https://example.org/r/edit/main/docs/data/plan.yaml"
    )


def test_edit_url_from_an_example_plan_below_the_docs():
    assert (
        edit_url("https://example.org/r", "edit/main/examples/x/docs/", Path("/s/examples/x/docs"), Path("/s/examples/x/data"), "finance.yaml")
        == "https://example.org/r/edit/main/examples/x/data/finance.yaml"
    )


def test_page_data_files_names_each_page_its_file():
    data = Path("/plan/data")
    pages = page_data_files(
        data,
        ["/plan/data/plan.yaml", "/plan/data/risks.yaml", "/plan/data/finance.yaml"],
        {"ws1": "/plan/data/workstreams/ws1-early.yaml"},
        {"easy-read/ws1.md": "/plan/data/workstreams/ws1-early.yaml"},
    )
    assert pages == {
        "index.md": "plan.yaml",
        "dashboard.md": "workstreams/",
        "workstreams/index.md": "workstreams/",
        "measures.md": "workstreams/",
        "risks.md": "risks.yaml",
        "you-said.md": "you-said.yaml",
        "finance.md": "finance.yaml",
        "programme-plan.md": "programme.yaml",
        "milestones.md": "programme.yaml",
        "equality.md": "equality.yaml",
        "figures-check.md": "finance.yaml",
        "what-changed.md": "plan.yaml",
        "glossary.md": "glossary.yaml",
        "about.md": "plan.yaml",
        "accessibility.md": "accessibility.yaml",
        "workstreams/ws1.md": "workstreams/ws1-early.yaml",
        "easy-read/dashboard.md": "workstreams/",
        "easy-read/you-said.md": "you-said.yaml",
        "easy-read/ws1.md": "workstreams/ws1-early.yaml",
    }


def test_page_data_files_takes_the_first_file_the_plan_has():
    # risks.md reads risks.yaml, then the workstreams: a plan without risks.yaml edits the folder.
    pages = page_data_files(Path("/plan/data"), ["/plan/data/plan.yaml"], {}, {})
    assert pages["risks.md"] == "workstreams/"
    assert pages["index.md"] == "plan.yaml"


# --- Escaping: spreadsheet cells --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, written",
    [
        ("=1+1", "'=1+1"),
        ("+x", "'+x"),
        ("-x", "'-x"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-19.25", "-19.25"),
        ("+5", "+5"),
        ("12", "12"),
        ("-1.", "'-1."),
        ("--1", "'--1"),
        ("-1.5.5", "'-1.5.5"),
        ("'=x", "''=x"),
        ("''+1a", "'''+1a"),
        ("'plain", "'plain"),
        ("plain", "plain"),
        ("X=1", "X=1"),
        ("X'=1", "X'=1"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_csv_text_marks_exactly_the_text_a_spreadsheet_would_run(text, written):
    assert csv_text(text) == written
    assert csv_original(written) == text


# --- The model's field checks -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["a@b.org", "first.last+tag@council-name.gov.uk", "o'neil@x.co", "_@a.b"])
def test_an_email_address_alone_is_accepted(value):
    assert model.check_email(value) == value


@pytest.mark.parametrize("value", ["a@b", "a b@c.org", "a@b.org?body=x", "<a@b.org>", "a@b.org ", "@b.org", "a@.org", "a@b."])
def test_anything_but_an_email_address_alone_is_refused(value):
    with pytest.raises(ValueError) as raised:
        model.check_email(value)
    assert str(raised.value) == f"{value!r} is not an email address; write the address alone, like name@example.org"


@pytest.mark.parametrize("value", ["https://www.example.org/page", "http://x.org", "HTTPS://X.ORG/a?b=c#d", "https://x.org/%20a"])
def test_http_and_https_addresses_are_accepted(value):
    assert model.check_web_address(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://x.org",
        "https://",
        "https:///path",
        "https://x.org/a b",
        'https://x.org/"',
        "https://[::1",
        "www.example.org",
        "",
    ],
)
def test_other_web_addresses_are_refused_with_how_to_write_one(value):
    with pytest.raises(ValueError) as raised:
        model.check_web_address(value)
    assert str(raised.value) == (
        f"{value!r} is not a web address; write it in full, like https://www.example.org/page, with any spaces or quotes written as %20 or %22"
    )


@pytest.mark.parametrize("value", ["2020/21", "1999/00", "2099/00"])
def test_a_financial_year_runs_into_the_next(value):
    assert model.check_financial_year(value) == value


@pytest.mark.parametrize(
    "value, message",
    [
        ("2020/22", "'2020/22' is not a financial year: 2020/ is followed by 21"),
        ("2020/20", "'2020/20' is not a financial year: 2020/ is followed by 21"),
        ("2099/99", "'2099/99' is not a financial year: 2099/ is followed by 00"),
        ("2008/10", "'2008/10' is not a financial year: 2008/ is followed by 09"),
        ("2020-21", "expected a financial year like 2020/21, got '2020-21'"),
        ("20/21", "expected a financial year like 2020/21, got '20/21'"),
        ("2020/2021", "expected a financial year like 2020/21, got '2020/2021'"),
    ],
)
def test_a_financial_year_that_does_not_run_on_is_refused(value, message):
    with pytest.raises(ValueError) as raised:
        model.check_financial_year(value)
    assert str(raised.value) == message


@pytest.mark.parametrize("value", ["2021-04-30", "2021-04", "2024-02-29"])
def test_a_plan_date_to_the_day_or_month(value):
    assert model.check_plan_date(value) == value


@pytest.mark.parametrize(
    "value, message",
    [
        ("2021-02-30", "'2021-02-30' is not a real date; write YYYY-MM-DD, or YYYY-MM for a month"),
        ("2021-13", "'2021-13' is not a real date; write YYYY-MM-DD, or YYYY-MM for a month"),
        ("April 2021", "'April 2021' is not a real date; write YYYY-MM-DD, or YYYY-MM for a month"),
        ("20210430", "'20210430' is not a real date; write YYYY-MM-DD, or YYYY-MM for a month"),
        ("2021-W01-1", "'2021-W01-1' is not a date; write YYYY-MM-DD, or YYYY-MM for a month"),
    ],
)
def test_a_plan_date_that_is_no_date_is_refused(value, message):
    with pytest.raises(ValueError) as raised:
        model.check_plan_date(value)
    assert str(raised.value) == message


def test_a_month_means_its_first_day():
    assert model.first_day("2021-11") == dt.date(2021, 11, 1)
    assert model.first_day("2021-11-30") == dt.date(2021, 11, 30)
    assert model.financial_year_start("2024/25") == 2024


@pytest.mark.parametrize("value", ["999999999999999", "-999999999999999", "0.000001", "1E+14", "0", "0E-10", "123456789.123456"])
def test_plan_numbers_up_to_15_digits_and_6_places(value):
    assert model.check_plan_number(Decimal(value)) == Decimal(value)


@pytest.mark.parametrize(
    "value, message",
    [
        ("1000000000000000", "1000000000000000 is too large: plan figures have at most 15 digits before the decimal point"),
        ("1E+15", "1E+15 is too large: plan figures have at most 15 digits before the decimal point"),
        ("0.0000001", "1E-7 has too many decimal places: plan figures have at most 6"),
        ("Infinity", "Infinity is not a number plan data can use; write a finite number"),
        ("NaN", "NaN is not a number plan data can use; write a finite number"),
    ],
)
def test_plan_numbers_past_the_limits_are_refused(value, message):
    with pytest.raises(ValueError) as raised:
        model.check_plan_number(Decimal(value))
    assert str(raised.value) == message


@pytest.mark.parametrize("value", ["a", "day_rate", "a" + "b" * 59, "x9"])
def test_figure_ids(value):
    assert model.check_figure_id(value) == value


@pytest.mark.parametrize("value", ["", "Day", "9a", "_a", "a-b", "a" + "b" * 60, "day rate"])
def test_figure_ids_that_a_formula_could_not_name_are_refused(value):
    with pytest.raises(ValueError) as raised:
        model.check_figure_id(value)
    assert str(raised.value) == f"expected an id of lower-case letters, digits and _ starting with a letter (like 'day_rate'), got {value!r}"


@pytest.mark.parametrize("value", ["£", "£'000", "£m", "posts", "a", "places a day", "a" + "b" * 29])
def test_figure_units(value):
    assert model.check_figure_unit(value) == value


@pytest.mark.parametrize("value", ["£k", "$", "Posts", "a" + "b" * 30, "", "£ m", "2 posts"])
def test_figure_units_other_than_money_or_words_are_refused(value):
    with pytest.raises(ValueError) as raised:
        model.check_figure_unit(value)
    assert str(raised.value) == (
        f"expected £, £'000 or £m for money, or what the figure counts in lower-case words (posts, places, plans), got {value!r}"
    )


def test_an_amount_is_a_number_or_a_formula():
    assert model.read_amount(450) == Decimal(450)
    assert model.read_amount(Decimal("1.5")) == Decimal("1.5")
    assert model.read_amount("  rate * days ") == "rate * days"
    assert model.read_amount("x" * 500) == "x" * 500


@pytest.mark.parametrize("value", [True, 1.5, "", "   ", "x" * 501, None, [1]])
def test_an_amount_that_is_neither_is_refused(value):
    with pytest.raises(ValueError) as raised:
        model.read_amount(value)
    assert str(raised.value) == f'expected a number, or a formula in quotes (like "rate * days"), got {value!r}'


def test_an_amount_is_a_plan_number():
    with pytest.raises(ValueError) as raised:
        model.read_amount(Decimal("0.0000001"))
    assert str(raised.value) == "1E-7 has too many decimal places: plan figures have at most 6"


@pytest.mark.parametrize(
    "value, kind",
    [
        ({"row": 1}, "grid"),
        ({"column": "x"}, "grid"),
        ({"likelihood": "Likely"}, "words"),
        ({"impact": "Major"}, "words"),
        ({"likelihood": 2}, "product"),
        ({"impact": 3}, "product"),
        ({"level": "High"}, "level"),
        ("High", "level"),
        (model.GridRating(row="a", column="b"), "grid"),
        (model.WordsRating(likelihood="Low", impact="Minor"), "words"),
        (model.ProductRating(likelihood=1, impact=2), "product"),
        (model.LevelRating(level="High"), "level"),
        (None, "level"),
    ],
)
def test_a_rating_is_read_by_its_keys(value, kind):
    assert model._rating_kind(value) == kind


@pytest.mark.parametrize(
    "value, column",
    [
        ("2024/25", {"year": "2024/25"}),
        (" 2024/25 onwards ", {"year": "2024/25", "onwards": True}),
        ("High", {"label": "High"}),
        ("2024/25x", {"label": "2024/25x"}),
        ({"label": "Low"}, {"label": "Low"}),
    ],
)
def test_a_column_may_be_written_as_text(value, column):
    assert model._column_shorthand(value) == column


# --- The model's checks across fields (the validators call these) --------------------------------


def refusal(check, value) -> str:
    """The message a check refuses `value` with."""
    with pytest.raises(ValueError) as raised:
        check(value)
    return str(raised.value)


def test_a_period_may_end_in_the_year_it_starts_but_not_before():
    same = model.Period.model_construct(start="2021/22", end="2021/22")
    assert model.check_period_order(same) is same
    assert model.check_period_order(model.Period.model_construct(start="2021/22", end=None)).end is None
    backwards = model.Period.model_construct(start="2021/22", end="2020/21")
    assert refusal(model.check_period_order, backwards) == "the period ends (2020/21) before it starts (2021/22)"


def bands(scale_max: int, *ranges: tuple[str, int, int]) -> model.ProductScheme:
    return model.ProductScheme.model_construct(kind="product", scale_max=scale_max, bands=[model.Band(name=n, min=a, max=b) for n, a, b in ranges])


def test_bands_in_any_order_may_be_one_score_wide_and_must_cover_every_score():
    scheme = bands(2, ("High", 2, 4), ("Low", 1, 1))
    assert model.check_bands_cover_scores(scheme) is scheme


@pytest.mark.parametrize(
    "scheme, message",
    [
        (bands(3, ("Low", 1, 3), ("High", 5, 9)), "band 'High' starts at 5; expected 4 so bands leave no gap or overlap"),
        (bands(3, ("Low", 1, 4), ("High", 4, 9)), "band 'High' starts at 4; expected 5 so bands leave no gap or overlap"),
        (bands(3, ("Low", 1, 0), ("High", 1, 9)), "band 'Low' ends (0) before it starts (1)"),
        (bands(3, ("Low", 1, 3), ("High", 4, 8)), "bands end at 8; they must reach the highest score, 9"),
        (bands(3, ("Low", 1, 3), ("High", 4, 10)), "bands end at 10; they must reach the highest score, 9"),
    ],
)
def test_bands_with_a_gap_an_overlap_or_short_of_the_top_are_refused(scheme, message):
    assert refusal(model.check_bands_cover_scores, scheme) == message


def grid(cells: list[list[str]]) -> model.LookupGridScheme:
    levels = [model.GridLevel(name="Low", code="L"), model.GridLevel(name="High", code="H")]
    return model.LookupGridScheme.model_construct(
        kind="grid", row_label="Likelihood", column_label="Severity", rows=["Likely", "Rare"], columns=["Minor", "Major"], levels=levels, cells=cells
    )


def test_a_grid_with_a_level_code_in_every_cell_is_accepted():
    scheme = grid([["L", "H"], ["L", "L"]])
    assert model.check_grid_is_complete(scheme) is scheme


@pytest.mark.parametrize(
    "cells, message",
    [
        ([["L", "H"]], "the grid has 1 rows of cells for 2 rows"),
        ([["L", "H"], ["L", "L"], ["H", "H"]], "the grid has 3 rows of cells for 2 rows"),
        ([["L", "H"], ["L"]], "row 'Rare' has 1 cells for 2 columns"),
        ([["L", "H", "H"], ["L", "L"]], "row 'Likely' has 3 cells for 2 columns"),
        ([["L", "H"], ["L", "X"]], "row 'Rare' uses 'X', which is not a level code (H, L)"),
    ],
)
def test_a_grid_of_the_wrong_shape_or_with_an_unknown_code_is_refused(cells, message):
    assert refusal(model.check_grid_is_complete, grid(cells)) == message


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "percent", "value": Decimal(90)},
        {"kind": "count", "value": Decimal(0)},
        {"kind": "count_per_year", "value": Decimal(12)},
        {"kind": "better_than_previous_year"},
        {"kind": "tbc"},
        {"kind": "text", "text": "Fewer complaints."},
    ],
)
def test_a_target_has_the_fields_its_kind_needs(fields):
    target = model.Target.model_construct(**fields)
    assert model.check_target_fields(target) is target


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"kind": "percent"}, "a percent target needs a value"),
        ({"kind": "count"}, "a count target needs a value"),
        ({"kind": "count_per_year"}, "a count_per_year target needs a value"),
        ({"kind": "tbc", "value": Decimal(5)}, "a tbc target takes no value"),
        ({"kind": "text", "value": Decimal(5), "text": "x"}, "a text target takes no value"),
        ({"kind": "text"}, "text goes with kind: text, and only with it"),
        ({"kind": "percent", "value": Decimal(90), "text": "x"}, "text goes with kind: text, and only with it"),
    ],
)
def test_a_target_without_a_field_its_kind_needs_or_with_one_it_does_not_is_refused(fields, message):
    assert refusal(model.check_target_fields, model.Target.model_construct(**{"value": None, "text": None, **fields})) == message


def test_growth_may_start_at_up_to_a_million_ehcps():
    assert model.check_growth_start(1_000_000) == 1_000_000
    assert refusal(model.check_growth_start, 1_000_001) == "a start of 1,000,001 EHCPs is not plausible; write at most 1,000,000"


@pytest.mark.parametrize("value", ["-100", "0", "100"])
def test_growth_from_minus_100_to_100_per_cent_a_year(value):
    assert model.check_growth_percent(Decimal(value)) == Decimal(value)


@pytest.mark.parametrize("value", ["-100.5", "100.5"])
def test_growth_outside_minus_100_to_100_per_cent_is_refused(value):
    message = f"growth of {value}% a year is not plausible; write a percentage from -100 to 100"
    assert refusal(model.check_growth_percent, Decimal(value)) == message


@pytest.mark.parametrize("fields", [{"amount": Decimal(5)}, {"alternative": Decimal(9), "base": Decimal(4)}])
def test_a_contingency_figure_is_an_amount_or_an_uplift(fields):
    figure = model.ContingencyFigure.model_construct(**{"amount": None, "alternative": None, "base": None, **fields})
    assert model.check_amount_or_uplift(figure) is figure


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"alternative": Decimal(9)}, "an uplift needs both alternative and base"),
        ({"base": Decimal(4)}, "an uplift needs both alternative and base"),
        ({"amount": Decimal(5), "base": Decimal(4)}, "an uplift needs both alternative and base"),
        ({}, "write either amount, or alternative and base for an uplift"),
        ({"amount": Decimal(5), "alternative": Decimal(9), "base": Decimal(4)}, "write either amount, or alternative and base for an uplift"),
    ],
)
def test_a_contingency_figure_that_is_neither_or_both_is_refused(fields, message):
    figure = model.ContingencyFigure.model_construct(**{"amount": None, "alternative": None, "base": None, **fields})
    assert refusal(model.check_amount_or_uplift, figure) == message


def test_a_figure_is_entered_or_worked_out_and_a_statement_gives_a_value_or_a_cap():
    entered, worked_out = (
        model.FigureDefinition.model_construct(value=Decimal(1), formula=None),
        model.FigureDefinition.model_construct(value=None, formula="a"),
    )
    assert (model.check_value_or_formula(entered), model.check_value_or_formula(worked_out)) == (entered, worked_out)
    value, cap = (
        model.FigureStatement.model_construct(value=Decimal(1), up_to=None),
        model.FigureStatement.model_construct(value=None, up_to=Decimal(1)),
    )
    assert (model.check_value_or_cap(value), model.check_value_or_cap(cap)) == (value, cap)


@pytest.mark.parametrize("value, formula", [(None, None), (Decimal(1), "a * 2")])
def test_a_figure_both_or_neither_entered_and_worked_out_is_refused(value, formula):
    figure = model.FigureDefinition.model_construct(value=value, formula=formula)
    assert refusal(model.check_value_or_formula, figure) == "write either value (as entered) or formula (worked out from other figures)"


@pytest.mark.parametrize("value, up_to", [(None, None), (Decimal(1), Decimal(2))])
def test_a_statement_of_both_or_neither_value_and_cap_is_refused(value, up_to):
    statement = model.FigureStatement.model_construct(value=value, up_to=up_to)
    assert refusal(model.check_value_or_cap, statement) == "write either value (what the document states) or up_to (a cap it states)"


@pytest.mark.parametrize("fields", [{"year": "2024/25"}, {"year": "2024/25", "onwards": True}, {"label": "High"}])
def test_a_column_has_a_year_or_a_label(fields):
    column = model.TableColumn.model_construct(**{"year": None, "label": None, "onwards": False, **fields})
    assert model.check_year_or_label(column) is column


@pytest.mark.parametrize(
    "fields, message",
    [
        ({}, "a column has either a year (like 2024/25) or a label"),
        ({"year": "2024/25", "label": "High"}, "a column has either a year (like 2024/25) or a label"),
        ({"label": "High", "onwards": True}, "onwards: true goes with a year"),
    ],
)
def test_a_column_with_both_or_neither_or_onwards_without_a_year_is_refused(fields, message):
    column = model.TableColumn.model_construct(**{"year": None, "label": None, "onwards": False, **fields})
    assert refusal(model.check_year_or_label, column) == message


def test_a_forecast_needs_a_history():
    history, forecast = object(), object()
    for fields in ({"history": None, "forecast": None}, {"history": history, "forecast": None}, {"history": history, "forecast": forecast}):
        finance = model.Finance.model_construct(**fields)
        assert model.check_forecast_has_history(finance) is finance
    alone = model.Finance.model_construct(history=None, forecast=forecast)
    assert refusal(model.check_forecast_has_history, alone) == (
        "a forecast needs a history: its funding gap starts from the history's closing balance"
    )


ISSUE = model.AccessibilityIssue(problem="Charts have no text alternative.", criterion="1.1.1 Non-text Content")


def accessibility(compliance: str, issues: list, prepared: dt.date, last_reviewed: dt.date) -> model.AccessibilityStatement:
    return model.AccessibilityStatement.model_construct(compliance=compliance, issues=issues, prepared=prepared, last_reviewed=last_reviewed)


@pytest.mark.parametrize(
    "compliance, issues, reviewed",
    [("full", [], dt.date(2026, 3, 1)), ("partial", [ISSUE], dt.date(2026, 3, 2)), ("none", [ISSUE], dt.date(2027, 1, 1))],
)
def test_the_issues_fit_the_compliance_stated_and_the_review_is_on_or_after_the_statement(compliance, issues, reviewed):
    statement = accessibility(compliance, issues, dt.date(2026, 3, 1), reviewed)
    assert model.check_issues_fit_compliance(statement) is statement


@pytest.mark.parametrize(
    "compliance, issues, reviewed, message",
    [
        ("full", [ISSUE], dt.date(2026, 3, 1), "a fully compliant site lists no issues; use compliance: partial"),
        ("partial", [], dt.date(2026, 3, 1), "compliance: partial needs the issues that stop the site meeting WCAG 2.2 AA"),
        ("none", [], dt.date(2026, 3, 1), "compliance: none needs the issues that stop the site meeting WCAG 2.2 AA"),
        ("full", [], dt.date(2026, 2, 28), "last_reviewed (2026-02-28) is before prepared (2026-03-01)"),
    ],
)
def test_issues_that_do_not_fit_the_compliance_or_a_review_before_the_statement_are_refused(compliance, issues, reviewed, message):
    assert refusal(model.check_issues_fit_compliance, accessibility(compliance, issues, dt.date(2026, 3, 1), reviewed)) == message


# --- The figures: how a worked-out figure is shown ----------------------------------------------


def worked_out(expression: str, unit: str = "posts", **more: Figure) -> FigureGraph:
    """A graph of a day rate (£450 a day), 36 days, 3 and 4 posts, and `total` worked out by `expression`."""
    graph = FigureGraph()
    for figure in (
        Figure("rate", "Day rate", "£", entered=Decimal(450), per="day"),
        Figure("days", "Days", "days", entered=Decimal(36)),
        Figure("a", "Posts A", "posts", entered=Decimal(3)),
        Figure("b", "Posts B", "posts", entered=Decimal(4)),
        *more.values(),
        Figure("total", "Total", unit, expression=expression),
    ):
        graph.add(figure)
    graph.evaluate()
    return graph


@pytest.mark.parametrize(
    "expression, unit, working",
    [
        ("rate * days", "£", "£450 a day × 36 days"),
        ("a + b", "posts", "3 posts + 4 posts"),
        ("(a + b) * 2", "posts", "(3 posts + 4 posts) × 2"),
        ("a * 2 + b", "posts", "3 posts × 2 + 4 posts"),
        ("a - (b - 1)", "posts", "3 posts − (4 posts − 1)"),
        ("a - b - 1", "posts", "3 posts − 4 posts − 1"),
        ("a * (b / 2)", "posts", "3 posts × (4 posts ÷ 2)"),
        ("a / b * 8", "posts", "3 posts ÷ 4 posts × 8"),
        ("-a + 1.50", "posts", "−3 posts + 1.50"),
        ("-(a + b)", "posts", "−(3 posts + 4 posts)"),
        ("+a", "posts", "3 posts"),
        ("+(a + b)", "posts", "3 posts + 4 posts"),
        ("2 * +(a + b)", "posts", "2 × (3 posts + 4 posts)"),
        ("(a - b) * 2", "posts", "(3 posts − 4 posts) × 2"),
        ("a + b * 2", "posts", "3 posts + 4 posts × 2"),
        ("sum(a + b, 1)", "posts", "(3 posts + 4 posts + 1)"),
        ("a + (b - 1)", "posts", "3 posts + (4 posts − 1)"),
        ("sum(a, b, 1000)", "posts", "(3 posts + 4 posts + 1,000)"),
        ("sum(a * 2, b)", "posts", "(3 posts × 2 + 4 posts)"),
        ("round(a / 7, 1)", "posts", "3 posts ÷ 7, rounded to 1 places"),
        ("rate * 10%", "£", "£450 a day × 10%"),
    ],
)
def test_the_working_shows_each_input_and_the_operators_as_written(expression, unit, working):
    graph = worked_out(expression, unit)
    assert graph.problems == []
    assert graph.working("total") == working


def test_an_input_without_a_value_is_shown_by_its_label():
    graph = worked_out("broken + 1", "posts", broken=Figure("broken", "Broken posts", "posts", expression="a / 0"))
    assert graph.working("total") == "Broken posts + 1"


def test_a_figure_as_entered_has_no_working():
    assert worked_out("a").working("a") == ""


@pytest.mark.parametrize(
    "unit, entered, precision, rounding, shown, rounded",
    [
        ("£'000", "1.2345", 2, "half_up", "£1.23k", "1230"),
        ("£'000", "1.2355", 2, "half_up", "£1.24k", "1240"),
        ("£'000", "1.2399", 2, "down", "£1.23k", "1230"),
        ("£m", "2.5", 0, "half_up", "£3m", "3000000"),
        ("£m", "2.5", 0, "down", "£2m", "2000000"),
        ("£", "-19.5", 0, "half_up", "−£20", "-20"),
        ("days", "2.5", 1, "half_up", "2.5 days", "2.5"),
        ("days", "1234.5", 0, "half_up", "1,235 days", "1235"),
    ],
)
def test_a_figure_is_rounded_once_its_own_way_and_shown_in_its_unit(unit, entered, precision, rounding, shown, rounded):
    graph = FigureGraph()
    graph.add(Figure("x", "X", unit, precision=precision, rounding=rounding, entered=Decimal(entered)))
    graph.evaluate()
    assert graph.shown("x") == shown
    assert graph.rounded("x") == Decimal(rounded)


# --- The figures: the book the pages read ---------------------------------------------------------


def comparison(
    kind: str, stated: str, computed: str, unit: str = "£", precision: int = 0, figure_id: str = "cost", other: str | None = None
) -> Comparison:
    return Comparison(
        figure_id,
        "Cost",
        unit,
        precision,
        Decimal(stated),
        Decimal(computed),
        kind,
        Origin("finance", ()),
        other=None if other is None else Decimal(other),
    )


@pytest.mark.parametrize(
    "made, message",
    [
        (comparison("mismatch", "21000", "21076"), "Cost: states £21,000, its inputs give £21,076: £76 more"),
        (comparison("mismatch", "21076", "21000"), "Cost: states £21,076, its inputs give £21,000: £76 less"),
        (comparison("mismatch", "21000", "21076", figure_id="costs.total.y2024_25"), "Cost: states £21,000, its lines give £21,076: £76 more"),
        (comparison("mismatch", "21000", "21076", figure_id="costs.line.total"), "Cost: states £21,000, its inputs give £21,076: £76 more"),
        (comparison("mismatch", "21000", "21076", figure_id="total"), "Cost: states £21,000, its inputs give £21,076: £76 more"),
        (
            comparison("rounding", "10", "9.95", unit="posts", precision=1),
            "Cost: states 10.0 posts, its inputs give 10.0 posts: 0.1 less (within rounding)",
        ),
        (comparison("mismatch", "1200", "1234.5", unit="places"), "Cost: states 1,200 places, its inputs give 1,235 places: 35 more"),
        (comparison("mismatch", "1500000", "1250000", unit="£m", precision=2), "Cost: states £1.50m, its inputs give £1.25m: £0.25m less"),
        (comparison("over_cap", "100", "120"), "Cost: the document caps it at £100 (up to), its inputs give £120: £20 over"),
        (
            comparison("conflict", "5", "7", other="6"),
            "Cost: this states £5, but an earlier statement of the same figure gives £6; find out which is right (its inputs give £7)",
        ),
    ],
)
def test_a_comparison_says_what_the_document_states_and_what_the_inputs_give(made, message):
    assert made.message == message


def book_of(graph: FigureGraph, comparisons: list[Comparison] = ()) -> FigureBook:
    return FigureBook(graph, [], [("finance", "a"), ("ws1", "b"), ("finance", "total")], list(comparisons))


def test_the_book_gives_each_owner_its_tables():
    def laid(owner: str, id: str) -> LaidTable:
        table = FigureTable.model_validate(
            {"id": id, "title": "T", "columns": ["2023/24"], "rows": [{"item": "x", "id": "x", "cells": {"2023/24": 1}}]}
        )
        return LaidTable(table, owner, [], [], [])

    book = FigureBook(FigureGraph(), [laid("finance", "f1"), laid("ws1", "w1"), laid("finance", "f2")], [])
    assert [t.id for t in book.tables_of("finance")] == ["f1", "f2"]
    assert [t.id for t in book.tables_of("ws1")] == ["w1"]
    assert book.tables_of("ws2") == []


def test_the_book_shows_a_figure_that_could_not_be_worked_out_as_such():
    graph = worked_out("a / 0")
    book = book_of(graph)
    assert (book.value("total"), book.shown("total"), book.in_unit("total"), book.working("total")) == (None, "not worked out", "", "")
    assert (book.value("a"), book.shown("a"), book.in_unit("a"), book.working("a")) == (Decimal(3), "3 posts", "3", "")
    assert book.shows_working("total") is False
    assert book_of(worked_out("rate * days", "£")).working("total") == "£450 a day × 36 days"
    assert (book.figures_of("finance"), book.figures_of("ws1"), book.figures_of("ws2")) == (["a", "total"], ["b"], [])
    assert (book.expression("total"), book.expression("a"), book.unit("rate")) == ("a / 0", None, "£")


def test_a_table_cell_is_the_value_in_the_figures_unit_rounded_once():
    graph = FigureGraph()
    for figure in (
        Figure("k", "K", "£'000", precision=1, entered=Decimal("21.076")),
        Figure("m", "M", "£m", precision=2, entered=Decimal("-1.005")),
        Figure("n", "N", "days", precision=0, entered=Decimal("1234.5")),
    ):
        graph.add(figure)
    graph.evaluate()
    assert [book_of(graph).in_unit(f) for f in ("k", "m", "n")] == ["21.1", "−1.01", "1,235"]


@pytest.mark.parametrize(
    "expression, shows",
    [
        ("rate * days", True),
        ("a / b * 8", True),
        ("round(a, 0)", True),
        ("a + b", False),
        ("sum(a, b)", False),
        ("a", False),
        ("-a", False),
    ],
)
def test_working_is_shown_for_products_divisions_and_rounding_only(expression, shows):
    assert book_of(worked_out(expression, "£" if "rate" in expression else "posts")).shows_working("total") is shows


def test_the_comparisons_of_a_figure_and_its_stated_differences():
    kinds = ["equal", "rounding", "mismatch", "conflict", "within_cap", "over_cap"]
    made = [comparison(kind, "1", "2") for kind in kinds] + [comparison("mismatch", "1", "2", figure_id="other")]
    book = book_of(worked_out("a"), made)
    assert [c.kind for c in book.comparisons_of("cost")] == kinds
    assert [c.kind for c in book.stated_differences("cost")] == ["rounding", "mismatch"]
    assert [(c.figure_id, c.kind) for c in book.differences] == [
        ("cost", "rounding"),
        ("cost", "mismatch"),
        ("cost", "conflict"),
        ("cost", "over_cap"),
        ("other", "mismatch"),
    ]


def test_table_notes_explain_recurring_and_part_year_columns():
    columns = [
        TableColumn(year="2023/24"),
        TableColumn(year="2024/25", onwards=True, part_year="six months, October to March"),
        TableColumn(label="High", part_year="from January"),
    ]
    table = FigureTable.model_validate({"id": "t", "title": "T", "columns": ["2023/24"], "rows": [{"item": "x", "id": "x", "cells": {"2023/24": 1}}]})
    laid = LaidTable(table, "finance", columns, [column_id(c) for c in columns], [])
    assert book_of(worked_out("a")).notes(laid) == [
        "2024/25 onwards: the amount is for each year from 2024/25.",
        "2024/25 onwards is part of a year: six months, October to March.",
        "High is part of a year: from January.",
    ]
    assert laid.column_ids == ["y2023_24", "y2024_25", "high"]
    assert laid.headings == ["2023/24", "2024/25 onwards", "High", "Total"]
    laid.table = laid.table.model_copy(update={"total_column": False})
    assert laid.headings == ["2023/24", "2024/25 onwards", "High"]
    assert laid.id == "t"


@pytest.mark.parametrize(
    "expression, unit, message",
    [
        ("rate + a", "£", "Total: cannot add money and posts: the units differ"),
        ("a - rate", "£", "Total: cannot subtract posts and money: the units differ"),
        ("a / b + rate", "£", "Total: cannot add a plain number and money: the units differ"),
        ("a * 10% + rate", "£", "Total: cannot add posts and money: the units differ"),
        ("a + days", "posts", "Total: cannot add posts and days: the units differ"),
        ("a / rate", "posts", "Total: cannot divide posts by money"),
        ("2 / rate", "posts", "Total: cannot divide a plain number by money"),
        ("rate * rate", "£", "Total: cannot multiply money by money"),
        ("a / 0", "posts", "Total: '0' is zero, and a figure cannot be divided by zero"),
        ("a / (b - 4)", "posts", "Total: 'b - 4' is zero, and a figure cannot be divided by zero"),
        ("a / 0%", "posts", "Total: '0%' is zero, and a figure cannot be divided by zero"),
        ("days * 2", "posts", "Total: the expression gives days, but the figure is in posts (posts)"),
        ("rate / 2", "days", "Total: the expression gives money, but the figure is in days (days)"),
        ("rates * days", "£", "Total: 'rates' is not a figure of this plan; did you mean 'rate'?"),
        ("ratxy * days", "£", "Total: 'ratxy' is not a figure of this plan"),
        ("zzz + a", "posts", "Total: 'zzz' is not a figure of this plan"),
        ("a / b", "£", "Total: the expression gives a plain number, but the figure is money (£); multiply by an amount of money"),
    ],
)
def test_a_formula_whose_units_do_not_fit_is_refused_in_words(expression, unit, message):
    graph = worked_out(expression, unit)
    assert [p.message for p in graph.problems] == [message]
    assert "total" not in graph.values


def test_a_second_figure_with_the_same_id_is_refused_saying_where_the_first_is():
    graph = FigureGraph()
    assert graph.add(Figure("a", "A", "posts", entered=Decimal(1), origin=Origin("finance", ("figures", 0))))
    assert not graph.add(Figure("a", "A again", "posts", entered=Decimal(2), origin=Origin("ws1", ("figures", 0))))
    assert graph.add(Figure("b", "B", "posts", entered=Decimal(1)))
    assert not graph.add(Figure("b", "B again", "posts", entered=Decimal(2)))
    assert [(p.origin.file, p.message) for p in graph.problems] == [
        ("ws1", "the figure id 'a' is already used (in finance); ids must be unique"),
        ("", "the figure id 'b' is already used (elsewhere); ids must be unique"),
    ]
    graph.evaluate()
    assert graph.values == {"a": Decimal(1), "b": Decimal(1)}


def test_a_figure_can_be_rounded_to_other_places_than_its_own():
    graph = FigureGraph()
    graph.add(Figure("x", "X", "£'000", precision=0, rounding="down", entered=Decimal("1.2399")))
    graph.evaluate()
    assert (graph.rounded("x"), graph.rounded("x", 1), graph.rounded("x", 3)) == (Decimal(1000), Decimal(1200), Decimal(1239))


# --- The check's rules, on the small committee-report plan ----------------------------------------

REPORT = Path(__file__).parent / "plans" / "report" / "data"
SECOND_WORKSTREAM = """id: {id}
title: Second
summary: Another workstream.
number: 1
leads:
  - role: Head of SEND
    organisation: shire
  - role: Clinical lead
    organisation: nhs
activity_groups:
  - activities:
      - id: ws2-a1
        text: Train staff.
"""


def report_errors(tmp_path: Path, **files: str) -> list[tuple[str, int, int, str, str]]:
    """The report plan with `files` (name: text) written over its own; its problems other than the missing
    Easy Read versions (the report has none) and the undated milestone, as (file, line, column, severity, message)."""
    data = tmp_path / "data"
    shutil.copytree(REPORT, data)
    for name, text in files.items():
        (data / name).write_text(text, encoding="utf-8")
    problems = check_plan(data).problems.items
    return [
        (Path(p.path).relative_to(data).as_posix(), p.line, p.column, p.severity, p.message)
        for p in problems
        if "has no Easy Read version yet" not in p.message and "has no year" not in p.message
    ]


def edited_plan(old: str, new: str) -> str:
    text = (REPORT / "plan.yaml").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def test_the_report_plan_has_no_problems_but_its_known_warnings(tmp_path):
    assert report_errors(tmp_path) == []


def test_an_organisation_id_used_twice(tmp_path):
    plan = edited_plan("  - id: icb\n", "  - id: shire\n")
    assert report_errors(tmp_path, **{"plan.yaml": plan}) == [
        ("plan.yaml", 9, 9, "error", "organisation id 'shire' is used twice; ids must be unique")
    ]


def test_a_council_or_author_that_is_not_an_organisation(tmp_path):
    plan = edited_plan("council: shire\n", "council: county\n").replace("authors: [shire]", "authors: [shire, nhs, icb]")
    assert report_errors(tmp_path, **{"plan.yaml": plan}) == [
        ("plan.yaml", 3, 10, "error", "'county' is not one of the organisations (icb, shire)"),
        ("plan.yaml", 13, 18, "error", "'nhs' is not one of the organisations (icb, shire)"),
    ]


def test_a_second_workstream_with_the_same_id_number_and_an_unknown_lead(tmp_path):
    first = (REPORT / "workstreams" / "01-assessment.yaml").read_text(encoding="utf-8").replace("id: assessment\n", "id: assessment\nnumber: 1\n", 1)
    errors = report_errors(
        tmp_path, **{"workstreams/01-assessment.yaml": first, "workstreams/02-second.yaml": SECOND_WORKSTREAM.format(id="assessment")}
    )
    assert errors == [
        (
            "workstreams/02-second.yaml",
            1,
            5,
            "error",
            f"workstream id 'assessment' is also used in {tmp_path / 'data' / 'workstreams' / '01-assessment.yaml'}",
        ),
        ("workstreams/02-second.yaml", 4, 9, "warning", "workstream number 1 is also used by 'assessment'; kept as the source numbers it"),
        ("workstreams/02-second.yaml", 9, 19, "error", "unknown organisation 'nhs'; known: icb, shire"),
    ]


def test_an_id_used_in_two_workstreams_is_reported_where_it_is_used_again(tmp_path):
    second = SECOND_WORKSTREAM.format(id="second").replace("organisation: nhs", "organisation: icb").replace("ws2-a1", "as-m01")
    assert report_errors(tmp_path, **{"workstreams/02-second.yaml": second}) == [
        (
            "workstreams/02-second.yaml",
            12,
            13,
            "error",
            f"id 'as-m01' is already used in {tmp_path / 'data' / 'workstreams' / '01-assessment.yaml'}; ids must be unique across the plan",
        )
    ]


def test_a_measure_id_used_in_another_workstream_is_reported_at_that_measure(tmp_path):
    second = SECOND_WORKSTREAM.format(id="second").replace("organisation: nhs", "organisation: icb").replace("number: 1\n", "")
    second += "measures:\n  - id: ws2-m1\n    name: Fine\n    target: {kind: tbc}\n  - id: as-01\n    name: Plans reviewed\n    target: {kind: tbc}\n"
    assert report_errors(tmp_path, **{"workstreams/02-second.yaml": second}) == [
        (
            "workstreams/02-second.yaml",
            17,
            9,
            "error",
            f"id 'as-01' is already used in {tmp_path / 'data' / 'workstreams' / '01-assessment.yaml'}; ids must be unique across the plan",
        )
    ]


def test_a_risk_rated_in_other_words_than_the_plans(tmp_path):
    first = (REPORT / "workstreams" / "01-assessment.yaml").read_text(encoding="utf-8").replace("likelihood: High", "likelihood: Huge")
    assert report_errors(tmp_path, **{"workstreams/01-assessment.yaml": first}) == [
        (
            "workstreams/01-assessment.yaml",
            22,
            13,
            "error",
            "'Huge' is not a likelihood word; the plan's words are likelihood: Low, Medium, High; impact: Low, Medium, High",
        )
    ]


def test_a_glossary_term_defined_twice(tmp_path):
    glossary = "- term: EHCP\n  meaning: A plan.\n- term: SEND\n  meaning: Needs.\n- term: ehcp\n  meaning: Again.\n"
    assert report_errors(tmp_path, **{"glossary.yaml": glossary}) == [("glossary.yaml", 5, 9, "error", "'ehcp' is already defined at entry 1")]


def test_a_fact_stated_again_with_another_value_is_a_warning_where_it_differs(tmp_path):
    facts = (
        "- {key: plans, label: EHCPs in Kingston, value: '1,470', source: Business case}\n"
        "- {key: staff, label: Staff, value: '12', source: Annex A}\n"
        "- {key: plans, label: EHCPs, value: '1470', source: Annex A}\n"
        "- {key: plans, label: EHCPs, value: '1,500', source: Annex B}\n"
    )
    assert report_errors(tmp_path, **{"facts.yaml": facts}) == [
        (
            "facts.yaml",
            4,
            37,
            "warning",
            "'EHCPs in Kingston' is stated as 1,500 here (Annex B) but as 1,470 in Business case; find out which is right",
        )
    ]


def test_finance_years_that_skip_one_and_an_opportunity_for_an_unknown_workstream(tmp_path):
    finance = """summary: Money.
history:
  unit: £
  opening_balance: 0
  years:
    - {year: 2007/08, income: 100, expenditure: 150}
    - {year: 2009/10, income: 100, expenditure: 150}
    - {year: 2010/11, income: 100, expenditure: 150}
forecast:
  unit: £
  basis: Grows by 10% a year.
  ehcp_growth: {start_value: 1000, annual_percent: 10, rounding: down}
  years:
    - {year: 2020/21, spend: 2000, funding_gap: 100}
    - {year: 2021/22, spend: 2000, funding_gap: 100}
    - {year: 2023/24, spend: 2000, funding_gap: 100}
opportunities:
  - {number: 1, workstream: assessment, text: Fewer assessments.}
  - {number: 2, workstream: transport, text: Cheaper taxis.}
"""
    second = SECOND_WORKSTREAM.format(id="access").replace("organisation: nhs", "organisation: icb")
    assert report_errors(tmp_path, **{"finance.yaml": finance, "workstreams/02-access.yaml": second}) == [
        ("finance.yaml", 19, 29, "error", "unknown workstream 'transport'; known: access, assessment"),
        ("finance.yaml", 7, 14, "error", "2009/10 should follow 2007/08 (expected 2008/09)"),
        ("finance.yaml", 16, 14, "error", "2023/24 should follow 2021/22 (expected 2022/23)"),
    ]


def test_cost_plan_years_out_of_order_a_line_id_used_again_and_amounts_for_other_years(tmp_path):
    finance = """summary: Money.
cost_plan:
  years: [2021/22, 2022/23, 2024/25, 2025/26]
  lines:
    - {id: staff, item: Staff, rationale: Needed., amounts: {2021/22: 10, 2023/24: 5}}
    - {id: rooms, item: Rooms, rationale: Needed., amounts: {2022/23: 10}}
    - {id: staff, item: More staff, rationale: Needed., amounts: {2022/23: 10}}
    - {id: staff, item: Yet more staff, rationale: Needed., amounts: {2025/26: 1}}
  stated_year_totals: {2021/22: 10, 2020/21: 5}
"""
    years = "(2021/22, 2022/23, 2024/25, 2025/26)"
    assert report_errors(tmp_path, **{"finance.yaml": finance}) == [
        ("finance.yaml", 3, 29, "error", "2024/25 should follow 2022/23"),
        ("finance.yaml", 5, 84, "error", f"'2023/24' is not one of the cost plan's years {years}"),
        ("finance.yaml", 7, 12, "error", "line id 'staff' is also used by line 1"),
        ("finance.yaml", 8, 12, "error", "line id 'staff' is also used by line 1"),
        ("finance.yaml", 9, 46, "error", f"'2020/21' is not one of the cost plan's years {years}"),
    ]


EQUALITY_ACTION = "  - {{impact: Less time, groups: [Staff], rating: {{row: {row}, column: {column}}}, action: Plan}}\n"


def test_equality_actions_rated_off_the_grid_or_without_a_scheme(tmp_path):
    scheme = """summary: Assessed.
scheme:
  kind: grid
  row_label: Likelihood
  column_label: Severity
  rows: [Likely, Rare]
  columns: [Minor, Major]
  levels: [{name: Low, code: L}, {name: High, code: H}]
  cells: [[L, H], [L, L]]
actions:
"""
    actions = "".join(
        EQUALITY_ACTION.format(row=row, column=column) for row, column in [("Likely", "Major"), ("Sometimes", "Major"), ("Rare", "Huge")]
    )
    assert report_errors(tmp_path / "grid", **{"equality.yaml": scheme + actions}) == [
        ("equality.yaml", 12, 50, "error", "'Sometimes' × 'Major' is not in the grid; rows: Likely, Rare; columns: Minor, Major"),
        ("equality.yaml", 13, 50, "error", "'Rare' × 'Huge' is not in the grid; rows: Likely, Rare; columns: Minor, Major"),
    ]
    unrated = "summary: Assessed.\nactions:\n" + EQUALITY_ACTION.format(row="Likely", column="Major")
    assert report_errors(tmp_path / "none", **{"equality.yaml": unrated}) == [
        ("equality.yaml", 3, 50, "error", "rate an action only with a 'scheme' to look it up in")
    ]


def programme_problems(tmp_path: Path, programme: str, **files: str) -> list[tuple[int, int, str, str]]:
    """The report plan with `programme` as its programme.yaml and `files` (name: text) written over its own:
    programme.yaml's problems, as (line, column, severity, message)."""
    data = tmp_path / "data"
    shutil.copytree(REPORT, data)
    for name, text in {"programme.yaml": programme, **files}.items():
        (data / name).write_text(text, encoding="utf-8")
    return [(p.line, p.column, p.severity, p.message) for p in check_plan(data).problems.items if p.path == str(data / "programme.yaml")]


def test_timeline_rows_and_terms_outside_the_timeline_and_milestones_before_it_starts(tmp_path):
    programme = """timeline:
  title: Plan
  start: 2022-09
  end: 2023-08
  terms:
    - {name: Autumn, start: 2022-09, end: 2022-12}
    - {name: Late, start: 2023-06, end: 2023-09}
    - {name: Back, start: 2022-12, end: 2022-10}
    - {name: Early, start: 2022-08, end: 2022-10}
  rows:
    - {label: A, workstream: assessment, start: 2022-09, end: 2023-08}
    - {label: B, workstream: nowhere, start: 2022-08}
    - {label: C, start: 2023-01, end: 2022-12}
    - {label: D, start: 2023-09}
    - {label: E, start: 2023-01, end: 2023-09}
    - {label: F, start: 2023-08, end: 2023-08}
milestone_groups:
  - title: Delivery
    starts: July 2022
    milestones:
      - {text: On time, when: September 2022}
      - {text: Early, when: August 2022}
      - {text: Undated, when: 14 September}
      - {text: Relative, when: within 12 weeks of the work starting}
  - title: Later
    milestones:
      - {text: Late, when: February 2023}
"""
    assert programme_problems(tmp_path, programme) == [
        (12, 30, "error", "unknown workstream 'nowhere'; known: assessment"),
        (12, 46, "error", "2022-08 is outside the timeline (2022-09 to 2023-08)"),
        (13, 39, "error", "2022-12 must fall between the row's start (2023-01) and the timeline's end (2023-08)"),
        (14, 25, "error", "2023-09 is outside the timeline (2022-09 to 2023-08)"),
        (15, 39, "error", "2023-09 must fall between the row's start (2023-01) and the timeline's end (2023-08)"),
        (7, 7, "error", "the term 'Late' must run forwards within the timeline (2022-09 to 2023-08)"),
        (8, 7, "error", "the term 'Back' must run forwards within the timeline (2022-09 to 2023-08)"),
        (9, 7, "error", "the term 'Early' must run forwards within the timeline (2022-09 to 2023-08)"),
        (19, 13, "warning", "'July 2022' (July 2022) is before the programme starts (September 2022); is the year right?"),
        (22, 29, "warning", "'August 2022' (August 2022) is before the programme starts (September 2022); is the year right?"),
        (23, 31, "warning", "'14 September' has no year; the site shows it as '14 September (year not stated)'"),
    ]


def test_a_timeline_may_last_one_month_but_not_end_before_it_starts(tmp_path):
    programme = "timeline:\n  title: Plan\n  start: 2022-09\n  end: 2022-08\n  rows:\n    - {label: A, start: 2022-09}\n"
    assert programme_problems(tmp_path / "backwards", programme) == [
        (4, 8, "error", "the timeline ends (2022-08) before it starts (2022-09)"),
        (6, 25, "error", "2022-09 is outside the timeline (2022-09 to 2022-08)"),
    ]
    assert programme_problems(tmp_path / "one month", programme.replace("end: 2022-08", "end: 2022-09")) == []


def test_a_term_may_last_one_month_and_an_unknown_workstream_lists_every_known_one(tmp_path):
    programme = """timeline:
  title: Plan
  start: 2022-09
  end: 2023-08
  terms:
    - {name: January, start: 2023-01, end: 2023-01}
  rows:
    - {label: A, workstream: nowhere, start: 2022-09}
"""
    second = SECOND_WORKSTREAM.format(id="access").replace("organisation: nhs", "organisation: icb")
    assert programme_problems(tmp_path, programme, **{"workstreams/02-access.yaml": second}) == [
        (8, 30, "error", "unknown workstream 'nowhere'; known: access, assessment")
    ]


def test_without_a_timeline_a_milestone_before_april_of_the_first_year_is_a_warning(tmp_path):
    programme = (
        "milestone_groups:\n  - title: Delivery\n    milestones:\n"
        "      - {text: Soon, when: within 12 weeks of the work starting}\n"
        "      - {text: Early, when: March 2022}\n"
        "      - {text: On time, when: April 2022}\n"
    )
    assert programme_problems(tmp_path, programme) == [
        (5, 29, "warning", "'March 2022' (March 2022) is before the programme starts (April 2022); is the year right?")
    ]


def test_a_figure_stated_otherwise_than_its_inputs_give_is_a_warning_at_the_stated_value(tmp_path):
    finance = (
        "summary: Money.\nfigures:\n  - {id: rate, label: Day rate, unit: £, value: 450}\n"
        "  - {id: cost, label: Cost, unit: £, formula: rate * 2, stated: 800}\n"
    )
    assert report_errors(tmp_path, **{"finance.yaml": finance}) == [
        ("finance.yaml", 4, 65, "warning", "Cost: states £800, its inputs give £900: £100 more; the site shows the worked-out figure")
    ]


def test_a_table_in_a_workstream_file_that_names_a_workstream_is_an_error_at_that_key(tmp_path):
    second = SECOND_WORKSTREAM.format(id="second").replace("organisation: nhs", "organisation: icb").replace("number: 1\n", "")
    second += "tables:\n  - id: costs\n    title: Costs\n    workstream: assessment\n    columns: [2023/24]\n"
    second += "    rows: [{id: staff, item: Staff, cells: {2023/24: 5}}]\n"
    assert report_errors(tmp_path, **{"workstreams/02-second.yaml": second}) == [
        ("workstreams/02-second.yaml", 16, 17, "error", "a table in a workstream file belongs to that workstream; leave out 'workstream'")
    ]


def test_statements_of_a_figure_that_differ_from_its_inputs_and_from_each_other(tmp_path):
    finance = (
        "summary: Money.\nfigures:\n  - {id: rate, label: Day rate, unit: £, value: 450}\n"
        "statements:\n  - {figure: rate, value: 460, where: Summary}\n  - {figure: rate, value: 470, where: Annex}\n"
    )
    assert report_errors(tmp_path, **{"finance.yaml": finance}) == [
        ("finance.yaml", 5, 27, "warning", "Day rate: states £460, its inputs give £450: £10 less; the site shows the worked-out figure"),
        (
            "finance.yaml",
            6,
            27,
            "warning",
            "Day rate: this states £470, but an earlier statement of the same figure gives £460; find out which is right "
            "(its inputs give £450); the site shows the worked-out figure",
        ),
        ("finance.yaml", 6, 27, "warning", "Day rate: states £470, its inputs give £450: £20 less; the site shows the worked-out figure"),
    ]


# A history and a one-year forecast in pounds: 1,000 EHCPs in the first year, spending £2,000.
FINANCE = """summary: Money.
history:
  unit: £
  opening_balance: 0
  years:
    - year: 2019/20
      income: 100
      expenditure: 150
forecast:
  unit: £
  basis: Grows by 10% a year.
  ehcp_growth: {start_value: 1000, annual_percent: 10, rounding: down}
  years:
    - year: 2020/21
      spend: 2000
      funding_gap: 100
      stated_ehcps: 1200
      stated_average_spend: 5
"""


def test_a_wrongly_stated_count_is_written_as_a_number_and_an_amount_in_pounds(tmp_path):
    assert report_errors(tmp_path, **{"finance.yaml": FINANCE}) == [
        (
            "finance.yaml",
            17,
            21,
            "warning",
            "Number of EHCPs, 2020/21: the source states 1,200 but its inputs give 1,000 (a difference of 200); the site shows the computed figure",
        ),
        (
            "finance.yaml",
            18,
            29,
            "warning",
            "Average spend per EHCP, 2020/21: the source states £5 but its inputs give £2 (a difference of £3); the site shows the computed figure",
        ),
    ]


def test_a_warning_in_finance_yaml_does_not_stop_its_stated_figures_being_checked(tmp_path):
    finance = FINANCE.replace("summary: Money.", "summary: Write the summary here.").replace("      stated_average_spend: 5\n", "")
    assert report_errors(tmp_path, **{"finance.yaml": finance}) == [
        ("finance.yaml", 1, 10, "warning", "placeholder text left: 'Write the summary here.'; write the real text"),
        (
            "finance.yaml",
            17,
            21,
            "warning",
            "Number of EHCPs, 2020/21: the source states 1,200 but its inputs give 1,000 (a difference of 200); the site shows the computed figure",
        ),
    ]


WORDS = model.WordsScheme(kind="words", likelihood=["Low", "High"], impact=["Minor", "Major"])
GRID = model.LookupGridScheme(
    kind="grid",
    row_label="Likelihood",
    column_label="Severity",
    rows=["Likely", "Rare"],
    columns=["Minor", "Major"],
    levels=[model.GridLevel(name="Low", code="L"), model.GridLevel(name="High", code="H")],
    cells=[["L", "H"], ["L", "L"]],
)
LEVELS = model.LevelScheme(kind="levels", levels=[model.RiskLevel(name="Low", description="x"), model.RiskLevel(name="High", description="y")])
PRODUCT = model.ProductScheme(kind="product", scale_max=5, bands=[model.Band(name="All", min=1, max=25)])


@pytest.mark.parametrize(
    "given, scheme, message",
    [
        (
            model.WordsRating(likelihood="Huge", impact="Minor"),
            WORDS,
            "'Huge' is not a likelihood word; the plan's words are likelihood: Low, High; impact: Minor, Major",
        ),
        (
            model.WordsRating(likelihood="Low", impact="Vast"),
            WORDS,
            "'Vast' is not an impact word; the plan's words are likelihood: Low, High; impact: Minor, Major",
        ),
        (
            model.WordsRating(likelihood="Huge", impact="Vast"),
            WORDS,
            "'Huge' is not a likelihood word and 'Vast' is not an impact word; the plan's words are likelihood: Low, High; impact: Minor, Major",
        ),
        (
            model.LevelRating(level="High"),
            WORDS,
            "this plan rates risks with words; write 'likelihood:' and 'impact:' as words (likelihood: Low, High; impact: Minor, Major)",
        ),
        (model.GridRating(row="Often", column="Minor"), GRID, "'Often' × 'Minor' is not in the grid; rows: Likely, Rare; columns: Minor, Major"),
        (model.LevelRating(level="High"), GRID, "this scheme rates by looking up a grid; write 'row:' (Likelihood) and 'column:' (Severity)"),
        (model.LevelRating(level="Severe"), LEVELS, "unknown risk level 'Severe'; the plan's levels are Low, High"),
        (
            model.ProductRating(likelihood=2, impact=3),
            LEVELS,
            "this plan rates risks by level (Low, High); write 'level: <name>' instead of likelihood and impact",
        ),
        (model.ProductRating(likelihood=6, impact=3), PRODUCT, "likelihood and impact must each be from 1 to 5"),
        (model.LevelRating(level="High"), PRODUCT, "this plan rates risks as likelihood × impact; write likelihood and impact from 1 to 5"),
        (model.GridRating(row="a", column="b"), PRODUCT, "this plan rates risks as likelihood × impact; write likelihood and impact from 1 to 5"),
        (
            model.WordsRating(likelihood="a", impact="b"),
            PRODUCT,
            "this plan rates risks as likelihood × impact; write likelihood and impact from 1 to 5",
        ),
    ],
)
def test_a_rating_that_does_not_fit_the_scheme_is_explained_in_the_schemes_words(given, scheme, message):
    assert rating_problem(given, scheme) == message


# --- The Easy Read lint: which pages have a twin, and the pictures' credits ------------------------

ROOT = Path(__file__).resolve().parent.parent


def test_each_easy_read_twin_sits_under_easy_read_at_its_standard_pages_address():
    data = ROOT / "data"
    loaded = check_plan(data)
    pages = easy_read_pages(loaded.data, data, loaded.files)
    assert list(pages) == [
        "home",
        "workstream:partnership-board",
        "workstream:participation",
        "workstream:joint-commissioning",
        "workstream:local-provision",
        "workstream:early-intervention",
        "workstream:assessment-planning",
        "measures",
        "risks",
        "finance",
        "figures-check",
    ]
    seen = {key: (p.title, p.path, p.url, p.standard_url, p.source, p.loc) for key, p in pages.items()}
    assert seen["home"] == ("SEND Futures Plan 2020/21 to 2024/25", "easy-read/index.md", "easy-read/", "", f"{data}/plan.yaml", ("easy_read",))
    assert seen["workstream:participation"] == (
        "Workstream 1: Participation, Engagement and Co-production",
        "easy-read/workstreams/participation.md",
        "easy-read/workstreams/participation/",
        "workstreams/participation/",
        f"{data}/workstreams/01-participation.yaml",
        ("easy_read",),
    )
    assert seen["workstream:partnership-board"][0] == "SEND Partnership Board"  # no number: no "Workstream" label
    assert seen["measures"] == ("Measures", "easy-read/measures.md", "easy-read/measures/", "measures/", f"{data}/plan.yaml", ("measures_easy_read",))
    assert seen["risks"] == ("Risk register", "easy-read/risks.md", "easy-read/risks/", "risks/", f"{data}/plan.yaml", ("risks_easy_read",))
    assert seen["finance"] == ("Money", "easy-read/finance.md", "easy-read/finance/", "finance/", f"{data}/finance.yaml", ("easy_read",))
    assert seen["figures-check"] == (
        "Figures check",
        "easy-read/figures-check.md",
        "easy-read/figures-check/",
        "figures-check/",
        f"{data}/finance.yaml",
        ("figures_check_easy_read",),
    )
    # Without the files the plan was read from, a workstream's file is named after its id.
    assert easy_read_pages(loaded.data, "elsewhere")["workstream:participation"].source == "elsewhere/workstreams/participation.yaml"


def test_a_plan_without_finance_or_measures_has_no_twin_for_them():
    loaded = check_plan(REPORT)
    assert [page[0] for page in plan_pages(loaded.data, REPORT, loaded.files)] == ["home", "workstream:assessment", "measures", "risks"]
    assert all(page[4] is None for page in plan_pages(loaded.data, REPORT, loaded.files))
    no_measures = loaded.data.model_copy(update={"workstreams": [w.model_copy(update={"measures": []}) for w in loaded.data.workstreams]})
    assert has_measures_page(loaded.data) and not has_measures_page(no_measures)
    assert [page[0] for page in plan_pages(no_measures, REPORT)] == ["home", "workstream:assessment", "risks"]


def test_a_page_credits_the_sets_its_pictures_come_from_in_the_manifests_order():
    def picture_set(id: str) -> PictureSet:
        return PictureSet(id=id, name=id.title(), url="https://example.org/", licence="CC BY")

    def picture(name: str, set: str) -> Picture:
        return Picture(name=name, file=f"{name}.png", set=set, original="x", licence="CC BY", author="A")

    library = PictureLibrary(
        Path("pictures"),
        {"help": picture("help", "b"), "home": picture("home", "a"), "school": picture("school", "b")},
        {"a": picture_set("a"), "b": picture_set("b"), "c": picture_set("c")},
        Problems(),
    )
    assert [s.id for s in library.credits(["school", "help", "unknown"])] == ["b"]
    assert [s.id for s in library.credits(["school", "home"])] == ["a", "b"]
    assert library.credits([]) == []


def test_the_programme_starts_at_its_timeline_else_in_april_of_its_first_year_else_unknown():
    cambridgeshire = check_plan(ROOT / "examples" / "cambridgeshire" / "data").data
    assert programme_start(cambridgeshire) == PartialDate(2021, 9)  # the timeline's first month, not April 2021
    no_timeline = cambridgeshire.model_copy(update={"programme": cambridgeshire.programme.model_copy(update={"timeline": None})})
    assert programme_start(no_timeline) == PartialDate(2021, 4)
    no_programme = cambridgeshire.model_copy(update={"programme": None})
    assert programme_start(no_programme) == PartialDate(2021, 4)
    undated = no_programme.model_copy(update={"plan": no_programme.plan.model_copy(update={"period": None})})
    assert programme_start(undated) == PartialDate(None, None)


def test_rows_for_a_workbook_have_a_bold_header_and_text_kept_as_text():
    from openpyxl import Workbook

    sheet = Workbook().active
    append_rows(sheet, ["Name", "=Amount"], [["=1+1", Decimal("19.25")], ["#N/A", None], ["plain", 3]])
    assert [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()] == [
        [("Name", "s"), ("=Amount", "s")],
        [("=1+1", "s"), (Decimal("19.25"), "n")],
        [("#N/A", "s"), (None, "n")],
        [("plain", "s"), (3, "n")],
    ]
    assert [[cell.font.bold for cell in row] for row in sheet.iter_rows()] == [[True, True], [False, False], [False, False], [False, False]]


@pytest.mark.parametrize(
    "columns, loc, message",
    [
        (["High", "Total"], ("columns", 1), "column 'Total' has the id 'total', which is reserved; give it an id"),
        (["High", {"label": "Low", "id": "high"}], ("columns", 1), "column 'Low' has the id 'high', which is used by another column; give it an id"),
    ],
)
def test_a_column_whose_id_is_reserved_or_taken_needs_an_id(columns, loc, message):
    table = FigureTable.model_validate({"id": "t", "title": "T", "columns": columns, "rows": [{"item": "x", "id": "x", "cells": {"High": 1}}]})
    problems: list = []
    assert _lay_out(FigureGraph(), table, "finance", ("tables", 0), problems, []) is None
    assert [(p.origin, p.message) for p in problems] == [(Origin("finance", ("tables", 0, *loc)), message)]


@pytest.mark.parametrize("unit, expression, value", [("£", "2 * 3", 6), ("£'000", "2 * 3", 6000), ("£m", "1 / 4", 250000), ("posts", "2 * 3", 6)])
def test_a_formula_of_plain_numbers_is_in_the_figures_unit(unit, expression, value):
    graph = FigureGraph()
    graph.add(Figure("x", "X", unit, expression=expression))
    graph.evaluate()
    assert (graph.problems, graph.values) == ([], {"x": Decimal(value)})


@pytest.mark.parametrize(
    "total_column, stated, message",
    [
        (True, {"Low": 1}, "'Low' is not a column of this table; use one of 2023/24, 2024/25 onwards, total"),
        (False, {"Low": 1}, "'Low' is not a column of this table; use one of 2023/24, 2024/25 onwards"),
        (False, {"total": 1}, "'total' is not a column of this table; use one of 2023/24, 2024/25 onwards"),
    ],
)
def test_a_statement_about_a_column_the_table_lacks_names_the_columns_it_has(total_column, stated, message):
    table = FigureTable.model_validate(
        {
            "id": "t",
            "title": "T",
            "columns": ["2023/24", "2024/25 onwards"],
            "total_column": total_column,
            "rows": [{"item": "x", "id": "x", "cells": {"2023/24": 1, "2024/25": 2}, "stated": stated}],
        }
    )
    problems: list = []
    _lay_out(FigureGraph(), table, "finance", ("tables", 0), problems, [])
    assert [(p.origin.loc, p.message) for p in problems] == [(("tables", 0, "rows", 0, "stated", next(iter(stated))), message)]


def test_each_cell_and_input_of_a_row_is_a_figure_labelled_and_placed_as_written():
    table = FigureTable.model_validate(
        {
            "id": "t",
            "title": "Costs",
            "columns": ["2023/24", "2024/25"],
            "rows": [
                {
                    "id": "coordinator",
                    "item": "SEND coordinator",
                    "inputs": {"day_rate": {"value": "450.50", "unit": "£", "per": "day"}},
                    "cells": {"2023/24": "day_rate * 36"},
                }
            ],
        }
    )
    graph = FigureGraph()
    _lay_out(graph, table, "finance", ("tables", 0), [], [])
    figures = {f.id: (f.label, f.unit, f.precision, f.entered, f.expression, f.origin.loc, f.per) for f in graph.figures.values()}
    row = ("tables", 0, "rows", 0)
    assert figures["t.coordinator.day_rate"] == ("SEND coordinator: day rate", "£", 2, Decimal("450.50"), None, row + ("inputs", "day_rate"), "day")
    assert figures["t.coordinator.y2023_24"] == ("Costs, SEND coordinator, 2023/24", "£", 0, None, "day_rate * 36", row + ("cells", "2023/24"), None)
    assert figures["t.coordinator.y2024_25"] == ("Costs, SEND coordinator, 2024/25", "£", 0, Decimal(0), None, row, None)
    assert figures["t.coordinator.total"][:2] == ("Costs, SEND coordinator, total", "£")
    graph.evaluate()
    assert graph.working("t.coordinator.y2023_24") == "£450.50 a day × 36"


def test_an_entered_cell_is_a_figure_labelled_by_table_row_and_column():
    table = FigureTable.model_validate(
        {"id": "t", "title": "Costs", "columns": ["2023/24"], "rows": [{"id": "rooms", "item": "Rooms", "cells": {"2023/24": 1200}}]}
    )
    graph = FigureGraph()
    _lay_out(graph, table, "finance", ("tables", 0), [], [])
    rooms = graph.figures["t.rooms.y2023_24"]
    assert (rooms.label, rooms.entered, rooms.expression, rooms.origin.loc) == (
        "Costs, Rooms, 2023/24",
        Decimal(1200),
        None,
        ("tables", 0, "rows", 0, "cells", "2023/24"),
    )


def test_a_figure_is_shown_to_the_decimal_places_and_rounding_its_definition_gives(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPORT, data)
    (data / "finance.yaml").write_text(
        "summary: Money.\nfigures:\n  - {id: rate, label: Day rate, unit: £, precision: 2, value: 450.5}\n"
        "  - {id: days, label: Days, unit: days, value: 36}\n"
        "  - {id: part, label: Part, unit: £, rounding: down, value: 450.7}\n"
        "  - {id: double, label: Double, unit: £, formula: part * 2}\n",
        encoding="utf-8",
    )
    book, problems = build_figures(check_plan(data).data)
    assert (book.shown("rate"), book.shown("days"), book.shown("part"), problems) == ("£450.50", "36 days", "£450", [])
    # Where each figure is written: its value, or its formula.
    assert [(f.id, f.origin.file, f.origin.loc) for f in book.graph.figures.values()] == [
        ("rate", "finance", ("figures", 0, "value")),
        ("days", "finance", ("figures", 1, "value")),
        ("part", "finance", ("figures", 2, "value")),
        ("double", "finance", ("figures", 3, "formula")),
    ]


def workbook_parts(path: Path) -> tuple[str, list[tuple]]:
    import zipfile

    with zipfile.ZipFile(path) as saved:
        return saved.read("docProps/core.xml").decode("utf-8"), sorted({entry.date_time for entry in saved.infolist()})


def test_a_workbook_states_the_plans_date_and_an_undated_plans_states_none(tmp_path):
    from openpyxl import Workbook

    save_workbook(Workbook(), tmp_path / "dated.xlsx", dt.date(2024, 3, 1))
    core, times = workbook_parts(tmp_path / "dated.xlsx")
    assert '"dcterms:W3CDTF">2024-03-01T00:00:00Z</dcterms:created>' in core
    assert '"dcterms:W3CDTF">2024-03-01T00:00:00Z</dcterms:modified>' in core
    assert times == [(1980, 1, 1, 0, 0, 0)]
    save_workbook(Workbook(), tmp_path / "undated.xlsx", None)
    core, times = workbook_parts(tmp_path / "undated.xlsx")
    assert "dcterms:created" not in core and "dcterms:modified" not in core
    assert times == [(1980, 1, 1, 0, 0, 0)]


def test_an_easy_read_for_a_measures_page_the_site_does_not_have_is_a_warning(tmp_path):
    workstream = (REPORT / "workstreams" / "01-assessment.yaml").read_text(encoding="utf-8")
    measures = workstream[workstream.index("measures:\n") : workstream.index("risks:\n")]
    plan = (REPORT / "plan.yaml").read_text(encoding="utf-8") + (
        "measures_easy_read:\n  points:\n    - text: We check how we are doing.\n      picture: listening\n      alt: A person listening.\n"
    )
    assert report_errors(tmp_path, **{"plan.yaml": plan, "workstreams/01-assessment.yaml": workstream.replace(measures, "")}) == [
        ("plan.yaml", 51, 3, "warning", "no workstream has measures, so the site has no Measures page and this Easy Read is not shown; remove it")
    ]


def test_a_missing_manifest_gives_an_empty_library_and_one_error(tmp_path):
    library = load_pictures(tmp_path)
    assert (library.pictures, library.sets) == ({}, {})
    assert [(p.path, p.severity, p.message) for p in library.problems.items] == [
        (str(tmp_path / "manifest.yaml"), "error", "the Easy Read picture manifest is missing; every picture needs a source and licence")
    ]


def test_a_picture_from_an_unknown_set_names_the_sets_there_are(tmp_path):
    (tmp_path / "home.png").write_bytes(b"png")
    (tmp_path / "manifest.yaml").write_text(
        "sets:\n  - {id: a, name: A, url: 'https://a.org/', licence: CC BY}\n  - {id: c, name: C, url: 'https://c.org/', licence: CC BY}\n"
        "pictures:\n  - {name: home, file: home.png, set: b, original: home.svg, licence: CC BY, author: Ann}\n",
        encoding="utf-8",
    )
    library = load_pictures(tmp_path)
    assert [(p.line, p.field, p.message) for p in library.problems.items] == [(5, "pictures[0].set", "unknown picture set 'b'; known: a, c")]
    assert list(library.pictures) == ["home"]


def test_a_risk_id_used_twice_is_reported_at_the_second(tmp_path):
    first = (REPORT / "workstreams" / "01-assessment.yaml").read_text(encoding="utf-8").replace("id: as-r02", "id: as-r01")
    assert report_errors(tmp_path, **{"workstreams/01-assessment.yaml": first}) == [
        (
            "workstreams/01-assessment.yaml",
            24,
            9,
            "error",
            f"id 'as-r01' is already used in {tmp_path / 'data' / 'workstreams' / '01-assessment.yaml'}; ids must be unique across the plan",
        )
    ]


def test_a_plan_wide_risk_rated_off_the_schemes_words_or_reusing_a_workstreams_risk_id(tmp_path):
    risks = (
        "- {id: plan-r01, title: Funding, rating: {likelihood: High, impact: Low}}\n"
        "- {id: plan-r02, title: Staff, rating: {likelihood: Huge, impact: Low}}\n"
        "- {id: as-r01, title: Again}\n"
    )
    assert report_errors(tmp_path, **{"risks.yaml": risks}) == [
        (
            "risks.yaml",
            2,
            40,
            "error",
            "'Huge' is not a likelihood word; the plan's words are likelihood: Low, Medium, High; impact: Low, Medium, High",
        ),
        (
            "risks.yaml",
            3,
            8,
            "error",
            f"id 'as-r01' is already used in {tmp_path / 'data' / 'workstreams' / '01-assessment.yaml'}; ids must be unique across the plan",
        ),
    ]


def test_only_text_that_is_all_a_write_something_here_placeholder_is_a_warning(tmp_path):
    risks = """- {id: plan-r01, title: "  Write the risk here.  "}
- {id: plan-r02, title: Write here.}
- {id: plan-r03, title: Write the risk here. Then more.}
- {id: plan-r04, title: We Write the risk here.}
- id: plan-r05
  title: Write the second risk here.
"""
    second = SECOND_WORKSTREAM.format(id="second").replace("organisation: nhs", "organisation: icb")
    second = second.replace("title: Second", "title: Write the title here.").replace(
        "summary: Another workstream.", "summary: Write the summary here."
    )
    assert report_errors(tmp_path, **{"risks.yaml": risks, "workstreams/02-second.yaml": second}) == [
        ("workstreams/02-second.yaml", 2, 8, "warning", "placeholder text left: 'Write the title here.'; write the real text"),
        ("workstreams/02-second.yaml", 3, 10, "warning", "placeholder text left: 'Write the summary here.'; write the real text"),
        ("risks.yaml", 1, 25, "warning", "placeholder text left: 'Write the risk here.'; write the real text"),
        ("risks.yaml", 6, 10, "warning", "placeholder text left: 'Write the second risk here.'; write the real text"),
    ]


def test_an_accessibility_statement_run_by_an_unknown_organisation_is_an_error(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    statement = data / "accessibility.yaml"
    statement.write_text(statement.read_text(encoding="utf-8").replace("run_by: rbk ", "run_by: nobody ", 1), encoding="utf-8")
    problems = [p for p in check_plan(data).problems.items if p.severity == "error"]
    assert [(Path(p.path).name, p.line, p.severity, p.message) for p in problems] == [
        ("accessibility.yaml", 5, "error", "unknown organisation 'nobody'; known: afc, ccg, kpcf, rbk")
    ]


def test_a_manifest_that_is_not_valid_gives_an_empty_library(tmp_path):
    (tmp_path / "manifest.yaml").write_text("sets: []\n", encoding="utf-8")
    library = load_pictures(tmp_path)
    assert (library.pictures, library.sets) == ({}, {})
    assert [(p.line, p.severity) for p in library.problems.items] == [(1, "error")]
