"""Checks of a site's pages against its data, so a new plan's first build says what is missing in
plain words instead of failing inside a template. Pure Python: no mkdocs import."""

from __future__ import annotations

import re
from pathlib import Path

from ..plan.model import PlanData
from ..plan.sections import SECTIONS, WORKSTREAM_SECTION

PAGE_CALL = re.compile(r"""clearplan_page\(\s*["']([^"']+)["']""")
# Templates the plugin uses for pages it makes itself; a docs page cannot name them usefully.
GENERATED_ONLY = {WORKSTREAM_SECTION.template, "easy_read", "serves"} | {s.easy_read_twin.template for s in SECTIONS if s.easy_read_twin}
# The data each page template cannot be shown without (sections.SECTIONS).
NEEDS = {section.template: section.needs for section in SECTIONS if section.needs is not None}


def page_problems(pages: dict[str, str], data: PlanData, templates_dirs: list[Path], docs_shown: str, data_shown: str) -> list[str]:
    """Problems with docs pages (path -> Markdown): a page template that does not exist, or one whose data is missing."""
    known = sorted({p.stem for d in templates_dirs for p in d.glob("*.md")} - GENERATED_ONLY)
    problems = []
    for path, text in sorted(pages.items()):
        for name in PAGE_CALL.findall(text):
            if name not in known:
                problems.append(f"{docs_shown}/{path} asks for the page '{name}', which clearplan does not have; pages: {', '.join(known)}")
            elif name in NEEDS and not NEEDS[name].present(data):
                needs = NEEDS[name]
                problems.append(
                    f"{docs_shown}/{path} shows the plan's {needs.section} (page '{name}'), but {data_shown} has no {needs.file}; "
                    f"add it, or take the page out of docs and the nav"
                )
    return problems


def nav_names_workstreams(nav: list, index: str) -> bool:
    """Whether a section of the navigation lists the workstreams' index page, after which the
    plugin adds a page per workstream."""
    sections = [next(iter(item.values())) for item in nav if isinstance(item, dict)]
    return any(isinstance(section, list) and index in section for section in sections)
