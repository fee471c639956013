"""A cost plan and a contingency plan: every total computed from the amounts, and every total the
source states compared with the computed one (as `FigureCheck`s, like the rest of the plan).

Money stays exact (Decimal pounds); nothing here rounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .figure_check import FigureCheck
from .model import Contingency, ContingencyFigure, CostPlan, Finance
from .money import precision_pounds, to_pounds


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
    rows = []
    for line in plan.lines:
        amounts = [to_pounds(line.amounts.get(year, Decimal(0)), plan.unit) for year in plan.years]
        rows.append(CostRow(line.id, line.item, line.rationale, line.note, amounts, sum(amounts, Decimal(0))))
    year_totals = [sum((row.amounts[i] for row in rows), Decimal(0)) for i in range(len(plan.years))]
    return CostTotals(rows, list(plan.years), year_totals, sum(year_totals, Decimal(0)))


def contingency_value(figure: ContingencyFigure, unit: str) -> ContingencyValue:
    if figure.amount is not None:
        return ContingencyValue(to_pounds(figure.amount, unit), figure.label, None, None)
    assert figure.alternative is not None and figure.base is not None  # the model requires both
    alternative, base = to_pounds(figure.alternative, unit), to_pounds(figure.base, unit)
    return ContingencyValue(alternative - base, figure.label, alternative, base)


def contingency_totals(contingency: Contingency) -> ContingencyTotals:
    unit = contingency.unit
    rows = [ContingencyRow(item.id, item.item, item.rationale, contingency_value(item.high, unit), contingency_value(item.low, unit))
            for item in contingency.items]
    return ContingencyTotals(rows, sum((r.high.amount for r in rows), Decimal(0)), sum((r.low.amount for r in rows), Decimal(0)))


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
                checks.append(_check(file, ("cost_plan", "lines", index, "stated_total"), f"Cost plan, {line.item}: total",
                                     line.stated_total, row.total, plan.unit))
        for year, computed in zip(totals.years, totals.year_totals):
            if year in plan.stated_year_totals:
                checks.append(_check(file, ("cost_plan", "stated_year_totals", year), f"Cost plan, total for {year}",
                                     plan.stated_year_totals[year], computed, plan.unit))
        if plan.stated_grand_total is not None:
            checks.append(_check(file, ("cost_plan", "stated_grand_total"), "Cost plan, grand total (the sum of the year totals)",
                                 plan.stated_grand_total, totals.grand_total, plan.unit))
    contingency = finance.contingency
    if contingency is not None:
        totals_c = contingency_totals(contingency)
        for index, (item, contingency_row) in enumerate(zip(contingency.items, totals_c.rows)):
            for end in ("high", "low"):
                figure = getattr(item, end)
                if figure.stated is not None:
                    checks.append(_check(file, ("contingency", "items", index, end, "stated"), f"Contingency, {item.item}: {end} figure",
                                         figure.stated, getattr(contingency_row, end).amount, contingency.unit))
        for end in ("high", "low"):
            stated = getattr(contingency, f"stated_{end}_total")
            if stated is not None:
                checks.append(_check(file, ("contingency", f"stated_{end}_total"), f"Contingency, {end} total",
                                     stated, getattr(totals_c, f"{end}_total"), contingency.unit))
    return checks
