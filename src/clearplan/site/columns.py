"""A table's columns, defined once: the page's table (components/table.html) and its downloads
(outputs/open_data.py) both read them, so their headers cannot differ.

A column's `kind` says what its values are: numbers and money are right-aligned on the page; a
column with `row_header` names its row (`<th scope="row">`); a column with `page=False` is only in
the downloads (the page shows its value inside another cell, as "12 (31 March 2019)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "number", "money", "date", "rating"]
NUMERIC_KINDS = ("number", "money")


@dataclass(frozen=True)
class Column:
    header: str  # the page's column heading and the downloads' column name
    key: str = ""  # names the column in a template; made from the header when not given
    kind: Kind = "text"
    row_header: bool = False
    page: bool = True

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", re.sub(r"[^a-z0-9]+", "_", self.header.lower()).strip("_"))

    @property
    def align(self) -> str:
        return "right" if self.kind in NUMERIC_KINDS else "left"


def columns(*given: Column | str) -> list[Column]:
    """Columns from definitions, a plain header standing for a text column."""
    return [column if isinstance(column, Column) else Column(column) for column in given]
