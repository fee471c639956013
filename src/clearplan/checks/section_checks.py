"""The check's rules for the sections of a plan, as a registry: each rule has a name (which
`sections.SECTIONS` cites) and one signature, `rule(checked)`, and names a problem's field one way,
from where it is (`loading.problem_at`). `check.check_plan` runs every rule, in the order of `RULES`
at the end: ids are recorded as they are met, and the stated figures are compared only once finance.yaml
is otherwise sound."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..figures.compute import figure_checks, grid_rating, rating
from ..figures.facts import fact_conflicts, same_value
from ..figures.figure_tables import figure_problems
from ..figures.tags import check_tags
from ..plan.dates import PartialDate
from ..plan.loading import LoadedPlan, Loc, SourceFile, problem_at
from ..plan.model import (
    GridRating,
    LevelRating,
    LevelScheme,
    LookupGridScheme,
    PlanData,
    ProductScheme,
    WordsRating,
    WordsScheme,
    financial_year_start,
)
from ..plan.money import format_money
from ..plan.problems import Problems
from .easy_read import PICTURES_DIR, lint_easy_read, load_pictures
from .review import review_problems
from .you_said import check_you_said


@dataclass
class Checked:
    """What every rule reads: the loaded plan, where its files are, and the ids seen so far (ids are
    unique across the whole plan)."""

    loaded: LoadedPlan
    data_dir: Path
    pictures_dir: Path = PICTURES_DIR  # the Easy Read pictures and their manifest
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def data(self) -> PlanData:
        assert self.loaded.data is not None
        return self.loaded.data

    @property
    def problems(self) -> Problems:
        return self.loaded.problems

    def source(self, name: str) -> SourceFile | None:
        """A data file the plan has, by its name under data/ (sections.DATA_FILES)."""
        return self.loaded.sources.get(str(self.data_dir / name))

    @property
    def organisations(self) -> set[str]:
        return {org.id for org in self.data.plan.organisations}

    def unknown_organisation(self, source: SourceFile, loc: Loc, given: str) -> None:
        self.problems.add(problem_at(source, loc, "error", f"unknown organisation '{given}'; known: {', '.join(sorted(self.organisations))}"))


Rule = Callable[[Checked], None]


def unique_id(checked: Checked, value: str, source: SourceFile, loc: Loc) -> None:
    """Record an id, or report it when another part of the plan already uses it."""
    if value in checked.ids:
        checked.problems.add(
            problem_at(source, loc, "error", f"id '{value}' is already used in {checked.ids[value]}; ids must be unique across the plan")
        )
    else:
        checked.ids[value] = source.path


def rating_problem(given: Any, scheme: LevelScheme | ProductScheme | LookupGridScheme | WordsScheme) -> str:
    """Why a rating does not fit the plan's scheme, in the scheme's own words."""
    if isinstance(scheme, WordsScheme):
        allowed = f"likelihood: {', '.join(scheme.likelihood)}; impact: {', '.join(scheme.impact)}"
        if not isinstance(given, WordsRating):
            return f"this plan rates risks with words; write 'likelihood:' and 'impact:' as words ({allowed})"
        wrong = [
            f"'{word}' is not {part} word"
            for part, word, words in (("a likelihood", given.likelihood, scheme.likelihood), ("an impact", given.impact, scheme.impact))
            if word not in words
        ]
        return f"{' and '.join(wrong)}; the plan's words are {allowed}"
    if isinstance(scheme, LookupGridScheme):
        if not isinstance(given, GridRating):
            return f"this scheme rates by looking up a grid; write 'row:' ({scheme.row_label}) and 'column:' ({scheme.column_label})"
        return f"'{given.row}' × '{given.column}' is not in the grid; rows: {', '.join(scheme.rows)}; columns: {', '.join(scheme.columns)}"
    if isinstance(scheme, LevelScheme):
        names = ", ".join(level.name for level in scheme.levels)
        if not isinstance(given, LevelRating):
            return f"this plan rates risks by level ({names}); write 'level: <name>' instead of likelihood and impact"
        return f"unknown risk level '{given.level}'; the plan's levels are {names}"
    if isinstance(given, LevelRating | GridRating | WordsRating):
        return f"this plan rates risks as likelihood × impact; write likelihood and impact from 1 to {scheme.scale_max}"
    return f"likelihood and impact must each be from 1 to {scheme.scale_max}"


def _organisations(checked: Checked) -> None:
    data, problems, plan_file = checked.data, checked.problems, checked.source("plan.yaml")
    assert plan_file is not None
    organisations = checked.organisations
    seen: dict[str, int] = {}
    for index, org in enumerate(data.plan.organisations):
        if org.id in seen:
            problems.add(
                problem_at(plan_file, ("organisations", index, "id"), "error", f"organisation id '{org.id}' is used twice; ids must be unique")
            )
        seen[org.id] = index
    if data.plan.council not in organisations:
        problems.add(
            problem_at(
                plan_file, ("council",), "error", f"'{data.plan.council}' is not one of the organisations ({', '.join(sorted(organisations))})"
            )
        )
    for index, author in enumerate(data.plan.authors):
        if author not in organisations:
            problems.add(
                problem_at(plan_file, ("authors", index), "error", f"'{author}' is not one of the organisations ({', '.join(sorted(organisations))})")
            )


def _workstreams(checked: Checked) -> None:
    data, problems, ids = checked.data, checked.problems, checked.ids
    numbers: dict[int, str] = {}
    scheme = data.plan.risk_scheme
    for workstream, path in zip(data.workstreams, checked.loaded.workstream_files):
        source = checked.loaded.sources[path]
        if workstream.id in ids:
            problems.add(problem_at(source, ("id",), "error", f"workstream id '{workstream.id}' is also used in {ids[workstream.id]}"))
        ids[workstream.id] = source.path
        if workstream.number is not None:
            if workstream.number in numbers:
                problems.add(
                    problem_at(
                        source,
                        ("number",),
                        "warning",
                        f"workstream number {workstream.number} is also used by '{numbers[workstream.number]}'; kept as the source numbers it",
                    )
                )
            numbers.setdefault(workstream.number, workstream.id)
        for index, lead in enumerate(workstream.leads):
            if lead.organisation and lead.organisation not in checked.organisations:
                checked.unknown_organisation(source, ("leads", index, "organisation"), lead.organisation)
        for g, group in enumerate(workstream.activity_groups):
            for a, activity in enumerate(group.activities):
                unique_id(checked, activity.id, source, ("activity_groups", g, "activities", a, "id"))
        for m, measure in enumerate(workstream.measures):
            unique_id(checked, measure.id, source, ("measures", m, "id"))
        for r, risk in enumerate(workstream.risks):
            unique_id(checked, risk.id, source, ("risks", r, "id"))
            if rating(risk, scheme) is None:
                problems.add(problem_at(source, ("risks", r, "rating"), "error", rating_problem(risk.rating, scheme)))


def _finance(checked: Checked) -> None:
    finance, finance_file = checked.data.finance, checked.source("finance.yaml")
    if finance is None:
        return
    assert finance_file is not None
    workstream_ids = {w.id for w in checked.data.workstreams}
    for index, opportunity in enumerate(finance.opportunities):
        if opportunity.workstream not in workstream_ids:
            checked.problems.add(
                problem_at(
                    finance_file,
                    ("opportunities", index, "workstream"),
                    "error",
                    f"unknown workstream '{opportunity.workstream}'; known: {', '.join(sorted(workstream_ids))}",
                )
            )
    for section in ("history", "forecast"):
        ledger = getattr(finance, section)
        if ledger is None:
            continue
        years = ledger.years
        for index in range(1, len(years)):
            previous, current = int(years[index - 1].year[:4]), int(years[index].year[:4])
            if current != previous + 1:
                checked.problems.add(
                    problem_at(
                        finance_file,
                        (section, "years", index, "year"),
                        "error",
                        f"{years[index].year} should follow {years[index - 1].year} (expected {previous + 1}/{(previous + 2) % 100:02d})",
                    )
                )


def _accessibility_statement(checked: Checked) -> None:
    statement = checked.data.accessibility
    if statement is not None and statement.run_by not in checked.organisations:
        source = checked.source("accessibility.yaml")
        assert source is not None
        checked.unknown_organisation(source, ("run_by",), statement.run_by)


def _plan_wide_risks(checked: Checked) -> None:
    data, risks_file = checked.data, checked.source("risks.yaml")
    for r, risk in enumerate(data.risks):
        assert risks_file is not None
        unique_id(checked, risk.id, risks_file, (r, "id"))
        if rating(risk, data.plan.risk_scheme) is None:
            checked.problems.add(problem_at(risks_file, (r, "rating"), "error", rating_problem(risk.rating, data.plan.risk_scheme)))


def _cost_plan(checked: Checked) -> None:
    data, problems, finance_file = checked.data, checked.problems, checked.source("finance.yaml")
    if data.finance is not None and data.finance.cost_plan is not None:
        assert finance_file is not None
        plan = data.finance.cost_plan
        for index in range(1, len(plan.years)):
            if financial_year_start(plan.years[index]) != financial_year_start(plan.years[index - 1]) + 1:
                problems.add(
                    problem_at(finance_file, ("cost_plan", "years", index), "error", f"{plan.years[index]} should follow {plan.years[index - 1]}")
                )
        seen: dict[str, int] = {}
        for index, line in enumerate(plan.lines):
            if line.id in seen:
                problems.add(
                    problem_at(
                        finance_file, ("cost_plan", "lines", index, "id"), "error", f"line id '{line.id}' is also used by line {seen[line.id] + 1}"
                    )
                )
            seen.setdefault(line.id, index)
            for year in line.amounts:
                if year not in plan.years:
                    problems.add(
                        problem_at(
                            finance_file,
                            ("cost_plan", "lines", index, "amounts", year),
                            "error",
                            f"'{year}' is not one of the cost plan's years ({', '.join(plan.years)})",
                        )
                    )
        for year in plan.stated_year_totals:
            if year not in plan.years:
                problems.add(
                    problem_at(
                        finance_file,
                        ("cost_plan", "stated_year_totals", year),
                        "error",
                        f"'{year}' is not one of the cost plan's years ({', '.join(plan.years)})",
                    )
                )


def _facts(checked: Checked) -> None:
    facts_file = checked.source("facts.yaml")
    for conflict in fact_conflicts(checked.data.facts):
        (_, first), *others = conflict.statements
        for index, fact in others:
            if not same_value(fact.value, first.value):
                assert facts_file is not None
                checked.problems.add(
                    problem_at(
                        facts_file,
                        (index, "value"),
                        "warning",
                        f"'{conflict.label}' is stated as {fact.value} here ({fact.source}) but as {first.value} "
                        f"in {first.source}; find out which is right",
                    )
                )


def _equality_ratings(checked: Checked) -> None:
    equality, equality_file = checked.data.equality, checked.source("equality.yaml")
    if equality is None:
        return
    assert equality_file is not None
    scheme = equality.scheme
    for index, action in enumerate(equality.actions):
        if scheme is None or grid_rating(action.rating, scheme) is None:
            message = "rate an action only with a 'scheme' to look it up in" if scheme is None else rating_problem(action.rating, scheme)
            checked.problems.add(problem_at(equality_file, ("actions", index, "rating"), "error", message))


def programme_start(data: PlanData) -> PartialDate:
    """When the programme starts: its timeline's first month, or else the start of its first year."""
    programme = data.programme
    if programme is not None and programme.timeline is not None:
        year, month = programme.timeline.start.split("-")
        return PartialDate(int(year), int(month))
    if data.plan.period is None:
        return PartialDate(None, None)
    return PartialDate(financial_year_start(data.plan.period.start), 4)


