"""`clearplan new workstream|activity|measure|risk`: write a valid skeleton into the right file.

The new item gets the next free id in the file's pattern (ws2-21 -> ws2-22, ws2-m05 -> ws2-m06).
Its text says "Write ... here": the skeleton passes the check, and the check warns about each
placeholder left, so a forgotten one shows in the pull request without stopping the build.
This module must not import mkdocs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ..checks.check import check_plan
from ..checks.command_support import error_free_plan
from ..plan.loading import LoadedPlan
from ..plan.model import LevelScheme, WordsScheme, Workstream
from ..plan.schema import SCHEMA_DIR, kind_of, schema_file_name

KIND_LETTER = {"activity": "", "measure": "m", "risk": "r"}


def next_id(existing: list[str], fallback_prefix: str) -> str:
    """The next id in the most common `prefix + number` pattern of `existing`."""
    parts = [m.groups() for m in (re.fullmatch(r"(.*?)(\d+)", i) for i in existing) if m]
    if not parts:
        return f"{fallback_prefix}01"
    prefix = Counter(p for p, _ in parts).most_common(1)[0][0]
    numbers = [n for p, n in parts if p == prefix]
    width = max(len(n) for n in numbers)
    taken = set(existing)
    candidate = max(int(n) for n in numbers) + 1
    while f"{prefix}{candidate:0{width}d}" in taken:
        candidate += 1
    return f"{prefix}{candidate:0{width}d}"


def _activity_prefix(ws: Workstream) -> str:
    ids = [a.id for g in ws.activity_groups for a in g.activities]
    match = re.fullmatch(r"(.*?)\d+", ids[0]) if ids else None
    return match.group(1) if match else f"{ws.id}-"


def new_item_id(ws: Workstream, kind: str, all_ids: set[str]) -> str:
    existing = {
        "activity": [a.id for g in ws.activity_groups for a in g.activities],
        "measure": [m.id for m in ws.measures],
        "risk": [r.id for r in ws.risks],
    }[kind]
    candidate = next_id(existing, _activity_prefix(ws) + KIND_LETTER[kind])
    while candidate in all_ids:  # ids are unique across the plan
        candidate = next_id(existing + [candidate], "")
        existing.append(candidate)
    return candidate


def skeleton(kind: str, item_id: str, loaded: LoadedPlan) -> CommentedMap:
    if kind == "activity":
        return CommentedMap(
            [("id", item_id), ("text", "Write what will be done here."), ("lead", "Write the lead's role here."), ("status", "planned")]
        )
    if kind == "measure":
        target = CommentedMap([("kind", "tbc")])
        target.fa.set_flow_style()
        return CommentedMap([("id", item_id), ("name", "Write what is measured here."), ("target", target)])
    assert loaded.data is not None  # the commands work on an error-free plan
    scheme = loaded.data.plan.risk_scheme
    risk = CommentedMap(
        [
            ("id", item_id),
            ("title", "Write the risk here."),
            ("impact", "Write what could happen here."),
            ("strategy", "mitigate"),
            ("actions", ["Write an action here."]),
        ]
    )
    if isinstance(scheme, WordsScheme):
        return risk  # unrated until the officer writes the source's words: no pair is invented
    risk["rating"] = CommentedMap([("level", scheme.levels[0].name)] if isinstance(scheme, LevelScheme) else [("likelihood", 1), ("impact", 1)])
    return risk


WORKSTREAM_TEMPLATE = """\
# yaml-language-server: $schema={schema}
# {title}: its objectives, activities, measures and risks.
id: {id}
number: {number}
title: {quoted_title}
summary: Write a short summary of this workstream here.
leads:
  - role: Write the lead's role here.
activity_groups:
  - activities:
      - id: {prefix}01
        text: Write what will be done here.
        lead: Write the lead's role here.
"""


PLAN_FILES = {
    "data/plan.yaml": """\
# yaml-language-server: $schema={schema}
# The plan as a whole. Replace each 'Write ... here.' text; leave out what the source does not say.
# See the README, "For officers: the data model", for every field.
title: Write the plan's title here.
council: council
organisations:
  - id: council
    name: Write the council's full name here.
    short_name: Write a short name here.
    kind: council
