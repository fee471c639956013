"""Spreadsheets in and out: export, plain-English import, --apply that keeps the YAML's formatting,
and errors that name the sheet, row and column."""

from __future__ import annotations

import csv
import difflib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from clearplan.cli import cli
from clearplan.editing import yaml_edit
from clearplan.checks.check import check_plan
from editing_support import copy_data

WS2 = "workstreams/02-joint-commissioning.yaml"


def snapshot(data: Path) -> dict[str, bytes]:
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path, monkeypatch):
    copy_data(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["export", "xlsx", "plan.xlsx"]) == 0
    return tmp_path


def run(capsys, *argv) -> tuple[int, list[str], list[str]]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_unchanged_workstream_files_round_trip_to_the_same_bytes(root):
    for path in sorted((root / "data" / "workstreams").glob("*.yaml")):
        assert yaml_edit.dump(yaml_edit.load(path)) == path.read_text(encoding="utf-8"), path


def test_export_has_one_sheet_each_with_drop_downs(project, capsys):
    book = load_workbook(project / "plan.xlsx")
    assert book.sheetnames == ["Activities", "Measures", "Risks"]
    activities, risks = book["Activities"], book["Risks"]
    assert [c.value for c in activities[1]] == ["Workstream", "Group", "ID", "Activity", "Lead", "Status", "Due"]
    assert activities.max_row == 101 and book["Measures"].max_row == 39 and risks.max_row == 18
    lists = {(sheet.title, str(v.sqref).split(":")[0]): v.formula1 for sheet in book for v in sheet.data_validations.dataValidation}
    assert lists[("Activities", "F2")] == '"planned,in_progress,done,on_hold"'
    assert lists[("Risks", "E2")] == '"mitigate,accept,avoid,transfer"'
    assert lists[("Risks", "G2")] == '"Low,Moderate,High"'
    assert lists[("Measures", "D2")].startswith('"percent,count,')
    first_risk = [c.value for c in risks[2]]
    assert first_risk[1] == "pb-r01" and first_risk[5].count("\n") == 3 and first_risk[6] == "Moderate"


def test_export_then_import_with_no_edits_changes_no_byte(project, capsys):
    before = snapshot(project / "data")
    code, out, err = run(capsys, "import", "plan.xlsx", "--apply")
    assert (code, out, err) == (0, ["No changes: plan.xlsx matches the data."], [])
    assert snapshot(project / "data") == before


def edit_workbook(project: Path) -> None:
    book = load_workbook(project / "plan.xlsx")
    activities = book["Activities"]
    row = next(r for r in activities.iter_rows(min_row=2) if r[2].value == "ws2-03")
    row[5].value = "in_progress"
    activities.append(
        ["joint-commissioning", None, "ws2-22", "Agree a shared way to record short breaks.", "Head of Commissioning AfC", "planned", "2021-09"]
    )
    measure = next(r for r in book["Measures"].iter_rows(min_row=2) if r[1].value == "ws2-m01")
    measure[9].value, measure[10].value = "2026-03-31", 72.5
    risk = next(r for r in book["Risks"].iter_rows(min_row=2) if r[1].value == "ws2-r02")
    risk[6].value = "High"
    book.save(project / "edited.xlsx")


def test_import_says_what_would_change_then_apply_edits_only_those_lines(project, capsys):
    edit_workbook(project)
    before = snapshot(project / "data")
    code, out, _ = run(capsys, "import", "edited.xlsx")
    assert code == 0
    assert out == [
        "Activities row 24, activity ws2-03: status changes from Planned to In progress",
        'Activities row 102, activity ws2-22: new activity in Joint Commissioning: "Agree a shared way to record short breaks."',
        "Measures row 7, measure ws2-m01: latest figure is recorded: 72.5 on 2026-03-31",
        "Risks row 8, risk ws2-r02: rating changes from Moderate to High",
        "4 changes in data/workstreams/02-joint-commissioning.yaml. Nothing was written; run again with --apply to make these changes.",
    ]
    assert snapshot(project / "data") == before
    code, out, _ = run(capsys, "import", "edited.xlsx", "--apply")
    assert code == 0 and out[-1] == "4 changes in data/workstreams/02-joint-commissioning.yaml: written."
    after = snapshot(project / "data")
    assert {k for k in after if after[k] != before[k]} == {WS2}
    assert changed_lines(before[WS2], after[WS2]) == [
        "+        status: in_progress",
        "+      - id: ws2-22",
        "+        text: Agree a shared way to record short breaks.",
        "+        lead: Head of Commissioning AfC",
        "+        due: 2021-09",
        "+    actuals:",
        "+      - {date: 2026-03-31, value: 72.5}",
        "-      level: Moderate",
        "+      level: High",
    ]
    loaded = check_plan(project / "data")
    assert loaded.problems.errors == []
    ws = next(w for w in loaded.data.workstreams if w.id == "joint-commissioning")
    assert str(ws.measures[0].actuals[0].value) == "72.5"
    # Importing the same file again finds nothing more to do.
    assert run(capsys, "import", "edited.xlsx")[1] == ["No changes: edited.xlsx matches the data."]


