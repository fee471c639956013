"""The check: every rule a plan must meet beyond its shape, reported as Problems."""

from __future__ import annotations

from pathlib import Path

from .compute import figure_checks, rating
from .easy_read import PICTURES_DIR, lint_easy_read, load_pictures
from .loading import LoadedPlan, SourceFile, load_plan
from .model import GridRating, LevelRating, LevelScheme, LookupGridScheme, ProductScheme
from .money import format_money
from .problems import Problem, Problems
from .you_said import check_you_said
from .review import review_problems


def _problem(source: SourceFile, loc: tuple, severity: str, field: str, message: str) -> Problem:
    line, column = source.where(loc)
    return Problem(source.path, line, column, severity, field, message)  # type: ignore[arg-type]


def check_plan(data_dir: Path | str, pictures_dir: Path | str = PICTURES_DIR) -> LoadedPlan:
    """Load, validate and check a plan; the returned problems hold everything found.
    `pictures_dir` holds the Easy Read pictures and their manifest."""
    loaded = load_plan(data_dir)
    if loaded.data is None:
        return loaded
    data, problems = loaded.data, loaded.problems
    plan_file = loaded.sources[str(Path(data_dir) / "plan.yaml")]
    organisations = {org.id for org in data.plan.organisations}

    seen_orgs: dict[str, int] = {}
    for index, org in enumerate(data.plan.organisations):
        if org.id in seen_orgs:
            problems.add(_problem(plan_file, ("organisations", index, "id"), "error", f"organisations[{index}].id",
                                  f"organisation id '{org.id}' is used twice; ids must be unique"))
        seen_orgs[org.id] = index
    if data.plan.council not in organisations:
        problems.add(_problem(plan_file, ("council",), "error", "council", f"'{data.plan.council}' is not one of the organisations ({', '.join(sorted(organisations))})"))

    ids: dict[str, str] = {}
    numbers: dict[int, str] = {}
    workstream_ids = {w.id for w in data.workstreams}
    scheme = data.plan.risk_scheme
    for workstream, path in zip(data.workstreams, loaded.workstream_files):
        source = loaded.sources[path]
        if workstream.id in ids:
            problems.add(_problem(source, ("id",), "error", "id", f"workstream id '{workstream.id}' is also used in {ids[workstream.id]}"))
        ids[workstream.id] = source.path
        if workstream.number is not None:
            if workstream.number in numbers:
                problems.add(_problem(source, ("number",), "warning", "number",
                                      f"workstream number {workstream.number} is also used by '{numbers[workstream.number]}'; kept as the source numbers it"))
            numbers.setdefault(workstream.number, workstream.id)
        for index, lead in enumerate(workstream.leads):
            if lead.organisation and lead.organisation not in organisations:
                problems.add(_problem(source, ("leads", index, "organisation"), "error", f"leads[{index}].organisation",
                                      f"unknown organisation '{lead.organisation}'; known: {', '.join(sorted(organisations))}"))
        for g, group in enumerate(workstream.activity_groups):
            for a, activity in enumerate(group.activities):
                _unique(ids, activity.id, source, ("activity_groups", g, "activities", a, "id"), f"activity_groups[{g}].activities[{a}].id", problems)
        for m, measure in enumerate(workstream.measures):
            _unique(ids, measure.id, source, ("measures", m, "id"), f"measures[{m}].id", problems)
        for r, risk in enumerate(workstream.risks):
            _unique(ids, risk.id, source, ("risks", r, "id"), f"risks[{r}].id", problems)
            if rating(risk, scheme) is None:
                problems.add(_problem(source, ("risks", r, "rating"), "error", f"risks[{r}].rating", _rating_problem(risk.rating, scheme)))

    if data.finance is not None:
        finance_path = str(Path(data_dir) / "finance.yaml")
        finance_file = loaded.sources[finance_path]
        for index, opportunity in enumerate(data.finance.opportunities):
            if opportunity.workstream not in workstream_ids:
                problems.add(_problem(finance_file, ("opportunities", index, "workstream"), "error", f"opportunities[{index}].workstream",
                                      f"unknown workstream '{opportunity.workstream}'; known: {', '.join(sorted(workstream_ids))}"))
        for section in ("history", "forecast"):
            if getattr(data.finance, section) is not None:
                _consecutive_years(getattr(data.finance, section).years, finance_file, section, problems)
        for check in figure_checks(data, finance_path):
            if check.differs:
                show = (lambda v: format_money(v)) if check.is_money else (lambda v: f"{v:,}")
                problems.add(_problem(finance_file, check.loc, "warning", ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in check.loc).replace(".[", "["),
                                      f"{check.label}: the source states {show(check.stated)} but its inputs give {show(check.computed)} "
                                      f"(a difference of {show(abs(check.difference))}); the site shows the computed figure"))

    statement = data.accessibility
    if statement is not None and statement.run_by not in organisations:
        problems.add(_problem(loaded.sources[str(Path(data_dir) / "accessibility.yaml")], ("run_by",), "error", "run_by",
                              f"unknown organisation '{statement.run_by}'; known: {', '.join(sorted(organisations))}"))
    # Plan-wide risks, costs, facts, milestones, the timeline and equality impact.
    from .section_checks import check_sections

    check_sections(loaded, Path(data_dir), ids)

    glossary_file = loaded.sources.get(str(Path(data_dir) / "glossary.yaml"))
    terms: dict[str, int] = {}
    for index, term in enumerate(data.glossary):
        key = term.term.casefold()
        if key in terms and glossary_file:
            problems.add(_problem(glossary_file, (index, "term"), "error", f"[{index}].term", f"'{term.term}' is already defined at entry {terms[key] + 1}"))
        terms.setdefault(key, index)
    check_you_said(loaded, data_dir, problems)
    problems.extend(review_problems(loaded))
    from .skeleton import placeholder_problems  # skeleton imports check for `clearplan new`
    problems.extend(placeholder_problems(loaded))
    problems.extend(lint_easy_read(loaded, data_dir, load_pictures(pictures_dir)))
    return loaded


