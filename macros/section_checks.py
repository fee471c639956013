"""Checks for the optional sections of a plan: plan-wide risks, the cost plan, facts, the programme
(timeline and milestones) and the equality impact. Called by `check.check_plan`."""

from __future__ import annotations

from pathlib import Path

from .check import _problem, _rating_problem, _unique
from .compute import grid_rating, rating
from .dates import PartialDate
from .facts import fact_conflicts, same_value
from .loading import LoadedPlan
from .model import PlanData, financial_year_start


def check_sections(loaded: LoadedPlan, data_dir: Path, ids: dict[str, str]) -> None:
    data = loaded.data
    assert data is not None
    problems = loaded.problems

    def source(name: str):
        return loaded.sources.get(str(data_dir / name))

    risks_file = source("risks.yaml")
    for r, risk in enumerate(data.risks):
        _unique(ids, risk.id, risks_file, (r, "id"), f"[{r}].id", problems)
        if rating(risk, data.plan.risk_scheme) is None:
            problems.add(_problem(risks_file, (r, "rating"), "error", f"[{r}].rating", _rating_problem(risk.rating, data.plan.risk_scheme)))

    finance_file = source("finance.yaml")
    if data.finance is not None and data.finance.cost_plan is not None:
        plan = data.finance.cost_plan
        for index in range(1, len(plan.years)):
            if financial_year_start(plan.years[index]) != financial_year_start(plan.years[index - 1]) + 1:
                problems.add(_problem(finance_file, ("cost_plan", "years", index), "error", f"cost_plan.years[{index}]",
                                      f"{plan.years[index]} should follow {plan.years[index - 1]}"))
        seen: dict[str, int] = {}
        for index, line in enumerate(plan.lines):
            if line.id in seen:
                problems.add(_problem(finance_file, ("cost_plan", "lines", index, "id"), "error", f"cost_plan.lines[{index}].id",
                                      f"line id '{line.id}' is also used by line {seen[line.id] + 1}"))
            seen.setdefault(line.id, index)
            for year in line.amounts:
                if year not in plan.years:
                    problems.add(_problem(finance_file, ("cost_plan", "lines", index, "amounts", year), "error",
                                          f"cost_plan.lines[{index}].amounts", f"'{year}' is not one of the cost plan's years ({', '.join(plan.years)})"))
        for year in plan.stated_year_totals:
            if year not in plan.years:
                problems.add(_problem(finance_file, ("cost_plan", "stated_year_totals", year), "error", "cost_plan.stated_year_totals",
                                      f"'{year}' is not one of the cost plan's years ({', '.join(plan.years)})"))

    facts_file = source("facts.yaml")
    for conflict in fact_conflicts(data.facts):
        (_, first), *others = conflict.statements
        for index, fact in others:
            if not same_value(fact.value, first.value):
                problems.add(_problem(facts_file, (index, "value"), "warning", f"[{index}].value",
                                      f"'{conflict.label}' is stated as {fact.value} here ({fact.source}) but as {first.value} "
                                      f"in {first.source}; find out which is right"))

    _check_programme(loaded, data, source("programme.yaml"))

    equality_file = source("equality.yaml")
    if data.equality is not None:
        scheme = data.equality.scheme
        for index, action in enumerate(data.equality.actions):
            if scheme is None or grid_rating(action.rating, scheme) is None:
                message = ("rate an action only with a 'scheme' to look it up in" if scheme is None
                           else _rating_problem(action.rating, scheme))
                problems.add(_problem(equality_file, ("actions", index, "rating"), "error", f"actions[{index}].rating", message))


def programme_start(data: PlanData) -> PartialDate:
    """When the programme starts: its timeline's first month, or else the start of its first year."""
    programme = data.programme
    if programme is not None and programme.timeline is not None:
        year, month = programme.timeline.start.split("-")
        return PartialDate(int(year), int(month))
    if data.plan.period is None:
        return PartialDate(None, None)
    return PartialDate(financial_year_start(data.plan.period.start), 4)


def _check_programme(loaded: LoadedPlan, data: PlanData, file) -> None:
    programme, problems = data.programme, loaded.problems
    if programme is None:
        return
    start = programme_start(data)
    workstream_ids = {w.id for w in data.workstreams}
    timeline = programme.timeline
    if timeline is not None:
        if timeline.end < timeline.start:
            problems.add(_problem(file, ("timeline", "end"), "error", "timeline.end", f"the timeline ends ({timeline.end}) before it starts ({timeline.start})"))
        for index, row in enumerate(timeline.rows):
            where = ("timeline", "rows", index)
            if row.workstream and row.workstream not in workstream_ids:
                problems.add(_problem(file, where + ("workstream",), "error", f"timeline.rows[{index}].workstream",
                                      f"unknown workstream '{row.workstream}'; known: {', '.join(sorted(workstream_ids))}"))
            if not timeline.start <= row.start <= timeline.end:
                problems.add(_problem(file, where + ("start",), "error", f"timeline.rows[{index}].start",
                                      f"{row.start} is outside the timeline ({timeline.start} to {timeline.end})"))
            if row.end is not None and not row.start <= row.end <= timeline.end:
                problems.add(_problem(file, where + ("end",), "error", f"timeline.rows[{index}].end",
                                      f"{row.end} must fall between the row's start ({row.start}) and the timeline's end ({timeline.end})"))
        for index, term in enumerate(timeline.terms):
            if not timeline.start <= term.start <= term.end <= timeline.end:
                problems.add(_problem(file, ("timeline", "terms", index), "error", f"timeline.terms[{index}]",
                                      f"the term {term.name!r} must run forwards within the timeline ({timeline.start} to {timeline.end})"))
    for g, group in enumerate(programme.milestone_groups):
        dated = [(("milestone_groups", g, "starts"), f"milestone_groups[{g}].starts", group.starts)] if group.starts else []
        dated += [(("milestone_groups", g, "milestones", m, "when"), f"milestone_groups[{g}].milestones[{m}].when", milestone.when)
                  for m, milestone in enumerate(group.milestones)]
        for loc, field, when in dated:
            if when.as_written:  # a relative or seasonal timing: no date to check
                continue
            if not when.has_year:
                problems.add(_problem(file, loc, "warning", field, f"'{when.text}' has no year; the site shows it as '{when.words()}'"))
            elif when.start.month_key() and start.month_key() and when.start.month_key() < start.month_key():  # type: ignore[operator]
                problems.add(_problem(file, loc, "warning", field,
                                      f"'{when.text}' ({when.words()}) is before the programme starts ({start.words()}); is the year right?"))
