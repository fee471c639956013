"""A figure the source states beside the value its own inputs give: what the finance pages, the
figures check and the cost plan compare. Below compute and costs, which both make them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class FigureCheck:
    """A figure the source states beside the value its own inputs give."""

    file: str
    loc: tuple
    label: str
    stated: Decimal
    computed: Decimal
    tolerance: Decimal
    is_money: bool = True

    @property
    def difference(self) -> Decimal:
        return self.computed - self.stated

    @property
    def differs(self) -> bool:
        return abs(self.difference) > self.tolerance
