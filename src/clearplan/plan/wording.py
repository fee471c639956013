"""The site's shared wording: status, document kind and month names, dates, targets, the workstream
label and the "latest figure" words, written once for the pages, the charts, the tables, the
spreadsheets, the print packs and the change lists alike.

Below everything: it imports no other clearplan module but `money` (itself a leaf), so any layer
may use it. Plan types appear only in annotations.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from .money import format_number

if TYPE_CHECKING:
    from .model import Target

# Keyed by ActivityStatus's values: the enum is a str enum, so its members find these keys.
STATUS_LABELS = {
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
    "on_hold": "On hold",
}

# A document's status and kind, in the words the pages print; each says only what the data states.
PLAN_STATUS_LABELS = {
    "draft": "Draft",
    "for_consultation": "For consultation",
    "published": "Published",
    "approved": "Approved",
    "superseded": "Superseded",
    "withdrawn": "Withdrawn",
}
DOCUMENT_KIND_LABELS = {
    "plan": "Plan",
    "strategy": "Strategy",
    "business_case": "Business case",
    "funding_bid": "Funding bid",
    "committee_report": "Committee report",
    "cabinet_report": "Cabinet report",
    "progress_report": "Progress report",
}

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

# A measure's most recent reading, as every output names it.
LATEST_FIGURE = "Latest figure"


def long_date(value: dt.date | str | None) -> str:
    """'3 December 2026'; a 'YYYY-MM' month as 'December 2026'."""
    if value is None:
        return "Not set"
    if isinstance(value, str):
        if len(value) == 7:
            return f"{MONTH_NAMES[int(value[5:]) - 1]} {value[:4]}"
        value = dt.date.fromisoformat(value)
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def decimal_places(value: Decimal) -> int:
    """How many decimals a figure is written with: 12.50 has 2, 12 and 1.2E+3 have 0."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def target_text(target: Target) -> str:
    value = format_number(target.value, places=decimal_places(target.value)) if target.value is not None else ""
    if target.kind == "percent":
        return f"{value}% or less" if target.direction == "at_most" else f"{value}%"
    if target.kind == "count":
        return f"{value} or fewer" if target.direction == "at_most" else value
    if target.kind == "count_per_year":
        return f"{value} a year"
    if target.kind == "better_than_previous_year":
        return "Better than the previous year"
    if target.kind == "tbc":
        return "To be confirmed (tbc)"
    return target.text or ""


def workstream_label(number: int | None, title: str) -> str:
    """'Workstream 3: Local provision', or the title alone when the source does not number it."""
    return f"Workstream {number}: {title}" if number is not None else title
