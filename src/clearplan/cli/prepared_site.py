"""What every generator's build of a plan needs, made by clearplan itself, not by a generator's hook:
the checked plan, the renderer the pages call back to, and the pages clearplan adds. The MkDocs
plugin (for `mkdocs serve`) and `clearplan build` (for any generator) both make it here."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import jinja2

from ..checks.check import check_plan
from ..checks.easy_read import easy_read_pages
from ..editing.diff import PlanDiff, VersionError, diff_plans, easy_read_sentences, load_version
from ..outputs.print_pack import PackLink, pack_links
from ..plan.problems import Problem
from ..checks.site_checks import nav_names_workstreams
from ..plan.sections import SECTIONS, WORKSTREAMS_INDEX, workstream_page
from ..site.edit_links import page_data_files
from ..site.render import TEMPLATE_FOLDER, PlanView, Renderer

# The whole Markdown source of every page clearplan adds. It names no plan data, so no plan text can
# reach mkdocs-macros, which renders page sources (and page titles) as Jinja templates.
GENERATED_PAGE_SOURCE = "{{ clearplan_generated_page() }}\n"
# Easy Read pages keep the site's header and menu but drop the side navigation and contents.
EASY_READ_PAGE_SOURCE = "---\nhide: [navigation, toc]\n---\n" + GENERATED_PAGE_SOURCE
# `clearplan build` names its prepared build's description file in this variable for the
# generator it runs; the macros module reads it where no plugin prepared the site.
BUILD_STATE_VARIABLE = "CLEARPLAN_BUILD"
# Pages where glossary terms are not explained inline: the glossary itself, and Easy Read pages,
# which explain their own hard words.
NO_TERM_EXPLANATIONS = ("glossary.md", "easy-read/")


class SiteError(Exception):
    """A problem that stops every build of the site, worded for the council."""


@dataclass(frozen=True)
class GeneratedPage:
    """A page clearplan adds, found by its path: what the page's macro renders, and its title."""

    template: str
    title: str  # plain text from the data
    workstream: str | None = None
    easy_read: str | None = None
    tag: str | None = None

    @property
    def source(self) -> str:
        # Easy Read pages, the at-a-glance twins too, drop the side navigation and contents,
        # whose small print is not Easy Read.
        return EASY_READ_PAGE_SOURCE if self.template.startswith("easy_read") else GENERATED_PAGE_SOURCE


@dataclass
class PreparedSite:
    """The checked plan and its renderer, for one build."""

    view: PlanView
    renderer: Renderer
    data_dir: Path
    data_dir_shown: Path
    edit_files: dict[str, str]
    print_packs: list[PackLink]
    warnings: list[Problem]


def prepare_site(
    site_dir: Path, data_setting: str, custom_dir: Path | None, pdf_setting: str, bytecode_cache: jinja2.BytecodeCache | None = None
) -> PreparedSite:
    """Check the plan in `site_dir`/`data_setting` (stops with SiteError on any error) and make the
    renderer the pages call, with the site's own templates (`custom_dir`/clearplan) first."""
    data_dir = site_dir / data_setting
    shown = Path(os.path.relpath(data_dir)) if data_dir.is_absolute() else data_dir
    if not data_dir.is_dir():
        raise SiteError(f"no data directory at {shown}")
    loaded = check_plan(shown)
    problems = loaded.problems.sorted()
    errors = [p for p in problems if p.severity == "error"]
    if errors or loaded.data is None:
        raise SiteError(f"the plan data has {len(errors)} error(s):\n" + "\n".join(str(p) for p in errors))
    view = PlanView(loaded.data, loaded.files)
    easy_read_sources = {page.path: page.source for page in easy_read_pages(loaded.data, shown, loaded.files).values()}
    renderer = Renderer(view, [custom_dir / TEMPLATE_FOLDER] if custom_dir else [], bytecode_cache=bytecode_cache)
    print_packs = pack_links(site_dir / pdf_setting)
    renderer.env.globals.update(changes=_changes(view, site_dir, data_setting), easy_read_sentences=easy_read_sentences, print_packs=print_packs)
    return PreparedSite(
        view,
        renderer,
        data_dir,
        shown,
        page_data_files(shown, loaded.sources, loaded.files, easy_read_sources),
        print_packs,
        [p for p in problems if p.severity == "warning"],
    )


