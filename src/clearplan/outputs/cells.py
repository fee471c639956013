"""Plan text in spreadsheet cells: always text, never a formula (OWASP "CSV injection").

A spreadsheet program runs a cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage
return as a formula. Plan data is untrusted, so each output context has one rule, used everywhere:

- CSV: such text gets a leading apostrophe, which spreadsheets read as "this is text" and hide
  (`csv_text`); `csv_original` takes it off again. A plain number such as `-19.25` is left as it
  is: a spreadsheet reads it as the number, nothing runs.
- XLSX: every text is a typed text cell (`text_cell`), which no program evaluates; the cell holds
  the text exactly, so reading it back gives the same text.
- Workbooks are saved with fixed timestamps (`save_workbook`): identical data, identical bytes.

This module must not import mkdocs.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:  # openpyxl is imported where a workbook is written: a build needs it only in the writer process
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def _looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def _needs_mark(text: str) -> bool:
    # Text that is a formula after any apostrophes gets one more, so that csv_original is exact.
    return _looks_like_formula(text.lstrip("'"))


def csv_text(text: str) -> str:
    """Text for a CSV cell: an apostrophe before text a spreadsheet would run."""
    return "'" + text if _needs_mark(text) else text


def csv_original(text: str) -> str:
    """The text csv_text was given."""
    return text[1:] if text.startswith("'") and _needs_mark(text) else text


def text_cell(sheet: Worksheet, value: Any) -> Cell:
    """A cell for sheet.append(): text as a typed text cell (openpyxl would make `=...` a formula
    and `#N/A` an error value); numbers, dates and None as they are."""
    from openpyxl.cell.cell import Cell

    cell = Cell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def append_rows(sheet: Worksheet, header: list[str], rows: Iterable[list[Any]]) -> None:
    """A bold header row, then the rows, every value through text_cell."""
    from openpyxl.styles import Font

    sheet.append([text_cell(sheet, name) for name in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([text_cell(sheet, value) for value in row])


# A zip entry's date cannot be before 1980.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def save_workbook(book: Workbook, path: Path, when: dt.date | None) -> None:
    """Save with `when` as the workbook's created and modified times and fixed zip entry times,
    so the same workbook gives the same bytes. openpyxl stamps "modified" with the clock and each
    zip entry with the time it was written; both are replaced here. An undated plan's workbook
    states no times at all."""
    from openpyxl.xml.functions import tostring

    moment = dt.datetime.combine(when, dt.time()) if when else dt.datetime(*_ZIP_EPOCH)
    book.properties.created = moment
    buffer = io.BytesIO()
    book.save(buffer)
    book.properties.modified = moment
    core = tostring(book.properties.to_tree())
    if when is None:
        core = re.sub(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>", b"", core)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as written, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as fixed:
        for entry in written.infolist():
            data = core if entry.filename == "docProps/core.xml" else written.read(entry)
            stamped = zipfile.ZipInfo(entry.filename, date_time=_ZIP_EPOCH)
            stamped.compress_type = zipfile.ZIP_DEFLATED
            stamped.external_attr = entry.external_attr
            fixed.writestr(stamped, data)
    path.write_bytes(out.getvalue())
