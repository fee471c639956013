"""Figures: numbers with a unit, entered or worked out from other figures by a tiny expression
language, evaluated with exact decimals in the order the references require.

An expression is parsed by Python's `ast` in 'eval' mode and only a whitelist of node types is
accepted (numbers, names, + − × ÷, unary minus, brackets, `sum(...)`, `round(x, n)` and
percentages such as `25%`); nothing is ever run by `eval` or a template engine.
This module must not import mkdocs.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import cast
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation, Overflow, localcontext

from ..plan.money import UNIT_POUNDS, format_money, format_number
from ..plan.problems import Severity

MAX_EXPRESSION_LENGTH = 500
PERCENT_CALL = "_percent"  # what `25%` is rewritten to before parsing; not a name a figure can have
FUNCTIONS = ("sum", "round")


class FigureError(Exception):
    """A mistake in a figure or its expression, in plain English."""


# --- Units ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """What a value counts: money (kept in pounds), a count of some noun (posts, days), a plain
    number (a percentage or a ratio), or a bare literal, which takes the unit of what it meets."""

    kind: str  # "money", "count", "number", "literal"
    noun: str = ""

    def words(self) -> str:
        return {"money": "money", "count": self.noun, "number": "a plain number", "literal": "a plain number"}[self.kind]


MONEY = Unit("money")
NUMBER = Unit("number")
LITERAL = Unit("literal")


def unit_of(text: str) -> Unit:
    """`£`, `£'000` and `£m` are money; any other word is a count of that noun."""
    return MONEY if text in UNIT_POUNDS else Unit("count", text)


def scale_of(text: str) -> Decimal:
    """How many of the figure's base (pounds, or one of the noun) one written unit is."""
    return UNIT_POUNDS.get(text, Decimal(1))


def _add_units(left: Unit, right: Unit, operator: str) -> Unit:
    if left.kind == "literal":
        return right
    if right.kind == "literal" or left == right:
        return left
    raise FigureError(f"cannot {operator} {left.words()} and {right.words()}: the units differ")


def _multiply_units(left: Unit, right: Unit) -> Unit:
    if left.kind == "money" and right.kind == "money":
        raise FigureError("cannot multiply money by money")
    for unit in (left, right):
        if unit.kind == "money":
            return MONEY
    counts = [u for u in (left, right) if u.kind == "count"]
    if len(counts) == 2:  # 25 weeks × 5 days: a count, but of nothing a table can name
        return NUMBER if counts[0] != counts[1] else counts[0]
    if counts:
        return counts[0]
    return NUMBER if NUMBER in (left, right) else LITERAL


def _divide_units(left: Unit, right: Unit) -> Unit:
    if right.kind == "money" and left.kind != "money":
        raise FigureError(f"cannot divide {left.words()} by money")
    if left == right and left.kind in ("money", "count"):
        return NUMBER  # a ratio: spend ÷ spend, posts ÷ posts
    if left.kind in ("money", "count"):
        return left
    if right.kind == "count":
        return NUMBER
    return NUMBER if NUMBER in (left, right) else LITERAL


# --- Parsing ---------------------------------------------------------------------------------------

NAME_PART = re.compile(r"^[a-z][a-z0-9_]*$")


