"""The check: every rule a plan must meet beyond its shape, reported as Problems."""

from __future__ import annotations

from pathlib import Path

from ..figures.compute import figure_checks, rating
from .easy_read import PICTURES_DIR, lint_easy_read, load_pictures
from ..figures.figure_tables import figure_problems
from ..plan.loading import LoadedPlan, SourceFile, load_plan, problem_at
from ..plan.money import format_money
from ..plan.problems import Problems
from .review import review_problems
from .section_checks import RULES, Checked, rating_problem, unique_id
from .you_said import check_you_said


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
            problems.add(problem_at(plan_file, ("organisations", index, "id"), "error",
                                    f"organisation id '{org.id}' is used twice; ids must be unique"))
        seen_orgs[org.id] = index
    if data.plan.council not in organisations:
        problems.add(problem_at(plan_file, ("council",), "error", f"'{data.plan.council}' is not one of the organisations ({', '.join(sorted(organisations))})"))
    for index, author in enumerate(data.plan.authors):
        if author not in organisations:
            problems.add(problem_at(plan_file, ("authors", index), "error",
                                    f"'{author}' is not one of the organisations ({', '.join(sorted(organisations))})"))

    checked = Checked(loaded, Path(data_dir))
    ids = checked.ids
    numbers: dict[int, str] = {}
    workstream_ids = {w.id for w in data.workstreams}
    scheme = data.plan.risk_scheme
    for workstream, path in zip(data.workstreams, loaded.workstream_files):
        source = loaded.sources[path]
        if workstream.id in ids:
            problems.add(problem_at(source, ("id",), "error", f"workstream id '{workstream.id}' is also used in {ids[workstream.id]}"))
        ids[workstream.id] = source.path
        if workstream.number is not None:
            if workstream.number in numbers:
                problems.add(problem_at(source, ("number",), "warning",
                                        f"workstream number {workstream.number} is also used by '{numbers[workstream.number]}'; kept as the source numbers it"))
            numbers.setdefault(workstream.number, workstream.id)
        for index, lead in enumerate(workstream.leads):
            if lead.organisation and lead.organisation not in organisations:
                problems.add(problem_at(source, ("leads", index, "organisation"), "error",
                                        f"unknown organisation '{lead.organisation}'; known: {', '.join(sorted(organisations))}"))
        for g, group in enumerate(workstream.activity_groups):
            for a, activity in enumerate(group.activities):
                unique_id(checked, activity.id, source, ("activity_groups", g, "activities", a, "id"))
        for m, measure in enumerate(workstream.measures):
            unique_id(checked, measure.id, source, ("measures", m, "id"))
        for r, risk in enumerate(workstream.risks):
            unique_id(checked, risk.id, source, ("risks", r, "id"))
            if rating(risk, scheme) is None:
                problems.add(problem_at(source, ("risks", r, "rating"), "error", rating_problem(risk.rating, scheme)))

    if data.finance is not None:
        finance_path = str(Path(data_dir) / "finance.yaml")
        finance_file = loaded.sources[finance_path]
        for index, opportunity in enumerate(data.finance.opportunities):
            if opportunity.workstream not in workstream_ids:
                problems.add(problem_at(finance_file, ("opportunities", index, "workstream"), "error",
                                        f"unknown workstream '{opportunity.workstream}'; known: {', '.join(sorted(workstream_ids))}"))
        for section in ("history", "forecast"):
            if getattr(data.finance, section) is not None:
                _consecutive_years(getattr(data.finance, section).years, finance_file, section, problems)

    statement = data.accessibility
    if statement is not None and statement.run_by not in organisations:
        problems.add(problem_at(loaded.sources[str(Path(data_dir) / "accessibility.yaml")], ("run_by",), "error",
                                f"unknown organisation '{statement.run_by}'; known: {', '.join(sorted(organisations))}"))
    # The sections' rules: plan-wide risks, costs, facts, the programme, equality impact, placeholders.
    for run in RULES.values():
        run(checked)
    if data.finance is not None and not any(p.severity == "error" and p.path == finance_file.path for p in problems.items):
        # Stated figures are compared only once finance.yaml is otherwise sound: the worked-out
        # tables assume its years and amounts are consistent.
        for check in figure_checks(data, finance_path):
            if check.differs:
                show = (lambda v: format_money(v)) if check.is_money else (lambda v: f"{v:,}")
                problems.add(problem_at(finance_file, check.loc, "warning",
                                        f"{check.label}: the source states {show(check.stated)} but its inputs give {show(check.computed)} "
                                        f"(a difference of {show(abs(check.difference))}); the site shows the computed figure"))
    problems.extend(figure_problems(loaded, data_dir))

    glossary_file = loaded.sources.get(str(Path(data_dir) / "glossary.yaml"))
    terms: dict[str, int] = {}
    for index, term in enumerate(data.glossary):
        key = term.term.casefold()
        if key in terms and glossary_file:
            problems.add(problem_at(glossary_file, (index, "term"), "error", f"'{term.term}' is already defined at entry {terms[key] + 1}"))
        terms.setdefault(key, index)
    check_you_said(loaded, data_dir, problems)
    problems.extend(review_problems(loaded))
    problems.extend(lint_easy_read(loaded, data_dir, load_pictures(pictures_dir)))
    return loaded


def _consecutive_years(years, source: SourceFile, section: str, problems: Problems) -> None:
    for index in range(1, len(years)):
        previous, current = int(years[index - 1].year[:4]), int(years[index].year[:4])
        if current != previous + 1:
            problems.add(problem_at(source, (section, "years", index, "year"), "error",
                                    f"{years[index].year} should follow {years[index - 1].year} (expected {previous + 1}/{(previous + 2) % 100:02d})"))
