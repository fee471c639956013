"""Rendering: Python prepares the plan's figures; Jinja templates under `clearplan/site/templates/` hold
all markup, so a council can restyle or reword a part without touching Python."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..figures import compute, costs, progress, timeline
from . import easy_read_glance
from ..checks import review
from .charts import PlanCharts
from ..checks.easy_read import EasyReadPage, PictureLibrary, easy_read_pages, load_pictures
from ..figures.facts import FactConflict, fact_conflicts
from ..plan.model import Activity, Measure, PlanData, ProductRating, ProductScheme, Risk, Workstream
from ..plan.money import UNIT_WORDS, format_in_unit, format_money, format_number
from .glossary_terms import explain_terms
from .safe_markdown import render_markdown
from .tables import Tables
from ..plan.wording import DOCUMENT_KIND_LABELS, PLAN_STATUS_LABELS, STATUS_LABELS, long_date, target_text, workstream_label
from ..checks.you_said import YouSaid, who_label, who_words

# The theme folder's subfolder with clearplan's templates (the plugin keeps it off the published site).
TEMPLATE_FOLDER = "clearplan"
TEMPLATE_PACKAGE_DIR = Path(__file__).resolve().parent / "templates"
# clearplan's theme overrides for Material, which the plugin adds to the site's theme folders.
THEME_DIR = Path(__file__).resolve().parent / "theme"

# Characters Python-Markdown reads as syntax in a line of text and lets a backslash escape: `{` and
# `}` among them, so an attr_list suffix such as `{: onfocus=… }` stays text.
MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def md_text(value: Any) -> Markup:
    """Plan text for a line of Markdown (a heading): kept on one line, `<` and `&` HTML-escaped,
    and Markdown syntax backslash-escaped, so it shows as written and never becomes markup."""
    text = html.escape(" ".join(str(value).split()), quote=False)
    return Markup(MARKDOWN_SYNTAX.sub(r"\\\1", text))


@dataclass
class RatedRisk:
    risk: Risk
    workstream: Workstream | None  # None for a risk to the whole plan
    rating: compute.Rating


@dataclass
class GridCell:
    """One cell of a likelihood × impact grid: its rating and the risks that fall in it."""

    likelihood: int
    impact: int
    rating: compute.Rating
    risks: list[RatedRisk]


@dataclass
class PlanView:
    """The plan with everything computed, as the templates see it."""

    data: PlanData
    files: dict[str, str] = field(default_factory=dict)

    @property
    def plan(self):
        return self.data.plan

    @cached_property
    def organisations(self) -> dict[str, Any]:
        return {org.id: org for org in self.plan.organisations}

    @cached_property
    def council(self):
        return self.organisations[self.plan.council]

    @property
    def workstreams(self) -> list[Workstream]:
        return self.data.workstreams

    def workstream(self, workstream_id: str) -> Workstream:
        for workstream in self.workstreams:
            if workstream.id == workstream_id:
                return workstream
        raise KeyError(f"no workstream with id {workstream_id!r}")

    @cached_property
    def counts(self) -> compute.Counts:
        return compute.counts(self.data)

    def activities(self, workstream: Workstream) -> list[Activity]:
        return compute.activities(workstream)

    @cached_property
    def risks(self) -> list[RatedRisk]:
        scheme = self.plan.risk_scheme
        rated = []
        for workstream in self.workstreams:
            for risk in workstream.risks:
                rating = compute.rating(risk, scheme)
                assert rating is not None, "the check rejects ratings that do not fit the scheme before rendering"
                rated.append(RatedRisk(risk, workstream, rating))
        for risk in self.data.risks:
            rating = compute.rating(risk, scheme)
            assert rating is not None, "the check rejects ratings that do not fit the scheme before rendering"
            rated.append(RatedRisk(risk, None, rating))
        return rated

    @property
    def risks_have_workstreams(self) -> bool:
        return any(r.workstream is not None for r in self.risks)

    @cached_property
    def risk_grid(self) -> list[list[GridCell]]:
        """Rows from the most likely down, columns from the least impact up; empty for other schemes."""
        scheme = self.plan.risk_scheme
        if not isinstance(scheme, ProductScheme):
            return []
        grid = []
        for likelihood in range(scheme.scale_max, 0, -1):
            row = []
            for impact in range(1, scheme.scale_max + 1):
                probe = Risk(id="cell", title="cell", rating=ProductRating(likelihood=likelihood, impact=impact))
                rating = compute.rating(probe, scheme)
                assert rating is not None
                found = [
                    r
                    for r in self.risks
                    if isinstance(r.risk.rating, ProductRating) and (r.risk.rating.likelihood, r.risk.rating.impact) == (likelihood, impact)
                ]
                row.append(GridCell(likelihood, impact, rating, found))
            grid.append(row)
        return grid

    @cached_property
    def cost_plan(self) -> costs.CostTotals | None:
        finance = self.data.finance
        return costs.cost_totals(finance.cost_plan) if finance and finance.cost_plan else None

    @cached_property
    def contingency(self) -> costs.ContingencyTotals | None:
        finance = self.data.finance
        return costs.contingency_totals(finance.contingency) if finance and finance.contingency else None

    @property
    def headline_facts(self):
        return [fact for fact in self.data.facts if fact.headline]

    @cached_property
    def fact_conflicts(self) -> list[FactConflict]:
        return fact_conflicts(self.data.facts)

    @cached_property
    def timeline(self) -> timeline.TimelineLayout | None:
        programme = self.data.programme
        return timeline.layout(programme.timeline) if programme and programme.timeline else None

    def equality_rating(self, action) -> compute.Rating:
        scheme = self.data.equality.scheme if self.data.equality else None
        rating = compute.grid_rating(action.rating, scheme) if scheme else None
        assert rating is not None, "the check rejects unrated equality actions before rendering"
        return rating

    def workstream_or_none(self, workstream_id: str | None) -> Workstream | None:
        return next((w for w in self.workstreams if w.id == workstream_id), None)

    def measure_rows(self, workstream: Workstream) -> list[tuple[Measure, Workstream]]:
        return [(measure, workstream) for measure in workstream.measures]

    def risks_of(self, workstream: Workstream) -> list[RatedRisk]:
        return [r for r in self.risks if r.workstream is not None and r.workstream.id == workstream.id]

    @cached_property
    def risk_levels(self) -> list[tuple[str, list[RatedRisk]]]:
        """Risk groups, each with its heading, from the highest level or band down; risks rated in
        words, then risks with no rating, come after, in the data's order."""
        headings = {compute.RATED_IN_WORDS: "Risks rated by likelihood and impact", compute.NOT_RATED: "Risks not rated"}
        groups = [
            (headings.get(name, f"{name} risks"), sorted((r for r in self.risks if r.rating.group == name), key=lambda r: -(r.rating.score or 0)))
            for name in progress.level_names(self.data)
        ]
        return [(heading, risks) for heading, risks in groups if risks]

    @cached_property
    def history(self) -> list[compute.HistoryRow]:
        return compute.history_rows(self.data.finance) if self.data.finance else []

    @cached_property
    def forecast(self) -> list[compute.ForecastRow]:
        return compute.forecast_rows(self.data.finance) if self.data.finance else []

    @cached_property
    def figure_checks(self) -> list[compute.FigureCheck]:
        return compute.figure_checks(self.data, "finance.yaml")

    @cached_property
    def figure_book(self):
        """Tables of figures and stand-alone figures, worked out (src/clearplan/figures/figure_tables.py)."""
        from ..figures.figure_tables import build_figures

        return build_figures(self.data)[0]

    @cached_property
    def figure_differences(self) -> list[compute.FigureCheck]:
        return [check for check in self.figure_checks if check.differs]

    @property
    def closing_overspend(self) -> Decimal | None:
        return -self.history[-1].cumulative if self.history else None

    def opportunities_of(self, workstream: Workstream):
        return [o for o in (self.data.finance.opportunities if self.data.finance else []) if o.workstream == workstream.id]

    @cached_property
    def easy_read(self) -> dict[str, EasyReadPage]:
        """The plan pages' Easy Read twins, by key ('home', 'workstream:<id>', 'measures', ...)."""
        return easy_read_pages(self.data, files=self.files)

    @cached_property
    def pictures(self) -> PictureLibrary:
        return load_pictures()

    def lead_text(self, lead) -> str:
        organisation = self.organisations.get(lead.organisation) if lead.organisation else None
        parts = [lead.name, lead.role, organisation.name if organisation else None]
        return ", ".join(p for p in parts if p)

    @property
    def authors(self) -> list:
        """The organisations the data says wrote the document; none when it does not say."""
        return [self.organisations[org_id] for org_id in self.plan.authors if org_id in self.organisations]

    @property
    def has_feed(self) -> bool:
        """The updates feed needs a dated entry: a dated version or a "You said, we did" entry."""
        return self.plan.version.date is not None or bool(self.data.you_said)

    @cached_property
    def tags(self) -> dict[str, Any]:
        """Each principle or theme that something serves, by id, with what serves it (see tags.py)."""
        from ..figures.tags import tag_index  # tags imports compute, as this module does

        return {page.id: page for page in tag_index(self.data)}

    @property
    def tag_ids(self) -> set[str]:
        return set(self.tags)

    def workstream_label(self, workstream: Workstream) -> str:
        return workstream_label(workstream.number, workstream.title)


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process: a renderer made again (each print pack,
    each test) compiles a template only when its source has changed (Jinja checks each template's
    checksum)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._store.clear()


