"""Easy Read sentences for the dashboard and "You said, we did" pages, computed from the data, each
with a picture from the icon set bundled with Material for MkDocs (inline SVG, hidden from
screen readers: the words carry the meaning). No mkdocs import: the icons are found on disk."""

from __future__ import annotations

from typing import TYPE_CHECKING

import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from ..figures import compute, progress
from ..plan.model import ActivityStatus, PlanData
from ..plan.money import format_money
from ..plan.wording import long_date
from ..checks.you_said import who_label

if TYPE_CHECKING:
    from .render import PlanView


@lru_cache(maxsize=1)
def icon_dir() -> Path:
    spec = importlib.util.find_spec("material")  # locates the theme's files without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Material for MkDocs is not installed; Easy Read pictures come from its icons")
    return Path(next(iter(spec.submodule_search_locations))) / "templates" / ".icons" / "material"


@lru_cache(maxsize=None)
def icon(name: str) -> Markup:
    """A Material Design icon as inline SVG, marked decorative."""
    svg = (icon_dir() / f"{name}.svg").read_text(encoding="utf-8")
    return Markup(re.sub(r"^<svg ", '<svg class="cp-easy__picture" aria-hidden="true" focusable="false" width="64" height="64" ', svg, count=1))


@dataclass(frozen=True)
class Point:
    text: str
    picture: Markup


def things(count: int) -> str:
    return f"{count} thing{'s' * (count != 1)}"


def dashboard_points(view: PlanView) -> list[Point]:
    data: PlanData = view.data
    board = progress.dashboard(data)
    points = [Point("This page shows how the plan is going.", icon("chart-bar"))]
    if board.total is not None:
        total = board.total
        a = total.activities
        points.append(Point(f"The plan has {things(total.activity_total)} to do.", icon("clipboard-list")))
        points.append(
            Point(
                f"{a[ActivityStatus.done]} are done. {a[ActivityStatus.in_progress]} are being done now. "
                f"{a[ActivityStatus.planned]} have not started yet. {a[ActivityStatus.on_hold]} are stopped for now.",
                icon("progress-clock"),
            )
        )
        for row in board.rows:
            points.append(
                Point(
                    f"{view.workstream_label(row.workstream)}: {things(row.activity_total)} to do. {row.activities[ActivityStatus.done]} are done.",
                    icon("account-group"),
                )
            )
        measures = total.measures_on_track + total.measures_off_track + total.measures_not_judged
        if board.measures_with_latest:
            checked = f"{total.measures_on_track} are going well. {total.measures_off_track} are not going well yet."
        else:
            checked = "We do not have new numbers for them yet."
        points.append(Point(f"We have {measures} ways to check if the plan is working. {checked}", icon("check-circle")))
        if total.risk_total:
            top, top_count = total.risks[0]
            ranked = top not in (compute.RATED_IN_WORDS, compute.NOT_RATED)
            points.append(
                Point(
                    f"We know about {things(total.risk_total)} that could go wrong."
                    + (f" {top_count} of them are {top.lower()} risk." if ranked else ""),
                    icon("alert"),
                )
            )
    if view.closing_overspend is not None and view.history:
        points.append(
            Point(
                f"By {view.history[-1].year} we had spent {format_money(view.closing_overspend, '£m', 2)} more than we had "
                f"for children with high needs.",
                icon("currency-gbp"),
            )
        )
    return points


@dataclass(frozen=True)
class YouSaidPoint:
    id: str
    said: Point
    did: Point


def you_said_points(data: PlanData) -> list[YouSaidPoint]:
    points = []
    for entry in data.you_said:
        who_icon = "account-child" if entry.who == "children_and_young_people" else ("school" if entry.who == "schools" else "account-group")
        when = f"{'before ' if entry.gathered.before else ''}{long_date(entry.gathered.date)}"
        said = Point(f"{who_label(entry.who)} told us {when}: “{entry.said}”", icon(who_icon))
        if entry.response is None:
            did = Point("We have not decided what to do about this yet.", icon("message-text"))
        elif entry.response.status == ActivityStatus.done:
            did = Point(f"We did this: {entry.response.text}", icon("check-circle"))
        else:
            did = Point(f"What we will do: {entry.response.text}", icon("progress-clock"))
        points.append(YouSaidPoint(entry.id, said, did))
    return points
