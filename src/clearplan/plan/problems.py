"""Problems found in plan data, each pointing at a file, line and field."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

# Invisible characters that reorder text or hide a difference between words. The check warns
# about them in values; problems show them escaped, so a reader sees they are there.
INVISIBLE_NAMES = {
    "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override",
    "\u202e": "right-to-left override",
    "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate",
    "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate",
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
    "\ufeff": "zero-width no-break space",
}


def one_line(text: str) -> str:
    """`text` with line breaks, control and hidden characters escaped as Python writes them (\\n,
    \\x0b, \\u202e), so one problem is always one line: a value cannot start a line of its own,
    such as one GitHub would read as an ::error annotation."""
    return "".join(
        c.encode("unicode_escape").decode("ascii") if unicodedata.category(c) in ("Cc", "Zl", "Zp", "Cs") or c in INVISIBLE_NAMES else c for c in text
    )


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    severity: Severity
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return one_line(f"{self.path}:{self.line}:{self.column}: {self.severity}: {where}{self.message}")

    def github(self) -> str:
        """The problem as a GitHub Actions annotation."""
        level = "error" if self.severity == "error" else "warning"
        message = f"{self.field}: {self.message}" if self.field else self.message
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        # Property values also escape ':' and ',' (as actions/toolkit's escapeProperty does).
        path = self.path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")
        return f"::{level} file={path},line={self.line},col={self.column}::{message}"


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def extend(self, problems: "Problems | list[Problem]") -> None:
        self.items.extend(problems.items if isinstance(problems, Problems) else problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))

    def __bool__(self) -> bool:
        return bool(self.items)
