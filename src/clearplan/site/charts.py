"""Chart data: every chart's bars, positions, headline and one-sentence summary, computed from the
plan. Templates (`components/chart*.html`) draw the bars from this in HTML, so their labels are
text at the page's own size on any screen (a scaled SVG shrank them to 7 px on a phone); colours
live only in `charts.css`, so Python holds no colours.

Money stays Decimal for every figure shown; it becomes float only for drawing coordinates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from ..figures import compute, progress
from ..plan.model import ActivityStatus, Measure, Workstream
from ..plan.money import format_money, format_number, round_half_up
from ..plan.wording import LATEST_FIGURE, STATUS_LABELS, long_date, target_text

if TYPE_CHECKING:
    from .render import PlanView

# The longest bar's share of the chart's width, in percent: the rest is room for its direct label,
# which goes under the bar on a screen too narrow for it.
PLOT_PERCENT = 60
MAX_SERIES = 2  # two colours per chart at most (see charts.css); well under the limit of four

NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]

Value = Decimal | int
Shown = TypeVar("Shown", Decimal, int)  # a chart's values: all amounts, or all counts


@dataclass(frozen=True)
class Bar:
    series: int  # 1 or 2: selects the colour class in charts.css
    value: Value
    text: str  # the direct label: series name (when there are two) and the formatted value
    x: float  # where the bar starts, in percent of the chart's width
    width: float  # in percent of the chart's width


@dataclass(frozen=True)
class Row:
    label: str
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    """One chart: what its bars, its summary, its data table and its CSV all show."""

    id: str
    title: str  # the headline: states the finding
    summary: str  # one sentence computed from the data
    category_header: str
    series: list[str]
    rows: list[Row]
    zero_x: float  # where the zero line is, in percent of the chart's width
    cells: list[list[str]]  # the table's formatted values, one list per row
    csv_header: list[str]
    csv_rows: list[list[str]]


def number_words(count: int) -> str:
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else format_number(count)


def years_words(count: int) -> str:
    return f"{number_words(count)} year{'s' * (count != 1)}"


def money(pounds: Decimal) -> str:
    """Money in a chart label or sentence: millions to two places, smaller sums to the pound."""
    return format_money(pounds, "£m", 2) if abs(pounds) >= 1_000_000 else format_money(pounds)


def plain(value: Value) -> str:
    """An exact figure for a CSV cell: no exponent, no thousands separator."""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def bar_chart(
    chart_id: str,
    title: str,
    summary: str,
    category_header: str,
    series: list[str],
    categories: Sequence[tuple[str, Sequence[Shown]]],
    show: Callable[[Shown], str],
    csv_header: list[str],
) -> Chart:
    """Lay out a horizontal bar chart: each category a label line, then one bar per series."""
    if not 1 <= len(series) <= MAX_SERIES:
        raise ValueError(f"a chart has one or two series, not {len(series)}")
    values: list[Value] = [v for _, shown in categories for v in shown]
    low, high = min([0, *values]), max([0, *values])
    span = float(high - low) or 1.0

    def x_of(value: Value) -> float:
        return round(PLOT_PERCENT * float(value - low) / span, 2)  # float only for the drawing

    zero_x = x_of(0)
    rows = []
    for label, row_values in categories:
        bars = []
        for index, value in enumerate(row_values):
            end = x_of(value)
            text = show(value) if len(series) == 1 else f"{series[index]}: {show(value)}"
            bars.append(Bar(index + 1, value, text, min(zero_x, end), abs(end - zero_x)))
        rows.append(Row(label, bars))
    cells = [[show(v) for v in figures] for _, figures in categories]
    csv_rows = [[category] + [plain(v) for v in figures] for category, figures in categories]
    return Chart(chart_id, title, summary, category_header, series, rows, zero_x, cells, csv_header, csv_rows)


def change_verb(first: Value, last: Value, rises: str, falls: str) -> str:
    return rises if last > first else (falls if last < first else "stayed the same")


def strictly(values: Sequence[Value], rising: bool) -> bool:
    pairs = list(zip(values, values[1:]))
    return bool(pairs) and all((b > a) if rising else (b < a) for a, b in pairs)


def percent_change(first: Value, last: Value) -> str:
    """', up 46%' or ', down 3%': the change from first to last, rounded half-up to a whole percent."""
    if not first or first == last:
        return ""
    change = round_half_up(Decimal(last - first) / Decimal(first) * 100, 0)
    return f", {'up' if change > 0 else 'down'} {format_number(abs(change))}%"


# --- The plan's charts ------------------------------------------------------------------------


class PlanCharts:
    """Every chart the site shows, each prepared once per build."""

    def __init__(self, view: PlanView):
        self.view = view

    @cached_property
    def finance_history(self) -> Chart | None:
        rows = self.view.history
        if not rows:
            return None
        first, last = rows[0], rows[-1]
        over = sum(1 for r in rows if r.expenditure > r.income)
        period = f"from {first.year} to {last.year}"
        if over == len(rows):
            title = f"Spending was more than income in every year {period}"
        else:
            title = f"Spending was more than income in {number_words(over)} of {number_words(len(rows))} years {period}"
        summary = (
            f"Spending {change_verb(first.expenditure, last.expenditure, 'rose', 'fell')} from {money(first.expenditure)} in {first.year} "
            f"to {money(last.expenditure)} in {last.year}, while income went from {money(first.income)} to {money(last.income)}."
        )
        return bar_chart(
            "finance-history",
            title,
            summary,
            "Year",
            ["Income", "Spending"],
            [(r.year, [r.income, r.expenditure]) for r in rows],
            money,
            ["Year", "Income (£)", "Spending (£)"],
        )

    @cached_property
    def overspend(self) -> Chart | None:
        rows = self.view.history
        if not rows:
            return None
        first_year, last_year = rows[0].year, rows[-1].year
        balances = [(f"Start of {first_year}", rows[0].carry_in)] + [(f"End of {r.year}", r.cumulative) for r in rows]
        years = len(rows)
        if all(balance <= 0 for _, balance in balances):
            # An overspend throughout: show it as a positive amount, as the plan talks about it.
            amounts = [(label, -balance) for label, balance in balances]
            start, end = amounts[0][1], amounts[-1][1]
            verb = change_verb(start, end, "grew", "fell")
            if strictly([a for _, a in amounts], rising=True):
                title = f"The overspend grew every year, to {money(end)} by the end of {last_year}"
            else:
                title = f"The overspend {verb} to {money(end)} by the end of {last_year}"
            summary = f"The overspend {verb} from {money(start)} to {money(end)} in {years_words(years)}."
            return bar_chart(
                "overspend", title, summary, "When", ["Overspend"], [(label, [a]) for label, a in amounts], money, ["When", "Overspend (£)"]
            )
        start, end = balances[0][1], balances[-1][1]
        title = f"The High Needs Block balance was {money(end)} at the end of {last_year}"
        summary = (
            f"The balance {change_verb(start, end, 'rose', 'fell')} from {money(start)} to {money(end)} in {years_words(years)}; "
            f"a minus sign means an overspend."
        )
        return bar_chart("overspend", title, summary, "When", ["Balance"], [(label, [b]) for label, b in balances], money, ["When", "Balance (£)"])

    @cached_property
    def ehcps(self) -> Chart | None:
        rows = self.view.forecast
        if not rows:
            return None
        first, last = rows[0], rows[-1]
        counts = [r.ehcps for r in rows]
        verb = change_verb(first.ehcps, last.ehcps, "rise", "fall")
        title = (
            "The number of EHCPs is expected to rise every year" if strictly(counts, rising=True) else f"The number of EHCPs is expected to {verb}"
        )
        summary = (
            f"The number of EHCPs is expected to go from {format_number(first.ehcps)} in {first.year} to {format_number(last.ehcps)} in {last.year}"
            f"{percent_change(first.ehcps, last.ehcps)}."
        )
        return bar_chart(
            "forecast-ehcps",
            title,
            summary,
            "Year",
            ["EHCPs"],
            [(r.year, [r.ehcps]) for r in rows],
            lambda v: format_number(v),
            ["Year", "EHCPs at year end"],
        )

    @cached_property
    def forecast_spend(self) -> Chart | None:
        rows = self.view.forecast
        if not rows:
            return None
        first, last = rows[0], rows[-1]
        spends = [r.spend for r in rows]
        verb = change_verb(first.spend, last.spend, "rise", "fall")
        title = "Spending is expected to rise every year" if strictly(spends, rising=True) else f"Spending is expected to {verb}"
        summary = f"Expected spending goes from {money(first.spend)} in {first.year} to {money(last.spend)} in {last.year}{percent_change(first.spend, last.spend)}."
        return bar_chart(
            "forecast-spend",
            title,
            summary,
            "Year",
            ["Expected spending"],
            [(r.year, [r.spend]) for r in rows],
            money,
            ["Year", "Expected spending (£)"],
        )

    def activities(self, workstream: Workstream) -> Chart:
        counts = progress.workstream_progress(self.view.data, workstream).activities
        total = sum(counts.values())
        done, started = counts[ActivityStatus.done], counts[ActivityStatus.in_progress]
        noun = "activity" if total == 1 else "activities"
        if total and done == total:
            title = f"All {number_words(total)} {noun} are done"
        elif done == 0 and started == 0:
            title = f"None of the {number_words(total)} {noun} has started yet" if total else "This workstream has no activities yet"
        else:
            title = f"{number_words(done).capitalize()} of {number_words(total)} {noun} are done and {number_words(started)} in progress"
        parts = [
            f"{number_words(counts[s]) if counts[s] else 'none'} {'is' if counts[s] == 1 else 'are'} {STATUS_LABELS[s].lower()}"
            for s in ActivityStatus
        ]
        summary = f"Of {number_words(total)} {noun}, {', '.join(parts[:-1])} and {parts[-1]}."
        return bar_chart(
            f"{workstream.id}-activities-by-status",
            title,
            summary,
            "Status",
            ["Activities"],
            [(STATUS_LABELS[s], [counts[s]]) for s in ActivityStatus],
            lambda v: format_number(v),
            ["Status", "Activities"],
        )

    @cached_property
    def risks(self) -> Chart | None:
        levels = progress.totals(progress.plan_progress(self.view.data))
        if levels is None or not levels.risk_total:
            return None
        total = levels.risk_total
        top, top_count = levels.risks[0]
        if top in (compute.RATED_IN_WORDS, compute.NOT_RATED):
            return None  # no levels to chart: words give no order, and unrated risks have none
        title = f"{number_words(top_count).capitalize()} of {number_words(total)} risks are rated {top}"
        parts = [f"{number_words(count) if count else 'none'} {name}" for name, count in levels.risks]
        parts[0] = f"{parts[0].split(' ', 1)[0]} {'is' if top_count == 1 else 'are'} rated {top}"
        summary = (
            f"Of {number_words(total)} risks, {', '.join(parts[:-1])} and {parts[-1]}."
            if len(parts) > 1
            else f"All {number_words(total)} risks are rated {top}."
        )
        return bar_chart(
            "risks-by-level",
            title,
            summary,
            "Level",
            ["Risks"],
            [(name, [count]) for name, count in levels.risks],
            lambda v: format_number(v),
            ["Level", "Risks"],
        )

    def measure(self, measure: Measure) -> Chart | None:
        """Latest figure against target, for a measure with a number target and a latest figure."""
        latest, target = progress.latest_reading(measure), measure.target
        if latest is None or target.kind not in progress.NUMERIC_TARGETS or target.value is None:
            return None
        suffix = "%" if target.kind == "percent" else ""

        def show(value: Value) -> str:
            return format_number(value, places=max(0, -int(Decimal(value).as_tuple().exponent))) + suffix

        on_track = progress.measure_progress(measure) == "on_track"
        relation = "meets" if on_track else ("is above" if latest.value > target.value else "is below")
        title = f"{measure.name}: {'on track' if on_track else 'not on track'}"
        summary = f"The latest figure, {show(latest.value)} in {long_date(latest.date)}, {relation} the target of {target_text(target)}."
        return bar_chart(
            f"measure-{measure.id}",
            title,
            summary,
            "Figure",
            ["Latest", "Target"],
            [(f"{LATEST_FIGURE} ({long_date(latest.date)}) and target", [latest.value, target.value])],
            show,
            ["Figure", "Latest", "Target"],
        )

    @cached_property
    def measures(self) -> list[Chart]:
        return [c for ws in self.view.workstreams for m in ws.measures if (c := self.measure(m)) is not None]

    def all(self) -> list[Chart]:
        fixed = [self.finance_history, self.overspend, self.ehcps, self.forecast_spend, self.risks]
        return [c for c in fixed if c is not None] + [self.activities(ws) for ws in self.view.workstreams] + self.measures
