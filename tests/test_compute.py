"""Computed figures against the Kingston source document's own numbers."""

from decimal import Decimal

from clearplan.figures import compute
from clearplan.plan.money import format_money, format_number, precision_pounds, round_half_up

M = Decimal(1_000_000)


def test_history_in_year_totals_and_cumulative_overspend(kingston):
    rows = compute.history_rows(kingston.data.finance)
    assert [r.year for r in rows] == ["2017/18", "2018/19", "2019/20"]
    assert [r.in_year for r in rows] == [Decimal("-4.21") * M, Decimal("-3.38") * M, Decimal("-5.18") * M]
    assert [r.carry_in for r in rows] == [Decimal("-6.48") * M, Decimal("-10.69") * M, Decimal("-14.07") * M]
    assert rows[-1].cumulative == Decimal("-19.25") * M


def test_ehcp_growth_rule_gives_the_source_numbers(kingston):
    rows = compute.forecast_rows(kingston.data.finance)
    assert [r.ehcps for r in rows] == [1470, 1617, 1778, 1956, 2152]


def test_ehcp_projection_rounding_rules():
    assert compute.ehcp_projection(1470, Decimal(10), 3, "down") == [1470, 1617, 1778]
    assert compute.ehcp_projection(1470, Decimal(10), 3, "half_up") == [1470, 1617, 1779]


def test_forecast_average_and_cumulative_gap_are_computed(kingston):
    rows = compute.forecast_rows(kingston.data.finance)
    assert rows[0].average_spend == Decimal(30_973_000) / 1470
    assert round_half_up(rows[0].average_spend, 0) == 21070
    # The cumulative gap starts from the £19.25m overspend at the end of 2019/20.
    assert [r.cumulative_gap for r in rows] == [Decimal(x) * 1000 for x in (23927, 29860, 37125, 45764, 55777)]


def test_figures_check_lists_every_difference_with_both_values(kingston):
    checks = compute.figure_checks(kingston.data, "finance.yaml")
    differing = {c.label: (c.stated, c.computed) for c in checks if c.differs}
    assert len(checks) == 6 + 15
    assert differing == {
        "Average spend per EHCP, 2020/21": (Decimal(21076), Decimal(30_973_000) / 1470),
        "Average spend per EHCP, 2021/22": (Decimal(20122), Decimal(32_529_000) / 1617),
        "Average spend per EHCP, 2022/23": (Decimal(19211), Decimal(34_161_000) / 1778),
        "Average spend per EHCP, 2024/25": (Decimal(17433), Decimal(37_509_000) / 2152),
        **{
            f"Cumulative funding gap, end of {y}": (Decimal(s) * 1000, Decimal(s - 2) * 1000)
            for y, s in [("2020/21", 23929), ("2021/22", 29862), ("2022/23", 37127), ("2023/24", 45766), ("2024/25", 55779)]
        },
    }


def test_stated_precision_comes_from_the_digits_written():
    assert precision_pounds(Decimal("21.076"), "£'000") == 1
    assert precision_pounds(Decimal("23929"), "£'000") == 1000
    assert precision_pounds(Decimal("-4.21"), "£m") == 10_000


def test_counts_match_the_source(kingston):
    counts = compute.counts(kingston.data)
    assert (counts.workstreams, counts.activities, counts.measures, counts.risks) == (5, 100, 38, 17)
    assert counts.activities_without_lead == 6


def test_risk_levels_from_the_level_scheme(kingston):
    scheme = kingston.data.plan.risk_scheme
    ratings = [compute.rating(r, scheme).name for w in kingston.data.workstreams for r in w.risks]
    assert {name: ratings.count(name) for name in set(ratings)} == {"Low": 2, "Moderate": 9, "High": 6}


def test_product_scheme_scores_and_bands():
    from clearplan.plan.model import ProductRating, ProductScheme, Risk

    scheme = ProductScheme(
        kind="product",
        scale_max=5,
        bands=[{"name": "Green", "min": 1, "max": 8}, {"name": "Amber", "min": 9, "max": 12}, {"name": "Red", "min": 13, "max": 25}],
    )
    risk = Risk(id="r", title="t", impact="i", strategy="mitigate", rating=ProductRating(likelihood=3, impact=5))
    assert compute.rating(risk, scheme) == compute.Rating("Red", 2, 15)
    risk.rating = ProductRating(likelihood=3, impact=3)
    assert compute.rating(risk, scheme) == compute.Rating("Amber", 1, 9)
    risk.rating = ProductRating(likelihood=6, impact=1)
    assert compute.rating(risk, scheme) is None


def test_money_is_rounded_half_up_once_when_shown():
    assert format_number(Decimal("2.5")) == "3"
    assert format_number(Decimal("-1234567.5")) == "\u22121,234,568"
    assert format_money(Decimal("-19250000"), "£m", 2) == "\u2212£19.25m"
    assert format_money(Decimal("21070.07")) == "£21,070"


