"""Dates as a source writes them ("End Sept 21", "Sept – Nov 21", "14 September"), parsed into a
typed form that keeps their precision: a missing day, month or year stays missing, never guessed.

Pure Python: the model uses `parse_stated_date` as a validator, so a date that cannot be read is
an error at its file and line.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Literal

from .wording import MONTH_NAMES

# Every spelling of a month the sources use: full names, three-letter forms and "Sept".
_MONTHS = {name.lower(): index + 1 for index, name in enumerate(MONTH_NAMES)}
_MONTHS.update({name[:3].lower(): index + 1 for index, name in enumerate(MONTH_NAMES)})
_MONTHS["sept"] = 9

Qualifier = Literal["on", "end", "start", "as_written"]
# How a timing the source gives relative to an event, or by season, begins ("within 12 weeks of the
# work starting", "Spring term"): such a timing is kept as written, never turned into a date.
RELATIVE_WORDS = (
    "within",
    "after",
    "before",
    "by",
    "during",
    "once",
    "when",
    "until",
    "following",
    "ongoing",
    "throughout",
    "from",
    "each",
    "every",
    "spring",
    "summer",
    "autumn",
    "winter",
)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date to the precision the source gives: year, month and day may each be missing."""

    year: int | None
    month: int | None
    day: int | None = None

    def words(self) -> str:
        parts = [str(self.day) if self.day else None, MONTH_NAMES[self.month - 1] if self.month else None, str(self.year) if self.year else None]
        return " ".join(p for p in parts if p)

    def month_key(self) -> tuple[int, int] | None:
        """(year, month) for comparing with other months; None when the year or month is missing."""
        return (self.year, self.month) if self.year and self.month else None


@dataclass(frozen=True)
class StatedDate:
    """A date or range of dates as the source states it, with the source's words kept."""

    text: str
    start: PartialDate
    end: PartialDate | None = None  # set for a range such as "Sept – Nov 21"
    qualifier: Qualifier = "on"

    @property
    def has_year(self) -> bool:
        return self.start.year is not None

    @property
    def as_written(self) -> bool:
        """A relative or seasonal timing, kept as the source writes it, with no date read from it."""
        return self.qualifier == "as_written"

    def words(self) -> str:
        """The date in plain words, saying what the source leaves out."""
        if self.as_written:
            return self.text
        if self.end is not None:
            start = self.start.words() if self.start.year != self.end.year else PartialDate(None, self.start.month, self.start.day).words()
            text = f"{start} to {self.end.words()}"
        else:
            text = self.start.words()
        prefix = {"on": "", "end": "End of ", "start": "Starts ", "as_written": ""}[self.qualifier]
        text = prefix + text
        return text if self.has_year else f"{text} (year not stated)"


_PART = re.compile(r"^(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+)?(?P<month>[A-Za-z]+)\.?(?:\s+(?P<year>\d{4}|\d{2}))?$")


def _part(text: str) -> PartialDate:
    match = _PART.match(text.strip())
    if not match or match.group("month").lower() not in _MONTHS:
        raise ValueError(
            f"cannot read {text.strip()!r} as a date; write a month and year such as 'Sept 21', "
            "'29 September 2021' or 'Sept – Nov 21', "
            "or a timing as written such as 'within 12 weeks of the work starting'"
        )
    month = _MONTHS[match.group("month").lower()]
    year_text = match.group("year")
    # Two-digit years in council plans are this century: "21" is 2021.
    year = None if year_text is None else (int(year_text) + 2000 if len(year_text) == 2 else int(year_text))
    day = int(match.group("day")) if match.group("day") else None
    if day is not None:
        # Without a year, 29 February may be real; with one, the calendar decides.
        days = calendar.monthrange(year if year is not None else 2000, month)[1]
        if not 1 <= day <= days:
            within = f"{MONTH_NAMES[month - 1]} {year}" if year is not None else MONTH_NAMES[month - 1]
            raise ValueError(f"{text.strip()!r} is not a real date: {within} has {days} days")
    return PartialDate(year, month, day)


def parse_stated_date(value: object) -> StatedDate:
    """Read a date as a source writes it. Raises ValueError with a plain message when it cannot."""
    if isinstance(value, StatedDate):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a date as the source writes it, such as 'Sept 21'")
    text = " ".join(value.split())
    rest, qualifier = text, "on"
    for prefix, kind in (("to start ", "start"), ("start ", "start"), ("end of ", "end"), ("end ", "end")):
        if rest.lower().startswith(prefix):
            rest, qualifier = rest[len(prefix) :], kind
            break
    pieces = re.split(r"\s*[–—-]\s*|\s+to\s+", rest) if re.search(r"[–—]|\s-\s|\s+to\s+", rest) else [rest]
    if len(pieces) > 2:
        if _is_relative(text):
            return _as_written(text)
        raise ValueError(f"cannot read {text!r} as a date range; write it as 'Sept – Nov 21'")
    try:
        end = _part(pieces[1]) if len(pieces) == 2 else None
    except ValueError:
        if len(pieces) == 2 and _is_relative(text):
            return _as_written(text)
        raise
    try:
        start = _part(pieces[0])
    except ValueError:
        if _is_relative(text):
            return _as_written(text)
        raise
    if end is not None:
        start_month, end_month = start.month, end.month
        assert start_month is not None and end_month is not None  # _part always reads a month
        if start.year is None:
            # "Sept – Nov 21": the start takes the end's year, or the year before when its month is later.
            year = None if end.year is None else end.year - (1 if start_month > end_month else 0)
            start = PartialDate(year, start_month, start.day)
        if start.year and end.year and (start.year, start_month) > (end.year, end_month):
            raise ValueError(f"{text!r} ends before it starts")
    return StatedDate(text, start, end, qualifier)  # type: ignore[arg-type]


def _is_relative(text: str) -> bool:
    first = text.split()[0].lower().rstrip(",:")
    return first in RELATIVE_WORDS


def _as_written(text: str) -> StatedDate:
    return StatedDate(text, PartialDate(None, None), None, "as_written")
