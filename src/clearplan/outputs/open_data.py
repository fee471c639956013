"""Open data files: each table as CSV and JSON, the whole plan as JSON (with its JSON Schema) and as
an XLSX workbook. Everything is written from the Tables the pages were rendered from.

CSV is UTF-8 with a byte-order mark, so spreadsheet programs read "£" correctly. Exact decimals are
written with every digit they have (never in exponent form); JSON gives them as numbers whose text
is exactly that decimal. Text a spreadsheet would run as a formula is neutralised (cells.py).
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .cells import append_rows, csv_text, save_workbook
from ..plan.model import PlanData, first_day
from ..plan.schema import plan_schema
from ..plan.sections import DOWNLOADS_FOLDER
from ..site.tables import Row, Table

if TYPE_CHECKING:
    import pandas as pd

DATA_DIR = DOWNLOADS_FOLDER  # the site folder of every download (sections.py)
SHEET_NAME_LIMIT = 31  # Excel's limit


def table_paths(page: str, table_id: str) -> tuple[str, str]:
    """The stable site paths of a table's CSV and JSON: data/<page>/<table id>.csv and .json."""
    base = f"{DATA_DIR}/{page}/{table_id}"
    return f"{base}.csv", f"{base}.json"


def decimal_text(value: Decimal) -> str:
    return format(value, "f")


def _csv_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return decimal_text(value)
    return "" if value is None else csv_text(value) if isinstance(value, str) else value


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        number = float(value)
        # A number if its shortest text is exactly the decimal (always so for money to the penny);
        # otherwise the exact digits as a string.
        return number if Decimal(repr(number)) == value else decimal_text(value)
    return value


def _frame(table: Table, convert) -> pd.DataFrame:
    import pandas as pd  # here, not at the top: a build imports it only in the writer process

    # Column names can be plan text too (the dashboard names a column after each risk level).
    return pd.DataFrame([[convert(v) for v in row.values] for row in table.rows], columns=[convert(name) for name in table.headers], dtype=object)


def table_json(table: Table) -> dict[str, Any]:
    return {
        "table": table.caption,
        "columns": table.headers,
        "rows": [{name: _json_value(value) for name, value in zip(table.headers, row.values)} for row in table.rows],
    }


def write_table(table: Table, site_dir: Path) -> None:
    assert table.page is not None
    csv_path, json_path = (site_dir / p for p in table_paths(table.page, table.id))
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    _frame(table, _csv_value).to_csv(csv_path, index=False, encoding="utf-8-sig", lineterminator="\n")
    json_path.write_text(json.dumps(table_json(table), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def plan_document(data: PlanData) -> dict[str, Any]:
    """The whole plan's data as one JSON document; it validates against plan_schema()."""
    return data.model_dump(mode="json")


def write_workbook(sheets: dict[str, Table], path: Path, when: dt.date | None) -> None:
    """One sheet per table; `when` (the plan version's date) stamps the file, so the same plan gives
    the same bytes."""
    assert len(set(sheets)) == len(sheets) and all(len(name) <= SHEET_NAME_LIMIT for name in sheets)
    from openpyxl import Workbook  # here, not at the top: a build imports it only in the writer process

    # Decimals become spreadsheet numbers so partners can add them up; None leaves a cell empty.
    number = lambda v: float(v) if isinstance(v, Decimal) else v  # noqa: E731
    book = Workbook()
    book.remove(book.active)
    for name, table in sheets.items():
        append_rows(book.create_sheet(name), table.headers, ([number(v) for v in row.values] for row in table.rows))
    save_workbook(book, path, when)


def write_tables(site_dir: Path, tables: list[Table]) -> None:
    for table in tables:
        write_table(table, site_dir)


def write_whole_plan(site_dir: Path, sheets: dict[str, Table], data: PlanData) -> list[Path]:
    """data/plan.schema.json, data/plan.json and data/plan.xlsx; returns their paths."""
    out = site_dir / DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    schema_path, plan_path, xlsx_path = out / "plan.schema.json", out / "plan.json", out / "plan.xlsx"
    schema_path.write_text(json.dumps(plan_schema(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    document = {"$schema": "plan.schema.json", **plan_document(data)}
    plan_path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_workbook(sheets, xlsx_path, first_day(data.plan.version.date) if data.plan.version.date else None)
    return [schema_path, plan_path, xlsx_path]


class OpenDataError(Exception):
    """The open data files could not be written."""


class OpenDataWriter:
    """Writes the open data files in a second process while the build goes on: importing pandas and
    writing the workbook and 60-odd tables took a third of a build. The process starts (and imports)
    at once; the whole-plan files are sent once the site directory has been cleaned, the tables once
    every page has rendered. A plain `python -m` process, not multiprocessing, which would re-run the
    caller's main script in the child."""

    def __init__(self) -> None:
        # Jobs go through the pipe, never through files: an interrupted build leaves no plan data on disk.
        self._process = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE, stderr=subprocess.PIPE)

    def _send(self, job: tuple) -> None:
        payload = pickle.dumps(job)
        assert self._process.stdin is not None  # opened as a pipe
        try:
            self._process.stdin.write(len(payload).to_bytes(8, "big") + payload)
            self._process.stdin.flush()
        except BrokenPipeError:
            pass  # the process has ended; finish() reports why

    def whole_plan(self, site_dir: Path, sheets: dict[str, Table], data: PlanData) -> None:
        self._send(("whole_plan", site_dir, sheets, data))

    def tables(self, site_dir: Path, tables: list[Table]) -> None:
        # Only what the files need: the rows' plan items would make the process rebuild them.
        self._send(("tables", site_dir, [replace(t, rows=[Row(None, r.values) for r in t.rows]) for t in tables]))

    def finish(self) -> None:
        """Wait for every file; raises OpenDataError if any could not be written."""
        _, error_bytes = self._process.communicate()
        errors = error_bytes.decode("utf-8", "replace")
        if self._process.returncode != 0:
            last = errors.strip().splitlines()[-1] if errors.strip() else f"exit status {self._process.returncode}"
            raise OpenDataError(last)

    def cancel(self) -> None:
        self._process.kill()
        self._process.wait()


def _write_jobs() -> None:
    """The writer process: standard input holds pickled jobs, each after its length in 8 bytes.
    A thread takes them off the pipe as they come, so the build never waits for the writer."""
    import queue
    import threading

    jobs: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

    def receive() -> None:
        while len(size := sys.stdin.buffer.read(8)) == 8:
            jobs.put(sys.stdin.buffer.read(int.from_bytes(size, "big")))
        jobs.put(None)

    threading.Thread(target=receive, daemon=True).start()
    import pandas  # noqa: F401  (imported now, while the build is still busy)

    writers: dict[str, Callable[..., object]] = {"whole_plan": write_whole_plan, "tables": write_tables}
    while (payload := jobs.get()) is not None:
        name, *args = pickle.loads(payload)
        writers[name](*args)


if __name__ == "__main__":
    _write_jobs()