def _rewrite_percentages(text: str) -> str:
    """`25%` becomes `_percent(25)`: the language has no remainder operator, so a % after a number
    always means per cent."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError) as error:
        raise FigureError(f"cannot read the expression {text!r}: {error.args[0]}") from None
    out: list[tuple[int, str]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.type == tokenize.NUMBER and following is not None and following.string == "%":
            out.extend([(tokenize.NAME, PERCENT_CALL), (tokenize.OP, "("), (tokenize.NUMBER, token.string), (tokenize.OP, ")")])
            index += 2
            continue
        if token.string == "%":
            raise FigureError("a % sign must follow a number, as in 25%")
        out.append((token.type, token.string))
        index += 1
    return tokenize.untokenize(out).strip()


def parse_expression(text: str) -> ast.expr:
    """The expression's tree, or FigureError saying what is not allowed."""
    text = str(text).strip()
    if not text:
        raise FigureError("the expression is empty")
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise FigureError(f"the expression is {len(text)} characters long; keep it under {MAX_EXPRESSION_LENGTH}")
    prepared = _rewrite_percentages(text.replace("×", "*").replace("÷", "/").replace("−", "-"))
    try:
        tree = ast.parse(prepared, mode="eval")
    except SyntaxError as error:
        raise FigureError(f"cannot read the expression {text!r}: {error.msg}") from None
    _check_nodes(tree.body)
    for node in ast.walk(tree.body):
        if isinstance(node, ast.Constant):  # the digits as written, never a binary float
            written = (ast.get_source_segment(prepared, node) or "").replace("_", "")
            try:
                node.value = Decimal(written)  # type: ignore[assignment]  # read back by _digits
            except InvalidOperation:
                raise FigureError(f"{written!r} is not a number written in decimal digits") from None
    return tree.body


def dotted_name(node: ast.expr) -> str | None:
    """`costs.coordinator.y2022_23` as text, or None when the node is not a plain dotted name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _check_nodes(node: ast.expr) -> None:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise FigureError(f"{node.value!r} is not a number; expressions hold numbers and figure ids only")
        return
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = dotted_name(node)
        if name is None or not all(NAME_PART.match(part) for part in name.split(".")):
            raise FigureError(f"'{ast.unparse(node)}' is not a figure id; ids are lower-case letters, digits and _, joined by dots")
        return
    if isinstance(node, ast.BinOp):
        if not isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
            raise FigureError(f"'{ast.unparse(node)}' uses an operator expressions do not have; use + - * / only")
        _check_nodes(node.left)
        _check_nodes(node.right)
        return
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise FigureError(f"'{ast.unparse(node)}' uses an operator expressions do not have")
        _check_nodes(node.operand)
        return
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if node.keywords or name not in FUNCTIONS + (PERCENT_CALL,):
            raise FigureError(f"'{ast.unparse(node.func)}' is not something expressions can do; they may use sum(...) and round(x, n)")
        if name == "round":
            if len(node.args) != 2 or not (
                isinstance(node.args[1], ast.Constant) and type(node.args[1].value) is int and 0 <= node.args[1].value <= 6
            ):
                raise FigureError("round takes a value and a whole number of decimal places from 0 to 6: round(x, 0)")
        if name == "sum" and not node.args:
            raise FigureError("sum(...) needs at least one value")
        for argument in node.args:
            _check_nodes(argument)
        return
    raise FigureError(f"'{ast.unparse(node)}' is not allowed in an expression; use numbers, figure ids, + - * /, sum(...), round(x, n) and 25%")


def references(node: ast.expr) -> list[str]:
    """The figure ids an expression names, in the order written."""
    found: list[str] = []

    def walk(current: ast.expr) -> None:
        name = dotted_name(current) if isinstance(current, (ast.Name, ast.Attribute)) else None
        if name is not None:
            found.append(name)
            return
        for child in ast.iter_child_nodes(current):
            if isinstance(child, ast.expr) and not (isinstance(current, ast.Call) and child is current.func):
                walk(child)

    walk(node)
    return found


# --- Evaluation --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    amount: Decimal  # money in pounds; counts in their noun
    unit: Unit


def evaluate(node: ast.expr, lookup, rounding: str = "half_up", round_scale: Decimal = Decimal(1)) -> Value:
    """The exact value of a checked expression. `lookup(name)` gives each reference's Value;
    `round(x, n)` rounds to n places of the figure's own unit (`round_scale` pounds per unit)."""
    with localcontext() as context:
        context.prec = 28  # Python's default: the presets give exactly the figures the tests pin
        context.traps[DivisionByZero] = True
        context.traps[InvalidOperation] = True
        try:
            return _evaluate(node, lookup, rounding, round_scale)
        except (InvalidOperation, Overflow):
            raise FigureError("the result is too large to work out; check the figures it uses") from None


