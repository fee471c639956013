"""What the `clearplan` subcommands share: their exit statuses, and opening a plan's data directory.

Exit statuses: 0 done; 1 the plan data has problems (errors); 2 the command cannot run (a missing
directory or file, a bad option). A subcommand raises CannotRun; `clearplan` prints its one line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .check import check_plan
from ..plan.loading import LoadedPlan

EXIT_OK, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2


class CannotRun(Exception):
    """The command cannot do its work: `clearplan` prints "clearplan: <message>" and exits with `status`."""

    def __init__(self, message: str, status: int = EXIT_CANNOT_RUN):
        super().__init__(message)
        self.status = status


def checked_plan(data: str | Path) -> LoadedPlan:
    """The plan in the data directory, read and checked (its problems are in `.problems`)."""
    data_dir = Path(data)
    if not data_dir.is_dir():
        raise CannotRun(f"no data directory at {data_dir}")
    return check_plan(data_dir)


def error_free_plan(data: str | Path) -> LoadedPlan:
    """The checked plan, for commands that need valid data: when it has errors, they are printed
    and the command stops with status 1."""
    loaded = checked_plan(data)
    if loaded.data is None or loaded.problems.errors:
        for problem in loaded.problems.sorted():
            print(problem, file=sys.stderr)
        raise CannotRun("fix the errors in the data first (run 'clearplan check')", EXIT_PROBLEMS)
    return loaded