def _programme(checked: Checked) -> None:
    data, problems, file = checked.data, checked.problems, checked.source("programme.yaml")
    programme = data.programme
    if programme is None:
        return
    assert file is not None
    start = programme_start(data)
    workstream_ids = {w.id for w in data.workstreams}
    timeline = programme.timeline
    if timeline is not None:
        if timeline.end < timeline.start:
            problems.add(problem_at(file, ("timeline", "end"), "error", f"the timeline ends ({timeline.end}) before it starts ({timeline.start})"))
        for index, row in enumerate(timeline.rows):
            where: Loc = ("timeline", "rows", index)
            if row.workstream and row.workstream not in workstream_ids:
                problems.add(
                    problem_at(
                        file, where + ("workstream",), "error", f"unknown workstream '{row.workstream}'; known: {', '.join(sorted(workstream_ids))}"
                    )
                )
            if not timeline.start <= row.start <= timeline.end:
                problems.add(
                    problem_at(file, where + ("start",), "error", f"{row.start} is outside the timeline ({timeline.start} to {timeline.end})")
                )
            if row.end is not None and not row.start <= row.end <= timeline.end:
                problems.add(
                    problem_at(
                        file,
                        where + ("end",),
                        "error",
                        f"{row.end} must fall between the row's start ({row.start}) and the timeline's end ({timeline.end})",
                    )
                )
        for index, term in enumerate(timeline.terms):
            if not timeline.start <= term.start <= term.end <= timeline.end:
                problems.add(
                    problem_at(
                        file,
                        ("timeline", "terms", index),
                        "error",
                        f"the term {term.name!r} must run forwards within the timeline ({timeline.start} to {timeline.end})",
                    )
                )
    for g, group in enumerate(programme.milestone_groups):
        dated: list[tuple[Loc, Any]] = [(("milestone_groups", g, "starts"), group.starts)] if group.starts else []
        dated += [(("milestone_groups", g, "milestones", m, "when"), milestone.when) for m, milestone in enumerate(group.milestones)]
        for loc, when in dated:
            if when.as_written:  # a relative or seasonal timing: no date to check
                continue
            if not when.has_year:
                problems.add(problem_at(file, loc, "warning", f"'{when.text}' has no year; the site shows it as '{when.words()}'"))
            elif when.start.month_key() and start.month_key() and when.start.month_key() < start.month_key():  # type: ignore[operator]
                problems.add(
                    problem_at(
                        file, loc, "warning", f"'{when.text}' ({when.words()}) is before the programme starts ({start.words()}); is the year right?"
                    )
                )