version:
  label: Write the version here.
summary: Write what the plan is here.
risk_scheme:
  kind: levels
  levels:
    - name: Low
      description: Write what a low risk means here.
    - name: High
      description: Write what a high risk means here.
""",
    "data/workstreams/01-first-workstream.yaml": """\
# yaml-language-server: $schema={schema}
# One workstream. Rename the file and change its id; add more files for more workstreams.
id: first-workstream
title: Write the workstream's title here.
summary: Write a short summary of this workstream here.
""",
    "docs/index.md": '{{{{ clearplan_page("home") }}}}\n',
    "docs/about.md": '{{{{ clearplan_page("about") }}}}\n',
    "docs/workstreams/index.md": '{{{{ clearplan_page("workstreams") }}}}\n',
    "docs/risks.md": '{{{{ clearplan_page("risks") }}}}\n',
    "docs/measures.md": '{{{{ clearplan_page("measures") }}}}\n',
    "mkdocs.yml": """\
# A new plan's site. clearplan's plugin brings its templates and theme; add pages to docs/ and the
# nav as the plan gains sections (finance.md, equality.md, ...: see the bundled plans).
site_name: Write the site's name here
docs_dir: docs
theme:
  name: material
  language: custom
  font: false
  features:
    - navigation.sections
plugins:
  - search:
      lang: en
  - clearplan:
      data_dir: data
  - macros:
      modules: [clearplan.macros]
      on_error_fail: true
      on_undefined: strict
markdown_extensions:
  - attr_list
  - toc:
      permalink: false
extra_css:
  - assets/stylesheets/charts.css
  - assets/stylesheets/easy-read.css
  - assets/stylesheets/clearplan.css
  - assets/stylesheets/clearplan-sections.css
nav:
  - Home: index.md
  - Workstreams:
      - workstreams/index.md
  - Measures: measures.md
  - Risks: risks.md
  - About this plan: about.md
