"""`clearplan diff OLD NEW`: what changed between two versions of the plan data, in plain English."""

from __future__ import annotations

import argparse
import sys

from ..editing.diff import VersionError, describe, diff_plans, load_version

EXIT_OK, EXIT_CANNOT_READ = 0, 2


def _diff(args: argparse.Namespace) -> int:
    try:
        old = load_version(args.old, args.repo, args.data_path)
        new = load_version(args.new, args.repo, args.data_path)
    except VersionError as error:
        print(f"clearplan diff: {error}", file=sys.stderr)
        return EXIT_CANNOT_READ
    diff = diff_plans(old, new)
    if not diff:
        print(f"No changes between {args.old} and {args.new}.")
        return EXIT_OK
    for group, changes in diff.groups():
        print(group)
        for change in changes:
            print(f"  {describe(change)}")
    total = len(diff.changes)
    print(f"{total} change{'s' * (total != 1)} between {args.old} and {args.new}.")
    # Changes are not an error: exit 0 either way, so scripts can tell "changed" from "could not read".
    return EXIT_OK


def register(commands) -> None:
    diff = commands.add_parser(
        "diff",
        help="list what changed between two versions of the plan data",
        description="Compare two versions of the plan data. Each version is a directory of plan data or, if no such directory exists, a git ref.",
    )
    diff.add_argument("old", help="the earlier version: a data directory, or a git branch, tag or commit")
    diff.add_argument("new", help="the later version: a data directory, or a git branch, tag or commit")
    diff.add_argument("--data-path", default="data", help="where the data is inside a git ref (default: data)")
    diff.add_argument("--repo", default=".", help="the git repository to read refs from (default: the current directory)")
    diff.set_defaults(run=_diff)
