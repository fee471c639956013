"""Exact money: Decimal pounds throughout, rounded once, half-up, only when shown."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

UNIT_POUNDS = {"£": Decimal(1), "£'000": Decimal(1000), "£m": Decimal(1_000_000)}
UNIT_WORDS = {"£": "£", "£'000": "£ thousands", "£m": "£ millions"}
MINUS = "\u2212"


def to_pounds(amount: Decimal | int, unit: str) -> Decimal:
    return Decimal(amount) * UNIT_POUNDS[unit]


def precision_pounds(stated: Decimal | int, unit: str) -> Decimal:
    """The rounding unit of a stated figure, in pounds: 21.076 in £'000 is stated to the pound."""
    exponent = Decimal(stated).as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(min(exponent, 0)) * UNIT_POUNDS[unit]


def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value: Decimal | int, places: int = 0) -> str:
    """Thousands separators, a true minus sign, rounded half-up to `places` decimals."""
    rounded = round_half_up(Decimal(value), places)
    text = f"{abs(rounded):,.{places}f}"
    return f"{MINUS}{text}" if rounded < 0 else text


def format_in_unit(pounds: Decimal, unit: str, places: int) -> str:
    """A figure in a table whose header names the unit: 19,250,000 in £m with 2 places → '19.25'."""
    return format_number(pounds / UNIT_POUNDS[unit], places)


def format_money(pounds: Decimal, unit: str = "£", places: int = 0) -> str:
    """A figure in running text, with its unit: '£19.25m', '£21,076', '−£4.21m'."""
    amount = format_in_unit(abs(pounds), unit, places)
    sign = MINUS if round_half_up(pounds / UNIT_POUNDS[unit], places) < 0 else ""
    suffix = {"£": "", "£'000": "k", "£m": "m"}[unit]
    return f"{sign}£{amount}{suffix}"
