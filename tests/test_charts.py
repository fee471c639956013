"""Charts: data, headlines and summaries against the plan's figures; colour contrast of every pair
used; and the built SVG, table and CSV as a reader (or a screen reader) gets them."""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from clearplan.figures import compute
from clearplan.site.charts import PlanCharts, bar_chart
from clearplan.plan.model import ActivityStatus, Reading
from clearplan.site.render import PlanView, Renderer

M = Decimal(1_000_000)


@pytest.fixture
def data(kingston):
    """A private copy of the Kingston data that a test may change."""
    return kingston.data.model_copy(deep=True)


def test_finance_summaries_state_the_figures_in_the_data(kingston):
    charts = PlanCharts(PlanView(kingston.data))
    rows = compute.history_rows(kingston.data.finance)
    assert charts.overspend.summary == "The overspend grew from £6.48m to £19.25m in three years."
    assert charts.overspend.title == "The overspend grew every year, to £19.25m by the end of 2019/20"
    assert [bar.value for row in charts.overspend.rows for bar in row.bars] == [
        Decimal("6.48") * M,
        Decimal("10.69") * M,
        Decimal("14.07") * M,
        Decimal("19.25") * M,
    ]
    assert charts.finance_history.title == "Spending was more than income in every year from 2017/18 to 2019/20"
    assert charts.finance_history.summary == "Spending rose from £25.32m in 2017/18 to £29.66m in 2019/20, while income went from £20.59m to £23.62m."
    assert (rows[0].expenditure, rows[-1].expenditure) == (Decimal("25.32") * M, Decimal("29.66") * M)
    assert charts.ehcps.summary == "The number of EHCPs is expected to go from 1,470 in 2020/21 to 2,152 in 2024/25, up 46%."
    assert charts.forecast_spend.summary == "Expected spending goes from £30.97m in 2020/21 to £37.51m in 2024/25, up 21%."


def test_risk_and_activity_summaries_count_the_data(kingston):
    charts = PlanCharts(PlanView(kingston.data))
    assert charts.risks.title == "Six of 17 risks are rated High"
    assert charts.risks.summary == "Of 17 risks, six are rated High, nine Moderate and two Low."
    participation = next(w for w in kingston.data.workstreams if w.id == "participation")
    chart = charts.activities(participation)
    assert len(compute.activities(participation)) == 13
    assert chart.title == "None of the 13 activities has started yet"
    assert chart.cells == [["13"], ["0"], ["0"], ["0"]]


def test_summaries_follow_changed_data(data):
    ws = data.workstreams[1]
    acts = compute.activities(ws)
    for activity, status in zip(acts, [ActivityStatus.done, ActivityStatus.done, ActivityStatus.in_progress, ActivityStatus.on_hold]):
        activity.status = status
    data.finance.history.opening_balance = Decimal(30)  # £30m in hand: the balance stays positive
    charts = PlanCharts(PlanView(data))
    chart = charts.activities(ws)
    assert chart.title == "Two of 13 activities are done and one in progress"
    assert len(acts) == 13
    assert chart.summary == "Of 13 activities, nine are planned, one is in progress, two are done and one is on hold."
    assert charts.overspend.title == "The High Needs Block balance was £17.23m at the end of 2019/20"
    assert charts.overspend.summary == "The balance fell from £30.00m to £17.23m in three years; a minus sign means an overspend."


def test_bars_are_proportional_and_negative_values_start_at_zero():
    chart = bar_chart("t", "T", "S", "Year", ["Balance"], [("A", [Decimal(-5)]), ("B", [Decimal(15)])], str, ["Year", "Balance"])
    a, b = chart.rows[0].bars[0], chart.rows[1].bars[0]
    assert a.x + a.width == pytest.approx(chart.zero_x) and b.x == pytest.approx(chart.zero_x)
    assert b.width / a.width == pytest.approx(3)
    assert chart.csv_rows == [["A", "-5"], ["B", "15"]]
    with pytest.raises(ValueError, match="^a chart has one or two series, not 3$"):
        bar_chart("t", "T", "S", "Year", ["a", "b", "c"], [], str, [])


