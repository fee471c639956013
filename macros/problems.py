"""Problems found in plan data, each pointing at a file, line and field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


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
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {where}{self.message}"

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
