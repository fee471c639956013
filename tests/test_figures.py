"""The figures machinery: the expression language, the graph of figures and the statement checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clearplan.figures.graph import Figure, FigureError, FigureGraph, Origin, parse_expression, references


def graph_of(*figures: Figure) -> FigureGraph:
    graph = FigureGraph()
    for figure in figures:
        graph.add(figure)
    graph.evaluate()
    return graph


def entered(figure_id: str, value: str, unit: str = "£", per: str | None = None) -> Figure:
    return Figure(figure_id, figure_id.replace("_", " ").capitalize(), unit, entered=Decimal(value), origin=Origin("finance", (figure_id,)), per=per)


def formula(figure_id: str, expression: str, unit: str = "£", precision: int = 0, rounding: str = "half_up") -> Figure:
    return Figure(
        figure_id, figure_id.replace("_", " ").capitalize(), unit, precision, rounding, expression=expression, origin=Origin("finance", (figure_id,))
    )


def messages(graph: FigureGraph) -> list[str]:
    return [problem.message for problem in graph.problems]


# --- Parsing: a whitelist, never eval ---


@pytest.mark.parametrize(
    "text, names",
    [
        ("rate * days", ["rate", "days"]),
        ("(budget - outturn) * 3", ["budget", "outturn"]),
        ("sum(a, b, c)", ["a", "b", "c"]),
        ("round(total / count, 2)", ["total", "count"]),
        ("ws1_costs.total.y2022_23 * 30%", ["ws1_costs.total.y2022_23"]),
        ("rate × days ÷ 2 − 1", ["rate", "days"]),
    ],
)
def test_parse_accepts_the_language_and_lists_references(text, names):
    assert references(parse_expression(text)) == names


@pytest.mark.parametrize(
    "text, message",
    [
        ("__import__('os').system('x')", "is not something expressions can do"),
        ("a ** 2", "uses an operator expressions do not have"),
        ("a // 2", "uses an operator expressions do not have"),
        ("a if b else c", "is not allowed in an expression"),
        ("[a, b]", "is not allowed in an expression"),
        ("'text'", "is not a number"),
        ("True", "is not a number"),
        ("a.__class__", "is not a figure id"),
        ("Rate * 2", "is not a figure id"),
        ("round(a)", "round takes a value and a whole number of decimal places"),
        ("round(a, b)", "round takes a value and a whole number of decimal places"),
        ("sum()", "sum(...) needs at least one value"),
        ("max(a, b)", "is not something expressions can do"),
        ("a % b", "a % sign must follow a number"),
        ("a +", "cannot read the expression"),
        ("", "the expression is empty"),
        ("a < b", "is not allowed in an expression"),
        ("lambda: 1", "is not allowed in an expression"),
    ],
)
def test_parse_rejects_everything_else_in_plain_english(text, message):
    with pytest.raises(FigureError, match=None) as caught:
        parse_expression(text)
    assert message in str(caught.value)


# --- Evaluation: exact decimals and units ---


def test_rate_times_quantity_is_exact_and_shows_its_inputs():
    graph = graph_of(entered("rate", "450", per="day"), entered("days", "36", unit="days"), formula("cost", "rate * days"))
    assert graph.values["cost"] == Decimal(16200)
    assert graph.working("cost") == "£450 a day × 36 days"
    assert graph.shown("cost") == "£16,200"


def test_decimals_never_pass_through_floats():
    graph = graph_of(entered("a", "0.1"), entered("b", "0.2"), formula("c", "a + b", precision=2))
    assert graph.values["c"] == Decimal("0.3")
    long = graph_of(formula("digits", "0.12345678901234567891 * 2", unit="posts", precision=20))
    assert long.values["digits"] == Decimal("0.24691357802469135782")  # a float keeps 17 digits
    third = graph_of(entered("total", "100"), entered("n", "3", unit="plans"), formula("each", "total / n", precision=2))
    assert third.values["each"] == Decimal(100) / Decimal(3)
    assert third.shown("each") == "£33.33"


def test_percentages_and_rounding_half_up_or_down_in_the_figures_unit():
    half_up = graph_of(entered("base", "1250"), formula("share", "round(base * 30%, 0)", unit="£'000"))
    # 375 pounds in a £'000 figure rounds to 0 thousands
    assert half_up.values["share"] == Decimal(0)
    graph = graph_of(
        entered("base", "1255"), formula("share", "round(base * 10%, 0)"), formula("share_down", "round(base * 10%, 0)", rounding="down")
    )
    assert (graph.values["share"], graph.values["share_down"]) == (Decimal(126), Decimal(125))
    assert graph.working("share") == "£1,255 × 10%, rounded to 0 places"
    shown = graph_of(entered("base", "1259"), formula("tenth", "base / 10"), formula("tenth_down", "base / 10", rounding="down"))
    assert (shown.shown("tenth"), shown.shown("tenth_down")) == ("£126", "£125")  # rounded once, when shown


def test_units_scale_money_and_bare_numbers_are_in_the_figures_unit():
    graph = graph_of(entered("budget", "41.2", unit="£m"), formula("less", "budget - 0.2", unit="£m"), formula("k", "budget / 1000", unit="£'000"))
    assert graph.values["less"] == Decimal(41_000_000)
    assert graph.values["k"] == Decimal(41_200)


@pytest.mark.parametrize(
    "expression, unit, message",
    [
        ("money + posts", "£", "cannot add money and posts: the units differ"),
        ("posts - places", "posts", "cannot subtract posts and places: the units differ"),
        ("money * money", "£", "cannot multiply money by money"),
        ("posts / money", "posts", "cannot divide posts by money"),
        ("money / money", "£", "the expression gives a plain number, but the figure is money"),
        ("posts * 2", "£", "the expression gives posts, but the figure is in money"),
        ("money / zero", "£", "'zero' is zero, and a figure cannot be divided by zero"),
        ("money / 0", "£", "'0' is zero, and a figure cannot be divided by zero"),
        ("money * 0x10", "£", "'0x10' is not a number written in decimal digits"),
        ("money / (posts - posts)", "£", "is zero, and a figure cannot be divided by zero"),
        ("monney * 2", "£", "'monney' is not a figure of this plan; did you mean 'money'?"),
    ],
)
def test_mistakes_are_reported_in_plain_english(expression, unit, message):
    graph = graph_of(
        entered("money", "10"),
        entered("posts", "2", unit="posts"),
        entered("places", "3", unit="places"),
        entered("zero", "0", unit="plans"),
        formula("result", expression, unit=unit),
    )
    assert "result" not in graph.values
    assert any(message in text for text in messages(graph)), messages(graph)


def test_a_cycle_is_reported_once_and_what_depends_on_it_is_not_worked_out():
    graph = graph_of(formula("a", "b + 1"), formula("b", "c + 1"), formula("c", "a + 1"), formula("d", "a * 2"), entered("e", "5"))
    assert messages(graph) == ["A: the figure depends on itself: a → b → c → a"]
    assert graph.values == {"e": Decimal(5)}


def test_a_repeated_id_is_an_error():
    graph = graph_of(entered("a", "1"), entered("a", "2"))
    assert messages(graph) == ["the figure id 'a' is already used (in finance); ids must be unique"]