def test_money_rounds_half_up_on_both_sides_of_the_half():
    assert [round_half_up(Decimal(v), 0) for v in ("2.4999", "2.5", "-2.4999", "-2.5")] == [2, 3, -2, -3]
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert format_number(Decimal("999.4")) == "999" and format_number(Decimal("999.5")) == "1,000"
    assert format_number(Decimal("1234.5"), 2) == "1,234.50"
    # A figure that rounds to nothing has no minus sign.
    assert format_number(Decimal("-0.4")) == "0" and format_number(Decimal("-0.5")) == "\u22121"
    assert format_money(Decimal("-4000"), "£m", 2) == "£0.00m" and format_money(Decimal("-5000"), "£m", 2) == "\u2212£0.01m"
    assert format_money(Decimal("21076"), "£'000") == "£21k"
    assert format_money(Decimal("999.5")) == "£1,000"


def test_a_stated_figure_differs_only_beyond_its_rounding():
    def check(stated, computed, tolerance):
        return compute.FigureCheck("f", (), "x", Decimal(stated), Decimal(computed), Decimal(tolerance))

    assert check(100, 105, 5).difference == 5 and not check(100, 105, 5).differs
    assert check(100, 95, 5).difference == -5 and not check(100, 95, 5).differs
    assert check(100, 105.01, 5).differs and check(100, 94.99, 5).differs


def test_ehcp_projection_rounds_each_year_from_the_start_value():
    # 5 × 1.1 = 5.5 and 5 × 1.21 = 6.05: rounded down, or half-up.
    assert compute.ehcp_projection(5, Decimal(10), 3, "down") == [5, 5, 6]
    assert compute.ehcp_projection(5, Decimal(10), 3, "half_up") == [5, 6, 6]
    assert compute.ehcp_projection(1470, Decimal(10), 0, "down") == []


def test_product_scheme_bands_meet_at_their_edges():
    from clearplan.plan.model import ProductRating, ProductScheme, Risk

    # Bands given out of order: the rank follows the scores, not the order written.
    scheme = ProductScheme(
        kind="product",
        scale_max=5,
        bands=[{"name": "Red", "min": 13, "max": 25}, {"name": "Green", "min": 1, "max": 8}, {"name": "Amber", "min": 9, "max": 12}],
    )

    def rated(likelihood, impact):
        risk = Risk(id="r", title="t", impact="i", strategy="mitigate", rating=ProductRating(likelihood=likelihood, impact=impact))
        return compute.rating(risk, scheme)

    assert rated(1, 1) == compute.Rating("Green", 0, 1)
    assert rated(2, 4) == compute.Rating("Green", 0, 8)
    assert rated(3, 3) == compute.Rating("Amber", 1, 9)
    assert rated(3, 4) == compute.Rating("Amber", 1, 12)
    assert rated(2, 7) is None and rated(7, 2) is None  # off the 5 × 5 grid
    assert rated(5, 5) == compute.Rating("Red", 2, 25)
    assert rated(5, 6) is None and rated(6, 5) is None


def test_level_and_grid_ratings_outside_the_scheme_are_unrated(kingston):
    from clearplan.plan.model import GridRating, LevelRating, LookupGridScheme, Risk

    scheme = kingston.data.plan.risk_scheme
    risk = Risk(id="r", title="t", impact="i", strategy="mitigate", rating=LevelRating(level="Moderate"))
    assert compute.rating(risk, scheme) == compute.Rating("Moderate", 1)
    risk.rating = LevelRating(level="Severe")
    assert compute.rating(risk, scheme) is None
    grid = LookupGridScheme.model_validate(
        {
            "kind": "grid",
            "row_label": "Likelihood",
            "column_label": "Severity",
            "rows": ["Likely", "Unlikely"],
            "columns": ["Minor", "Major"],
            "levels": [{"code": "L", "name": "Low"}, {"code": "H", "name": "High"}],
            "cells": [["L", "H"], ["L", "L"]],
        }
    )
    assert compute.grid_rating(GridRating(row="Likely", column="Major"), grid) == compute.Rating("High", 1)
    assert compute.grid_rating(GridRating(row="Unlikely", column="Major"), grid) == compute.Rating("Low", 0)
    assert compute.grid_rating(GridRating(row="Rare", column="Major"), grid) is None
    assert compute.grid_rating(GridRating(row="Likely", column="Huge"), grid) is None


