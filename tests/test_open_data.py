"""Open data: every table's CSV and JSON hold the rows and values the page shows; the whole plan
as JSON validates against its schema; the workbook has one sheet per table."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import jsonschema
import openpyxl
import pytest

from clearplan.plan.dates import PartialDate, StatedDate, parse_stated_date
from page_text import without_term_explanations
from test_site import built_pages, content, page, text


def downloads(site: Path, page_path: str, table_id: str) -> tuple[list[dict], dict]:
    base = site / "data" / page_path / table_id
    rows = list(csv.DictReader(io.StringIO((base.with_suffix(".csv")).read_text(encoding="utf-8-sig"))))
    return rows, json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))


def shown(site: Path, page_path: str, table_id: str) -> list[list[str]]:
    table = content(page(site, page_path)).select_one(f"table#{table_id}")
    for note in table.select(".cp-changed"):  # "Changed because …" links to the register; not table data
        note.decompose()
    without_term_explanations(table)
    return [[text(cell) for cell in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]


def same_in_both(csv_rows: list[dict], document: dict) -> list[dict]:
    """The CSV and the JSON hold the same rows: CSV text equals the JSON value written out."""
    assert [list(r) for r in csv_rows] == [document["columns"]] * len(csv_rows)
    assert len(csv_rows) == len(document["rows"])
    for csv_row, json_row in zip(csv_rows, document["rows"]):
        for name, value in json_row.items():
            assert csv_row[name] == ("" if value is None else str(value)), (name, value)
    return csv_rows


def test_activities_of_a_workstream_match_the_page(site):
    rows = same_in_both(*downloads(site, "workstreams/participation", "participation-activities-1"))
    page_rows = shown(site, "workstreams/participation", "participation-activities-1")
    assert len(rows) == len(page_rows) > 0
    # The source gives a lead and no due date for each; every activity is still planned.
    for row, cells in zip(rows, page_rows):
        assert (row["Status"], row["Due"]) == ("Planned", "")
        assert cells == [row["What we will do"], row["Who leads it"], "Planned", "No date set"]
    assert page_rows[0] == [
        "Lead the design of how participation, engagement and co-production work across all workstreams.",
        "Programme Director AfC",
        "Planned",
        "No date set",
    ]
    assert [cells[1] for cells in page_rows].count("Programme Director AfC") == 7


def test_dates_and_figures_are_written_out_in_british_english_on_the_page(kingston):
    from bs4 import BeautifulSoup

    from clearplan.figures.compute import activities
    from clearplan.plan.model import Reading
    from clearplan.site.render import PlanView, Renderer

    data = kingston.data.model_copy(deep=True)
    participation = data.workstreams[1]
    measure = participation.measures[0]
    measure.baseline = Reading(date=date(2019, 3, 31), value=Decimal("1234.5"))
    measure.actuals = [Reading(date=date(2021, 2, 1), value=Decimal("999"))]
    first, second = activities(participation)[:2]
    first.due, second.due = "2021-03", "2021-12-01"
    renderer = Renderer(PlanView(data))

    def rows(html: str, table_id: str) -> list[list[str]]:
        table = BeautifulSoup(html, "html.parser").select_one(f"table#{table_id}")
        return [[cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]

    assert rows(renderer.page("measures", root=""), "participation-measures")[0] == [
        "Feedback on the quality of service provision is good or better",
        "75%",
        "1,234.50 (31 March 2019)",
        "999.00 (1 February 2021)",
    ]
    due = [cells[3] for cells in rows(renderer.page("workstream", root="", ws=participation), "participation-activities-1")]
    assert due[:3] == ["March 2021", "1 December 2021", "No date set"]


def test_measures_match_the_page(site):
    rows = same_in_both(*downloads(site, "measures", "participation-measures"))
    page_rows = shown(site, "measures", "participation-measures")
    names = [
        "Feedback on the quality of service provision is good or better",
        "Percentage of parents who feel the information, support and advice they receive helps them take part in "
        "assessing their child's needs and planning provision to meet them",
        "Number of service developments and processes each year that have been co-produced with parents",
        "Number of service improvements made each year as a result of parental feedback and suggestions",
        "Number of parents from under-represented groups who give feedback and are engaged in the development of services",
    ]
    targets = ["75%", "75%", "6 a year", "6 a year", "15 a year"]
    # The source gives no starting points and no figures yet.
    assert page_rows == [[name, target, "Not recorded", "Not recorded yet"] for name, target in zip(names, targets)]
    assert [[row[name] for name in row] for row in rows] == [[name, target, "", "", "", ""] for name, target in zip(names, targets)]


def test_risk_register_matches_the_page(site):
    total = 0
    for index in (1, 2, 3):
        rows = same_in_both(*downloads(site, "risks", f"risks-{index}"))
        page_rows = shown(site, "risks", f"risks-{index}")
        assert len(rows) == len(page_rows)
        for row, cells in zip(rows, page_rows):
            actions = row["What we do"].replace("; ", " ") if row["What we do"] else "No action to reduce this risk is recorded"
            assert cells == [row["Risk"], row["Workstream"], row["What could happen"], row["How we respond"], actions, row["Rating"]]
        total += len(rows)
    assert total == 17


def test_finance_history_and_forecast_match_the_page_to_the_rounding_shown(site):
    rows = same_in_both(*downloads(site, "finance", "history"))
    note = "Includes a £3m DSG advance from the Department for Education"
    assert [list(row.values()) for row in rows] == [
        ["2017/18", "", "20.59", "25.32", "0.52", "-4.21", "-6.48", "-10.69"],
        ["2018/19", note, "23.7", "27.78", "0.7", "-3.38", "-10.69", "-14.07"],
        ["2019/20", "", "23.62", "29.66", "0.86", "-5.18", "-14.07", "-19.25"],
    ]
    # The page writes money to two places, with a true minus sign.
    assert shown(site, "finance", "history") == [
        ["2017/18", "20.59", "25.32", "0.52", "\u22124.21", "\u22126.48", "\u221210.69"],
        [f"2018/19 ({note})", "23.70", "27.78", "0.70", "\u22123.38", "\u221210.69", "\u221214.07"],
        ["2019/20", "23.62", "29.66", "0.86", "\u22125.18", "\u221214.07", "\u221219.25"],
    ]
    rows, document = downloads(site, "finance", "forecast")
    same_in_both(rows, document)
    # Exact in the download (averages to the penny), rounded once, half-up, on the page.
    assert [list(row.values()) for row in rows] == [
        ["2020/21", "30973", "1470", "21070.07", "4677", "23927"],
        ["2021/22", "32529", "1617", "20116.88", "5933", "29860"],
        ["2022/23", "34161", "1778", "19213.16", "7265", "37125"],
        ["2023/24", "35835", "1956", "18320.55", "8639", "45764"],
        ["2024/25", "37509", "2152", "17429.83", "10013", "55777"],
    ]
    assert shown(site, "finance", "forecast") == [
        ["2020/21", "30,973", "1,470", "21,070", "4,677", "23,927"],
        ["2021/22", "32,529", "1,617", "20,117", "5,933", "29,860"],
        ["2022/23", "34,161", "1,778", "19,213", "7,265", "37,125"],
        ["2023/24", "35,835", "1,956", "18,321", "8,639", "45,764"],
        ["2024/25", "37,509", "2,152", "17,430", "10,013", "55,777"],
    ]


def test_opportunities_match_the_page(site):
    rows = same_in_both(*downloads(site, "finance", "opportunities"))
    assert len(rows) == 26
    for row, cells in zip(rows, shown(site, "finance", "opportunities"), strict=True):
        assert cells == [row["Number"], row["Opportunity"], row["Workstream"]]


def test_every_table_on_every_page_has_download_links_that_name_it(site):
    tables = 0
    for html in built_pages(site):
        article = content(page(site, str(html.parent.relative_to(site))))
        for region in article.select(".cp-table-region"):
            table = region.table
            links = region.find_next_sibling("p", class_="cp-downloads").find_all("a")
            caption = text(table.caption)
            assert [text(a) for a in links] == [f"CSV of {caption}", f"JSON of {caption}"], html
            for link in links:
                target = (html.parent / link["href"]).resolve()
                assert target.is_file() and target.stem == table["id"], (html, link["href"])
            tables += 1
    assert tables >= 40


def test_whole_plan_json_validates_against_the_published_schema(site, kingston):
    schema = json.loads((site / "data" / "plan.schema.json").read_text(encoding="utf-8"))
    document = json.loads((site / "data" / "plan.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    assert document["plan"]["title"] == kingston.data.plan.title
    assert sum(len(g["activities"]) for ws in document["workstreams"] for g in ws["activity_groups"]) == 100
    assert document["finance"]["history"]["years"][0]["income"] == "20.59"  # money as exact decimal text
    broken = {**document, "workstreams": [{**document["workstreams"][0], "id": "Not An Id"}]}
    with pytest.raises(jsonschema.ValidationError, match="^'Not An Id' does not match "):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft202012Validator)


def test_cambridgeshire_plan_json_validates_and_gives_dates_in_the_sources_words(cambridgeshire_site):
    """The programme's dates (stated dates, which Kingston's plan does not have) are written as the
    source writes them, as the published schema says, and read back to the same dates."""
    schema = json.loads((cambridgeshire_site / "data" / "plan.schema.json").read_text(encoding="utf-8"))
    document = json.loads((cambridgeshire_site / "data" / "plan.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    groups = document["programme"]["milestone_groups"]
    assert groups[0]["milestones"][0]["when"] == "End Sept 21"
    assert [group.get("starts") for group in groups[3:7]] == ["To Start Sept 21", "To start Jan 21", "To start April 22", "To start Sept 22"]
    assert parse_stated_date(groups[3]["starts"]) == StatedDate("To Start Sept 21", PartialDate(2021, 9), None, "start")


def test_workbook_has_one_sheet_per_table(site):
    book = openpyxl.load_workbook(site / "data" / "plan.xlsx", read_only=True)
    assert book.sheetnames == [
        "Workstreams",
        "Activities",
        "Measures",
        "Risks",
        "Spending so far",
        "Forecast",
        "Opportunities",
        "Figures check",
        "Governance",
    ]
    assert all(len(name) <= 31 for name in book.sheetnames)
    activities = list(book["Activities"].values)
    assert activities[0] == ("Workstream", "What we will do", "Who leads it", "Status", "Due")
    assert len(activities) == 1 + 100
    history = list(book["Spending so far"].values)
    assert history[-1][-1] == -19.25
    assert len(list(book["Risks"].values)) == 1 + 17


def test_measure_rows_hold_the_starting_point_and_the_latest_figure(kingston):
    from clearplan.plan.model import Measure
    from clearplan.site.render import PlanView
    from clearplan.site.tables import Tables

    view = PlanView(kingston.data)
    measure = Measure.model_validate(
        {
            "id": "m",
            "name": "Plans on time",
            "target": {"kind": "percent", "value": 60},
            "baseline": {"date": "2019-03-31", "value": "12.5"},
            "actuals": [{"date": "2021-03-31", "value": 48}, {"date": "2020-03-31", "value": 30}],
        }
    )
    table = Tables(view).measures("m", "Measures", [(measure, view.workstreams[1])], show_workstream=True)
    assert table.records() == [
        {
            "Measure": "Plans on time",
            "Workstream": view.workstream_label(view.workstreams[1]),
            "Target": "60%",
            "Starting point": Decimal("12.5"),
            "Starting point date": "2019-03-31",
            "Latest figure": Decimal(48),
            "Latest figure date": "2021-03-31",
        }
    ]


def test_the_writer_process_writes_the_same_files_as_writing_in_process(kingston, tmp_path):
    from clearplan.outputs.open_data import OpenDataWriter, write_tables, write_whole_plan
    from clearplan.site.render import PlanView
    from clearplan.site.tables import Tables

    view = PlanView(kingston.data, kingston.files)
    tables = Tables(view)
    published = [
        tables.workstreams("workstreams", "The workstreams", page="workstreams"),
        tables.activities("activities", "Every activity", view.activities(view.workstreams[0]), page="activities"),
    ]
    assert len(tables.published) == 2
    writer = OpenDataWriter()
    writer.whole_plan(tmp_path / "background", Tables(view).whole_plan(), kingston.data)
    writer.tables(tmp_path / "background", published)
    writer.finish()
    write_tables(tmp_path / "here", list(tables.published.values()))  # the same files, written in this process
    write_whole_plan(tmp_path / "here", Tables(view).whole_plan(), kingston.data)

    def files(root: Path) -> dict[str, Path]:
        return {str(p.relative_to(root)): p for p in sorted(root.rglob("*")) if p.is_file()}

    background, here = files(tmp_path / "background"), files(tmp_path / "here")
    assert set(background) == set(here) and len(here) == 2 * 2 + 3
    for name, path in here.items():  # the workbook too: it is stamped with the plan's date, not the clock
        assert path.read_bytes() == background[name].read_bytes(), name


def test_a_writer_that_cannot_write_says_why_in_one_line_and_leaves_nothing_behind(kingston, tmp_path):
    from clearplan.outputs.open_data import OpenDataError, OpenDataWriter
    from clearplan.site.render import PlanView
    from clearplan.site.tables import Tables

    not_a_directory = tmp_path / "site"
    not_a_directory.write_text("a file where the site should be\n", encoding="utf-8")
    writer = OpenDataWriter()
    writer.whole_plan(not_a_directory, Tables(PlanView(kingston.data, kingston.files)).whole_plan(), kingston.data)
    with pytest.raises(OpenDataError) as raised:
        writer.finish()
    assert str(raised.value) == f"NotADirectoryError: [Errno 20] Not a directory: '{not_a_directory / 'data'}'"


def test_a_cancelled_writer_ends_its_process(tmp_path):
    from clearplan.outputs.open_data import OpenDataWriter

    writer = OpenDataWriter()
    writer.cancel()
    assert writer._process.poll() is not None


def grouped(whole_pounds: str) -> str:
    """Whole pounds as the page writes them, with thousands separators (not the code under test)."""
    assert re.fullmatch(r"\d+", whole_pounds), whole_pounds
    return f"{int(whole_pounds):,}"


def test_cambridgeshire_cost_plan_and_contingency_downloads_match_the_page(cambridgeshire_site):
    site = cambridgeshire_site
    rows = same_in_both(*downloads(site, "finance", "cost-plan"))
    # (Dropping a glossary explanation leaves a space before the full stop after the term.)
    page_rows = [[re.sub(r" (?=[.,])", "", cell) for cell in cells] for cells in shown(site, "finance", "cost-plan")]
    assert len(rows) == len(page_rows) == 17  # the page's totals row is not data
    years = ["2021/22 (£)", "2022/23 (£)", "2023/24 (£)"]
    for row, cells in zip(rows, page_rows, strict=True):
        note = f" ({row['Note']})" if row["Note"] else ""
        assert cells == [row["What the money pays for"], row["Why it is needed"] + note, *(grouped(row[name]) for name in years + ["Total (£)"])]
    assert sum(Decimal(row["Total (£)"]) for row in rows) == Decimal(909697)

    rows = same_in_both(*downloads(site, "finance", "contingency-plan"))
    page_rows = shown(site, "finance", "contingency-plan")
    assert len(rows) == len(page_rows) > 0
    for row, cells in zip(rows, page_rows, strict=True):
        assert cells[:2] == [row["Item"], row["Why it may be needed"]]
        assert cells[2].startswith(f"£{grouped(row['High figure (£)'])}")
        assert cells[3].startswith(f"£{grouped(row['Low figure (£)'])}")
    assert [sum(Decimal(row[name]) for row in rows) for name in ("High figure (£)", "Low figure (£)")] == [395316, 272016]


def test_cambridgeshire_milestone_downloads_match_the_page(cambridgeshire_site):
    total = 0
    for group in range(1, 8):
        rows = same_in_both(*downloads(cambridgeshire_site, "milestones", f"milestones-{group}"))
        page_rows = shown(cambridgeshire_site, "milestones", f"milestones-{group}")
        assert [[row["Milestone"], row["When"], row["As the source writes it"]] for row in rows] == page_rows
        total += len(rows)
    assert total == 26


def test_cambridgeshire_facts_conflicts_and_equality_impacts_downloads_match_the_page(cambridgeshire_site):
    site = cambridgeshire_site
    for table_id, columns in [
        ("facts", ["Fact", "As stated", "Where the source says it"]),
        ("fact-conflicts", ["Fact", "Value as stated", "Where the source says it"]),
    ]:
        rows = same_in_both(*downloads(site, "figures-check", table_id))
        assert [[row[name] for name in columns] for row in rows] == shown(site, "figures-check", table_id) != []
    conflicts = downloads(site, "figures-check", "fact-conflicts")[0]
    assert {row["Value as stated"] for row in conflicts if row["Fact"] == "Number of EHCPs in Cambridgeshire now"} == {"6,044", "5874"}

    rows = same_in_both(*downloads(site, "equality", "equality-impacts"))
    page_rows = shown(site, "equality", "equality-impacts")
    assert len(rows) == len(page_rows) > 0
    for row, cells in zip(rows, page_rows, strict=True):
        # The page lists several impacts to a cell; the download puts one to a line.
        expected = [" ".join(row[name].split("\n")) if row[name] else "None identified" for name in ("Positive impacts", "Negative impacts")]
        assert cells == [row["Who"], *expected]


def test_a_killed_build_leaves_no_plan_data_on_disk(kingston, tmp_path):
    """Jobs go to the writer through its pipe: a build killed while the writer works leaves nothing
    in the temporary folder (a SIGKILL runs no cleanup at all)."""
    import os
    import signal
    import subprocess
    import sys

    marker = kingston.data.plan.title
    script = (
        "import os, sys, time\n"
        "from clearplan.checks.check import check_plan\n"
        "from clearplan.outputs.open_data import OpenDataWriter\n"
        "from clearplan.site.render import PlanView\n"
        "from clearplan.site.tables import Tables\n"
        "data = check_plan(sys.argv[1]).data\n"
        "writer = OpenDataWriter()\n"
        "writer.whole_plan(__import__('pathlib').Path(sys.argv[2]), Tables(PlanView(data)).whole_plan(), data)\n"
        "print(writer._process.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    temp = tmp_path / "temp"
    temp.mkdir()
    build = subprocess.Popen(
        [sys.executable, "-c", script, str(Path(__file__).resolve().parent.parent / "data"), str(tmp_path / "site")],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    writer_pid = int(build.stdout.readline())
    build.send_signal(signal.SIGKILL)
    build.wait()
    try:
        os.kill(writer_pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    left = [p for p in temp.rglob("*") if p.is_file() and marker.encode() in p.read_bytes()]
    assert not left and not [p for p in temp.iterdir() if p.name.startswith("clearplan-")]