def _changes(view: PlanView, site_dir: Path, data_setting: str) -> PlanDiff | None:
    """What changed since the previous published version named in plan.yaml (None: the first).

    A named version that cannot be read stops the build: the page must never claim nothing changed."""
    release = view.plan.release
    if release is None or release.previous is None:
        return None
    try:
        previous = load_version(release.previous, site_dir, data_setting)
    except VersionError as error:
        raise SiteError(f"release.previous in plan.yaml: {error}") from None
    return diff_plans(previous, view.data)


def generated_pages(view: PlanView, has_page: Callable[[str], bool]) -> dict[str, GeneratedPage]:
    """The pages clearplan adds, by source path: a page per workstream, the tag pages, then the Easy
    Read twins of the site's pages (`has_page` tells which the site has) and the Easy Read pages."""
    pages = {workstream_page(ws.id): GeneratedPage("workstream", view.workstream_label(ws), workstream=ws.id) for ws in view.workstreams}
    for tag in view.tags.values():
        pages[f"serves/{tag.id}.md"] = GeneratedPage("serves", tag.name, tag=tag.id)
    for section in SECTIONS:
        twin = section.easy_read_twin
        if twin is not None and has_page(section.page):
            pages[twin.page] = GeneratedPage(twin.template, twin.title)
    for key, page in view.easy_read.items():
        pages[page.path] = GeneratedPage("easy_read", "Easy Read: " + (page.easy_read.title or page.title), easy_read=key)
    return pages


@dataclass(frozen=True)
class BuildState:
    """What `clearplan build` tells the pages' macros when no plugin runs: where the site's folder,
    data and overrides are, and the pages it added. Written as JSON beside the staged docs."""

    site_dir: str
    data_setting: str
    custom_dir: str | None
    pdf_setting: str
    docs_dir: str  # the council's own docs folder, which "Edit this page" links point into
    pages: dict[str, GeneratedPage]
    site_pages: list[str]

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> BuildState:
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw["pages"] = {key: GeneratedPage(**value) for key, value in raw["pages"].items()}
        return cls(**raw)

    def prepare(self) -> PreparedSite:
        prepared = prepare_site(Path(self.site_dir), self.data_setting, Path(self.custom_dir) if self.custom_dir else None, self.pdf_setting)
        prepared.renderer.env.globals["site_pages"] = set(self.site_pages)
        return prepared


EASY_READ_NAV_TITLE = "Easy Read"


def expand_nav(view: PlanView, nav: list) -> None:
    """List each workstream's page after the workstreams index in the site's nav, and add one entry
    for the Easy Read home page (it links to every other Easy Read page)."""
    if view.workstreams and not nav_names_workstreams(nav, WORKSTREAMS_INDEX):
        raise SiteError(
            f"the plan has {len(view.workstreams)} workstream(s) but the nav in mkdocs.yml has no "
            f"{WORKSTREAMS_INDEX}; add it (under a 'Workstreams:' section) so their pages are listed"
        )
    for item in nav:
        section = next(iter(item.values())) if isinstance(item, dict) else None
        if isinstance(section, list) and WORKSTREAMS_INDEX in section:
            at = section.index(WORKSTREAMS_INDEX) + 1
            # Paths without titles: each page's title is its heading.
            section[at:at] = [workstream_page(ws.id) for ws in view.workstreams]
            break
    if "home" in view.easy_read:
        nav.append({EASY_READ_NAV_TITLE: view.easy_read["home"].path})


def prepared_build() -> BuildState | None:
    """The build `clearplan build` prepared and is running a generator on, if any."""
    state_file = os.environ.get(BUILD_STATE_VARIABLE)
    return BuildState.read(Path(state_file)) if state_file else None
