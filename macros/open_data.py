"""Open data files: each table as CSV and JSON, the whole plan as JSON (with its JSON Schema) and as
an XLSX workbook. Everything is written from the Tables the pages were rendered from.

CSV is UTF-8 with a byte-order mark, so spreadsheet programs read "£" correctly. Exact decimals are
written with every digit they have (never in exponent form); JSON gives them as numbers whose text
is exactly that decimal.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from .model import PlanData
from .schema import plan_schema
from .tables import Table, Tables

DATA_DIR = "data"
SHEET_NAME_LIMIT = 31  # Excel's limit


def table_paths(page: str, table_id: str) -> tuple[str, str]:
    """The stable site paths of a table's CSV and JSON: data/<page>/<table id>.csv and .json."""
    base = f"{DATA_DIR}/{page}/{table_id}"
    return f"{base}.csv", f"{base}.json"


def decimal_text(value: Decimal) -> str:
    return format(value, "f")


def _csv_value(value: Any) -> Any:
    return decimal_text(value) if isinstance(value, Decimal) else ("" if value is None else value)


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
    return pd.DataFrame([[convert(v) for v in row.values] for row in table.rows], columns=table.columns, dtype=object)


def table_json(table: Table) -> dict[str, Any]:
    return {"table": table.caption, "columns": table.columns,
            "rows": [{name: _json_value(value) for name, value in zip(table.columns, row.values)} for row in table.rows]}


def write_table(table: Table, site_dir: Path) -> None:
    assert table.page is not None
    csv_path, json_path = (site_dir / p for p in table_paths(table.page, table.id))
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    _frame(table, _csv_value).to_csv(csv_path, index=False, encoding="utf-8-sig", lineterminator="\n")
    json_path.write_text(json.dumps(table_json(table), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def plan_document(data: PlanData) -> dict[str, Any]:
    """The whole plan's data as one JSON document; it validates against plan_schema()."""
    return data.model_dump(mode="json")


def write_workbook(sheets: dict[str, Table], path: Path) -> None:
    assert len(set(sheets)) == len(sheets) and all(len(name) <= SHEET_NAME_LIMIT for name in sheets)
    # Decimals become spreadsheet numbers so partners can add them up; None leaves a cell empty.
    number = lambda v: float(v) if isinstance(v, Decimal) else v  # noqa: E731
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, table in sheets.items():
            _frame(table, number).to_excel(writer, sheet_name=name, index=False)


def write_all(site_dir: Path, tables: Tables, data: PlanData) -> list[Path]:
    """Write every published table's files and the whole-plan files; returns the whole-plan paths."""
    for table in tables.published.values():
        write_table(table, site_dir)
    out = site_dir / DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    schema_path, plan_path, xlsx_path = out / "plan.schema.json", out / "plan.json", out / "plan.xlsx"
    schema_path.write_text(json.dumps(plan_schema(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    document = {"$schema": "plan.schema.json", **plan_document(data)}
    plan_path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_workbook(Tables(tables.view).whole_plan(), xlsx_path)
    return [schema_path, plan_path, xlsx_path]
