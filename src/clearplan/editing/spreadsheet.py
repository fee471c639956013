"""Spreadsheets in and out: activities, measures and risks as one sheet each.

`clearplan export xlsx [FILE]` writes the sheets with drop-downs for status, strategy and risk
level. `clearplan import FILE [--apply]` reads an XLSX or CSV back, says in plain English what
would change, and with --apply edits the YAML in place (ruamel.yaml round-trip, see yaml_edit.py).
Every row is validated through the model first; nothing is written when any row is invalid, and
errors name the sheet, row and column. A file may come from anyone: it is read within limits (MAX_*
below), text is never read or written as a formula (cells.py), and --apply writes every changed file
or none. This module must not import mkdocs.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ValidationError
from ruamel.yaml.comments import CommentedMap

from . import yaml_edit
from ..outputs.cells import append_rows, csv_original, save_workbook
from ..checks.check import check_plan
from ..checks.command_support import error_free_plan
from ..plan.loading import LoadedPlan, plain_message
from ..plan.model import Activity, ActivityStatus, LevelScheme, Measure, PlanData, Reading, Risk, Workstream, first_day
from ..plan.wording import LATEST_FIGURE, STATUS_LABELS, long_date, target_text

STRATEGIES = ("mitigate", "accept", "avoid", "transfer")
TARGET_KINDS = ("percent", "count", "count_per_year", "better_than_previous_year", "tbc", "text")
DIRECTIONS = ("at_least", "at_most")
KINDS = {"Activities": "an activity", "Measures": "a measure", "Risks": "a risk"}


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # dotted path into the item, or a sheet-only field (workstream, group, latest.*)
    width: int = 16


def sheet_columns(data: PlanData) -> dict[str, list[Column]]:
    """The sheets and their columns; the rating columns follow the plan's risk scheme."""
    rating = (
        [Column("Level", "rating.level", 12)]
        if isinstance(data.plan.risk_scheme, LevelScheme)
        else [Column("Likelihood", "rating.likelihood", 12), Column("Impact score", "rating.impact", 12)]
    )
    return {
        "Activities": [
            Column("Workstream", "workstream", 20),
            Column("Group", "group", 24),
            Column("ID", "id", 10),
            Column("Activity", "text", 70),
            Column("Lead", "lead", 30),
            Column("Status", "status", 13),
            Column("Due", "due", 12),
        ],
        "Measures": [
            Column("Workstream", "workstream", 20),
            Column("ID", "id", 10),
            Column("Measure", "name", 60),
            Column("Target kind", "target.kind", 14),
            Column("Target value", "target.value", 12),
            Column("Target direction", "target.direction", 14),
            Column("Target text", "target.text", 24),
            Column("Baseline date", "baseline.date", 13),
            Column("Baseline value", "baseline.value", 13),
            Column("Latest date", "latest.date", 13),
            Column("Latest value", "latest.value", 13),
        ],
        "Risks": [
            Column("Workstream", "workstream", 20),
            Column("ID", "id", 10),
            Column("Risk", "title", 50),
            Column("What could happen", "impact", 50),
            Column("Strategy", "strategy", 12),
            Column("Actions (one per line)", "actions", 60),
            *rating,
        ],
    }


def _latest(measure: Measure) -> Reading | None:
    return max(measure.actuals, key=lambda r: r.date) if measure.actuals else None