def test_each_stated_figure_is_checked_where_the_source_states_it(kingston):
    checks = compute.figure_checks(kingston.data, "finance.yaml")
    assert {c.file for c in checks} == {"finance.yaml"}
    history = [
        ("In-year total,", "stated_in_year", "-4.21"),
        ("Cumulative balance, end of", "stated_cumulative", "-10.69"),
        ("In-year total,", "stated_in_year", "-3.38"),
        ("Cumulative balance, end of", "stated_cumulative", "-14.07"),
        ("In-year total,", "stated_in_year", "-5.18"),
        ("Cumulative balance, end of", "stated_cumulative", "-19.25"),
    ]
    years = ["2017/18", "2018/19", "2019/20"]
    # Stated in £m to two places: within £10,000 of the computed figure, which here is exact.
    assert [(c.loc, c.label, c.stated, c.computed, c.tolerance, c.is_money) for c in checks[:6]] == [
        (("history", "years", i // 2, field), f"{label} {years[i // 2]}", Decimal(value) * M, Decimal(value) * M, Decimal(10_000), True)
        for i, (label, field, value) in enumerate(history)
    ]
    forecast_years = ["2020/21", "2021/22", "2022/23", "2023/24", "2024/25"]
    ehcps, average, gap = [1470, 1617, 1778, 1956, 2152], [21076, 20122, 19211, 18320, 17433], [23929, 29862, 37127, 45766, 55779]
    expected = []
    for i, year in enumerate(forecast_years):
        # EHCPs are counted exactly; averages are stated to the pound, the gap to the thousand.
        expected += [
            (("forecast", "years", i, "stated_ehcps"), f"Number of EHCPs, {year}", Decimal(ehcps[i]), Decimal(0), False),
            (("forecast", "years", i, "stated_average_spend"), f"Average spend per EHCP, {year}", Decimal(average[i]), Decimal(1), True),
            (
                ("forecast", "years", i, "stated_cumulative_gap"),
                f"Cumulative funding gap, end of {year}",
                Decimal(gap[i]) * 1000,
                Decimal(1000),
                True,
            ),
        ]
    assert [(c.loc, c.label, c.stated, c.tolerance, c.is_money) for c in checks[6:]] == expected
    assert [c.computed for c in checks[6::3]] == [Decimal(n) for n in ehcps]


def test_history_and_forecast_rows_hold_every_figure_of_the_source(kingston):
    note = "Includes a £3m DSG advance from the Department for Education"
    assert compute.history_rows(kingston.data.finance) == [
        compute.HistoryRow(year, *(Decimal(v) * M for v in values), year_note)
        for year, values, year_note in [
            ("2017/18", ("20.59", "25.32", "0.52", "-4.21", "-6.48", "-10.69"), None),
            ("2018/19", ("23.70", "27.78", "0.70", "-3.38", "-10.69", "-14.07"), note),
            ("2019/20", ("23.62", "29.66", "0.86", "-5.18", "-14.07", "-19.25"), None),
        ]
    ]
    rows = compute.forecast_rows(kingston.data.finance)
    assert [(r.year, r.spend, r.ehcps, r.funding_gap) for r in rows] == [
        ("2020/21", Decimal(30_973_000), 1470, Decimal(4_677_000)),
        ("2021/22", Decimal(32_529_000), 1617, Decimal(5_933_000)),
        ("2022/23", Decimal(34_161_000), 1778, Decimal(7_265_000)),
        ("2023/24", Decimal(35_835_000), 1956, Decimal(8_639_000)),
        ("2024/25", Decimal(37_509_000), 2152, Decimal(10_013_000)),
    ]
    assert [r.average_spend for r in rows] == [r.spend / r.ehcps for r in rows]


def test_a_forecast_of_no_ehcps_has_no_average(kingston):
    finance = kingston.data.finance.model_copy(deep=True)
    finance.forecast.ehcp_growth.start_value = 0
    assert [(r.ehcps, r.average_spend) for r in compute.forecast_rows(finance)] == [(0, Decimal(0))] * 5


def test_a_rating_of_another_kind_than_the_scheme_is_unrated(kingston):
    from clearplan.plan.model import GridRating, LevelRating, LookupGridScheme, ProductRating, ProductScheme, Risk

    level = kingston.data.plan.risk_scheme
    product = ProductScheme(kind="product", scale_max=5, bands=[{"name": "Green", "min": 1, "max": 25}])
    grid = LookupGridScheme.model_validate(
        {
            "kind": "grid",
            "row_label": "Likelihood",
            "column_label": "Severity",
            "rows": ["Likely"],
            "columns": ["Major"],
            "levels": [{"code": "H", "name": "High"}],
            "cells": [["H"]],
        }
    )
    ratings = {
        "level": LevelRating(level="Moderate"),
        "product": ProductRating(likelihood=2, impact=2),
        "grid": GridRating(row="Likely", column="Major"),
    }
    expected = {
        ("level", "level"): compute.Rating("Moderate", 1),
        ("product", "product"): compute.Rating("Green", 0, 4),
        ("grid", "grid"): compute.Rating("High", 0),
    }
    for scheme_kind, scheme in (("level", level), ("product", product), ("grid", grid)):
        for rating_kind, given in ratings.items():
            risk = Risk(id="r", title="t", impact="i", strategy="mitigate", rating=given)
            assert compute.rating(risk, scheme) == expected.get((scheme_kind, rating_kind)), (scheme_kind, rating_kind)


def test_a_figure_written_with_an_exponent_is_stated_to_the_unit():
    assert precision_pounds(Decimal("2E+1"), "£") == 1 and precision_pounds(Decimal("2E+1"), "£m") == 1_000_000
