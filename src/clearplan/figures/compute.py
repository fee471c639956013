"""Everything the plan's figures imply: totals, running balances, growth, averages, risk ratings.

Inputs come from the data; nothing here is typed by hand. Money stays exact (Decimal pounds).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..plan.model import (
    Finance,
    GridRating,
    LevelRating,
    LevelScheme,
    LookupGridScheme,
    PlanData,
    ProductRating,
    ProductScheme,
    Risk,
    WordsRating,
    WordsScheme,
    Workstream,
)
from .costs import cost_figure_checks
from .figure_check import FigureCheck
from ..plan.money import precision_pounds, to_pounds


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


NOT_RATED = "Not rated"
# The group of risks rated with words: the pairs have no order, so they are one group.
RATED_IN_WORDS = "Rated by likelihood and impact"


@dataclass(frozen=True)
class Rating:
    """A risk's rating under the plan's scheme: its band or level, rank (0 = lowest) and score.
    A risk rated in words has the pair and no rank; an unrated risk has neither."""

    name: str
    rank: int | None
    score: int | None = None
    likelihood: str | None = None  # the words, under a words scheme
    impact: str | None = None

    @property
    def group(self) -> str:
        """The group the risk register and dashboard count it in: its level, or how it is rated."""
        if self.rank is not None:
            return self.name
        return RATED_IN_WORDS if self.likelihood is not None else NOT_RATED


def history_rows(finance: Finance) -> list[HistoryRow]:
    """A ledger is a table of figures: a row per year, the balance for the year `income -
    expenditure + other_underspend`, and each year's balance brought in the previous year's end."""
    from .figure_tables import work_out
    from ..plan.model import FigureTable, TableColumn, TableInput, TableRow

    history = finance.history
    if history is None:
        return []
    rows_in = []
    for index, year in enumerate(history.years):
        row_id = "y" + year.year.replace("/", "_")
        previous = f"history.y{history.years[index - 1].year.replace('/', '_')}.cumulative" if index else "opening_balance"
        inputs = {"opening_balance": TableInput(value=history.opening_balance, unit=history.unit)} if index == 0 else {}
        rows_in.append(
            TableRow(
                id=row_id,
                item=year.year,
                inputs=inputs,
                cells={
                    "income": year.income,
                    "expenditure": year.expenditure,
                    "other_underspend": year.other_underspend,
                    "in_year": "income - expenditure + other_underspend",
                    "carry_in": previous,
                    "cumulative": "carry_in + in_year",
                },
            )
        )
    columns = [TableColumn(label=name) for name in ("income", "expenditure", "other_underspend", "in_year", "carry_in", "cumulative")]
    graph, _ = work_out(FigureTable(id="history", title="History", unit=history.unit, total_column=False, columns=columns, rows=rows_in))
    rows = []
    for year, row in zip(history.years, rows_in):
        value = {name: graph.values[f"history.{row.id}.{name}"] for name in row.cells}
        rows.append(
            HistoryRow(
                year.year,
                value["income"],
                value["expenditure"],
                value["other_underspend"],
                value["in_year"],
                value["carry_in"],
                value["cumulative"],
                year.note,
            )
        )
    return rows


def _growth_formula(annual_percent: Decimal, years: int) -> str:
    """`start` grown by the rate `years` times, rounded once: round(start * (1 + 10%) * (1 + 10%), 0)."""
    return "round(start" + f" * (1 + {annual_percent}%)" * years + ", 0)"


def ehcp_projection(start_value: int, annual_percent: Decimal, years: int, rounding: str) -> list[int]:
    """EHCP numbers a year apart, each worked out from the start, as a table of counts."""
    from .figure_tables import work_out
    from ..plan.model import FigureTable, TableColumn, TableInput, TableRow

    if years == 0:
        return []
    rows = [
        TableRow(
            id=f"n{n}",
            item=f"Year {n + 1}",
            inputs={"start": TableInput.model_construct(value=Decimal(start_value), unit="plans")},
            cells={"ehcps": _growth_formula(annual_percent, n)},
        )
        for n in range(years)
    ]
    graph, _ = work_out(
        FigureTable(
            id="ehcps",
            title="EHCPs",
            unit="plans",
            rounding=rounding,
            total_column=False,  # type: ignore[arg-type]
            columns=[TableColumn(label="ehcps")],
            rows=rows,
        )
    )
    return [int(graph.values[f"ehcps.n{n}.ehcps"]) for n in range(years)]


def forecast_rows(finance: Finance) -> list[ForecastRow]:
    """A forecast is a table of figures: the average spend per EHCP is `spend / ehcps`, and the
    funding gap so far the previous year's plus this year's, starting from the ledger's closing overspend."""
    from .figure_tables import work_out
    from ..plan.model import FigureTable, TableColumn, TableInput, TableRow

    if finance.forecast is None:
        return []
    forecast = finance.forecast
    growth = forecast.ehcp_growth
    ehcps = ehcp_projection(growth.start_value, growth.annual_percent, len(forecast.years), growth.rounding)
    rows_in = []
    for index, (year, count) in enumerate(zip(forecast.years, ehcps)):
        previous = f"forecast.r{index - 1}.cumulative_gap" if index else "gap_before"
        # Worked-out inputs, not plan data: the bounds on what an officer may type do not apply.
        inputs = {"ehcps": TableInput.model_construct(value=Decimal(count), unit="plans")}
        if index == 0:
            inputs["gap_before"] = TableInput.model_construct(value=-history_rows(finance)[-1].cumulative, unit="£")
        rows_in.append(
            TableRow(
                id=f"r{index}",
                item=year.year,
                inputs=inputs,
                cells={
                    "spend": year.spend,
                    "funding_gap": year.funding_gap,
                    "cumulative_gap": f"{previous} + funding_gap",
                    **({"average_spend": "spend / ehcps"} if count else {}),
                },
            )
        )
    columns = [TableColumn(label=name) for name in ("spend", "funding_gap", "cumulative_gap", "average_spend")]
    graph, _ = work_out(FigureTable(id="forecast", title="Forecast", unit=forecast.unit, total_column=False, columns=columns, rows=rows_in))
    value = graph.values.__getitem__
    return [
        ForecastRow(
            year.year,
            value(f"forecast.r{i}.spend"),
            count,
            value(f"forecast.r{i}.average_spend"),
            value(f"forecast.r{i}.funding_gap"),
            value(f"forecast.r{i}.cumulative_gap"),
        )
        for i, (year, count) in enumerate(zip(forecast.years, ehcps))
    ]


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


