"""The one map of the plan's sections: for each site page, its page template, the data files behind
it, its Easy Read twin, whether the print pack has it, where its downloads go and which checks read
its data. The site (plugin), the print pack, "Edit this page", open data and the check read this
map; adding a kind of section is one entry here and one page template.

Also the one table of the plan's data files. This module imports nothing from the rest of clearplan
but the model, so every layer may read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable

from .model import AccessibilityStatement, EqualityImpact, Fact, Finance, GlossaryTerm, Plan, PlanData, Programme, Risk, Workstream, YouSaidEntry

WORKSTREAMS_FOLDER = "workstreams/"
# Where a page's tables are published as CSV and JSON: <DOWNLOADS_FOLDER>/<site path>/<table id>.
DOWNLOADS_FOLDER = "data"


@dataclass(frozen=True)
class DataFile:
    """One file (or folder of files) of plan data: its name under data/, the model one file holds,
    the PlanData field it fills, its kind (its JSON Schema is schema/<kind>.schema.json), the title
    editors show, and whether every plan needs it."""

    name: str
    model: Any
    field: str
    kind: str
    title: str
    required: bool = False


# Every data file, in the order they are read. A folder ends with '/' and holds one model per file.
DATA_FILES: tuple[DataFile, ...] = (
    DataFile("plan.yaml", Plan, "plan", "plan", "Plan (data/plan.yaml)", required=True),
    DataFile(WORKSTREAMS_FOLDER, Workstream, "workstreams", "workstream", "Workstream (data/workstreams/NN-name.yaml)"),
    DataFile("finance.yaml", Finance, "finance", "finance", "Finance (data/finance.yaml)"),
    DataFile("glossary.yaml", list[GlossaryTerm], "glossary", "glossary", "Glossary (data/glossary.yaml)"),
    DataFile("you-said.yaml", list[YouSaidEntry], "you_said", "you-said", "You said, we did (data/you-said.yaml)"),
    DataFile("accessibility.yaml", AccessibilityStatement, "accessibility", "accessibility", "Accessibility statement (data/accessibility.yaml)"),
    DataFile("risks.yaml", list[Risk], "risks", "risks", "Risks to the whole plan (data/risks.yaml)"),
    DataFile("facts.yaml", list[Fact], "facts", "facts", "Facts as the source states them (data/facts.yaml)"),
    DataFile("programme.yaml", Programme, "programme", "programme", "Programme timeline and milestones (data/programme.yaml)"),
    DataFile("equality.yaml", EqualityImpact, "equality", "equality", "Equality impact assessment (data/equality.yaml)"),
)


def data_file_at(relative: str) -> DataFile | None:
    """The data file a path under data/ is ('workstreams/01-x.yaml' is a workstream), or None."""
    folder, _, name = relative.rpartition("/")
    if folder and "/" not in folder and name.endswith(".yaml"):
        return next((f for f in DATA_FILES if f.name == folder + "/"), None)
    return next((f for f in DATA_FILES if f.name == relative), None)


@dataclass(frozen=True)
class EasyReadTwin:
    """A generated Easy Read page that restates its standard page's figures in Easy Read words."""

    page: str  # source path under docs/
    title: str
    template: str


@dataclass(frozen=True)
class NeedsData:
    """What a page shows that not every plan has: the site refuses the page when the plan lacks it."""

    section: str  # in words: "programme timeline"
    file: str  # in words: "programme.yaml (with a timeline)"
    present: Callable[[PlanData], bool]


@dataclass(frozen=True)
class Section:
    """One page of the site.

    `page` is its Markdown source under docs/ (a council's site has the page when docs/ has the
    file; workstream pages are added for every workstream). `data_files` are what "Edit this page"
    opens, the first one the plan has (a folder opens the folder). `prints` says whether the whole
    plan's print pack has the page. `checks` names the check rules (section_checks.RULES) that read
    the page's data; they run whether or not the site shows the page. `needs` is the data the page
    cannot be shown without (site_checks)."""

    page: str
    template: str
    data_files: tuple[str, ...]
    prints: bool
    easy_read_twin: EasyReadTwin | None = None
    checks: tuple[str, ...] = ()
    needs: NeedsData | None = None

    @property
    def site_path(self) -> str:
        """The page's address below the site root: 'risks/', 'workstreams/', '' for the home page."""
        stem = self.page.removesuffix(".md")
        if stem == "index" or stem.endswith("/index"):
            return stem.removesuffix("index")
        return stem + "/"

    @property
    def downloads(self) -> str:
        """The folder the page's tables are published in (open_data.table_paths)."""
        return f"{DOWNLOADS_FOLDER}/{self.site_path.strip('/') or 'home'}/"


