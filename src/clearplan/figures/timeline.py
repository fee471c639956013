"""A programme timeline laid out by month: which month columns each bar and each term covers.
Pure data for the timeline template; months are 'YYYY-MM' strings."""

from __future__ import annotations

from dataclasses import dataclass

from ..plan.dates import MONTH_NAMES
from ..plan.model import Timeline


@dataclass(frozen=True)
class Month:
    key: str  # YYYY-MM
    short: str  # "Sep"
    words: str  # "September 2021"


@dataclass(frozen=True)
class Span:
    label: str
    first: int  # index of the first month column, from 0
    count: int  # number of month columns
    start_words: str
    end_words: str | None  # None when the source does not give an end
    workstream: str | None = None
    basis: str | None = None


@dataclass(frozen=True)
class TimelineLayout:
    months: list[Month]
    terms: list[Span]
    rows: list[Span]


def month_words(key: str) -> str:
    year, month = key.split("-")
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


def _months(start: str, end: str) -> list[Month]:
    year, month = (int(p) for p in start.split("-"))
    months = []
    while f"{year:04d}-{month:02d}" <= end:
        key = f"{year:04d}-{month:02d}"
        months.append(Month(key, MONTH_NAMES[month - 1][:3], month_words(key)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def layout(timeline: Timeline) -> TimelineLayout:
    months = _months(timeline.start, timeline.end)
    index = {m.key: i for i, m in enumerate(months)}
    last = len(months) - 1

    def span(label: str, start: str, end: str | None, **extra) -> Span:
        first = index[start]
        # A bar whose end is not given is drawn to the edge of the timeline, and says so in words.
        stop = index[end] if end is not None else last
        return Span(label, first, stop - first + 1, month_words(start), month_words(end) if end else None, **extra)

    terms = [span(t.name, t.start, t.end) for t in timeline.terms]
    rows = [span(r.label, r.start, r.end, workstream=r.workstream, basis=r.basis) for r in timeline.rows]
    return TimelineLayout(months, terms, rows)
