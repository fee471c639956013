"""Mistakes in the optional sections (plan-wide risks, cost plan, timeline, milestones, equality)
are errors at their file and line, and every page renders from the data in-process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clearplan.checks.check import check_plan
from clearplan.site.render import PlanView, Renderer

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "cambridgeshire" / "data"


def _with_change(tmp_path: Path, file: str, old: str, new: str) -> list[str]:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return [str(p) for p in check_plan(data).problems.errors]


@pytest.mark.parametrize(
    "file, old, new, message",
    [
        ("finance.yaml", "amounts: {2022/23: 28600}", "amounts: {2024/25: 28600}", "'2024/25' is not one of the cost plan's years"),
        (
            "finance.yaml",
            "id: area-senco\n      item: Area SENCO\n      rationale: Puts",
            "id: semh-lead\n      item: Area SENCO\n      rationale: Puts",
            "line id 'semh-lead' is also used by line 6",
        ),
        ("finance.yaml", "years: [2021/22, 2022/23, 2023/24]", "years: [2021/22, 2023/24, 2022/23]", "2023/24 should follow 2021/22"),
        (
            "finance.yaml",
            "stated_year_totals: {2021/22: 220852,",
            "stated_year_totals: {2020/21: 220852,",
            "'2020/21' is not one of the cost plan's years",
        ),
        ("finance.yaml", "low: {amount: 56251}", "low: {alternative: 56251}", "an uplift needs both alternative and base"),
        ("risks.yaml", "rating: {impact: 3, likelihood: 3}", "rating: {level: High}", "this plan rates risks as likelihood × impact"),
        ("risks.yaml", "rating: {impact: 3, likelihood: 4}", "rating: {impact: 3, likelihood: 6}", "likelihood and impact must each be from 1 to 5"),
        ("risks.yaml", "- id: new-members", "- id: partner-capacity", "id 'partner-capacity' is already used"),
        (
            "programme.yaml",
            "{label: Valuing SEND, workstream: valuing-send, start: 2022-07}",
            "{label: Valuing SEND, workstream: valuing, start: 2022-07}",
            "unknown workstream 'valuing'",
        ),
        (
            "programme.yaml",
            "{label: Valuing SEND, workstream: valuing-send, start: 2022-07}",
            "{label: Valuing SEND, start: 2024-07}",
            "2024-07 is outside the timeline",
        ),
        (
            "programme.yaml",
            'end: 2023-08\n      basis: "Milestone: tuition',
            'end: 2022-01\n      basis: "Milestone: tuition',
            "2022-01 must fall between the row's start",
        ),
        (
            "programme.yaml",
            "{name: Autumn term 2023, start: 2023-09, end: 2023-12}",
            "{name: Autumn term 2023, start: 2023-09, end: 2024-12}",
            "must run forwards within the timeline",
        ),
        ("programme.yaml", "  end: 2023-12\n  terms:", "  end: 2021-01\n  terms:", "the timeline ends (2021-01) before it starts"),
        (
            "equality.yaml",
            "actions: []",
            "actions:\n  - {impact: Less time, groups: [Staff], rating: {row: Sometimes, column: Minor}, action: Plan}",
            "'Sometimes' × 'Minor' is not in the grid",
        ),
        ("equality.yaml", "    - [L, L, M, M]", "    - [L, L, M, X]", "row 'Unlikely' uses 'X', which is not a level code"),
    ],
)
def test_section_mistakes_are_errors_at_their_line(tmp_path, file, old, new, message):
    errors = _with_change(tmp_path, file, old, new)
    assert any(f"{file}:" in e and message in e for e in errors), errors


def test_equality_actions_need_a_scheme(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    path = data / "equality.yaml"
    text = path.read_text(encoding="utf-8")
    text = (
        text[: text.index("scheme:\n")] + "actions:\n  - {impact: Less time, groups: [Staff], rating: {row: Unlikely, column: Minor}, action: Plan}\n"
    )
    path.write_text(text, encoding="utf-8")
    errors = [str(p) for p in check_plan(data).problems.errors]
    assert any("rate an action only with a 'scheme'" in e for e in errors), errors


def test_an_equality_action_is_rated_on_the_grid_and_shown(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    path = data / "equality.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "actions: []",
            "actions:\n  - {impact: Less time for staff, groups: [SEND Service staff], rating: {row: More than likely, column: Serious}, action: Plan extra staff}",
        ),
        encoding="utf-8",
    )
    loaded = check_plan(data)
    assert not loaded.problems.errors
    view = PlanView(loaded.data, loaded.files)
    assert view.equality_rating(loaded.data.equality.actions[0]).name == "High"
    html = Renderer(view).page("equality", root="")
    assert '<th scope="row">Less time for staff</th><td>SEND Service staff</td><td>High</td><td>Plan extra staff</td>' in html


@pytest.mark.parametrize(
    "plan_dir, pages",
    [
        (ROOT / "data", ["home", "workstreams", "risks", "finance", "figures_check", "measures", "glossary", "about"]),
        (EXAMPLE, ["home", "workstreams", "risks", "finance", "figures_check", "programme_plan", "milestones", "equality", "glossary", "about"]),
    ],
)
def test_every_page_renders_in_process_without_template_text(plan_dir, pages):
    loaded = check_plan(plan_dir)
    view = PlanView(loaded.data, loaded.files)
    renderer = Renderer(view)
    for name in pages:
        html = renderer.page(name, root="")
        assert html.strip() and "{{" not in html and "{%" not in html, name
    for ws in view.workstreams:
        html = renderer.page("workstream", root="../", ws=ws)
        assert view.workstream_label(ws) in html.replace("\\", "")
