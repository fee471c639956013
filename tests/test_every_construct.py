"""A test plan that uses every figures construct at once (tests/plans/every-construct/): its
worked-out figures, its reported differences, and its tables as a reader and a download see them."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from clearplan.checks.check import check_plan
from clearplan.site.render import PlanView, Renderer

DATA = Path(__file__).resolve().parent / "plans" / "every-construct" / "data"


@pytest.fixture(scope="module")
def loaded():
    result = check_plan(DATA)
    assert result.data is not None and not result.problems.errors, [str(p) for p in result.problems.errors]
    return result


@pytest.fixture(scope="module")
def book(loaded):
    return PlanView(loaded.data).figure_book


def shown_rows(book, table_id):
    laid = next(t for t in book.tables if t.id == table_id)
    return {row.id: [book.in_unit(cell.figure_id) for cell in row.cells] for row in laid.rows}


def test_tables_are_worked_out_from_their_lines(book):
    assert shown_rows(book, "ws1_costs") == {
        "coordinator": ["22,500", "45,000", "45,000", "112,500"],
        "social_work": ["16,200", "16,200", "16,200", "48,600"],  # £450 a day × 36 days, each year
        "training": ["5,000", "0", "0", "5,000"],
        "total": ["43,700", "61,200", "61,200", "166,100"],
    }
    assert shown_rows(book, "ws2_costs") == {  # £'000 to one decimal place
        "analyst": ["40.5", "41.3", "42.1", "123.9"],
        "places": ["0.0", "165.8", "221.0", "386.8"],
        "total": ["40.5", "207.1", "263.1", "510.7"],
    }
    assert book.value("ws2_costs.total") == Decimal(510_650)  # exact; rounded only when shown
    assert shown_rows(book, "posts") == {"coordinators": ["1", "2"], "analysts": ["1", "1"], "total": ["2", "3"]}


def test_the_summary_rolls_up_other_tables_by_column(book):
    assert shown_rows(book, "summary") == {
        "early_help": ["43,700", "61,200", "61,200", "166,100"],  # its 2024/25 column is "2024/25 onwards"
        "joint_commissioning": ["40,500", "207,050", "263,100", "510,650"],
        "total": ["84,200", "268,250", "324,300", "676,750"],
    }


def test_savings_split_by_kind_and_by_who_gains(book):
    assert shown_rows(book, "savings") == {
        "tuition": ["60,000", "120,000", "180,000"],
        "transport": ["40,000", "80,000", "120,000"],
        "cashable": ["60,000", "120,000", "180,000"],
        "cost_avoidance": ["40,000", "80,000", "120,000"],
        "total": ["100,000", "200,000", "300,000"],
        "core": ["30,000", "60,000", "90,000"],
        "dsg": ["70,000", "140,000", "210,000"],
    }


def test_standalone_figures_with_their_working(book):
    shown = {figure_id: (book.shown(figure_id), book.working(figure_id)) for _, figure_id in book.standalone}
    assert shown == {
        "ehcps_now": ("2,400 plans", ""),
        "national_average": ("£21,500", ""),
        "local_average": ("£19,811.4", ""),
        "average_gap": ("£1,689", "£21,500 − £19,811.4"),
        "budget": ("£41.20m", ""),
        "outturn": ("£43.57m", ""),
        "overspend": ("£2.37m", "£43.57m − £41.20m"),
        "tuition_weeks": ("25 weeks", ""),
        "tuition_days": ("5 days", ""),
        "tuition_day_rate": ("£350", ""),
        "tuition_cost": ("£43,750", "25 weeks × 5 days × £350 a day"),
        "cost_per_plan": ("£18,154", "£43.57m ÷ 2,400 plans, rounded to 0 places"),
        "contingency": ("£16,610", "10% × £166,100"),
    }


def test_every_statement_is_classified(book):
    assert [(c.figure_id, c.kind) for c in book.comparisons] == [
        ("average_gap", "equal"),
        ("overspend", "equal"),
        ("tuition_cost", "over_cap"),
        ("contingency", "over_cap"),
        ("ws2_costs.analyst.total", "equal"),  # 124 for 123.9: stated to fewer digits
        ("ws2_costs.total.y2022_23", "equal"),
        ("ws2_costs.total.y2024_25", "equal"),
        ("posts.total.y2023_24", "mismatch"),  # a count one out is not rounding
        ("summary.total", "mismatch"),
        ("savings.total", "equal"),
        ("savings.core.total", "equal"),
        ("savings.dsg.total", "mismatch"),
        ("ws1_costs.coordinator.total", "rounding"),  # £112,501 for £112,500
        ("ws1_costs.total", "mismatch"),
        ("ws2_costs.total", "mismatch"),
        ("ws2_costs.total", "conflict"),
        ("ws2_costs.total", "mismatch"),
        ("summary.total", "within_cap"),
    ]


def test_the_check_reports_each_difference_at_the_stated_values_line(loaded):
    lines = [str(p).replace(str(DATA) + "/", "") for p in loaded.problems.sorted() if "easy_read" not in str(p)]
    assert lines == [
        "finance.yaml:51:12: warning: figures[9].up_to: Tuition for one pupil: the document caps it at £40,000 (up to), its inputs give £43,750: £3,750 over; the site shows the worked-out figure",
        "finance.yaml:60:12: warning: figures[11].up_to: Contingency: the document caps it at £13,000 (up to), its inputs give £16,610: £3,610 over; the site shows the worked-out figure",
        "finance.yaml:88:25: warning: tables[1].total_row.stated.2023/24: Posts funded, total, 2023/24: states 4 posts, its lines give 3 posts: 1 less; the site shows the worked-out figure",
        "finance.yaml:97:23: warning: tables[2].total_row.stated.total: Summary of resources, grand total: states £750,000, its lines give £676,750: £73,250 less; the site shows the worked-out figure",
        "finance.yaml:107:78: warning: tables[3].splits[1].stated.total: Savings, Dedicated Schools Grant, total: states £200,000, its inputs give £210,000: £10,000 more; the site shows the worked-out figure",
        "finance.yaml:111:38: warning: statements[0].value: Resources for joint commissioning, grand total: states £364.9k, its lines give £510.7k: £145.8k more; the site shows the worked-out figure",
        "finance.yaml:112:38: warning: statements[1].value: Resources for joint commissioning, grand total: states £370.0k, its lines give £510.7k: £140.7k more; the site shows the worked-out figure",
        "finance.yaml:112:38: warning: statements[1].value: Resources for joint commissioning, grand total: this states £370.0k, but an earlier statement of the same figure gives £364.9k; find out which is right (its inputs give £510.7k); the site shows the worked-out figure",
        "workstreams/01-early-help.yaml:33:23: warning: tables[0].total_row.stated.total: Resources for early help, grand total: states £146,593, its lines give £166,100: £19,507 more; the site shows the worked-out figure",
    ]


def test_a_reader_sees_the_table_with_inputs_and_stated_figures(loaded):
    view = PlanView(loaded.data)
    renderer = Renderer(view)
    laid = next(t for t in view.figure_book.tables if t.id == "ws1_costs")
    page = BeautifulSoup(renderer.render("components/figure_table.html", laid=laid, root="../", page_path="workstreams/early-help"), "html.parser")
    table = page.find("table")
    assert table.caption.get_text() == "Resources for early help (£)"
    assert [th.get_text() for th in table.thead.find_all("th")] == ["Line", "2022/23", "2023/24", "2024/25 onwards", "Total"]
    assert all(th["scope"] == "col" for th in table.thead.find_all("th"))
    rows = {tr.th.get_text(" ", strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")}
    assert rows["Independent social work"][0] == "16,200 £450 a day × 36 days"
    assert rows["SEND coordinator"][3] == "112,500 The document states £112,501: a rounding difference"
    assert rows["Total"] == ["43,700", "61,200", "61,200", "166,100 The document states £146,593"]
    notes = [li.get_text() for li in page.select("ul.cp-figure-notes li")]
    assert notes == ["2022/23 is part of a year: six months, October to March.", "2024/25 onwards: the amount is for each year from 2024/25."]
    download = renderer.tables.published[("workstreams/early-help", "ws1_costs")]
    records = download.records()
    assert records[4] == {
        "Line": "Independent social work",
        "Column": "2022/23",
        "Value (£)": Decimal(16200),
        "Worked out as": "rate * days",
        "Stated": None,
        "Worked out minus stated": None,
    }
    assert records[-1] == {
        "Line": "Total",
        "Column": "Total",
        "Value (£)": Decimal(166100),
        "Worked out as": "sum(ws1_costs.total.y2022_23, ws1_costs.total.y2023_24, ws1_costs.total.y2024_25)",
        "Stated": Decimal(146593),
        "Worked out minus stated": Decimal(19507),
    }


def test_the_figures_check_page_lists_every_difference(loaded):
    view = PlanView(loaded.data)
    page = BeautifulSoup(Renderer(view).page("figures_check", root=""), "html.parser")
    table = page.find("table", id="figure-differences")
    kinds = [tr.find_all("td")[-1].get_text(" ", strip=True) for tr in table.tbody.find_all("tr")]
    assert kinds == [
        "Over its cap",
        "Over its cap",
        "Differs",
        "Differs",
        "Differs",
        "Rounding difference",
        "Differs",
        "Differs",
        "Stated differently in two places: also stated as £364.9k",
        "Differs",
    ]
    assert "10 of 18 statements about the plan's tables and figures differ" in page.get_text(" ", strip=True)


def test_every_mistake_in_the_figures_is_reported_at_once(tmp_path, capsys):
    from clearplan.cli.cli import main

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    finance = data / "finance.yaml"
    finance.write_text(
        finance.read_text(encoding="utf-8")
        .replace("formula: outturn - budget", "formula: outturn - budgt")
        .replace("formula: round(outturn / ehcps_now, 0)", "formula: outturn / (ehcps_now - ehcps_now)")
        .replace("{figure: summary.total, up_to", "{figure: summary.totl, up_to"),
        encoding="utf-8",
    )
    workstream = data / "workstreams" / "01-early-help.yaml"
    workstream.write_text(
        workstream.read_text(encoding="utf-8").replace("formula: rate * days", "formula: rate * days + social_work"), encoding="utf-8"
    )
    assert main(["check", "--data", str(data)]) == 1
    errors = [line.replace(str(data) + "/", "") for line in capsys.readouterr().out.splitlines() if ": error: " in line]
    cycle = (
        "workstreams/01-early-help.yaml:28:18: error: tables[0].rows[1].formula: Resources for early help, Independent social work, {0}: "
        "the figure depends on itself: ws1_costs.social_work.{1} → ws1_costs.social_work.{1}"
    )
    assert errors == [
        "finance.yaml:32:14: error: figures[5].formula: Overspend: 'budgt' is not a figure of this plan; did you mean 'budget'?",
        "finance.yaml:55:14: error: figures[10].formula: Spend per plan: 'ehcps_now - ehcps_now' is zero, and a figure cannot be divided by zero",
        "finance.yaml:113:14: error: statements[2].figure: 'summary.totl' is not a figure of this plan; did you mean 'summary.total'?",
        cycle.format("2022/23", "y2022_23"),
        cycle.format("2023/24", "y2023_24"),
        cycle.format("2024/25 onwards", "y2024_25"),
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from conftest import build_site

    site_dir = tmp_path_factory.mktemp("every-construct-site")
    result = build_site(DATA.parent / "mkdocs.yml", site_dir)
    assert result.returncode == 0, result.stderr
    return site_dir


def page(site, path):
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_site_shows_each_table_where_it_belongs(site):
    money = page(site, "finance")
    assert [t["id"] for t in money.find_all("table")] == [
        "figures-ws2_costs",
        "figures-posts",
        "figures-summary",
        "figures-savings",
        "figures-ws1_costs",
    ]
    figures = money.find("dl", class_="cp-figures").get_text(" ", strip=True)
    assert "Tuition for one pupil £43,750 (25 weeks × 5 days × £350 a day) The document states £40,000" not in figures  # a cap is not a statement
    assert "Tuition for one pupil £43,750 (25 weeks × 5 days × £350 a day) Capped at £40,000: £3,750 over the cap." in figures
    workstream = page(site, "workstreams/early-help")
    assert [t["id"] for t in workstream.find_all("table")] == ["figures-ws2_costs", "figures-ws1_costs"]
    assert "EHCPs now 2,400 plans" in workstream.find("dl", class_="cp-figures").get_text(" ", strip=True)
    check = page(site, "figures-check").find("table", id="figure-differences")
    assert len(check.tbody.find_all("tr")) == 10


def test_each_table_downloads_with_formulas_and_stated_values(site):
    csv_text = (site / "data" / "finance" / "ws1_costs.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv_text[0] == "Line,Column,Value (£),Worked out as,Stated,Worked out minus stated"
    assert (
        csv_text[4]
        == 'SEND coordinator,Total,112500,"sum(ws1_costs.coordinator.y2022_23, ws1_costs.coordinator.y2023_24, ws1_costs.coordinator.y2024_25)",112501,-1'
    )
    assert csv_text[5] == "Independent social work,2022/23,16200,rate * days,,"
    import json

    savings = json.loads((site / "data" / "finance" / "savings.json").read_text(encoding="utf-8"))
    assert savings["columns"] == ["Line", "Column", "Value (£)", "Worked out as", "Stated", "Worked out minus stated"]
    dsg_total = [r for r in savings["rows"] if r["Line"] == "Dedicated Schools Grant (70%)" and r["Column"] == "Total"]
    assert dsg_total == [
        {
            "Line": "Dedicated Schools Grant (70%)",
            "Column": "Total",
            "Value (£)": 210000,
            "Worked out as": "sum(savings.dsg.y2023_24, savings.dsg.y2024_25)",
            "Stated": 200000,
            "Worked out minus stated": 10000,
        }
    ]


def test_the_workbook_has_a_sheet_per_table_of_figures(site):
    from openpyxl import load_workbook

    workbook = load_workbook(site / "data" / "plan.xlsx", read_only=True)
    sheets = [name for name in workbook.sheetnames if name.startswith("Table ")]
    assert sheets == ["Table ws2_costs", "Table posts", "Table summary", "Table savings", "Table ws1_costs"]
    rows = list(workbook["Table ws1_costs"].iter_rows(values_only=True))
    assert rows[0] == ("Line", "Column", "Value (£)", "Worked out as", "Stated", "Worked out minus stated")
    assert rows[5][:4] == ("Independent social work", "2022/23", 16200, "rate * days")
