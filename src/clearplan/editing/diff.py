"""What changed between two versions of the plan data, as structured changes.

`diff_plans` compares two loaded PlanData; `load_version` reads a version from a directory or a git
ref. Rendering is elsewhere: the CLI prints `describe(change)`, the site renders the same changes
through templates, and `easy_read_sentences` words the totals for Easy Read.
This module must not import mkdocs.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from ..figures import compute
from ..checks.check import check_plan
from ..figures.costs import contingency_totals
from ..plan.model import Activity, PlanData, Workstream
from ..plan.money import format_money, to_pounds
from ..plan.problems import one_line
from ..plan.wording import STATUS_LABELS, long_date, target_text, workstream_label

Kind = Literal["added", "removed", "changed"]
Area = Literal["activity", "measure", "risk", "finance"]

AREA_WORDS = {"activity": "Activity", "measure": "Measure", "risk": "Risk", "finance": "Money"}
FINANCE_GROUP = "Money"


@dataclass(frozen=True)
class Change:
    """One difference: an item added or removed, or one field of it changed from `old` to `new`.

    `old` and `new` are already in words (a lead's role, "In progress", "April 2021", "£20,590,000"),
    so the CLI, the page and the downloads show the same text."""

    kind: Kind
    area: Area
    item_id: str
    item: str  # the item in words: an activity's text, a measure's name, a figure's label
    group: str  # the workstream's label, or "Money"
    field: str | None = None  # in words: "Lead", "Status", "Due", "Target", "Rating", ...
    old: str | None = None
    new: str | None = None


@dataclass
class PlanDiff:
    changes: list[Change] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def groups(self) -> list[tuple[str, list[Change]]]:
        """Changes grouped by workstream (in plan order), then Money."""
        order: dict[str, list[Change]] = {}
        for change in self.changes:
            order.setdefault(change.group, []).append(change)
        return list(order.items())

    def count(self, kind: Kind, area: Area, field: str | None = None) -> int:
        return sum(1 for c in self.changes if c.kind == kind and c.area == area and (field is None or c.field == field))


class VersionError(Exception):
    """A version of the data cannot be read; the message says why, in words."""


# --- Comparing -----------------------------------------------------------------------------------


def _lead(activity: Activity) -> str:
    return activity.lead or "Lead not yet named"


def _due(activity: Activity) -> str:
    return long_date(activity.due) if activity.due else "No date set"


def _rating_text(risk, scheme) -> str:
    rating = compute.rating(risk, scheme)
    assert rating is not None, "versions are checked before they are compared"
    return rating.name if rating.score is None else f"{rating.name}, score {rating.score}"


def _by_id(data: PlanData, items) -> dict[str, tuple[Any, Workstream]]:
    return {item.id: (item, ws) for ws in data.workstreams for item in items(ws)}


def diff_plans(old: PlanData, new: PlanData) -> PlanDiff:
    """Every activity, measure, risk and finance figure added, removed or changed from old to new."""
    diff = PlanDiff()
    add = diff.changes.append

    def _label(ws: Workstream) -> str:  # the site's own words for a workstream
        return workstream_label(ws.number, ws.title)

    order = {_label(ws): index for index, ws in enumerate(new.workstreams)}

    # Activities: matched by id across the plan, so moving one between groups is not a change.
    old_acts, new_acts = _by_id(old, compute.activities), _by_id(new, compute.activities)
    for key, (activity, ws) in new_acts.items():
        if key not in old_acts:
            add(
                Change(
                    "added",
                    "activity",
                    key,
                    activity.text,
                    _label(ws),
                    new=f"{_lead(activity)}; {STATUS_LABELS[activity.status]}; due {_due(activity)}",
                )
            )
            continue
        before, old_ws = old_acts[key]
        for name, get in (("Lead", _lead), ("Status", lambda a: STATUS_LABELS[a.status]), ("Due", _due), ("What we will do", lambda a: a.text)):
            if get(before) != get(activity):
                add(Change("changed", "activity", key, activity.text, _label(ws), name, get(before), get(activity)))
        if old_ws.id != ws.id:
            add(Change("changed", "activity", key, activity.text, _label(ws), "Workstream", _label(old_ws), _label(ws)))
    for key, (activity, ws) in old_acts.items():
        if key not in new_acts:
            add(
                Change(
                    "removed",
                    "activity",
                    key,
                    activity.text,
                    _label(ws),
                    old=f"{_lead(activity)}; {STATUS_LABELS[activity.status]}; due {_due(activity)}",
                )
            )

    old_measures, new_measures = _by_id(old, lambda w: w.measures), _by_id(new, lambda w: w.measures)
    for key, (measure, ws) in new_measures.items():
        if key not in old_measures:
            add(Change("added", "measure", key, measure.name, _label(ws), "Target", new=target_text(measure.target)))
        elif target_text(old_measures[key][0].target) != target_text(measure.target):
            add(
                Change(
                    "changed",
                    "measure",
                    key,
                    measure.name,
                    _label(ws),
                    "Target",
                    target_text(old_measures[key][0].target),
                    target_text(measure.target),
                )
            )
    for key, (measure, ws) in old_measures.items():
        if key not in new_measures:
            add(Change("removed", "measure", key, measure.name, _label(ws), "Target", old=target_text(measure.target)))

    old_risks, new_risks = _by_id(old, lambda w: w.risks), _by_id(new, lambda w: w.risks)
    old_scheme, new_scheme = old.plan.risk_scheme, new.plan.risk_scheme
    for key, (risk, ws) in new_risks.items():
        if key not in old_risks:
            add(Change("added", "risk", key, risk.title, _label(ws), "Rating", new=_rating_text(risk, new_scheme)))
            continue
        before, after = _rating_text(old_risks[key][0], old_scheme), _rating_text(risk, new_scheme)
        if before != after:
            add(Change("changed", "risk", key, risk.title, _label(ws), "Rating", before, after))
    for key, (risk, ws) in old_risks.items():
        if key not in new_risks:
            add(Change("removed", "risk", key, risk.title, _label(ws), "Rating", old=_rating_text(risk, old_scheme)))

    diff.changes.sort(key=lambda c: order.get(c.group, len(order)))  # stable: keeps kind order within a group
    diff.changes.extend(_finance_changes(old, new))
    return diff


def _pounds(amount: Decimal) -> str:
    """Exact, in pounds: £20,590,000 or £21,076.50; no rounding hides a change."""
    return format_money(amount, "£", 2 if amount != amount.to_integral_value() else 0)


def _finance_figures(data: PlanData) -> dict[str, tuple[str, Decimal]]:
    """Each finance input present: a stable key -> (its label in words, the amount in pounds, so a
    change of unit is not a change). Every section is optional, as in the model."""
    finance = data.finance
    if finance is None:
        return {}
    figures: dict[str, tuple[str, Decimal]] = {}

    def add(key: str, label: str, amount: Decimal, unit: str) -> None:
        figures[key] = (label, to_pounds(amount, unit))

    if (history := finance.history) is not None:
        add("Balance brought into the first year", "Balance brought into the first year", history.opening_balance, history.unit)
        for year in history.years:
            for name, amount in (("Income", year.income), ("Spending", year.expenditure), ("Other schools grant underspend", year.other_underspend)):
                add(f"{name}, {year.year}", f"{name}, {year.year}", amount, history.unit)
    if (forecast := finance.forecast) is not None:
        for expected in forecast.years:
            add(f"Expected spending, {expected.year}", f"Expected spending, {expected.year}", expected.spend, forecast.unit)
            add(f"Funding gap for the year, {expected.year}", f"Funding gap for the year, {expected.year}", expected.funding_gap, forecast.unit)
    # Cost lines and contingency items by id, so rewording an item is not a removal and an addition.
    if (cost_plan := finance.cost_plan) is not None:
        for line in cost_plan.lines:
            for cost_year, amount in line.amounts.items():
                add(f"cost {line.id} {cost_year}", f"Cost plan: {line.item}, {cost_year}", amount, cost_plan.unit)
    if (contingency := finance.contingency) is not None:
        for row in contingency_totals(contingency).rows:
            for name, value in (("high", row.high), ("low", row.low)):
                figures[f"contingency {row.id} {name}"] = (f"Contingency, {name} figure: {row.item}", value.amount)
    return figures


def _finance_changes(old: PlanData, new: PlanData) -> list[Change]:
    before, after = _finance_figures(old), _finance_figures(new)
    changes = []
    for key, (label, value) in after.items():
        if key not in before:
            changes.append(Change("added", "finance", key, label, FINANCE_GROUP, "Amount", new=_pounds(value)))
        elif before[key][1] != value:
            changes.append(Change("changed", "finance", key, label, FINANCE_GROUP, "Amount", _pounds(before[key][1]), _pounds(value)))
    changes += [
        Change("removed", "finance", key, label, FINANCE_GROUP, "Amount", old=_pounds(value))
        for key, (label, value) in before.items()
        if key not in after
    ]
    return changes


# --- Words ---------------------------------------------------------------------------------------


def describe(change: Change) -> str:
    """One line in plain English, with the old and the new value."""
    if change.area == "finance":
        subject = f"figure '{change.item}'"
    else:
        subject = f"{AREA_WORDS[change.area].lower()} {change.item_id} ({change.item})"
    what = f"{change.field.lower()} " if change.field else ""
    if change.kind == "added":
        return f"Added {subject}: {what}{change.new}"
    if change.kind == "removed":
        return f"Removed {subject}: {what}was {change.old}"
    return f"Changed {what}of {subject}: from {change.old} to {change.new}"


def _things(n: int, one: str, many: str) -> str:
    # Easy Read avoids numbers of 1,000 or more.
    return f"{n if n < 1000 else 'many'} {one if n == 1 else many}"


def easy_read_sentences(diff: PlanDiff) -> list[str]:
    """Short sentences for Easy Read: one idea each, at most 15 words, no brackets or semicolons."""
    if not diff:
        return ["Nothing in the plan has changed since last time."]
    count = diff.count
    lines: list[tuple[int, str]] = [
        (count("added", "activity"), "We added {} to do."),
        (count("removed", "activity"), "We took away {} to do."),
        (count("changed", "activity", "Lead"), "We changed who leads {}."),
        (count("changed", "activity", "Status"), "We changed how far we have got with {}."),
        (count("changed", "activity", "Due"), "We changed when we will finish {}."),
        (count("changed", "activity", "What we will do"), "We changed the words for {} to do."),
        (count("changed", "activity", "Workstream"), "We moved {} to another part of the plan."),
    ]
    sentences = [
        template.format(_things(n, "new thing" if "added" in template else "thing", "new things" if "added" in template else "things"))
        for n, template in lines
        if n
    ]
    measures = count("added", "measure") + count("removed", "measure") + count("changed", "measure")
    if measures:
        sentences.append(f"We changed how we check {_things(measures, 'thing', 'things')} are working.")
    risks = Counter(c.kind for c in diff.changes if c.area == "risk")
    if risks["added"]:
        sentences.append(f"We found {_things(risks['added'], 'new risk', 'new risks')}.")
    if risks["removed"]:
        sentences.append(f"We took away {_things(risks['removed'], 'risk', 'risks')}.")
    if risks["changed"]:
        sentences.append(f"We changed how big {_things(risks['changed'], 'risk is', 'risks are')}.")
    if any(c.area == "finance" for c in diff.changes):
        sentences.append("We changed some of the money figures.")
    return sentences


# --- Reading a version ---------------------------------------------------------------------------


def _read_checked(data_dir: Path, shown: str) -> PlanData:
    loaded = check_plan(data_dir)
    if loaded.data is None or loaded.problems.errors:
        errors = [p for p in loaded.problems.sorted() if p.severity == "error"]
        first = f": {errors[0].field + ': ' if errors[0].field else ''}{errors[0].message}" if errors else ""
        raise VersionError(one_line(f"the data of {shown} has {len(errors)} error(s){first}"))
    return loaded.data


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise VersionError(f"cannot run git: {error}") from None


def load_version(spec: str, repo: Path | str = ".", data_path: str = "data") -> PlanData:
    """The plan data of `spec`: a directory of plan data if one exists at that path (relative to
    `repo`), otherwise a git ref of the repository at `repo`, whose data is at `data_path`.
    Raises VersionError when it cannot be read."""
    repo = Path(repo)
    directory = Path(spec) if Path(spec).is_absolute() else repo / spec
    if directory.is_dir():
        return _read_checked(directory, f"directory {spec}")
    commit = _git(repo, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
    if commit.returncode != 0:
        raise VersionError(f"'{spec}' is neither a directory nor a git ref (branch, tag or commit) in {repo}")
    archive = _git(repo, "archive", "--format=tar", commit.stdout.decode().strip(), "--", data_path)
    if archive.returncode != 0:
        raise VersionError(f"git ref '{spec}' has no '{data_path}' directory (use --data-path to name it)")
    with tempfile.TemporaryDirectory(prefix="clearplan-version-") as temp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(temp, filter="data")  # the "data" filter refuses links and paths outside temp
        return _read_checked(Path(temp) / data_path, f"git ref '{spec}'")