def _digits(node: ast.Constant) -> Decimal:
    """A number of an expression: parse_expression made every constant a Decimal."""
    return cast(Decimal, node.value)


def _evaluate(node: ast.expr, lookup, rounding: str, round_scale: Decimal) -> Value:
    def again(child: ast.expr) -> Value:
        return _evaluate(child, lookup, rounding, round_scale)

    if isinstance(node, ast.Constant):
        return Value(_digits(node), LITERAL)
    if isinstance(node, (ast.Name, ast.Attribute)):
        return lookup(dotted_name(node))
    if isinstance(node, ast.UnaryOp):
        operand = again(node.operand)
        return Value(-operand.amount if isinstance(node.op, ast.USub) else operand.amount, operand.unit)
    if isinstance(node, ast.BinOp):
        left, right = again(node.left), again(node.right)
        if isinstance(node.op, (ast.Add, ast.Sub)):
            left, right = _in_pounds(left, right, round_scale), _in_pounds(right, left, round_scale)
        if isinstance(node.op, ast.Add):
            return Value(left.amount + right.amount, _add_units(left.unit, right.unit, "add"))
        if isinstance(node.op, ast.Sub):
            return Value(left.amount - right.amount, _add_units(left.unit, right.unit, "subtract"))
        if isinstance(node.op, ast.Mult):
            return Value(left.amount * right.amount, _multiply_units(left.unit, right.unit))
        if right.amount == 0:
            raise FigureError(f"'{_shown(node.right)}' is zero, and a figure cannot be divided by zero")
        return Value(left.amount / right.amount, _divide_units(left.unit, right.unit))
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)  # _check_nodes allows nothing else
    if node.func.id == PERCENT_CALL:
        return Value(node.args[0].value / 100, NUMBER)  # type: ignore[attr-defined]
    if node.func.id == "sum":
        values = [again(argument) for argument in node.args]
        if any(v.unit == MONEY for v in values):
            values = [_in_pounds(v, MONEY_VALUE, round_scale) for v in values]
        unit = values[0].unit
        for value in values[1:]:
            unit = _add_units(unit, value.unit, "add")
        return Value(sum((v.amount for v in values), Decimal(0)), unit)
    value = again(node.args[0])
    places = int(node.args[1].value)  # type: ignore[attr-defined]
    mode = ROUND_DOWN if rounding == "down" else ROUND_HALF_UP
    scaled = (value.amount / round_scale).quantize(Decimal(1).scaleb(-places), rounding=mode)
    return Value(scaled * round_scale, value.unit)


MONEY_VALUE = Value(Decimal(0), MONEY)


def _in_pounds(value: Value, other: Value, scale: Decimal) -> Value:
    """A bare number added to money is written in the figure's unit: 5 in a £'000 table is £5,000."""
    return Value(value.amount * scale, MONEY) if value.unit == LITERAL and other.unit == MONEY else value


def _shown(node: ast.expr) -> str:
    text = re.sub(r"Decimal\('([^']*)'\)", r"\1", ast.unparse(node))
    return re.sub(PERCENT_CALL + r"\(([^()]*)\)", r"\1%", text)


# --- The graph -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where a figure is written: a data file (`finance` or a workstream id) and a path inside it."""

    file: str
    loc: tuple


@dataclass
class Figure:
    id: str
    label: str
    unit: str  # as written: £, £'000, £m, or a count noun
    precision: int = 0  # decimal places shown, in the figure's unit
    rounding: str = "half_up"
    entered: Decimal | None = None  # as written, in the figure's unit
    expression: str | None = None
    origin: Origin = field(default_factory=lambda: Origin("", ()))
    scope: tuple[str, ...] = ()  # ids tried before the name itself: see `resolve`
    column: str | None = None  # a table cell's column id
    per: str | None = None  # "day": shown as "£450 a day" when it is an input of a worked-out figure
    tree: ast.expr | None = None
    resolved: dict[str, str] = field(default_factory=dict)  # name as written -> figure id

    @property
    def base(self) -> Decimal:
        return scale_of(self.unit)