def _plan_rows(data: PlanData) -> dict[str, list[dict[str, Any]]]:
    """Each sheet's rows as the model has them (text, Decimal, dates as ISO text, or None)."""
    rows: dict[str, list[dict[str, Any]]] = {"Activities": [], "Measures": [], "Risks": []}
    for ws in data.workstreams:
        for group in ws.activity_groups:
            for a in group.activities:
                rows["Activities"].append(
                    {"workstream": ws.id, "group": group.title, "id": a.id, "text": a.text, "lead": a.lead, "status": a.status.value, "due": a.due}
                )
        for m in ws.measures:
            latest = _latest(m)
            rows["Measures"].append(
                {
                    "workstream": ws.id,
                    "id": m.id,
                    "name": m.name,
                    "target.kind": m.target.kind,
                    "target.value": m.target.value,
                    "target.direction": m.target.direction,
                    "target.text": m.target.text,
                    "baseline.date": m.baseline.date.isoformat() if m.baseline else None,
                    "baseline.value": m.baseline.value if m.baseline else None,
                    "latest.date": latest.date.isoformat() if latest else None,
                    "latest.value": latest.value if latest else None,
                }
            )
        for r in ws.risks:
            rows["Risks"].append(
                {
                    "workstream": ws.id,
                    "id": r.id,
                    "title": r.title,
                    "impact": r.impact,
                    "strategy": r.strategy,
                    "actions": "\n".join(r.actions),
                    **{f"rating.{k}": v for k, v in (r.rating.model_dump() if r.rating else {}).items()},
                }
            )
    return rows


# --- Export -----------------------------------------------------------------------------------


