"""Checks of a site's pages against its data, so a new plan's first build says what is missing in
plain words instead of failing inside a template. Pure Python: no mkdocs import."""

from __future__ import annotations

import re
from pathlib import Path

from .model import PlanData

PAGE_CALL = re.compile(r"""clearplan_page\(\s*["']([^"']+)["']""")
# Page templates that show one section of the data, and the file that section comes from.
PAGE_SECTIONS = {
    "finance": ("finance", "finance.yaml"),
    "figures_check": ("finance", "finance.yaml"),
    "equality": ("equality", "equality.yaml"),
    "programme_plan": ("programme timeline", "programme.yaml (with a timeline)"),
    "milestones": ("programme milestones", "programme.yaml (with milestone_groups)"),
}
# Templates the plugin uses for pages it makes itself; a docs page cannot name them usefully.
GENERATED_ONLY = {"workstream", "easy_read", "easy_read_dashboard", "easy_read_you_said", "serves"}


def _has_section(data: PlanData, template: str) -> bool:
    programme = data.programme
    return {
        "finance": data.finance is not None,
        "figures_check": data.finance is not None,
        "equality": data.equality is not None,
        "programme_plan": programme is not None and programme.timeline is not None,
        "milestones": programme is not None and bool(programme.milestone_groups),
    }[template]


def page_problems(pages: dict[str, str], data: PlanData, templates_dirs: list[Path], docs_shown: str, data_shown: str) -> list[str]:
    """Problems with docs pages (path -> Markdown): a page template that does not exist, or one whose data is missing."""
    known = sorted({p.stem for d in templates_dirs for p in d.glob("*.md")} - GENERATED_ONLY)
    problems = []
    for path, text in sorted(pages.items()):
        for name in PAGE_CALL.findall(text):
            if name not in known:
                problems.append(f"{docs_shown}/{path} asks for the page '{name}', which clearplan does not have; "
                                f"pages: {', '.join(known)}")
            elif name in PAGE_SECTIONS and not _has_section(data, name):
                section, file = PAGE_SECTIONS[name]
                problems.append(f"{docs_shown}/{path} shows the plan's {section} (page '{name}'), but {data_shown} has no {file}; "
                                f"add it, or take the page out of docs and the nav")
    return problems


def nav_names_workstreams(nav: list, index: str) -> bool:
    """Whether a section of the navigation lists the workstreams' index page, after which the
    plugin adds a page per workstream."""
    sections = [next(iter(item.values())) for item in nav if isinstance(item, dict)]
    return any(isinstance(section, list) and index in section for section in sections)