@dataclass(frozen=True)
class FigureProblem:
    origin: Origin
    severity: Severity
    message: str


class FigureGraph:
    """Every figure of the plan by id; `evaluate()` works them all out once, in dependency order."""

    def __init__(self) -> None:
        self.figures: dict[str, Figure] = {}
        self.values: dict[str, Decimal] = {}  # money in pounds, counts in their noun
        self.problems: list[FigureProblem] = []

    def add(self, figure: Figure) -> bool:
        if figure.id in self.figures:
            first = self.figures[figure.id].origin
            self.problems.append(
                FigureProblem(figure.origin, "error", f"the figure id '{figure.id}' is already used ({_where(first)}); ids must be unique")
            )
            return False
        self.figures[figure.id] = figure
        return True

    def resolve(self, figure: Figure, name: str) -> str | None:
        """A name in an expression means the first of the figure's scoped ids that exists
        (`<scope>.<name>`, nearest first), or else the id as written. In a table's column, a name
        that has a figure per column (a row, another table's total row) means that column's figure."""
        for prefix in figure.scope:
            candidate = prefix.replace("{}", name) if "{}" in prefix else f"{prefix}.{name}"
            if candidate in self.figures:
                return candidate
        if figure.column and self._has_columns(name):
            return None
        return name if name in self.figures else None

    def _has_columns(self, name: str) -> bool:
        if not hasattr(self, "_row_prefixes"):
            self._row_prefixes = {f.rsplit(".", 1)[0] for f in self.figures if "." in f}
        return name in self._row_prefixes

    def evaluate(self) -> None:
        failed: set[str] = set()
        for figure in self.figures.values():
            if figure.expression is None:
                continue
            try:
                figure.tree = parse_expression(figure.expression)
            except FigureError as error:
                self._fail(figure, str(error), failed)
                continue
            for name in references(figure.tree):
                target = self.resolve(figure, name)
                if target is None and figure.column and self._has_columns(name):
                    self._fail(
                        figure,
                        f"'{name}' has no column '{figure.column}'; a table can refer to another table's rows only in columns they share",
                        failed,
                    )
                elif target is None:
                    close = _close_ids(name, self.figures)
                    self._fail(figure, f"'{name}' is not a figure of this plan{close}", failed)
                else:
                    figure.resolved[name] = target
        for figure_id in self._order(failed):
            figure = self.figures[figure_id]
            if figure.expression is None:
                assert figure.entered is not None
                self.values[figure_id] = figure.entered * figure.base
                continue
            if any(target in failed or target not in self.values for target in figure.resolved.values()):
                failed.add(figure_id)  # its own mistake is reported where it is written
                continue
            try:
                value = evaluate(figure.tree, lambda name, f=figure: self._value(f.resolved[name]), figure.rounding, figure.base)  # type: ignore[arg-type]
                expected = unit_of(figure.unit)
                if value.unit.kind in ("money", "count") and value.unit != expected:
                    raise FigureError(f"the expression gives {value.unit.words()}, but the figure is in {expected.words()} ({figure.unit})")
                if value.unit == NUMBER and expected.kind == "money":
                    raise FigureError(f"the expression gives a plain number, but the figure is money ({figure.unit}); multiply by an amount of money")
                self.values[figure_id] = value.amount if value.unit.kind != "literal" else value.amount * figure.base
            except FigureError as error:
                self._fail(figure, str(error), failed)

    def _value(self, figure_id: str) -> Value:
        figure = self.figures[figure_id]
        return Value(self.values[figure_id], unit_of(figure.unit))

    def _fail(self, figure: Figure, message: str, failed: set[str]) -> None:
        failed.add(figure.id)
        self.problems.append(FigureProblem(figure.origin, "error", f"{figure.label}: {message}"))

    def _order(self, failed: set[str]) -> list[str]:
        """Figures with the ones they refer to first; each figure in a cycle is reported once."""
        order: list[str] = []
        state: dict[str, str] = {}
        reported: set[str] = set()

        def visit(figure_id: str, path: list[str]) -> None:
            if state.get(figure_id) == "done":
                return
            if state.get(figure_id) == "active":
                cycle = path[path.index(figure_id) :] + [figure_id]
                first = self.figures[cycle[0]]
                if cycle[0] not in reported:
                    reported.update(cycle)
                    self.problems.append(FigureProblem(first.origin, "error", f"{first.label}: the figure depends on itself: {' → '.join(cycle)}"))
                failed.update(cycle)
                return
            state[figure_id] = "active"
            for target in self.figures[figure_id].resolved.values():
                visit(target, path + [figure_id])
            state[figure_id] = "done"
            order.append(figure_id)

        for figure_id in self.figures:
            visit(figure_id, [])
        return [f for f in order if f not in failed]

    # --- For readers ---

    def shown(self, figure_id: str) -> str:
        """A figure's value as a reader sees it, with its unit: '£16,200', '36 days'."""
        figure = self.figures[figure_id]
        return format_amount(self.rounded(figure_id), figure.unit, figure.precision)

    def rounded(self, figure_id: str, places: int | None = None) -> Decimal:
        """The value rounded once, the figure's way, to its precision (or `places`) in its own unit."""
        figure = self.figures[figure_id]
        mode = ROUND_DOWN if figure.rounding == "down" else ROUND_HALF_UP
        places = figure.precision if places is None else places
        return (self.values[figure_id] / figure.base).quantize(Decimal(1).scaleb(-places), rounding=mode) * figure.base

    def working(self, figure_id: str) -> str:
        """How a worked-out figure is made, with each input's value: '£450 a day × 36 days'."""
        figure = self.figures[figure_id]
        if figure.tree is None:
            return ""
        return _working(figure.tree, self, figure)