def test_measure_chart_with_a_latest_figure(data):
    views = {}
    wait = next(m for w in data.workstreams for m in w.measures if m.target.kind == "percent" and m.target.direction == "at_most")
    wait.actuals = [Reading(date=dt.date(2021, 3, 31), value=Decimal("12.5"))]
    count = next(m for w in data.workstreams for m in w.measures if m.target.kind == "count")
    count.actuals = [Reading(date=dt.date(2021, 3, 31), value=count.target.value)]
    views["charts"] = PlanCharts(PlanView(data))
    by_id = {c.id: c for c in views["charts"].measures}
    assert set(by_id) == {f"measure-{wait.id}", f"measure-{count.id}"}
    off = by_id[f"measure-{wait.id}"]
    assert off.title == f"{wait.name}: not on track"
    assert off.summary == f"The latest figure, 12.5% in 31 March 2021, is above the target of {wait.target.value}% or less."
    on = by_id[f"measure-{count.id}"]
    assert on.title.endswith(": on track") and ", meets the target" in on.summary
    # The measures page, rendered from this copy, shows both charts instead of the "nothing yet" note.
    html = Renderer(PlanView(data)).page("measures", root="")
    soup = BeautifulSoup(html, "html.parser")
    assert [f["id"] for f in soup.select("figure.cp-chart")] == [c.id for c in views["charts"].measures]
    assert "No measure with a number target has a latest figure yet" not in soup.get_text()


# --- Colour contrast (WCAG relative luminance) ----------------------------------------------------


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def palettes(css: str) -> list[dict[str, str]]:
    """Every rule in charts.css that sets the chart colours, as {name: #rrggbb}."""
    blocks = re.findall(r"\{([^{}]*--cp-chart-bg:[^{}]*)\}", css)
    return [dict(re.findall(r"--cp-chart-([\w-]+):\s*(#[0-9a-fA-F]{6})", block)) for block in blocks]


def test_every_colour_pair_used_has_enough_contrast(root):
    found = palettes((root / "src/clearplan/site/theme/assets/stylesheets/charts.css").read_text(encoding="utf-8"))
    assert len(found) == 3  # light, dark (slate) and print
    analysis_function = {"#12436d", "#28a197", "#801650", "#f46a25", "#3d3d3d", "#a285d1", "#2073bc", "#6bace6"}
    for colours in found:
        bg = colours["bg"]
        assert contrast(colours["text"], bg) >= 4.5
        used = set()
        for series in ("1", "2"):
            fill, stroke = colours[f"{series}-fill"], colours[f"{series}-stroke"]
            # A bar is seen by its edge: the stroke must stand out; a fill is either the background or stands out too.
            assert contrast(stroke, bg) >= 3, (series, stroke, bg)
            assert fill.lower() == bg.lower() or contrast(fill, bg) >= 3, (series, fill, bg)
            used |= {c.lower() for c in (fill, stroke) if c.lower() != bg.lower()}
        # Neighbouring bars of the two series differ by at least 3:1.
        assert contrast(colours["1-fill"], colours["2-fill"]) >= 3
        assert used <= analysis_function and len(used) <= 4


# --- The built charts ----------------------------------------------------------------------------


def charts_on(site, path: str):
    soup = BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")
    return soup.select("figure.cp-chart")


# Each built chart as the source documents give it (finance.yaml's history and forecast, the risk
# registers, the participation workstream's action plan): title, summary, the label and bar texts
# drawn, the table rows and the CSV rows.
BUILT_CHARTS = {
    "finance-history": (
        "Spending was more than income in every year from 2017/18 to 2019/20",
        "Spending rose from £25.32m in 2017/18 to £29.66m in 2019/20, while income went from £20.59m to £23.62m.",
        [
            "2017/18",
            "Income: £20.59m",
            "Spending: £25.32m",
            "2018/19",
            "Income: £23.70m",
            "Spending: £27.78m",
            "2019/20",
            "Income: £23.62m",
            "Spending: £29.66m",
        ],
        [["2017/18", "£20.59m", "£25.32m"], ["2018/19", "£23.70m", "£27.78m"], ["2019/20", "£23.62m", "£29.66m"]],
        [
            ["Year", "Income (£)", "Spending (£)"],
            ["2017/18", "20590000", "25320000"],
            ["2018/19", "23700000", "27780000"],
            ["2019/20", "23620000", "29660000"],
        ],
    ),
    "overspend": (
        "The overspend grew every year, to £19.25m by the end of 2019/20",
        "The overspend grew from £6.48m to £19.25m in three years.",
        ["Start of 2017/18", "£6.48m", "End of 2017/18", "£10.69m", "End of 2018/19", "£14.07m", "End of 2019/20", "£19.25m"],
        [["Start of 2017/18", "£6.48m"], ["End of 2017/18", "£10.69m"], ["End of 2018/19", "£14.07m"], ["End of 2019/20", "£19.25m"]],
        [
            ["When", "Overspend (£)"],
            ["Start of 2017/18", "6480000"],
            ["End of 2017/18", "10690000"],
            ["End of 2018/19", "14070000"],
            ["End of 2019/20", "19250000"],
        ],
    ),
    "forecast-ehcps": (
        "The number of EHCPs is expected to rise every year",
        "The number of EHCPs is expected to go from 1,470 in 2020/21 to 2,152 in 2024/25, up 46%.",
        ["2020/21", "1,470", "2021/22", "1,617", "2022/23", "1,778", "2023/24", "1,956", "2024/25", "2,152"],
        [["2020/21", "1,470"], ["2021/22", "1,617"], ["2022/23", "1,778"], ["2023/24", "1,956"], ["2024/25", "2,152"]],
        [["Year", "EHCPs at year end"], ["2020/21", "1470"], ["2021/22", "1617"], ["2022/23", "1778"], ["2023/24", "1956"], ["2024/25", "2152"]],
    ),
    "forecast-spend": (
        "Spending is expected to rise every year",
        "Expected spending goes from £30.97m in 2020/21 to £37.51m in 2024/25, up 21%.",
        ["2020/21", "£30.97m", "2021/22", "£32.53m", "2022/23", "£34.16m", "2023/24", "£35.84m", "2024/25", "£37.51m"],
        [["2020/21", "£30.97m"], ["2021/22", "£32.53m"], ["2022/23", "£34.16m"], ["2023/24", "£35.84m"], ["2024/25", "£37.51m"]],
        [
            ["Year", "Expected spending (£)"],
            ["2020/21", "30973000"],
            ["2021/22", "32529000"],
            ["2022/23", "34161000"],
            ["2023/24", "35835000"],
            ["2024/25", "37509000"],
        ],
    ),
    "risks-by-level": (
        "Six of 17 risks are rated High",
        "Of 17 risks, six are rated High, nine Moderate and two Low.",
        ["High", "6", "Moderate", "9", "Low", "2"],
        [["High", "6"], ["Moderate", "9"], ["Low", "2"]],
        [["Level", "Risks"], ["High", "6"], ["Moderate", "9"], ["Low", "2"]],
    ),
    "participation-activities-by-status": (
        "None of the 13 activities has started yet",
        "Of 13 activities, 13 are planned, none are in progress, none are done and none are on hold.",
        ["Planned", "13", "In progress", "0", "Done", "0", "On hold", "0"],
        [["Planned", "13"], ["In progress", "0"], ["Done", "0"], ["On hold", "0"]],
        [["Status", "Activities"], ["Planned", "13"], ["In progress", "0"], ["Done", "0"], ["On hold", "0"]],
    ),
}