_FINANCE = NeedsData("finance", "finance.yaml", lambda data: data.finance is not None)

# Every fixed page, in the site's order (both bundled plans' navigation keeps this order).
SECTIONS: tuple[Section, ...] = (
    Section("index.md", "home", ("plan.yaml",), prints=True, checks=("organisations",)),
    Section(
        "dashboard.md",
        "dashboard",
        (WORKSTREAMS_FOLDER,),
        prints=False,
        easy_read_twin=EasyReadTwin("easy-read/dashboard.md", "How the plan is going: Easy Read", "easy_read_dashboard"),
    ),
    Section("workstreams/index.md", "workstreams", (WORKSTREAMS_FOLDER,), prints=True, checks=("workstreams", "review dates")),
    Section("measures.md", "measures", (WORKSTREAMS_FOLDER,), prints=True),
    Section("risks.md", "risks", ("risks.yaml", WORKSTREAMS_FOLDER), prints=True, checks=("plan-wide risks",)),
    Section(
        "you-said.md",
        "you_said",
        ("you-said.yaml",),
        prints=False,
        checks=("you said",),
        easy_read_twin=EasyReadTwin("easy-read/you-said.md", "You said, we did: Easy Read", "easy_read_you_said"),
    ),
    Section("finance.md", "finance", ("finance.yaml",), prints=True, checks=("finance", "cost plan"), needs=_FINANCE),
    Section(
        "programme-plan.md",
        "programme_plan",
        ("programme.yaml",),
        prints=True,
        checks=("programme",),
        needs=NeedsData(
            "programme timeline", "programme.yaml (with a timeline)", lambda data: data.programme is not None and data.programme.timeline is not None
        ),
    ),
    Section(
        "milestones.md",
        "milestones",
        ("programme.yaml",),
        prints=True,
        checks=("programme",),
        needs=NeedsData(
            "programme milestones",
            "programme.yaml (with milestone_groups)",
            lambda data: data.programme is not None and bool(data.programme.milestone_groups),
        ),
    ),
    Section(
        "equality.md",
        "equality",
        ("equality.yaml",),
        prints=True,
        checks=("equality ratings",),
        needs=NeedsData("equality", "equality.yaml", lambda data: data.equality is not None),
    ),
    Section("figures-check.md", "figures_check", ("finance.yaml",), prints=True, checks=("facts", "stated figures", "figure tables"), needs=_FINANCE),
    Section("what-changed.md", "what_changed", ("plan.yaml",), prints=False),
    Section("glossary.md", "glossary", ("glossary.yaml",), prints=True, checks=("glossary",)),
    Section("about.md", "about", ("plan.yaml",), prints=True),
    Section("accessibility.md", "accessibility", ("accessibility.yaml",), prints=False, checks=("accessibility statement",)),
)

# A workstream's own page: the plugin adds one per workstream, after the workstreams' index page;
# "Edit this page" opens the workstream's own file.
WORKSTREAM_SECTION = Section("workstreams/{id}.md", "workstream", (WORKSTREAMS_FOLDER,), prints=True)
WORKSTREAMS_INDEX = "workstreams/index.md"


def workstream_page(workstream_id: str) -> str:
    return WORKSTREAM_SECTION.page.format(id=workstream_id)


def edit_file(section: Section, plan_files: set[str]) -> str:
    """The data file "Edit this page" opens: the first of the section's files the plan has (a
    folder counts as had), else the first."""
    return next((name for name in section.data_files if name.endswith("/") or name in plan_files), section.data_files[0])


@dataclass(frozen=True)
class SitePage:
    """A section page of one council's site: its source under docs/, the section it shows and, for
    a workstream's page, which workstream."""

    page: str
    section: Section
    workstream: str | None = None

    @property
    def site_path(self) -> str:
        return self.page.removesuffix(".md") + "/" if self.workstream else self.section.site_path


def site_pages(docs_pages: set[str], workstream_ids: list[str]) -> list[SitePage]:
    """The site's section pages in the site's order: the fixed pages docs/ has, with a page per
    workstream after the workstreams' index."""
    pages = []
    for section in SECTIONS:
        if section.page not in docs_pages:
            continue
        pages.append(SitePage(section.page, section))
        if section.page == WORKSTREAMS_INDEX:
            pages += [SitePage(workstream_page(ws), WORKSTREAM_SECTION, ws) for ws in workstream_ids]
    return pages


def docs_pages(docs_dir: Path) -> set[str]:
    """The Markdown pages under a site's docs/ folder, as paths relative to it."""
    return {path.relative_to(docs_dir).as_posix() for path in docs_dir.rglob("*.md")}