def _unique(ids: dict[str, str], value: str, source: SourceFile, loc: tuple, field: str, problems: Problems) -> None:
    if value in ids:
        problems.add(_problem(source, loc, "error", field, f"id '{value}' is already used in {ids[value]}; ids must be unique across the plan"))
    else:
        ids[value] = source.path


def _rating_problem(given, scheme: LevelScheme | ProductScheme | LookupGridScheme) -> str:
    if isinstance(scheme, LookupGridScheme):
        if not isinstance(given, GridRating):
            return f"this scheme rates by looking up a grid; write 'row:' ({scheme.row_label}) and 'column:' ({scheme.column_label})"
        return (f"'{given.row}' × '{given.column}' is not in the grid; rows: {', '.join(scheme.rows)}; "
                f"columns: {', '.join(scheme.columns)}")
    if isinstance(scheme, LevelScheme):
        names = ", ".join(level.name for level in scheme.levels)
        if not isinstance(given, LevelRating):
            return f"this plan rates risks by level ({names}); write 'level: <name>' instead of likelihood and impact"
        return f"unknown risk level '{given.level}'; the plan's levels are {names}"
    if isinstance(given, LevelRating | GridRating):
        return f"this plan rates risks as likelihood × impact; write likelihood and impact from 1 to {scheme.scale_max}"
    return f"likelihood and impact must each be from 1 to {scheme.scale_max}"


def _consecutive_years(years, source: SourceFile, section: str, problems: Problems) -> None:
    for index in range(1, len(years)):
        previous, current = int(years[index - 1].year[:4]), int(years[index].year[:4])
        if current != previous + 1:
            problems.add(_problem(source, (section, "years", index, "year"), "error", f"{section}.years[{index}].year",
                                  f"{years[index].year} should follow {years[index - 1].year} (expected {previous + 1}/{(previous + 2) % 100:02d})"))