def _cell_value(value: Any) -> Any:
    """Numbers go in as numbers when a spreadsheet can hold them exactly; otherwise as text."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        as_float = float(value)
        return as_float if Decimal(repr(as_float)) == value else str(value)
    return value


def export_xlsx(data: PlanData, path: Path) -> None:
    from openpyxl import Workbook  # only the spreadsheet commands pay for importing openpyxl (and numpy)
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.remove(book.active)
    columns = sheet_columns(data)
    scheme = data.plan.risk_scheme
    choices = {
        "status": [s.value for s in ActivityStatus],
        "strategy": list(STRATEGIES),
        "target.kind": list(TARGET_KINDS),
        "target.direction": list(DIRECTIONS),
    }
    if isinstance(scheme, LevelScheme):
        choices["rating.level"] = [level.name for level in scheme.levels]
    for name, rows in _plan_rows(data).items():
        sheet = book.create_sheet(name)
        append_rows(sheet, [c.header for c in columns[name]], ([_cell_value(row.get(c.field)) for c in columns[name]] for row in rows))
        last = max(sheet.max_row, 2)
        for index, column in enumerate(columns[name], start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if column.field in ("due", "id") or column.field.endswith(".date"):
                    cell.number_format = "@"  # keep 2021-04 as text, not a date Excel invents
            if column.field in choices:
                # A list rule is a formula: a quote in a plan's level name is doubled, as Excel escapes it.
                listed = ",".join(choices[column.field]).replace('"', '""')
                rule = DataValidation(
                    type="list",
                    formula1=f'"{listed}"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle=f"Choose a {column.header.lower()}",
                    error=f"{column.header} must be one of: {', '.join(choices[column.field])}",
                )
                rule.add(f"{letter}2:{letter}{last + 500}")  # room for new rows
                sheet.add_data_validation(rule)
        sheet.freeze_panes = "A2"
    save_workbook(book, path, first_day(data.plan.version.date) if data.plan.version.date else None)


# --- Reading a spreadsheet back ---------------------------------------------------------------


@dataclass
class SheetProblem:
    sheet: str
    row: int
    column: str  # the column's letter and header, or "" for the whole row/sheet
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet}, row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class SheetRow:
    sheet: str
    number: int  # the row number the officer sees
    values: dict[str, str]
    letters: dict[str, str]  # field -> "F (Status)"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return repr(value).removesuffix(".0") if value.is_integer() else repr(value)
    return str(value).strip()


def _rows(sheet: str, table: list[list[Any]], columns: list[Column], problems: list[SheetProblem]) -> list[SheetRow]:
    from openpyxl.utils import get_column_letter

    if not table:
        problems.append(SheetProblem(sheet, 1, "", "the sheet is empty; it needs a header row"))
        return []
    headers = [_text(h).casefold() for h in table[0]]
    positions: dict[str, int] = {}
    letters: dict[str, str] = {}
    for column in columns:
        if column.header.casefold() not in headers:
            problems.append(
                SheetProblem(
                    sheet, 1, "", f"the column '{column.header}' is missing; the header row must have: " + ", ".join(c.header for c in columns)
                )
            )
            continue
        positions[column.field] = headers.index(column.header.casefold())
        letters[column.field] = f"{get_column_letter(positions[column.field] + 1)} ({column.header})"
    if len(positions) < len(columns):
        return []
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {f: _text(cells[i]) if i < len(cells) else "" for f, i in positions.items()}
        if any(values.values()):
            rows.append(SheetRow(sheet, number, values, letters))
    return rows


# Limits for a file from anyone: the plan's sheets have a few hundred rows and a dozen columns.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an .xlsx is a zip file: its parts unpacked, together
MAX_PACKING_RATIO = 100  # spreadsheet XML packs 5 to 20 times; a zip bomb, a thousand times
MAX_ROWS = 10_000  # per sheet
MAX_COLUMNS = 100  # columns after these are not read (a known column beyond them is reported missing)
MAX_PROBLEMS_SHOWN = 50


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def _zip_problem(path: Path) -> str | None:
    """Why an .xlsx must not be opened, judged from its zip directory alone (nothing unpacked).
    The sizes it declares hold: Python's zipfile stops at an entry's declared size."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        return f"cannot read this as an .xlsx workbook ({type(error).__name__}); save it as .xlsx or .csv"
    unpacked = sum(e.file_size for e in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        return (
            f"the workbook unpacks to {_megabytes(unpacked)}; clearplan import reads workbooks that unpack to at most "
            f"{_megabytes(MAX_UNPACKED_BYTES)}"
        )
    for entry in entries:
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_PACKING_RATIO * max(entry.compress_size, 1):
            return (
                f"its part {entry.filename} is packed {entry.file_size // max(entry.compress_size, 1):,} times over, "
                f"which no spreadsheet program does (at most {MAX_PACKING_RATIO}); refused as a possible zip bomb"
            )
    return None


def _too_many_rows(sheet: str) -> SheetProblem:
    return SheetProblem(
        sheet,
        MAX_ROWS + 1,
        "",
        f"the sheet has values after row {MAX_ROWS:,}; clearplan import reads at most "
        f"{MAX_ROWS:,} rows a sheet (split the changes over several files)",
    )


def _csv_table(path: Path, problems: list[SheetProblem]) -> list[list[str]]:
    table: list[list[str]] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for cells in csv.reader(handle):
            if len(table) == MAX_ROWS:
                if any(c.strip() for c in cells):
                    problems.append(_too_many_rows(path.name))
                    break
                continue
            table.append([csv_original(c) for c in cells[:MAX_COLUMNS]])
    return table


def _xlsx_table(book: Any, sheet: str, problems: list[SheetProblem]) -> list[list[Any]]:
    """The sheet's cells as they are, row by row, however large it says it is."""
    from openpyxl.utils import get_column_letter

    worksheet = book[sheet]
    worksheet.reset_dimensions()  # read-only mode trusts the stated size: a row below it would be missed
    table: list[list[Any]] = []
    for number, cells in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        if number > MAX_ROWS:
            if any(c.value is not None for c in cells):
                problems.append(_too_many_rows(sheet))
                break
            continue
        for cell in cells:
            if cell.data_type == "f":
                problems.append(
                    SheetProblem(
                        sheet,
                        number,
                        f"{get_column_letter(cell.column)}",
                        "this cell is a formula; import reads typed values only (type the text itself; to start it with =, type an apostrophe first)",
                    )
                )
        table.append([c.value for c in cells])
    return table


def read_spreadsheet(path: Path, columns: dict[str, list[Column]]) -> tuple[list[SheetRow], list[SheetProblem]]:
    """The rows of every known sheet in an XLSX file, or of the one sheet a CSV file holds."""
    from openpyxl import load_workbook

    problems: list[SheetProblem] = []
    rows: list[SheetRow] = []
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as error:
        return [], [SheetProblem(name, 1, "", f"cannot read the file: {error.strerror}")]
    if size > MAX_FILE_BYTES:
        return [], [
            SheetProblem(name, 1, "", f"the file is {_megabytes(size)}; clearplan import reads files of at most {_megabytes(MAX_FILE_BYTES)}")
        ]
    if path.suffix.lower() == ".csv":
        try:
            table = _csv_table(path, problems)
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            return [], [SheetProblem(name, 1, "", f"cannot read the CSV file: {error}")]
        if problems:
            return [], problems
        headers = {_text(h).casefold() for h in (table[0] if table else [])}
        sheet = next((s for s, cols in columns.items() if {c.header.casefold() for c in cols} <= headers), None)
        if sheet is None:
            return [], [
                SheetProblem(
                    name, 1, "", "the header row does not match the Activities, Measures or Risks columns (export a spreadsheet to see them)"
                )
            ]
        return _rows(sheet, table, columns[sheet], problems), problems
    refused = _zip_problem(path)
    if refused:
        return [], [SheetProblem(name, 1, "", refused)]
    try:
        book = load_workbook(path, read_only=True)
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook
        return [], [SheetProblem(name, 1, "", f"cannot read this as an .xlsx workbook ({type(error).__name__}); save it as .xlsx or .csv")]
    try:
        known = [s for s in book.sheetnames if s in columns]
        if not known:
            problems.append(SheetProblem(name, 1, "", f"no sheet named {', '.join(columns)}"))
        for sheet in known:
            table = _xlsx_table(book, sheet, problems)
            rows.extend(_rows(sheet, table, columns[sheet], problems))
    except Exception as error:  # a damaged sheet part: openpyxl's XML and zip errors have many types
        return [], [SheetProblem(name, 1, "", f"cannot read this as an .xlsx workbook ({type(error).__name__}); save it as .xlsx or .csv")]
    finally:
        book.close()
    return rows, problems


# --- Turning rows into changes ----------------------------------------------------------------


@dataclass
class Change:
    file: str
    text: str  # plain English, for the officer
    apply: Callable[[Any], None]  # edits the file's round-trip document


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    problems: list[SheetProblem] = field(default_factory=list)


def _decimal(text: str) -> Decimal | str:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return text  # the model names the problem


def _validate(model: type[BaseModel], item: dict[str, Any], row: SheetRow, problems: list[SheetProblem]) -> Any:
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(p for p in error["loc"] if isinstance(p, int) or not p[:1].isupper())
            dotted = ".".join(str(p) for p in loc if not isinstance(p, int)).replace("actuals.", "latest.")
            column = next((row.letters[f] for f in (dotted, dotted.rsplit(".", 1)[0]) if f in row.letters), "")
            problems.append(SheetProblem(row.sheet, row.number, column, plain_message(error, model, loc)))
        return None


def _set(node: CommentedMap, key: str, value: Any, default: Any = None) -> None:
    """Set a key, keeping its place; leave out a key whose value is the default and is absent."""
    if value is None or (value == default and key not in node):
        if value is None and key in node:
            del node[key]
        return
    node[key] = value


def _words(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, ActivityStatus):
        return STATUS_LABELS[value]
    return str(value)


def plan_import(loaded: LoadedPlan, rows: list[SheetRow]) -> Plan:
    """Validate every row and work out the changes; nothing is applied here."""
    data = loaded.data
    assert data is not None
    result = Plan()
    workstreams = {ws.id: ws for ws in data.workstreams}
    where: dict[str, tuple[str, Workstream, tuple, Any]] = {}  # id -> (sheet, workstream, path in file, item)
    for ws in data.workstreams:
        for g, group in enumerate(ws.activity_groups):
            for a, activity in enumerate(group.activities):
                where[activity.id] = ("Activities", ws, ("activity_groups", g, "activities", a), activity)
        for m, measure in enumerate(ws.measures):
            where[measure.id] = ("Measures", ws, ("measures", m), measure)
        for r, risk in enumerate(ws.risks):
            where[risk.id] = ("Risks", ws, ("risks", r), risk)
    scheme = data.plan.risk_scheme
    seen: dict[str, str] = {}
    for row in rows:
        problems_before = len(result.problems)
        values = row.values
        ws_id, item_id = values["workstream"], values["id"]
        if ws_id not in workstreams:
            result.problems.append(
                SheetProblem(row.sheet, row.number, row.letters["workstream"], f"unknown workstream '{ws_id}'; known: {', '.join(workstreams)}")
            )
            continue
        if item_id in seen:
            result.problems.append(
                SheetProblem(row.sheet, row.number, row.letters["id"], f"id '{item_id}' is also on {seen[item_id]}; ids must be unique")
            )
            continue
        seen[item_id] = f"{row.sheet} row {row.number}"
        existing = where.get(item_id)
        if existing and (existing[0] != row.sheet or existing[1].id != ws_id):
            result.problems.append(
                SheetProblem(
                    row.sheet,
                    row.number,
                    row.letters["id"],
                    f"id '{item_id}' belongs to {KINDS[existing[0]]} in workstream '{existing[1].id}'; "
                    "moving items is done in the YAML files, not by import",
                )
            )
            continue
        workstream = workstreams[ws_id]
        file = loaded.files[ws_id]
        handler = {"Activities": _activity_change, "Measures": _measure_change, "Risks": _risk_change}[row.sheet]
        change = handler(row, workstream, existing, result.problems, scheme)
        if change is not None and len(result.problems) == problems_before:
            result.changes.extend(Change(file, text, apply) for text, apply in change)
    return result


def _node(document: Any, path: tuple) -> Any:
    for part in path:
        document = document[part]
    return document


def _activity_change(row: SheetRow, ws: Workstream, existing, problems, scheme):
    v = row.values
    fields = {"id": v["id"], "text": v["text"], "lead": v["lead"] or None, "status": v["status"] or "planned", "due": v["due"] or None}
    activity = _validate(Activity, fields, row, problems)
    if activity is None:
        return None
    label = f"{row.sheet} row {row.number}, activity {activity.id}"
    if existing is None:
        titles = [g.title or "" for g in ws.activity_groups]
        if v["group"] not in titles and ws.activity_groups:
            problems.append(
                SheetProblem(
                    row.sheet,
                    row.number,
                    row.letters["group"],
                    f"no group '{v['group']}' in workstream '{ws.id}'; use one of: " + ", ".join(repr(t) for t in titles),
                )
            )
            return None
        group_index = titles.index(v["group"]) if v["group"] in titles else None

        def add(document):
            new = CommentedMap([("id", activity.id), ("text", activity.text)])
            _set(new, "lead", activity.lead)
            _set(new, "status", activity.status.value, "planned")
            _set(new, "due", activity.due)
            if group_index is None:
                document.setdefault("activity_groups", []).append(CommentedMap([("activities", [new])]))
            else:
                document["activity_groups"][group_index]["activities"].append(new)

        return [(f'{label}: new activity in {ws.title}: "{activity.text}"', add)]
    _, _, path, old = existing
    if (v["group"] or None) != ws.activity_groups[path[1]].title:
        problems.append(
            SheetProblem(
                row.sheet,
                row.number,
                row.letters["group"],
                f"activity {activity.id} is in group '{ws.activity_groups[path[1]].title or ''}'; moving activities between groups is done in the YAML file",
            )
        )
        return None
    changes = []
    for key, name, default in (("text", "text", None), ("lead", "lead", None), ("status", "status", "planned"), ("due", "due date", None)):
        before, after = getattr(old, key), getattr(activity, key)
        if before != after:
            if key == "due":
                before, after = long_date(before) if before else None, long_date(after) if after else None
            stored = getattr(activity, key).value if key == "status" else getattr(activity, key)
            changes.append(
                (
                    f"{label}: {name} changes from {_words(before)} to {_words(after)}",
                    lambda d, key=key, stored=stored, default=default: _set(_node(d, path), key, stored, default),
                )
            )
    return changes


def _measure_change(row: SheetRow, ws: Workstream, existing, problems, scheme):
    v = {k: (val if val != "" else None) for k, val in row.values.items()}
    item: dict[str, Any] = {
        "id": v["id"],
        "name": v["name"],
        "target": {
            k: val
            for k, val in (
                ("kind", v["target.kind"]),
                ("value", _decimal(v["target.value"]) if v["target.value"] else None),
                ("direction", v["target.direction"] or "at_least"),
                ("text", v["target.text"]),
            )
        },
    }
    if v["baseline.date"] or v["baseline.value"]:
        item["baseline"] = {"date": v["baseline.date"], "value": _decimal(v["baseline.value"] or "")}
    latest = None
    if v["latest.date"] or v["latest.value"]:
        latest = {"date": v["latest.date"], "value": _decimal(v["latest.value"] or "")}
        item["actuals"] = [latest]
    measure = _validate(Measure, item, row, problems)
    if measure is None:
        return None
    label = f"{row.sheet} row {row.number}, measure {measure.id}"
    target = measure.target.model_dump(exclude_defaults=True)
    if existing is None:

        def add(document):
            new = CommentedMap([("id", measure.id), ("name", measure.name), ("target", _flow(target))])
            if measure.baseline:
                new["baseline"] = _flow(measure.baseline.model_dump())
            if measure.actuals:
                new["actuals"] = [_flow(measure.actuals[0].model_dump())]
            document.setdefault("measures", []).append(new)

        return [(f'{label}: new measure in {ws.title}: "{measure.name}"', add)]
    _, _, path, old = existing
    changes = []
    if old.name != measure.name:
        changes.append((f"{label}: name changes from {old.name} to {measure.name}", lambda d: _set(_node(d, path), "name", measure.name)))
    if old.target != measure.target:

        def set_target(d):
            node = _node(d, path)["target"]
            for key in ("kind", "value", "direction", "text"):
                _set(node, key, target.get(key), "at_least" if key == "direction" else None)

        changes.append((f"{label}: target changes from {target_text(old.target)} to {target_text(measure.target)}", set_target))
    if old.baseline != measure.baseline and measure.baseline is not None:

        def set_baseline(d):
            node = _node(d, path)
            if "baseline" in node:
                node["baseline"]["date"], node["baseline"]["value"] = measure.baseline.date, measure.baseline.value
            else:
                node["baseline"] = _flow(measure.baseline.model_dump())

        changes.append((f"{label}: starting point changes to {measure.baseline.value} on {measure.baseline.date.isoformat()}", set_baseline))
    reading = measure.actuals[0] if measure.actuals else None
    if reading is not None and reading != _latest(old):
        same_day = [i for i, r in enumerate(old.actuals) if r.date == reading.date]

        def set_latest(d, index=same_day[0] if same_day else None):
            node = _node(d, path)
            if index is not None:
                node["actuals"][index]["value"] = reading.value
            else:
                node.setdefault("actuals", []).append(_flow(reading.model_dump()))

        verb = "changes to" if same_day else "is recorded:"
        changes.append((f"{label}: {LATEST_FIGURE.lower()} {verb} {reading.value} on {reading.date.isoformat()}", set_latest))
    return changes


def _flow(values: dict[str, Any]) -> CommentedMap:
    """A short mapping written on one line, like `{kind: percent, value: 75}` in the bundled data."""
    node = CommentedMap((k, v) for k, v in values.items() if v is not None)
    node.fa.set_flow_style()
    return node


def _risk_change(row: SheetRow, ws: Workstream, existing, problems, scheme):
    v = row.values
    rating = (
        {"level": v.get("rating.level")}
        if isinstance(scheme, LevelScheme)
        else {"likelihood": v.get("rating.likelihood"), "impact": v.get("rating.impact")}
    )
    actions = [line.strip() for line in v["actions"].splitlines() if line.strip()]
    item = {
        "id": v["id"],
        "title": v["title"],
        "impact": v["impact"],
        "strategy": v["strategy"],
        "actions": actions,
        "rating": {k: val for k, val in rating.items() if val},
    }
    risk = _validate(Risk, item, row, problems)
    if risk is None:
        return None
    if isinstance(scheme, LevelScheme) and risk.rating.level not in {level.name for level in scheme.levels}:
        problems.append(
            SheetProblem(
                row.sheet,
                row.number,
                row.letters["rating.level"],
                f"unknown risk level '{risk.rating.level}'; the plan's levels are " + ", ".join(level.name for level in scheme.levels),
            )
        )
        return None
    label = f"{row.sheet} row {row.number}, risk {risk.id}"
    if existing is None:

        def add(document):
            new = CommentedMap(
                [
                    ("id", risk.id),
                    ("title", risk.title),
                    ("impact", risk.impact),
                    ("strategy", risk.strategy),
                    ("actions", list(risk.actions)),
                    ("rating", CommentedMap(risk.rating.model_dump())),
                ]
            )
            document.setdefault("risks", []).append(new)

        return [(f'{label}: new risk in {ws.title}: "{risk.title}"', add)]
    _, _, path, old = existing
    changes: list[tuple[str, Callable[..., None]]] = []
    for key, name in (("title", "title"), ("impact", "what could happen"), ("strategy", "strategy")):
        if getattr(old, key) != getattr(risk, key):
            changes.append(
                (
                    f"{label}: {name} changes from {_words(getattr(old, key))} to {_words(getattr(risk, key))}",
                    lambda d, key=key: _set(_node(d, path), key, getattr(risk, key)),
                )
            )
    if old.actions != risk.actions:

        def set_actions(d):
            node = _node(d, path)
            if "actions" in node:
                node["actions"][:] = list(risk.actions)  # keep the list's place and style
            else:
                node["actions"] = list(risk.actions)

        added = [a for a in risk.actions if a not in old.actions]
        removed = [a for a in old.actions if a not in risk.actions]
        words = "; ".join([f'adds "{a}"' for a in added] + [f'removes "{a}"' for a in removed]) or "reordered"
        changes.append((f"{label}: actions: {words}", set_actions))
    if old.rating != risk.rating:

        def set_rating(d):
            node = _node(d, path)["rating"]
            for key, value in risk.rating.model_dump().items():
                node[key] = value
            for key in [k for k in node if k not in risk.rating.model_dump()]:
                del node[key]

        before = " × ".join(str(x) for x in old.rating.model_dump().values())
        after = " × ".join(str(x) for x in risk.rating.model_dump().values())
        changes.append((f"{label}: rating changes from {before} to {after}", set_rating))
    return changes


def apply_changes(data_dir: Path, changes: list[Change]) -> list[str]:
    """Apply the changes to a copy, check the copy, and only then write the changed files, all or none.

    Returns the problems found in the copy (nothing is written when there are any); raises
    yaml_edit.WriteFailed when a file cannot be written (then no file is changed)."""
    documents: dict[str, Any] = {}
    try:
        for change in changes:
            if change.file not in documents:
                documents[change.file] = yaml_edit.load(Path(change.file))
            change.apply(documents[change.file])
        texts = {file: yaml_edit.dump(document) for file, document in documents.items()}
        with tempfile.TemporaryDirectory(prefix="clearplan-import-") as scratch:
            copy = Path(scratch) / "data"
            shutil.copytree(data_dir, copy)
            for file, text in texts.items():
                (copy / Path(file).relative_to(data_dir)).write_text(text, encoding="utf-8")
            errors = [str(p).replace(str(copy), str(data_dir)) for p in check_plan(copy).problems.sorted() if p.severity == "error"]
    except OSError as error:  # reading a plan file, or the checked copy in the temporary folder
        where = f" {error.filename}" if error.filename else ""
        raise yaml_edit.WriteFailed(f"cannot prepare the changes:{where}: {error.strerror or error}; no file was changed") from None
    if errors:
        return errors
    yaml_edit.write_all_or_nothing({Path(file): text for file, text in texts.items()})
    return []


# --- Commands ---------------------------------------------------------------------------------


def _export(args: argparse.Namespace) -> int:
    loaded = error_free_plan(args.data)
    assert loaded.data is not None  # error_free_plan stops the command otherwise
    out = Path(args.file)
    try:
        export_xlsx(loaded.data, out)
    except OSError as error:
        print(f"clearplan: cannot write {out}: {error.strerror}", file=sys.stderr)
        return 2
    counts = {name: len(rows) for name, rows in _plan_rows(loaded.data).items()}
    print(f"wrote {out}: " + ", ".join(f"{n} {name.lower()}" for name, n in counts.items()))
    return 0


def _print_some(problems: list) -> None:
    """The first problems, and how many more: a broken file can have a problem in every cell."""
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        print(problem, file=sys.stderr)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        more = len(problems) - MAX_PROBLEMS_SHOWN
        print(f"... and {more:,} more problem{'s' * (more != 1)}", file=sys.stderr)


def _import(args: argparse.Namespace) -> int:
    loaded = error_free_plan(args.data)
    assert loaded.data is not None  # error_free_plan stops the command otherwise
    path = Path(args.file)
    if not path.is_file():
        print(f"clearplan: no file at {path}", file=sys.stderr)
        return 2
    rows, problems = read_spreadsheet(path, sheet_columns(loaded.data))
    planned = plan_import(loaded, rows) if not problems else Plan()
    problems += planned.problems
    if problems:
        _print_some(problems)
        print(f"{len(problems)} problem{'s' * (len(problems) != 1)} in {path}; nothing was changed", file=sys.stderr)
        return 1
    if not planned.changes:
        print(f"No changes: {path} matches the data.")
        return 0
    for change in planned.changes:
        print(change.text)
    files = sorted({c.file for c in planned.changes})
    summary = f"{len(planned.changes)} change{'s' * (len(planned.changes) != 1)} in {', '.join(files)}"
    if not args.apply:
        print(f"{summary}. Nothing was written; run again with --apply to make these changes.")
        return 0
    try:
        errors = apply_changes(Path(args.data), planned.changes)
    except yaml_edit.WriteFailed as failed:
        print(f"clearplan: {failed}", file=sys.stderr)
        return 2
    if errors:
        _print_some(errors)
        print("The changes would leave the plan with errors; nothing was written.", file=sys.stderr)
        return 1
    print(f"{summary}: written.")
    return 0


def register(commands) -> None:
    export = commands.add_parser("export", help="export activities, measures and risks to a spreadsheet")
    export.add_argument("format", choices=["xlsx"], help="the spreadsheet format")
    export.add_argument("file", nargs="?", default="plan.xlsx", help="where to write it (default: plan.xlsx)")
    export.add_argument("--data", default="data", help="the plan's data directory (default: data)")
    export.set_defaults(run=_export)
    load = commands.add_parser("import", help="show (or --apply) the changes in an edited XLSX or CSV")
    load.add_argument("file", help="the .xlsx or .csv file")
    load.add_argument("--apply", action="store_true", help="write the changes into the YAML files")
    load.add_argument("--data", default="data", help="the plan's data directory (default: data)")
    load.set_defaults(run=_import)