def _tags(checked: Checked) -> None:
    check_tags(checked.loaded, checked.data_dir)


# Text `clearplan new` writes for an officer to replace.
PLACEHOLDER = re.compile(r"^Write .+ here\.$")


def _placeholder_text(checked: Checked) -> None:
    """A warning for each "Write ... here." text left in a data file."""
    for source in checked.loaded.sources.values():
        for loc, _ in sorted(source.values.items(), key=lambda item: item[1]):
            value: Any = source.value
            for part in loc:
                value = value[part]
            if isinstance(value, str) and PLACEHOLDER.match(value.strip()):
                checked.problems.add(problem_at(source, loc, "warning", f"placeholder text left: '{value.strip()}'; write the real text"))


def _stated_figures(checked: Checked) -> None:
    finance_file = checked.source("finance.yaml")
    if finance_file is None or any(p.severity == "error" and p.path == finance_file.path for p in checked.problems.items):
        return  # the worked-out tables assume finance.yaml's years and amounts are consistent
    for check in figure_checks(checked.data, finance_file.path):
        if check.differs:
            show = format_money if check.is_money else (lambda v: f"{v:,}")
            checked.problems.add(
                problem_at(
                    finance_file,
                    check.loc,
                    "warning",
                    f"{check.label}: the source states {show(check.stated)} but its inputs give {show(check.computed)} "
                    f"(a difference of {show(abs(check.difference))}); the site shows the computed figure",
                )
            )


