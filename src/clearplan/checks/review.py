"""Review dates: who owns a workstream, measure or risk, when it was last reviewed and when it
must be reviewed by. The check warns when a review date has passed; pages show a banner.

"Today" is injectable so tests and rehearsals are repeatable: set CLEARPLAN_TODAY=YYYY-MM-DD.
This module must not import mkdocs.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from ..plan.loading import LoadedPlan, problem_at
from ..plan.model import PlanData, Reviewed, Workstream
from ..plan.problems import Problem, Problems

TODAY_VARIABLE = "CLEARPLAN_TODAY"


class BadToday(ValueError):
    """CLEARPLAN_TODAY is set but is not a date."""


def today() -> dt.date:
    """The date reviews are judged against: CLEARPLAN_TODAY when set, else the real date."""
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadToday(f"{TODAY_VARIABLE} is {value!r}; write a date as YYYY-MM-DD, or unset it to use today's date") from None


@dataclass(frozen=True)
class ReviewItem:
    """One reviewable item, where it sits in its workstream file, and its page anchor."""

    kind: str  # "workstream", "measure" or "risk"
    name: str
    anchor: str | None  # the id of its table row; None for the workstream itself
    workstream: Workstream
    item: Reviewed
    loc: tuple

    def overdue(self, on: dt.date) -> bool:
        return self.item.review_by is not None and self.item.review_by < on


def review_items(workstream: Workstream) -> list[ReviewItem]:
    """The workstream, then its measures, then its risks."""
    items = [ReviewItem("workstream", workstream.title, None, workstream, workstream, ())]
    items += [ReviewItem("measure", m.name, m.id, workstream, m, ("measures", i)) for i, m in enumerate(workstream.measures)]
    items += [ReviewItem("risk", r.title, r.id, workstream, r, ("risks", i)) for i, r in enumerate(workstream.risks)]
    return items


def review_problems(loaded: LoadedPlan) -> Problems:
    """Warnings for review dates that have passed, and last reviews dated in the future."""
    problems = Problems()
    if loaded.data is None:
        return problems
    try:
        on = today()
    except BadToday as error:
        problems.add(Problem(TODAY_VARIABLE, 1, 1, "error", "", str(error)))
        return problems
    for workstream in loaded.data.workstreams:
        source = loaded.sources[loaded.files[workstream.id]]
        for entry in review_items(workstream):
            review_by = entry.item.review_by
            if review_by is not None and entry.overdue(on):
                problems.add(
                    problem_at(
                        source,
                        entry.loc + ("review_by",),
                        "warning",
                        f"the review date ({review_by.isoformat()}) has passed (today is {on.isoformat()}); "
                        "review this " + entry.kind + ", then set last_reviewed and a new review_by",
                    )
                )
            if entry.item.last_reviewed is not None and entry.item.last_reviewed > on:
                problems.add(
                    problem_at(
                        source,
                        entry.loc + ("last_reviewed",),
                        "warning",
                        f"last_reviewed ({entry.item.last_reviewed.isoformat()}) is after today ({on.isoformat()}); is the year right?",
                    )
                )
    return problems


@dataclass
class Reviews:
    """What the templates need: the date used, and the overdue items of a page."""

    data: PlanData
    on: dt.date

    def overdue_in(self, workstream: Workstream) -> list[ReviewItem]:
        return [entry for entry in review_items(workstream) if entry.overdue(self.on)]

    def overdue_of(self, kind: str) -> list[ReviewItem]:
        return [entry for ws in self.data.workstreams for entry in review_items(ws) if entry.kind == kind and entry.overdue(self.on)]