@pytest.mark.parametrize(
    "path, expected",
    [
        ("finance", ["finance-history", "overspend", "forecast-ehcps", "forecast-spend"]),
        ("risks", ["risks-by-level"]),
        ("workstreams/participation", ["participation-activities-by-status"]),
    ],
)
def test_built_charts_are_one_named_image_with_table_and_csv(site, path, expected):
    figures = charts_on(site, path)
    assert [f["id"] for f in figures] == expected
    for figure in figures:
        title, summary, texts, table, csv_rows = BUILT_CHARTS[figure["id"]]
        plot = figure.select_one(".cp-chart__plot")
        summary_line = figure.select_one(".cp-chart__summary")
        assert plot["role"] == "img"
        assert plot["aria-labelledby"] == figure.figcaption["id"] and figure.figcaption.get_text() == title
        assert plot["aria-describedby"] == summary_line["id"] and summary_line.get_text() == summary
        assert [t.get_text() for t in plot.select(".cp-chart__label, .cp-chart__value")] == texts
        assert len({cls for bar in plot.select(".cp-chart__bar") for cls in bar["class"] if cls.startswith("cp-chart__bar--")}) <= 4
        data = figure.find_next_sibling()  # the chart's data: its table, then the links to download it
        assert "cp-table-region" in data["class"] and data.table["id"] == f"{figure['id']}-data"
        assert [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in data.select("table tbody tr")] == table
        link = data.find_next_sibling("p", class_="cp-downloads").a["href"]
        assert link.endswith(f"data/{path}/{figure['id']}-data.csv")
        with (site / "data" / path / f"{figure['id']}-data.csv").open(encoding="utf-8-sig", newline="") as handle:
            assert list(csv.reader(handle)) == csv_rows


def test_measures_page_says_honestly_that_nothing_can_be_charted_yet(site):
    assert charts_on(site, "measures") == []
    body = (site / "measures" / "index.html").read_text(encoding="utf-8")
    assert "No measure with a number target has a latest figure yet" in body


def test_every_activity_chart_matches_its_workstream(site):
    # Activities per workstream, counted in the workstream files; every one is still planned.
    totals = {
        "partnership-board": 7,
        "participation": 13,
        "joint-commissioning": 21,
        "local-provision": 27,
        "early-intervention": 18,
        "assessment-planning": 14,
    }
    for ws_id, total in totals.items():
        figure = charts_on(site, f"workstreams/{ws_id}")[0]
        counts = {tr.th.get_text(): tr.td.get_text() for tr in figure.find_next_sibling().select("tbody tr")}
        assert counts == {"Planned": str(total), "In progress": "0", "Done": "0", "On hold": "0"}, ws_id