# A renderer with no cache of its own (`clearplan pdf`, tests) compiles each template once per process.
PROCESS_BYTECODE = MemoryBytecodeCache()


def folder_bytecode_cache(folder: Path) -> jinja2.BytecodeCache:
    """Compiled templates kept in `folder` between builds: compiling the theme's and clearplan's
    templates was a quarter of a build. A template whose source changed is compiled again (Jinja
    checks each one's checksum). Where the folder cannot be made, they are kept in memory."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return PROCESS_BYTECODE
    return jinja2.FileSystemBytecodeCache(str(folder))


def _drop_blank_lines(html: str) -> str:
    """Python-Markdown ends a raw HTML block at a blank line, so rendered parts have none."""
    return re.sub(r"\n[ \t]*(?=\n)", "", html)


class Renderer:
    """Renders the plan's parts and pages from templates; the site's overrides come first."""

    def __init__(self, view: PlanView, template_dirs: list[Path] | None = None, bytecode_cache: jinja2.BytecodeCache | None = None):
        self.view = view
        dirs = [d for d in (template_dirs or []) if d.is_dir()] + [TEMPLATE_PACKAGE_DIR]
        self.template_dirs = dirs
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=bytecode_cache or PROCESS_BYTECODE,
        )
        self.env.filters.update(
            money=format_money,
            in_unit=format_in_unit,
            number=format_number,
            long_date=long_date,
            target=target_text,
            status=lambda status: STATUS_LABELS[status],
            plan_status=lambda status: PLAN_STATUS_LABELS[status],
            document_kind=lambda kind: DOCUMENT_KIND_LABELS[kind],
            md=lambda text: Markup(render_markdown(text)),
            md_inline=lambda text: Markup(render_markdown(text, inline=True)),
            md_text=md_text,
            unit_words=lambda unit: UNIT_WORDS.get(unit, unit),  # a count's unit is its noun
            month=timeline.month_words,
        )

        # `tables` prepares each table's rows once for the page and its downloads; a page rendered
        # with `page_path` publishes its tables at data/<page_path>/<table id>.csv and .json.
        self.tables = Tables(view)
        self.charts = PlanCharts(view)
        self.env.globals.update(
            view=view,
            plan=view.plan,
            tables=self.tables,
            page_path=None,
            charts=self.charts,
            you_said=YouSaid(view.data),
            dashboard=progress.dashboard(view.data),
            easy_read_glance=easy_read_glance,
            site_pages=set(),
            reviews=review.Reviews(view.data, review.today()),
        )
        self.env.filters.update(who=who_label, who_words=who_words)

    def render(self, template: str, **context: Any) -> str:
        return _drop_blank_lines(self.env.get_template(template).render(**context))

    def page(self, name: str, **context: Any) -> str:
        return self.render(f"pages/{name}.md", **context)

    def explain_terms(self, html: str, root: str) -> str:
        """`html` with each glossary term explained at its first use (glossary_terms.py), in the
        markup of components/term.html, linking back to the site's root by `root`."""
        return explain_terms(
            html, self.view.data.glossary, lambda term, text: self.render("components/term.html", term=term, text=text, root=root).strip()
        )