def _figure_tables(checked: Checked) -> None:
    checked.problems.extend(figure_problems(checked.loaded, checked.data_dir))


def _glossary(checked: Checked) -> None:
    glossary_file = checked.source("glossary.yaml")
    terms: dict[str, int] = {}
    for index, term in enumerate(checked.data.glossary):
        key = term.term.casefold()
        if key in terms and glossary_file:
            checked.problems.add(problem_at(glossary_file, (index, "term"), "error", f"'{term.term}' is already defined at entry {terms[key] + 1}"))
        terms.setdefault(key, index)


def _you_said(checked: Checked) -> None:
    check_you_said(checked.loaded, checked.data_dir, checked.problems)


def _review_dates(checked: Checked) -> None:
    checked.problems.extend(review_problems(checked.loaded))


def _easy_read(checked: Checked) -> None:
    checked.problems.extend(lint_easy_read(checked.loaded, checked.data_dir, load_pictures(checked.pictures_dir)))


# Every rule by its name, in the order check.check_plan runs them. A plain table rather than a
# decorator, so that mutation testing reaches the rules (mutmut leaves decorated functions alone).
RULES: dict[str, Rule] = {
    "organisations": _organisations,
    "workstreams": _workstreams,
    "finance": _finance,
    "accessibility statement": _accessibility_statement,
    "plan-wide risks": _plan_wide_risks,
    "cost plan": _cost_plan,
    "facts": _facts,
    "equality ratings": _equality_ratings,
    "programme": _programme,
    "tags": _tags,
    "placeholder text": _placeholder_text,
    "stated figures": _stated_figures,
    "figure tables": _figure_tables,
    "glossary": _glossary,
    "you said": _you_said,
    "review dates": _review_dates,
    "easy read": _easy_read,
}