def format_amount(value: Decimal, unit: str, places: int) -> str:
    if unit in UNIT_POUNDS:
        return format_money(value, unit, places)
    return f"{format_number(value, places)} {unit}"


def _working(node: ast.expr, graph: FigureGraph, figure: Figure, parent: int = 0) -> str:
    precedence = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2}
    if isinstance(node, ast.Constant):
        digits = _digits(node)
        return format_number(digits, max(0, -int(digits.as_tuple().exponent)))
    if isinstance(node, (ast.Name, ast.Attribute)):
        target = graph.figures[figure.resolved[dotted_name(node)]]  # type: ignore[index]
        text = graph.shown(target.id) if target.id in graph.values else target.label
        return f"{text} a {target.per}" if target.per else text
    if isinstance(node, ast.UnaryOp):
        return f"−{_working(node.operand, graph, figure, 3)}" if isinstance(node.op, ast.USub) else _working(node.operand, graph, figure, parent)
    if isinstance(node, ast.BinOp):
        own = precedence[type(node.op)]
        symbol = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "÷"}[type(node.op)]
        text = f"{_working(node.left, graph, figure, own)} {symbol} {_working(node.right, graph, figure, own + 1)}"
        return f"({text})" if own < parent else text
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    if node.func.id == PERCENT_CALL:
        return f"{node.args[0].value}%"  # type: ignore[attr-defined]
    if node.func.id == "sum":
        return "(" + " + ".join(_working(a, graph, figure, 1) for a in node.args) + ")"
    return f"{_working(node.args[0], graph, figure)}, rounded to {node.args[1].value} places"  # type: ignore[attr-defined]


def _where(origin: Origin) -> str:
    return f"in {origin.file}" if origin.file else "elsewhere"


def _close_ids(name: str, figures: dict[str, Figure]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(figures), n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""
