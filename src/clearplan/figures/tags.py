"""Cross-cutting tags: activities, measures and risks that say which of the plan's principles or
themes they serve (`serves: [id, ...]`), gathered into one list per principle or theme.
Pure computation and checks over the data (no mkdocs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .compute import activities
from ..plan.loading import problem_at
from ..plan.model import PlanData, Theme


@dataclass
class TagPage:
    """One principle or theme and what serves it: (item, workstream or None for the whole plan)."""

    id: str
    kind: str  # "principle" or "theme"
    name: str
    activities: list = field(default_factory=list)
    measures: list = field(default_factory=list)
    risks: list = field(default_factory=list)


def tag_targets(data: PlanData) -> dict[str, tuple[str, str]]:
    """Every principle and theme with an id: id -> (kind, name), in the plan's order."""
    targets: dict[str, tuple[str, str]] = {}
    for principle in data.plan.principles:
        if principle.id:
            targets.setdefault(principle.id, ("principle", principle.name))
    for theme in data.plan.themes:
        if isinstance(theme, Theme):
            targets.setdefault(theme.id, ("theme", theme.text))
    return targets


def tag_index(data: PlanData) -> list[TagPage]:
    """A page's worth for each principle or theme that something serves; none for those nothing serves."""
    pages = {tag_id: TagPage(tag_id, kind, name) for tag_id, (kind, name) in tag_targets(data).items()}
    for workstream in data.workstreams:
        for activity in activities(workstream):
            for tag_id in activity.serves:
                if tag_id in pages:
                    pages[tag_id].activities.append((activity, workstream))
        for measure in workstream.measures:
            for tag_id in measure.serves:
                if tag_id in pages:
                    pages[tag_id].measures.append((measure, workstream))
        for risk in workstream.risks:
            for tag_id in risk.serves:
                if tag_id in pages:
                    pages[tag_id].risks.append((risk, workstream))
    for risk in data.risks:
        for tag_id in risk.serves:
            if tag_id in pages:
                pages[tag_id].risks.append((risk, None))
    return [page for page in pages.values() if page.activities or page.measures or page.risks]


def check_tags(loaded, data_dir: Path) -> None:
    """Report a principle or theme id used twice, and every `serves` naming no principle or theme."""
    data, problems = loaded.data, loaded.problems
    plan_file = loaded.sources[str(data_dir / "plan.yaml")]
    seen: dict[str, str] = {}
    for where, items in (("principles", data.plan.principles), ("themes", data.plan.themes)):
        for index, item in enumerate(items):
            tag_id = getattr(item, "id", None)
            if tag_id is None:
                continue
            if tag_id in seen:
                problems.add(
                    problem_at(
                        plan_file,
                        (where, index, "id"),
                        "error",
                        f"id '{tag_id}' is already used by {seen[tag_id]}; principle and theme ids must be unique",
                    )
                )
            seen.setdefault(tag_id, f"{where}[{index}]")
    known = ", ".join(sorted(seen)) or "none: give principles or themes an id first"

    def report(source, loc: tuple, label: str, serves: list[str]) -> None:
        for s, tag_id in enumerate(serves):
            if tag_id not in seen:
                problems.add(problem_at(source, loc + ("serves", s), "error", f"'{tag_id}' is not the id of a principle or theme; known: {known}"))

    for workstream, path in zip(data.workstreams, loaded.workstream_files):
        source = loaded.sources[path]
        for g, group in enumerate(workstream.activity_groups):
            for a, activity in enumerate(group.activities):
                report(source, ("activity_groups", g, "activities", a), f"activity_groups[{g}].activities[{a}]", activity.serves)
        for m, measure in enumerate(workstream.measures):
            report(source, ("measures", m), f"measures[{m}]", measure.serves)
        for r, risk in enumerate(workstream.risks):
            report(source, ("risks", r), f"risks[{r}]", risk.serves)
    risks_file = loaded.sources.get(str(data_dir / "risks.yaml"))
    if risks_file is not None:
        for r, risk in enumerate(data.risks):
            report(risks_file, (r,), f"[{r}]", risk.serves)
