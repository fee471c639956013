"""Every data table the site shows, prepared once as rows of plain values with column names in words.

Each component template asks `tables` for its table and loops over `table.rows` (each row keeps the
object it came from, `row.item`, for links and markup), and the downloads beside the table are
written from the same Table: the page and the files cannot list different rows.

Download values are exact: money in the unit its column names, exactly as recorded or summed;
the only figure that is not exact, the average spending per EHCP, is rounded half-up to the penny.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from decimal import Decimal
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import nh3

from ..figures import compute, costs
from ..figures.facts import FactConflict
from ..plan.model import Activity, EqualityAction, Fact, GovernanceBody, ImpactOn, Measure, MilestoneGroup, Opportunity, ProductRating, Workstream
from ..plan.money import UNIT_POUNDS, UNIT_WORDS, round_half_up
from ..plan.wording import LATEST_FIGURE, STATUS_LABELS, target_text
from .columns import Column, columns as define
from .safe_markdown import render_markdown

if TYPE_CHECKING:
    from .render import PlanView


@dataclass(frozen=True)
class Row:
    item: Any  # what the row shows (an activity, a risk...), for the template's links and markup
    values: list[Any]  # one plain value per column: str, int, Decimal or None (nothing recorded)
    anchor: str | None = None  # the row's id on the page, for links to it


@dataclass
class Table:
    id: str
    caption: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    page: str | None = None  # the page's path ("finance", "workstreams/participation"); None: not published

    def add(self, item: Any, *values: Any, anchor: str | None = None) -> None:
        assert len(values) == len(self.columns), (self.id, values)
        self.rows.append(Row(item, list(values), anchor))

    @property
    def headers(self) -> list[str]:
        """The downloads' column names."""
        return [column.header for column in self.columns]

    @property
    def page_columns(self) -> list[Column]:
        return [column for column in self.columns if column.page]

    def has(self, key: str) -> bool:
        return any(column.key == key for column in self.columns)

    def page_cells(self, row: Row) -> list[tuple[Column, Any]]:
        """The row's (column, value) pairs the page shows."""
        return [(column, value) for column, value in zip(self.columns, row.values) if column.page]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.headers, row.values)) for row in self.rows]


@lru_cache(maxsize=65536)  # the same text is often in several tables (a page's and the whole plan's)
def plain(markdown_text: str) -> str:
    """The words of a Markdown snippet, as a reader sees them on the page (no markup)."""
    return html.unescape(nh3.clean(render_markdown(markdown_text, inline=True), tags=set())).strip()


def in_unit(pounds: Decimal, unit: str) -> Decimal:
    """Exact money in a table's unit, to the penny at most: 20590000 in £m is 20.59."""
    value = round_half_up(pounds, 2) / UNIT_POUNDS[unit]
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


COMPARISON_WORDS = {
    "equal": "Equal",
    "rounding": "Rounding difference",
    "mismatch": "Differs",
    "conflict": "Stated differently in two places",
    "within_cap": "Within its cap",
    "over_cap": "Over its cap",
}


def _exact(value: Decimal | None, unit: str) -> Decimal | None:
    """A figure in its own unit for a download: money as `in_unit` gives it, counts as worked out."""
    if value is None:
        return None
    return in_unit(value, unit) if unit in UNIT_POUNDS else value.normalize() if value != value.to_integral_value() else value.quantize(Decimal(1))


