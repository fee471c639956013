"""Computed figures against the Kingston source document's own numbers."""

from decimal import Decimal

from clearplan import compute
from clearplan.money import format_money, format_number, precision_pounds, round_half_up

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
        **{f"Cumulative funding gap, end of {y}": (Decimal(s) * 1000, Decimal(s - 2) * 1000)
           for y, s in [("2020/21", 23929), ("2021/22", 29862), ("2022/23", 37127), ("2023/24", 45766), ("2024/25", 55779)]},
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
    from clearplan.model import ProductRating, ProductScheme, Risk

    scheme = ProductScheme(kind="product", scale_max=5, bands=[
        {"name": "Green", "min": 1, "max": 8}, {"name": "Amber", "min": 9, "max": 12}, {"name": "Red", "min": 13, "max": 25}])
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