def _money_check(finance_file: str, loc: tuple, label: str, stated: Decimal, unit: str, computed: Decimal) -> FigureCheck:
    """A stated amount, written in the table's unit, against what its inputs give in pounds."""
    return FigureCheck(finance_file, loc, label, to_pounds(stated, unit), computed, precision_pounds(stated, unit))


def _history_checks(finance: Finance, finance_file: str) -> list[FigureCheck]:
    assert finance.history is not None
    checks: list[FigureCheck] = []
    hist_unit = finance.history.unit
    for index, (year, row) in enumerate(zip(finance.history.years, history_rows(finance))):
        loc = ("history", "years", index)
        if year.stated_in_year is not None:
            checks.append(
                _money_check(finance_file, loc + ("stated_in_year",), f"In-year total, {year.year}", year.stated_in_year, hist_unit, row.in_year)
            )
        if year.stated_cumulative is not None:
            checks.append(
                _money_check(
                    finance_file,
                    loc + ("stated_cumulative",),
                    f"Cumulative balance, end of {year.year}",
                    year.stated_cumulative,
                    hist_unit,
                    row.cumulative,
                )
            )
    return checks


def _forecast_checks(finance: Finance, finance_file: str) -> list[FigureCheck]:
    assert finance.forecast is not None
    checks: list[FigureCheck] = []
    unit = finance.forecast.unit
    for index, (year, row) in enumerate(zip(finance.forecast.years, forecast_rows(finance))):
        loc = ("forecast", "years", index)
        if year.stated_ehcps is not None:
            checks.append(
                FigureCheck(
                    finance_file,
                    loc + ("stated_ehcps",),
                    f"Number of EHCPs, {year.year}",
                    Decimal(year.stated_ehcps),
                    Decimal(row.ehcps),
                    Decimal(0),
                    is_money=False,
                )
            )
        if year.stated_average_spend is not None:
            checks.append(
                _money_check(
                    finance_file,
                    loc + ("stated_average_spend",),
                    f"Average spend per EHCP, {year.year}",
                    year.stated_average_spend,
                    unit,
                    row.average_spend,
                )
            )
        if year.stated_cumulative_gap is not None:
            checks.append(
                _money_check(
                    finance_file,
                    loc + ("stated_cumulative_gap",),
                    f"Cumulative funding gap, end of {year.year}",
                    year.stated_cumulative_gap,
                    unit,
                    row.cumulative_gap,
                )
            )
    return checks


def rating(risk: Risk, scheme: LevelScheme | ProductScheme | LookupGridScheme | WordsScheme) -> Rating | None:
    """The risk's rating ("Not rated" when it gives none), or None when its rating does not fit the scheme (the check says why)."""
    given = risk.rating
    if given is None:
        return Rating(NOT_RATED, None)
    if isinstance(scheme, WordsScheme) and isinstance(given, WordsRating):
        if given.likelihood not in scheme.likelihood or given.impact not in scheme.impact:
            return None
        return Rating(f"Likelihood {given.likelihood}, impact {given.impact}", None, None, given.likelihood, given.impact)
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