class Tables:
    """Builds each table from the plan; tables built for a page are kept for its downloads."""

    def __init__(self, view: PlanView):
        self.view = view
        self.published: dict[tuple[str, str], Table] = {}

    def _new(self, table_id: str, caption: str, columns: Sequence[Column | str], page: str | None) -> Table:
        table = Table(table_id, caption, define(*columns), page=page)
        if page is not None:
            self.published[(page, table_id)] = table
        return table

    def _ws(self, workstream: Workstream) -> str:
        return self.view.workstream_label(workstream)

    WHEN_AS_WRITTEN = "When, as the source writes it"

    def activities(
        self, table_id: str, caption: str, activities: list[Activity], page: str | None = None, workstreams: dict[str, Workstream] | None = None
    ) -> Table:
        """Activities; with `workstreams` (activity id → workstream), a column names each one's workstream."""
        show_when = any(activity.when for activity in activities)  # a column only when the source gives such timings
        columns = [
            Column("What we will do", "text"),
            Column("Who leads it", "lead"),
            Column("Status", "status"),
            Column("Due", "due", kind="date"),
        ] + ([Column(self.WHEN_AS_WRITTEN, "when")] if show_when else [])
        table = self._new(table_id, caption, ([Column("Workstream", "workstream")] if workstreams else []) + columns, page)
        for activity in activities:
            where = [self._ws(workstreams[activity.id])] if workstreams else []
            when = [activity.when.text if activity.when else None] if show_when else []
            table.add(activity, *where, plain(activity.text), activity.lead, STATUS_LABELS[activity.status], activity.due, *when, anchor=activity.id)
        return table

    def measures(
        self, table_id: str, caption: str, measures: list[tuple[Measure, Workstream]], show_workstream: bool, page: str | None = None
    ) -> Table:
        columns = [
            Column("Measure", "measure"),
            *([Column("Workstream", "workstream")] if show_workstream else []),
            Column("Target", "target"),
            Column("Starting point", "baseline", kind="number"),
            Column("Starting point date", "baseline_date", kind="date", page=False),
            Column(LATEST_FIGURE, "latest", kind="number"),
            Column(f"{LATEST_FIGURE} date", "latest_date", kind="date", page=False),
        ]
        table = self._new(table_id, caption, columns, page)
        for measure, workstream in measures:
            latest = max(measure.actuals, key=lambda r: r.date) if measure.actuals else None
            table.add(
                (measure, workstream),
                measure.name,
                *([self._ws(workstream)] if show_workstream else []),
                target_text(measure.target),
                measure.baseline.value if measure.baseline else None,
                measure.baseline.date.isoformat() if measure.baseline else None,
                latest.value if latest else None,
                latest.date.isoformat() if latest else None,
                anchor=measure.id,
            )
        return table

    def risks(self, table_id: str, caption: str, risks: list, show_workstream: bool, page: str | None = None) -> Table:
        """Risks; "What could happen" and "How we respond" are columns only when some risk states them."""
        product = self.view.plan.risk_scheme.kind == "product"
        show_impact = any(rated.risk.impact for rated in risks)
        show_strategy = any(rated.risk.strategy for rated in risks)
        columns = (
            [Column("Risk", "risk", row_header=True)]
            + ([Column("Workstream", "workstream")] if show_workstream else [])
            + ([Column("What could happen", "consequence")] if show_impact else [])
            + ([Column("How we respond", "strategy")] if show_strategy else [])
            + [Column("What we do", "actions"), Column("Rating", "rating", kind="rating")]
        )
        score_columns = [
            Column(header, key, kind="number", page=False) for header, key in (("Likelihood", "likelihood"), ("Impact", "impact"), ("Score", "score"))
        ]
        table = self._new(table_id, caption, columns + (score_columns if product else []), page)
        for rated in risks:
            risk = rated.risk
            scores = [risk.rating.likelihood, risk.rating.impact, rated.rating.score] if product and isinstance(risk.rating, ProductRating) else []
            where = [self._ws(rated.workstream) if rated.workstream else "The whole plan"] if show_workstream else []
            table.add(
                rated,
                risk.title,
                *where,
                *([risk.impact] if show_impact else []),
                *([risk.strategy.capitalize() if risk.strategy else None] if show_strategy else []),
                "; ".join(risk.actions) or None,
                rated.rating.name,
                *scores,
                anchor=risk.id,
            )
        return table

    def history(self, table_id: str, caption: str, rows: list[compute.HistoryRow], unit: str, page: str | None = None) -> Table:
        words = UNIT_WORDS[unit]
        table = self._new(
            table_id,
            caption,
            [Column("Year", "year", row_header=True), Column("Note", "note", page=False)]
            + [
                Column(f"{name} ({words})", key, kind="money")
                for name, key in (
                    ("Income", "income"),
                    ("Spending", "expenditure"),
                    ("Other schools grant underspend", "other_underspend"),
                    ("Balance for the year", "in_year"),
                    ("Balance brought in", "carry_in"),
                    ("Balance at year end", "cumulative"),
                )
            ],
            page,
        )
        for row in rows:
            table.add(
                row,
                row.year,
                row.note,
                *(in_unit(v, unit) for v in (row.income, row.expenditure, row.other_underspend, row.in_year, row.carry_in, row.cumulative)),
            )
        return table

    def forecast(self, table_id: str, caption: str, rows: list[compute.ForecastRow], page: str | None = None) -> Table:
        table = self._new(
            table_id,
            caption,
            [
                Column("Year", "year", row_header=True),
                Column("Expected spending (£ thousands)", "spend", kind="money"),
                Column("Expected number of EHCPs at year end", "ehcps", kind="number"),
                Column("Average spending per EHCP (£)", "average_spend", kind="money"),
                Column("Funding gap for the year (£ thousands)", "funding_gap", kind="money"),
                Column("Funding gap so far (£ thousands)", "cumulative_gap", kind="money"),
            ],
            page,
        )
        for row in rows:
            table.add(
                row,
                row.year,
                in_unit(row.spend, "£'000"),
                row.ehcps,
                in_unit(row.average_spend, "£"),
                in_unit(row.funding_gap, "£'000"),
                in_unit(row.cumulative_gap, "£'000"),
            )
        return table

    def cost_plan(self, table_id: str, caption: str, totals: costs.CostTotals, page: str | None = None) -> Table:
        """The cost plan's lines; the totals row on the page is left out (summing a download counts it twice)."""
        table = self._new(
            table_id,
            caption,
            [
                Column("What the money pays for", "item", row_header=True),
                Column("Why it is needed", "rationale"),
                Column("Note", "note", page=False),
                *(Column(f"{year} (£)", f"year_{number}", kind="money") for number, year in enumerate(totals.years)),
                Column("Total (£)", "total", kind="money"),
            ],
            page,
        )
        for row in totals.rows:
            table.add(
                row,
                row.item,
                row.rationale,
                row.note,
                *(in_unit(a, "£") for a in row.amounts),
                in_unit(row.total, "£"),
                anchor=f"{table_id}-{row.id}",
            )
        return table

    def contingency(self, table_id: str, caption: str, totals: costs.ContingencyTotals, page: str | None = None) -> Table:
        table = self._new(
            table_id,
            caption,
            [
                Column("Item", "item", row_header=True),
                Column("Why it may be needed", "rationale"),
                Column("High figure (£)", "high", kind="money"),
                Column("Low figure (£)", "low", kind="money"),
            ],
            page,
        )
        for row in totals.rows:
            table.add(row, row.item, row.rationale, in_unit(row.high.amount, "£"), in_unit(row.low.amount, "£"), anchor=f"{table_id}-{row.id}")
        return table

    def milestones(self, table_id: str, caption: str, group: MilestoneGroup, page: str | None = None) -> Table:
        table = self._new(table_id, caption, [Column("Milestone", row_header=True), "When", "As the source writes it"], page)
        for milestone in group.milestones:
            table.add(milestone, milestone.text, milestone.when.words(), milestone.when.text)
        return table

    def facts(self, table_id: str, caption: str, facts: list[Fact], page: str | None = None) -> Table:
        table = self._new(table_id, caption, [Column("Fact", row_header=True), "As stated", "Where the source says it"], page)
        for fact in facts:
            table.add(fact, fact.label, fact.value, fact.source)
        return table

    def fact_conflicts(self, table_id: str, caption: str, conflicts: list[FactConflict], page: str | None = None) -> Table:
        """One row per statement; each row's item is (conflict, fact)."""
        table = self._new(table_id, caption, [Column("Fact", row_header=True), "Value as stated", "Where the source says it"], page)
        for conflict in conflicts:
            for _, fact in conflict.statements:
                table.add((conflict, fact), conflict.label, fact.value, fact.source)
        return table

    def equality_impacts(self, table_id: str, caption: str, impacts: list[ImpactOn], page: str | None = None) -> Table:
        """Each group's impacts, several to a cell in the download, one to a line (none: empty)."""
        table = self._new(table_id, caption, ["Who", "Positive impacts", "Negative impacts"], page)
        for impact in impacts:
            table.add(impact, impact.who, "\n".join(impact.positive) or None, "\n".join(impact.negative) or None)
        return table

    def equality_actions(self, table_id: str, caption: str, actions: list[EqualityAction], page: str | None = None) -> Table:
        table = self._new(table_id, caption, ["Negative impact", "Groups affected", "Rating", "Action", "Who", "When"], page)
        for action in actions:
            table.add(action, action.impact, ", ".join(action.groups), self.view.equality_rating(action).name, action.action, action.who, action.when)
        return table

    def opportunities(self, table_id: str, caption: str, opportunities: list[Opportunity], show_workstream: bool, page: str | None = None) -> Table:
        table = self._new(table_id, caption, [Column("Number", row_header=True), "Opportunity", *(["Workstream"] if show_workstream else [])], page)
        for item in opportunities:
            table.add(item, item.number, plain(item.text), *([self._ws(self.view.workstream(item.workstream))] if show_workstream else []))
        return table

    def governance(self, table_id: str, caption: str, bodies: list[GovernanceBody], page: str | None = None) -> Table:
        table = self._new(table_id, caption, [Column("Group", row_header=True), "Chaired by", "Meets", "Reports to", "What it does"], page)
        for body in bodies:
            table.add(body, body.name, body.chair, body.meets, body.reports_to, body.role)
        return table

    def workstreams(self, table_id: str, caption: str, page: str | None = None) -> Table:
        """Workstreams; the space and deliverables columns appear when a workstream states them, the
        counts of activities, measures and risks when the plan has activities."""
        view = self.view
        with_space = any(ws.space for ws in view.workstreams)
        with_deliverables = any(ws.deliverables for ws in view.workstreams)
        with_activities = view.counts.activities > 0
        columns: list[Column | str] = [
            Column("Workstream", row_header=True),
            "What it does",
            *(["Space"] if with_space else []),
            *([Column("Deliverables", kind="number")] if with_deliverables else []),
            *([Column(name, kind="number") for name in ("Activities", "Measures", "Risks")] if with_activities else []),
        ]
        table = self._new(table_id, caption, columns, page)
        for ws in view.workstreams:
            table.add(
                ws,
                self._ws(ws),
                ws.summary,
                *([(ws.space or "not stated").capitalize()] if with_space else []),
                *([len(ws.deliverables)] if with_deliverables else []),
                *([len(view.activities(ws)), len(ws.measures), len(ws.risks)] if with_activities else []),
            )
        return table

    def figure_checks(self, table_id: str, caption: str, checks: list[compute.FigureCheck], page: str | None = None) -> Table:
        table = self._new(
            table_id,
            caption,
            [
                Column("Figure", row_header=True),
                Column("Unit", page=False),
                Column("What the source says", "stated", kind="number"),
                Column("What its own inputs give", "computed", kind="number"),
                Column("Difference", "difference", kind="number"),
            ],
            page,
        )
        for check in checks:
            values = [in_unit(v, "£") if check.is_money else v for v in (check.stated, check.computed, check.difference)]
            table.add(check, check.label, "£" if check.is_money else "Number", *values)
        return table

    def figure_table(self, laid: Any, page: str | None = None) -> Table:
        """A table of figures, one row per cell (totals too), with how each is worked out and what
        the document states beside it, so a reader can redo every sum."""
        book = self.view.figure_book
        unit = laid.table.unit
        words = UNIT_WORDS.get(unit, unit)
        table = self._new(
            laid.id, laid.table.title, ["Line", "Column", f"Value ({words})", "Worked out as", "Stated", "Worked out minus stated"], page
        )
        headings = dict(zip(laid.column_ids, laid.headings)) | {"total": "Total"}
        for row in laid.rows:
            for cell in row.cells:
                value = book.value(cell.figure_id)
                statements = [c for c in book.comparisons_of(cell.figure_id) if c.kind not in ("within_cap", "over_cap", "conflict")]
                stated = statements[0] if statements else None
                table.add(
                    cell,
                    row.item,
                    headings[cell.column],
                    _exact(value, unit),
                    book.expression(cell.figure_id),
                    _exact(stated.stated, unit) if stated else None,
                    _exact(stated.difference, unit) if stated else None,
                )
        return table

    def figure_comparisons(self, table_id: str, caption: str, comparisons: list, page: str | None = None) -> Table:
        table = self._new(
            table_id,
            caption,
            [
                Column("Figure", row_header=True),
                Column("Unit", page=False),
                Column("What the document says", "stated", kind="number"),
                Column("Where it says it", page=False),
                Column("What its inputs give", "computed", kind="number"),
                Column("Difference", "difference", kind="number"),
                "Kind",
            ],
            page,
        )
        for comparison in comparisons:
            table.add(
                comparison,
                comparison.label,
                comparison.unit,
                _exact(comparison.stated, comparison.unit),
                comparison.where,
                _exact(comparison.computed, comparison.unit),
                _exact(comparison.difference, comparison.unit),
                COMPARISON_WORDS[comparison.kind],
            )
        return table

    def changes(self, table_id: str, caption: str, changes: list, page: str | None = None) -> Table:
        table = self._new(table_id, caption, [Column("What changed", row_header=True), "Item", "Before", "After"], page)
        for change in changes:
            what = f"{change.kind.capitalize()} {change.area if change.area != 'finance' else 'figure'}"
            if change.kind == "changed" and change.field:
                what = f"Changed {change.field.lower()}"
            table.add(change, what, change.item, change.old, change.new)
        return table

    def chart(self, chart: Any, page: str | None = None) -> Table:
        """A chart's data: the values its table shows and its bars are drawn from."""
        table = self._new(f"{chart.id}-data", f"The data in the chart: {chart.title}", list(chart.csv_header), page)
        for row, values in zip(chart.rows, chart.csv_rows):
            table.add(row, *values)
        return table

    def dashboard(self, dashboard: Any, page: str | None = None) -> dict[str, Table]:
        """The dashboard's three count tables, one row per workstream and one for the whole plan."""
        view, total = self.view, dashboard.total

        def counts(*names: str) -> list[Column]:
            return [Column("Workstream", row_header=True), *(Column(name, kind="number") for name in names)]

        activities = self._new(
            "dashboard-activities",
            "Activities by status for each workstream",
            counts(*(STATUS_LABELS[s] for s in total.activities), "All activities"),
            page,
        )
        measures = self._new(
            "dashboard-measures",
            "Measures on and off track for each workstream (not yet known: no latest figure, or a target that numbers cannot judge)",
            counts("On track", "Off track", "Not yet known", "All measures"),
            page,
        )
        ranked = view.plan.risk_scheme.kind != "words"  # words give no order to rank by
        risks = self._new(
            "dashboard-risks",
            "Risks by level for each workstream, highest level first" if ranked else "Risks by how they are rated, for each workstream",
            counts(*dashboard.levels, "All risks"),
            page,
        )
        for row in [*dashboard.rows, total]:
            name = view.workstream_label(row.workstream) if row is not total else "The whole plan"
            activities.add(row, name, *row.activities.values(), row.activity_total)
            measure_count = len(row.workstream.measures) if row is not total else view.counts.measures
            measures.add(row, name, row.measures_on_track, row.measures_off_track, row.measures_not_judged, measure_count)
            risks.add(row, name, *(count for _, count in row.risks), row.risk_total)
        return {"activities": activities, "measures": measures, "risks": risks}

    def whole_plan(self) -> dict[str, Table]:
        """The plan's tables for the workbook, one sheet each (sheet names are at most 31 characters)."""
        view = self.view
        owner = {a.id: ws for ws in view.workstreams for a in view.activities(ws)}
        sheets = {
            "Workstreams": self.workstreams("workstreams", "Workstreams"),
            "Activities": self.activities("activities", "Activities", [a for ws in view.workstreams for a in view.activities(ws)], workstreams=owner),
            "Measures": self.measures("measures", "Measures", [m for ws in view.workstreams for m in view.measure_rows(ws)], True),
            "Risks": self.risks("risks", "Risks", view.risks, True),
        }
        if view.data.finance:
            finance = view.data.finance
            if finance.history:
                sheets["Spending so far"] = self.history("history", "Spending so far", view.history, finance.history.unit)
            if finance.forecast:
                sheets["Forecast"] = self.forecast("forecast", "Forecast", view.forecast)
            sheets["Opportunities"] = self.opportunities("opportunities", "Opportunities", finance.opportunities, True)
            sheets["Figures check"] = self.figure_checks("figures-check", "Figures check", view.figure_checks)
        if view.plan.governance:
            sheets["Governance"] = self.governance("governance", "Governance", view.plan.governance)
        for number, laid in enumerate(view.figure_book.tables, start=1):  # one sheet per table of figures, one row per cell
            name = f"Table {laid.id}"
            sheets[name if len(name) <= 31 and name not in sheets else f"Table {number}"] = self.figure_table(laid)
        return sheets