def test_invalid_rows_name_sheet_row_and_column_and_nothing_is_written(project, capsys):
    book = load_workbook(project / "plan.xlsx")
    activities = book["Activities"]
    activities["F2"] = "finished"
    activities["G3"] = "2021-13"
    activities["A4"] = "no-such-workstream"
    activities["F5"] = "done"  # a valid change: still not written, since other rows are invalid
    book["Risks"]["G2"] = "Severe"
    book["Measures"]["E2"] = "lots"
    book.save(project / "bad.xlsx")
    before = snapshot(project / "data")
    code, out, err = run(capsys, "import", "bad.xlsx", "--apply")
    assert code == 1 and out == []
    assert err == [
        "Activities, row 2, column F (Status): expected one of 'planned', 'in_progress', 'done' or 'on_hold', got 'finished'",
        "Activities, row 3, column G (Due): '2021-13' is not a real date; write YYYY-MM-DD, or YYYY-MM for a month",
        "Activities, row 4, column A (Workstream): unknown workstream 'no-such-workstream'; known: partnership-board, participation, "
        "joint-commissioning, local-provision, early-intervention, assessment-planning",
        "Measures, row 2, column E (Target value): expected a number, got 'lots'",
        "Risks, row 2, column G (Level): unknown risk level 'Severe'; the plan's levels are Low, Moderate, High",
        "5 problems in bad.xlsx; nothing was changed",
    ]
    assert snapshot(project / "data") == before


