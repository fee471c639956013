"""A cost plan and a contingency plan: every total computed from the amounts, and every total the
source states compared with the computed one (as `FigureCheck`s, like the rest of the plan).

Money stays exact (Decimal pounds); nothing here rounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .figure_check import FigureCheck
from .figure_tables import work_out
from ..plan.model import Contingency, ContingencyFigure, CostPlan, Finance, FigureTable, TableColumn, TableInput, TableRow
from ..plan.money import precision_pounds, to_pounds


@dataclass(frozen=True)
class CostRow:
    id: str
    item: str
    rationale: str
    note: str | None
    amounts: list[Decimal]  # one per year of the plan, 0 where the source leaves the year blank
    total: Decimal


@dataclass(frozen=True)
class CostTotals:
    rows: list[CostRow]
    years: list[str]
    year_totals: list[Decimal]
    grand_total: Decimal


@dataclass(frozen=True)
class ContingencyValue:
    amount: Decimal
    label: str | None
    alternative: Decimal | None  # set for an uplift: amount = alternative - base
    base: Decimal | None


@dataclass(frozen=True)
class ContingencyRow:
    id: str
    item: str
    rationale: str
    high: ContingencyValue
    low: ContingencyValue


@dataclass(frozen=True)
class ContingencyTotals:
    rows: list[ContingencyRow]
    high_total: Decimal
    low_total: Decimal


def cost_totals(plan: CostPlan) -> CostTotals:
    """A cost plan is a table of figures: a row per line, a column per year, totals worked out."""
    table = FigureTable(
        id="cost_plan",
        title="Cost plan",
        unit=plan.unit,
        columns=[TableColumn(year=year) for year in plan.years],
        rows=[
            TableRow(id=f"line{index}", item=line.item, cells={year: amount for year, amount in line.amounts.items()})
            for index, line in enumerate(plan.lines)
        ],
    )
    graph, laid = work_out(table)
    value = graph.values.__getitem__
    columns = laid.column_ids
    rows = [
        CostRow(
            line.id,
            line.item,
            line.rationale,
            line.note,
            [value(f"cost_plan.line{index}.{c}") for c in columns],
            value(f"cost_plan.line{index}.total"),
        )
        for index, line in enumerate(plan.lines)
    ]
    return CostTotals(rows, list(plan.years), [value(f"cost_plan.total.{c}") for c in columns], value("cost_plan.total"))


def contingency_totals(contingency: Contingency) -> ContingencyTotals:
    """A contingency is a table of figures with a high and a low column; an uplift is the formula
    `alternative - base` over the row's inputs."""
    unit = contingency.unit
    rows_in: list[TableRow] = []
    for index, item in enumerate(contingency.items):
        cells: dict[str, Decimal | str] = {}
        inputs: dict[str, TableInput] = {}
        for end in ("high", "low"):
            figure = getattr(item, end)
            if figure.amount is not None:
                cells[end] = figure.amount
            else:
                inputs[f"{end}_alternative"] = TableInput(value=figure.alternative, unit=unit)
                inputs[f"{end}_base"] = TableInput(value=figure.base, unit=unit)
                cells[end] = f"{end}_alternative - {end}_base"
        rows_in.append(TableRow(id=f"item{index}", item=item.item, inputs=inputs, cells=cells))
    table = FigureTable(
        id="contingency",
        title="Contingency",
        unit=unit,
        total_column=False,
        columns=[TableColumn(label="High", id="high"), TableColumn(label="Low", id="low")],
        rows=rows_in,
    )
    graph, _ = work_out(table)
    value = graph.values.get

    def worked_out(index: int, end: str, figure: ContingencyFigure) -> ContingencyValue:
        prefix = f"contingency.item{index}"
        return ContingencyValue(graph.values[f"{prefix}.{end}"], figure.label, value(f"{prefix}.{end}_alternative"), value(f"{prefix}.{end}_base"))

    rows = [
        ContingencyRow(item.id, item.item, item.rationale, worked_out(index, "high", item.high), worked_out(index, "low", item.low))
        for index, item in enumerate(contingency.items)
    ]
    return ContingencyTotals(rows, graph.values["contingency.total.high"], graph.values["contingency.total.low"])


def _check(file: str, loc: tuple, label: str, stated: Decimal, computed: Decimal, unit: str) -> FigureCheck:
    # A total of amounts written in the same unit is exact, so a stated total may be off by less
    # than half its last digit (rounding) and no more: a whole-pound total must match exactly.
    return FigureCheck(file, loc, label, to_pounds(stated, unit), computed, precision_pounds(stated, unit) / 2)


def cost_figure_checks(finance: Finance, file: str) -> list[FigureCheck]:
    """Stated line, year and grand totals of the cost plan, and stated contingency figures."""
    checks: list[FigureCheck] = []
    plan = finance.cost_plan
    if plan is not None:
        totals = cost_totals(plan)
        for index, (line, row) in enumerate(zip(plan.lines, totals.rows)):
            if line.stated_total is not None:
                checks.append(
                    _check(
                        file, ("cost_plan", "lines", index, "stated_total"), f"Cost plan, {line.item}: total", line.stated_total, row.total, plan.unit
                    )
                )
        for year, computed in zip(totals.years, totals.year_totals):
            if year in plan.stated_year_totals:
                checks.append(
                    _check(
                        file,
                        ("cost_plan", "stated_year_totals", year),
                        f"Cost plan, total for {year}",
                        plan.stated_year_totals[year],
                        computed,
                        plan.unit,
                    )
                )
        if plan.stated_grand_total is not None:
            checks.append(
                _check(
                    file,
                    ("cost_plan", "stated_grand_total"),
                    "Cost plan, grand total (the sum of the year totals)",
                    plan.stated_grand_total,
                    totals.grand_total,
                    plan.unit,
                )
            )
    contingency = finance.contingency
    if contingency is not None:
        totals_c = contingency_totals(contingency)
        for index, (item, contingency_row) in enumerate(zip(contingency.items, totals_c.rows)):
            for end in ("high", "low"):
                figure = getattr(item, end)
                if figure.stated is not None:
                    checks.append(
                        _check(
                            file,
                            ("contingency", "items", index, end, "stated"),
                            f"Contingency, {item.item}: {end} figure",
                            figure.stated,
                            getattr(contingency_row, end).amount,
                            contingency.unit,
                        )
                    )
        for end in ("high", "low"):
            stated = getattr(contingency, f"stated_{end}_total")
            if stated is not None:
                checks.append(
                    _check(
                        file,
                        ("contingency", f"stated_{end}_total"),
                        f"Contingency, {end} total",
                        stated,
                        getattr(totals_c, f"{end}_total"),
                        contingency.unit,
                    )
                )
    return checks
