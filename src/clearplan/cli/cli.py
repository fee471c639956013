"""The `clearplan` command. Each subcommand lives in its own module with `register(commands)`."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from . import build_cli, diff_cli
from ..plan import schema
from ..editing import skeleton, spreadsheet
from ..checks.command_support import EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS, CannotRun, checked_plan
from .pdf_cli import register_pdf


def _check(args: argparse.Namespace) -> int:
    data_dir = Path(args.data)
    loaded = checked_plan(data_dir)
    problems = loaded.problems.sorted()
    for problem in problems:
        print(problem.github() if args.format == "github" else str(problem))
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    print(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {data_dir}", file=sys.stderr)
    return EXIT_PROBLEMS if errors else EXIT_OK


def register_check(commands) -> None:
    check = commands.add_parser("check", help="check the plan data and report every problem")
    check.add_argument("--data", default="data", help="the plan's data directory (default: data)")
    check.add_argument("--format", choices=["text", "github"], default="text", help="how to print problems")
    check.set_defaults(run=_check)


# Each entry adds one subcommand; a new command is a new module and one line here.
REGISTRARS = [register_check, diff_cli.register, schema.register, spreadsheet.register, skeleton.register, register_pdf, build_cli.register]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="clearplan", description="Check and publish a council's SEND plan.")
    commands = parser.add_subparsers(dest="command", required=True)
    for register in REGISTRARS:
        register(commands)
    args = parser.parse_args(argv)
    # Stopped (SIGTERM, as CI does on a timeout) like an interrupt, so every `with` block removes
    # its temporary folder: a version read from git is plan data.
    stoppable = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if stoppable else None
    try:
        return args.run(args)
    except CannotRun as error:
        print(f"clearplan: {error}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        return EXIT_CANNOT_RUN
    finally:
        if stoppable:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