def test_csv_of_one_sheet_is_imported(project, capsys):
    sheet = load_workbook(project / "plan.xlsx")["Risks"]
    rows = [["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True)]
    rows[1][5] += "\nAsk the Schools Forum for support."
    with (project / "risks.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    code, out, _ = run(capsys, "import", "risks.csv", "--apply")
    assert code == 0
    assert out[0] == 'Risks row 2, risk pb-r01: actions: adds "Ask the Schools Forum for support."'
    text = (project / "data/workstreams/00-partnership-board.yaml").read_text(encoding="utf-8")
    assert "      - Ask the Schools Forum for support.\n    rating:" in text


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a workbook", "bad.xlsx, row 1: cannot read this as an .xlsx workbook (BadZipFile); save it as .xlsx or .csv"),
    ],
)
def test_unreadable_spreadsheet_is_a_clear_error(project, capsys, content, message):
    (project / "bad.xlsx").write_bytes(content)
    code, _, err = run(capsys, "import", "bad.xlsx")
    assert code == 1 and err[0] == message


def test_missing_column_and_unknown_csv_are_named(project, capsys):
    (project / "odd.csv").write_text("Name,Colour\nA,Blue\n", encoding="utf-8")
    assert run(capsys, "import", "odd.csv")[2][0].startswith("odd.csv, row 1: the header row does not match the Activities, Measures or Risks")
    book = load_workbook(project / "plan.xlsx")
    book["Activities"].delete_cols(6)
    book.save(project / "nostatus.xlsx")
    err = run(capsys, "import", "nostatus.xlsx")[2]
    assert err[0].startswith("Activities, row 1: the column 'Status' is missing; the header row must have: Workstream, Group, ID")


def test_moving_or_duplicating_an_item_is_refused(project, capsys):
    book = load_workbook(project / "plan.xlsx")
    book["Activities"]["A2"] = "participation"
    book["Activities"]["C4"] = book["Activities"]["C3"].value
    book.save(project / "moved.xlsx")
    err = run(capsys, "import", "moved.xlsx")[2]
    assert err[0] == (
        "Activities, row 2, column C (ID): id 'pb-01' belongs to an activity in workstream 'partnership-board'; "
        "moving items is done in the YAML files, not by import"
    )
    assert "column C (ID): id 'pb-02' is also on Activities row 3; ids must be unique" in err[1]


def test_every_kind_of_field_change_is_described_and_applied(project, capsys):
    book = load_workbook(project / "plan.xlsx")
    rows = {r[1].value: r for r in book["Measures"].iter_rows(min_row=2)}
    rows["ws2-m01"][4].value = 90  # target value
    rows["ws2-m02"][7].value, rows["ws2-m02"][8].value = "2020-07-01", 12  # a starting point
    book["Measures"].append(["joint-commissioning", "ws2-m06", "Short breaks used", "count", 180, "at_least", None, None, None, "2026-09-30", 150])
    risks = {r[1].value: r for r in book["Risks"].iter_rows(min_row=2)}
    risks["ws2-r01"][2].value = "We cannot recruit staff with contract skills."
    risks["ws2-r01"][4].value = "accept"
    risks["ws2-r01"][5].value = risks["ws2-r01"][5].value.split("\n")[0]  # drop the second action
    book["Risks"].append(
        ["joint-commissioning", "ws2-r03", "Providers do not bid.", "Families wait longer.", "mitigate", "Hold an open event.", "Low"]
    )
    activities = {r[2].value: r for r in book["Activities"].iter_rows(min_row=2)}
    activities["ws2-04"][4].value = None  # lead cleared
    activities["ws2-05"][6].value = "2027-03-31"  # a due date
    book.save(project / "edited.xlsx")
    code, out, _ = run(capsys, "import", "edited.xlsx", "--apply")
    assert code == 0, out
    assert out[:4] == [
        "Activities row 25, activity ws2-04: lead changes from Director of Commissioning and Partnerships AfC to (blank)",
        "Activities row 26, activity ws2-05: due date changes from (blank) to 31 March 2027",
        "Measures row 7, measure ws2-m01: target changes from 100% to 90%",
        "Measures row 8, measure ws2-m02: starting point changes to 12 on 2020-07-01",
    ]
    assert 'Measures row 40, measure ws2-m06: new measure in Joint Commissioning: "Short breaks used"' in out
    assert "Risks row 7, risk ws2-r01: strategy changes from mitigate to accept" in out
    assert 'Risks row 7, risk ws2-r01: actions: removes "Offer good induction, training and support to all staff involved."' in out
    assert 'Risks row 19, risk ws2-r03: new risk in Joint Commissioning: "Providers do not bid."' in out
    ws = next(w for w in check_plan(project / "data").data.workstreams if w.id == "joint-commissioning")
    assert ws.measures[0].target.value == 90 and ws.measures[1].baseline.value == 12
    assert (ws.measures[5].target.kind, str(ws.measures[5].actuals[0].value)) == ("count", "150")
    assert ws.risks[0].strategy == "accept" and len(ws.risks[0].actions) == 1 and ws.risks[2].rating.level == "Low"
    text = (project / "data" / WS2).read_text(encoding="utf-8")
    assert "    target: {kind: percent, value: 90}\n" in text and "    baseline: {date: 2020-07-01, value: 12}\n" in text
    # The same date again changes that reading rather than adding another.
    book = load_workbook(project / "edited.xlsx")
    next(r for r in book["Measures"].iter_rows(min_row=2) if r[1].value == "ws2-m06")[10].value = 155
    book.save(project / "again.xlsx")
    assert run(capsys, "import", "again.xlsx", "--apply")[1][0] == "Measures row 40, measure ws2-m06: latest figure changes to 155 on 2026-09-30"
    assert "      - {date: 2026-09-30, value: 155}\n" in (project / "data" / WS2).read_text(encoding="utf-8")


def test_groups_are_matched_by_title(project, capsys):
    book = load_workbook(project / "plan.xlsx")
    sheet = book["Activities"]
    sheet["B2"] = "Another group"
    sheet.append(["partnership-board", "No such group", "pb-99", "Text.", None, "planned", None])
    book.save(project / "groups.xlsx")
    err = run(capsys, "import", "groups.xlsx")[2]
    assert err[0].startswith("Activities, row 2, column B (Group): activity pb-01 is in group '")
    assert err[1].startswith("Activities, row 102, column B (Group): no group 'No such group' in workstream 'partnership-board'; use one of:")


def test_import_refuses_bad_data_or_a_missing_file(project, capsys):
    assert run(capsys, "import", "missing.xlsx")[2] == ["clearplan: no file at missing.xlsx"]
    assert run(capsys, "import", "plan.xlsx", "--data", "nowhere")[2] == ["clearplan: no data directory at nowhere"]
    plan = project / "data" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: draft", "status: drafted"), encoding="utf-8")
    code, _, err = run(capsys, "export", "xlsx", "again.xlsx")
    assert code == 1 and err[-1] == "clearplan: fix the errors in the data first (run 'clearplan check')"
