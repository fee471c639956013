"""Progress at a glance: whether each measure is on track, and per-workstream counts of activities
by status, measures by progress and risks by level. Pure computation from the data (no mkdocs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from . import compute
from ..plan.model import ActivityStatus, Measure, PlanData, ProductScheme, Reading, WordsScheme, Workstream

Progress = Literal["on_track", "off_track"]
NUMERIC_TARGETS = ("percent", "count", "count_per_year")


def latest_reading(measure: Measure) -> Reading | None:
    return max(measure.actuals, key=lambda r: r.date) if measure.actuals else None


def previous_reading(measure: Measure) -> Reading | None:
    ordered = sorted(measure.actuals, key=lambda r: r.date)
    return ordered[-2] if len(ordered) >= 2 else None


def measure_progress(measure: Measure) -> Progress | None:
    """On or off track, judged from the latest figure; None when there is no latest figure or the
    target cannot be judged from numbers (to be confirmed, text, or a first year's figure)."""
    latest = latest_reading(measure)
    if latest is None:
        return None
    target = measure.target
    lower_is_better = target.direction == "at_most"
    if target.kind in NUMERIC_TARGETS:
        assert target.value is not None, "the model requires a value for numeric targets"
        met = latest.value <= target.value if lower_is_better else latest.value >= target.value
        return "on_track" if met else "off_track"
    if target.kind == "better_than_previous_year":
        previous = previous_reading(measure)
        if previous is None:
            return None
        better = latest.value < previous.value if lower_is_better else latest.value > previous.value
        return "on_track" if better else "off_track"
    return None


def level_names(data: PlanData) -> list[str]:
    """The groups risks are counted in: the scheme's levels or bands, highest first; one group for
    risks rated in words (their pairs have no order); "Not rated" when some risk has no rating."""
    scheme = data.plan.risk_scheme
    if isinstance(scheme, WordsScheme):
        names = [compute.RATED_IN_WORDS]
    elif isinstance(scheme, ProductScheme):
        names = [band.name for band in reversed(sorted(scheme.bands, key=lambda band: band.min))]
    else:
        names = [level.name for level in scheme.levels[::-1]]
    risks = [r for w in data.workstreams for r in w.risks] + list(data.risks)
    if any(r.rating is None for r in risks):
        names.append(compute.NOT_RATED)
    return names


@dataclass(frozen=True)
class WorkstreamProgress:
    workstream: Workstream
    activities: dict[ActivityStatus, int]
    measures_on_track: int
    measures_off_track: int
    measures_not_judged: int  # no latest figure, or a target numbers cannot judge
    risks: list[tuple[str, int]]  # (level, count), highest level first

    @property
    def activity_total(self) -> int:
        return sum(self.activities.values())

    @property
    def risk_total(self) -> int:
        return sum(count for _, count in self.risks)


def workstream_progress(data: PlanData, workstream: Workstream) -> WorkstreamProgress:
    statuses = {status: 0 for status in ActivityStatus}
    for activity in compute.activities(workstream):
        statuses[activity.status] += 1
    judged = [measure_progress(m) for m in workstream.measures]
    scheme = data.plan.risk_scheme
    ratings = [compute.rating(risk, scheme) for risk in workstream.risks]
    levels = [(name, sum(1 for r in ratings if r is not None and r.group == name)) for name in level_names(data)]
    return WorkstreamProgress(
        workstream=workstream,
        activities=statuses,
        measures_on_track=judged.count("on_track"),
        measures_off_track=judged.count("off_track"),
        measures_not_judged=judged.count(None),
        risks=levels,
    )


def plan_progress(data: PlanData) -> list[WorkstreamProgress]:
    return [workstream_progress(data, ws) for ws in data.workstreams]


def totals(rows: list[WorkstreamProgress]) -> WorkstreamProgress | None:
    """The sum over workstreams, as one row (its workstream is the first's, and unused)."""
    if not rows:
        return None
    return WorkstreamProgress(
        workstream=rows[0].workstream,
        activities={status: sum(r.activities[status] for r in rows) for status in ActivityStatus},
        measures_on_track=sum(r.measures_on_track for r in rows),
        measures_off_track=sum(r.measures_off_track for r in rows),
        measures_not_judged=sum(r.measures_not_judged for r in rows),
        risks=[(name, sum(dict(r.risks)[name] for r in rows)) for name, _ in rows[0].risks],
    )


@dataclass(frozen=True)
class Dashboard:
    """What the dashboard page shows: one row per workstream, the totals and the risk levels."""

    rows: list[WorkstreamProgress]
    total: WorkstreamProgress | None
    levels: list[str]  # highest first

    @property
    def measures_with_latest(self) -> int:
        return self.total.measures_on_track + self.total.measures_off_track if self.total else 0


def dashboard(data: PlanData) -> Dashboard:
    rows = plan_progress(data)
    return Dashboard(rows, totals(rows), level_names(data))
