"""You said, we did: which activities each comment changed, and the check of its references.

Pure data work (no mkdocs): the templates show the register and, on each linked activity,
"Changed because … told us".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..figures import compute
from ..plan.loading import LoadedPlan, problem_at
from ..plan.model import PlanData, Workstream, YouSaidEntry
from ..plan.problems import Problems

FILE_NAME = "you-said.yaml"

# Who said it, as the start of a sentence and inside one ("Changed because families told us").
WHO = {
    "children_and_young_people": ("Children and young people", "children and young people"),
    "families": ("Families", "families"),
    "schools": ("Schools", "schools"),
}


def who_label(who: str) -> str:
    return WHO[who][0]


def who_words(who: str) -> str:
    return WHO[who][1]


@dataclass
class YouSaid:
    """The register, with each linked activity's workstream for links."""

    data: PlanData

    @property
    def entries(self) -> list[YouSaidEntry]:
        return self.data.you_said

    @cached_property
    def _workstream_of(self) -> dict[str, Workstream]:
        return {a.id: ws for ws in self.data.workstreams for a in compute.activities(ws)}

    @cached_property
    def _by_activity(self) -> dict[str, list[YouSaidEntry]]:
        found: dict[str, list[YouSaidEntry]] = {}
        for entry in self.entries:
            for activity_id in entry.response.activities if entry.response else []:
                found.setdefault(activity_id, []).append(entry)
        return found

    def for_activity(self, activity_id: str) -> list[YouSaidEntry]:
        return self._by_activity.get(activity_id, [])

    def workstream_of(self, activity_id: str) -> Workstream:
        return self._workstream_of[activity_id]

    def activity_text(self, activity_id: str) -> str:
        return next(a.text for a in compute.activities(self.workstream_of(activity_id)) if a.id == activity_id)

    @property
    def answered(self) -> list[YouSaidEntry]:
        return [e for e in self.entries if e.response is not None]


def check_you_said(loaded: LoadedPlan, data_dir: Path | str, problems: Problems) -> None:
    """Every entry id is unique and every linked activity exists; problems point into the file."""
    data = loaded.data
    source = loaded.sources.get(str(Path(data_dir) / FILE_NAME))
    if data is None or source is None:
        return
    activity_ids = {a.id for ws in data.workstreams for a in compute.activities(ws)}
    seen: dict[str, int] = {}
    for index, entry in enumerate(data.you_said):
        if entry.id in seen:
            problems.add(
                problem_at(source, (index, "id"), "error", f"id '{entry.id}' is already used by entry {seen[entry.id] + 1}; ids must be unique")
            )
        seen.setdefault(entry.id, index)
        for position, activity_id in enumerate(entry.response.activities if entry.response else []):
            if activity_id not in activity_ids:
                problems.add(
                    problem_at(
                        source,
                        (index, "response", "activities", position),
                        "error",
                        f"unknown activity '{activity_id}'; use the id of an activity in data/workstreams/",
                    )
                )
