"""Facts a source states as figures, with where it states them; and the facts it states differently
in different places, which the check reports and the Figures check page lists."""

from __future__ import annotations

from dataclasses import dataclass

from ..plan.model import Fact


@dataclass(frozen=True)
class FactConflict:
    """One fact (`key`) stated with different values: each statement with its index in facts.yaml."""

    key: str
    label: str
    statements: list[tuple[int, Fact]]


def _normalised(value: str) -> str:
    # "6,044" and "6044" state the same number; spacing and case carry no meaning.
    return "".join(value.replace(",", "").split()).casefold()


def same_value(one: str, other: str) -> bool:
    return _normalised(one) == _normalised(other)


def fact_conflicts(facts: list[Fact]) -> list[FactConflict]:
    by_key: dict[str, list[tuple[int, Fact]]] = {}
    for index, fact in enumerate(facts):
        by_key.setdefault(fact.key, []).append((index, fact))
    return [
        FactConflict(key, statements[0][1].label, statements)
        for key, statements in by_key.items()
        if len({_normalised(fact.value) for _, fact in statements}) > 1
    ]
