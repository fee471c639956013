"""Everything the plan's figures imply: totals, running balances, growth, averages, risk ratings.

Inputs come from the data; nothing here is typed by hand. Money stays exact (Decimal pounds).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from .model import (Finance, GridRating, LevelRating, LevelScheme, LookupGridScheme, PlanData, ProductRating, ProductScheme, Risk,
                    Workstream)
from .costs import cost_figure_checks
from .figure_check import FigureCheck
from .money import precision_pounds, to_pounds


@dataclass(frozen=True)
class HistoryRow:
    year: str
    income: Decimal
    expenditure: Decimal
    other_underspend: Decimal
    in_year: Decimal
    carry_in: Decimal
    cumulative: Decimal
    note: str | None


@dataclass(frozen=True)
class ForecastRow:
    year: str
    spend: Decimal
    ehcps: int
    average_spend: Decimal
    funding_gap: Decimal
    cumulative_gap: Decimal


@dataclass(frozen=True)
class Rating:
    """A risk's rating under the plan's scheme: its band or level, rank (0 = lowest) and score."""

    name: str
    rank: int
    score: int | None = None


def history_rows(finance: Finance) -> list[HistoryRow]:
    if finance.history is None:
        return []
    unit = finance.history.unit
    balance = to_pounds(finance.history.opening_balance, unit)
    rows = []
    for year in finance.history.years:
        income, spent, other = (to_pounds(v, unit) for v in (year.income, year.expenditure, year.other_underspend))
        in_year = income - spent + other
        rows.append(HistoryRow(year.year, income, spent, other, in_year, balance, balance + in_year, year.note))
        balance += in_year
    return rows


def ehcp_projection(start_value: int, annual_percent: Decimal, years: int, rounding: str) -> list[int]:
    mode = ROUND_DOWN if rounding == "down" else ROUND_HALF_UP
    factor = 1 + annual_percent / 100
    return [int((start_value * factor**n).quantize(Decimal(1), rounding=mode)) for n in range(years)]


def forecast_rows(finance: Finance) -> list[ForecastRow]:
    if finance.forecast is None:
        return []
    forecast, unit = finance.forecast, finance.forecast.unit
    growth = forecast.ehcp_growth
    ehcps = ehcp_projection(growth.start_value, growth.annual_percent, len(forecast.years), growth.rounding)
    gap_so_far = -history_rows(finance)[-1].cumulative
    rows = []
    for year, count in zip(forecast.years, ehcps):
        spend, gap = to_pounds(year.spend, unit), to_pounds(year.funding_gap, unit)
        gap_so_far += gap
        average = spend / count if count else Decimal(0)
        rows.append(ForecastRow(year.year, spend, count, average, gap, gap_so_far))
    return rows


def figure_checks(data: PlanData, finance_file: str) -> list[FigureCheck]:
    """Every stated figure compared with what the inputs give."""
    finance = data.finance
    if finance is None:
        return []
    checks: list[FigureCheck] = []
    if finance.history is not None:
        checks.extend(_history_checks(finance, finance_file))
    if finance.forecast is not None:
        checks.extend(_forecast_checks(finance, finance_file))
    return checks + cost_figure_checks(finance, finance_file)


def _history_checks(finance: Finance, finance_file: str) -> list[FigureCheck]:
    assert finance.history is not None
    checks: list[FigureCheck] = []
    hist_unit = finance.history.unit
    for index, (year, row) in enumerate(zip(finance.history.years, history_rows(finance))):
        loc = ("history", "years", index)
        if year.stated_in_year is not None:
            checks.append(FigureCheck(finance_file, loc + ("stated_in_year",), f"In-year total, {year.year}",
                                      to_pounds(year.stated_in_year, hist_unit), row.in_year, precision_pounds(year.stated_in_year, hist_unit)))
        if year.stated_cumulative is not None:
            checks.append(FigureCheck(finance_file, loc + ("stated_cumulative",), f"Cumulative balance, end of {year.year}",
                                      to_pounds(year.stated_cumulative, hist_unit), row.cumulative, precision_pounds(year.stated_cumulative, hist_unit)))
    return checks


def _forecast_checks(finance: Finance, finance_file: str) -> list[FigureCheck]:
    assert finance.forecast is not None
    checks: list[FigureCheck] = []
    unit = finance.forecast.unit
    for index, (year, row) in enumerate(zip(finance.forecast.years, forecast_rows(finance))):
        loc = ("forecast", "years", index)
        if year.stated_ehcps is not None:
            checks.append(FigureCheck(finance_file, loc + ("stated_ehcps",), f"Number of EHCPs, {year.year}",
                                      Decimal(year.stated_ehcps), Decimal(row.ehcps), Decimal(0), is_money=False))
        if year.stated_average_spend is not None:
            checks.append(FigureCheck(finance_file, loc + ("stated_average_spend",), f"Average spend per EHCP, {year.year}",
                                      to_pounds(year.stated_average_spend, unit), row.average_spend, precision_pounds(year.stated_average_spend, unit)))
        if year.stated_cumulative_gap is not None:
            checks.append(FigureCheck(finance_file, loc + ("stated_cumulative_gap",), f"Cumulative funding gap, end of {year.year}",
                                      to_pounds(year.stated_cumulative_gap, unit), row.cumulative_gap, precision_pounds(year.stated_cumulative_gap, unit)))
    return checks


def rating(risk: Risk, scheme: LevelScheme | ProductScheme | LookupGridScheme) -> Rating | None:
    """The risk's rating, or None when its rating does not fit the scheme (the check says why)."""
    given = risk.rating
    if isinstance(scheme, LookupGridScheme) and isinstance(given, GridRating):
        return grid_rating(given, scheme)
    if isinstance(scheme, LevelScheme) and isinstance(given, LevelRating):
        names = [level.name for level in scheme.levels]
        return Rating(given.level, names.index(given.level)) if given.level in names else None
    if isinstance(scheme, ProductScheme) and isinstance(given, ProductRating):
        if not (given.likelihood <= scheme.scale_max and given.impact <= scheme.scale_max):
            return None
        score = given.likelihood * given.impact
        bands = sorted(scheme.bands, key=lambda b: b.min)
        for rank, band in enumerate(bands):
            if band.min <= score <= band.max:
                return Rating(band.name, rank, score)
    return None


def grid_rating(given: GridRating, scheme: LookupGridScheme) -> Rating | None:
    """The level where the rating's row and column meet in the scheme's grid."""
    if given.row not in scheme.rows or given.column not in scheme.columns:
        return None
    code = scheme.cells[scheme.rows.index(given.row)][scheme.columns.index(given.column)]
    codes = [level.code for level in scheme.levels]
    return Rating(scheme.levels[codes.index(code)].name, codes.index(code))


def activities(workstream: Workstream):
    return [activity for group in workstream.activity_groups for activity in group.activities]


@dataclass(frozen=True)
class Counts:
    workstreams: int
    activities: int
    measures: int
    risks: int
    activities_without_lead: int


def counts(data: PlanData) -> Counts:
    all_activities = [a for w in data.workstreams for a in activities(w)]
    return Counts(
        workstreams=sum(1 for w in data.workstreams if w.number is not None),
        activities=len(all_activities),
        measures=sum(len(w.measures) for w in data.workstreams),
        risks=sum(len(w.risks) for w in data.workstreams) + len(data.risks),
        activities_without_lead=sum(1 for a in all_activities if a.lead is None),
    )