""",
}


def schema_reference(kind: str, folder: Path) -> str:
    """Where a data file in `folder` finds its kind's JSON Schema: the file clearplan ships, as a
    path relative to `folder` (an editor resolves it from the data file)."""
    target = SCHEMA_DIR / schema_file_name(kind)
    try:
        return Path(os.path.relpath(target, folder.resolve())).as_posix()
    except ValueError:  # on another drive (Windows): no relative path exists
        return target.as_uri()


def _new_plan(folder: Path) -> int:
    """A folder with the least a plan needs: it passes the check (with a warning per placeholder) and builds."""
    if folder.exists() and any(folder.iterdir()):
        print(f"clearplan: {folder} is not empty; give a new folder for the plan", file=sys.stderr)
        return 2
    for name, text in PLAN_FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        kind = kind_of(path, folder / "data") if name.startswith("data/") else None
        path.write_text(text.format(schema=schema_reference(kind, path.parent)) if kind else text.format(), encoding="utf-8")
    errors = [str(p) for p in check_plan(folder / "data").problems.sorted() if p.severity == "error"]
    if errors:  # pragma: no cover - the skeleton is valid by construction; kept as a guard
        print("\n".join(errors), file=sys.stderr)
        return 1
    print(
        f"{folder}: a new plan. Replace each 'Write ... here.' text in {folder / 'data'}, run "
        f"clearplan check --data {folder / 'data'}, then mkdocs build -f {folder / 'mkdocs.yml'}."
    )
    return 0


def _run(args: argparse.Namespace) -> int:
    from .spreadsheet import Change, apply_changes  # the import command's checked writer
    from .yaml_edit import WriteFailed

    if args.kind == "plan":
        if not args.folder:
            print("clearplan: say where to make the new plan: clearplan new plan FOLDER", file=sys.stderr)
            return 2
        return _new_plan(Path(args.folder))

    loaded = error_free_plan(args.data)
    data_dir = Path(args.data)
    data = loaded.data
    assert data is not None  # error_free_plan stops the command otherwise
    all_ids = {w.id for w in data.workstreams} | {a.id for w in data.workstreams for g in w.activity_groups for a in g.activities}
    all_ids |= {m.id for w in data.workstreams for m in w.measures} | {r.id for w in data.workstreams for r in w.risks}
    if args.kind == "workstream":
        return _new_workstream(args, loaded, data_dir, all_ids)
    if not args.workstream:
        print(
            f"clearplan: say which workstream the new {args.kind} belongs to: --workstream ID (one of {', '.join(w.id for w in data.workstreams)})",
            file=sys.stderr,
        )
        return 2
    ws = next((w for w in data.workstreams if w.id == args.workstream), None)
    if ws is None:
        print(f"clearplan: no workstream '{args.workstream}'; known: {', '.join(w.id for w in data.workstreams)}", file=sys.stderr)
        return 2
    item_id = new_item_id(ws, args.kind, all_ids)
    item = skeleton(args.kind, item_id, loaded)
    file = loaded.files[ws.id]

    def add(document: Any) -> None:
        if args.kind == "activity":
            groups = document.setdefault("activity_groups", [])
            if not groups:
                groups.append(CommentedMap([("activities", [])]))
            groups[-1]["activities"].append(item)
        else:
            document.setdefault("measures" if args.kind == "measure" else "risks", []).append(item)

    try:
        errors = apply_changes(data_dir, [Change(file, f"new {args.kind}", add)])
    except WriteFailed as failed:
        print(f"clearplan: {failed}", file=sys.stderr)
        return 2
    if errors:  # pragma: no cover - a skeleton is valid by construction; kept as a guard
        print("\n".join(errors), file=sys.stderr)
        return 1
    line = next(
        n for n, text in enumerate(Path(file).read_text(encoding="utf-8").splitlines(), 1) if text.strip() in (f"- id: {item_id}", f"id: {item_id}")
    )
    print(f"{file}:{line}: added {args.kind} {item_id}. Replace each 'Write ... here.' text, then run clearplan check.")
    return 0


def _new_workstream(args: argparse.Namespace, loaded: LoadedPlan, data_dir: Path, all_ids: set[str]) -> int:
    if not args.id or not args.title:
        print("clearplan: a new workstream needs --id (like send-travel) and --title", file=sys.stderr)
        return 2
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", args.id) or args.id in all_ids:
        print(f"clearplan: '{args.id}' cannot be the id: use lower-case letters, digits and hyphens, not already used", file=sys.stderr)
        return 2
    folder = data_dir / "workstreams"
    prefixes = [int(m.group(1)) for m in (re.match(r"(\d+)-", p.name) for p in folder.glob("*.yaml")) if m]
    file_number = max(prefixes, default=-1) + 1
    assert loaded.data is not None  # error_free_plan stops the command otherwise
    numbers = [w.number for w in loaded.data.workstreams if w.number is not None]
    path = folder / f"{file_number:02d}-{args.id}.yaml"
    text = WORKSTREAM_TEMPLATE.format(
        schema=schema_reference("workstream", folder),
        title=args.title.replace("\n", " "),
        quoted_title=json.dumps(args.title),
        id=args.id,
        number=max(numbers, default=0) + 1,
        prefix=f"{args.id}-",
    )
    path.write_text(text, encoding="utf-8")
    errors = [str(p) for p in check_plan(data_dir).problems.sorted() if p.severity == "error"]
    if errors:  # e.g. a title the model refuses: leave no broken file behind
        path.unlink()
        print("\n".join(errors), file=sys.stderr)
        return 1
    print(f"{path}: added workstream {args.id}. Replace each 'Write ... here.' text, then run clearplan check.")
    return 0


def register(commands) -> None:
    command = commands.add_parser("new", help="start a plan, or add a workstream, activity, measure or risk, with 'Write ... here' text")
    command.add_argument("kind", choices=["plan", "workstream", "activity", "measure", "risk"])
    command.add_argument("folder", nargs="?", help="for a new plan: the folder to make it in")
    command.add_argument("--workstream", help="the workstream id (for an activity, measure or risk)")
    command.add_argument("--id", help="the new workstream's id, like send-travel")
    command.add_argument("--title", help="the new workstream's title")
    command.add_argument("--data", default="data", help="the plan's data directory (default: data)")
    command.set_defaults(run=_run)
