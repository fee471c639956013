"""JSON Schemas generated from the model, so editors validate and autocomplete plan files.

One schema per kind of data file (`file_schemas`), committed under the repository's `schema/` (installed
as the package `clearplan.schemas`, so a council's own folder can name them too) and named at the top
of each data file (`# yaml-language-server: $schema=...`), plus the whole plan (`plan_schema`).
Schemas are JSON Schema draft-07: the YAML extension for VS Code fully supports draft-07 only.
This module must not import mkdocs.
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import core_schema

from .model import PlanData
from .sections import DATA_FILES, data_file_at

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
# The committed schemas: the repository's schema/, installed as clearplan.schemas (see pyproject.toml), so
# the same files serve the repository and an installed wheel.
SCHEMA_DIR = Path(str(importlib.resources.files("clearplan.schemas")))

# The kinds of data file: kind -> (the model of the whole file, a title shown by editors).
FILE_MODELS: dict[str, tuple[Any, str]] = {data_file.kind: (data_file.model, data_file.title) for data_file in DATA_FILES}

# A number written as text, which the model also accepts ("21.076").
DECIMAL_TEXT = r"^-?[0-9]+(\.[0-9]+)?$"


class _Generator(GenerateJsonSchema):
    """Pydantic's generator, with money as a YAML number (or a number written as text)."""

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> dict[str, Any]:
        return {"anyOf": [{"type": "number"}, {"type": "string", "pattern": DECIMAL_TEXT}]}


def _draft_07(schema: dict[str, Any], title: str) -> dict[str, Any]:
    """Pydantic writes draft 2020-12 `$defs`; draft-07 editors expect `definitions`."""
    text = json.dumps(schema).replace('"#/$defs/', '"#/definitions/')
    body = json.loads(text)
    definitions = body.pop("$defs", None)
    result: dict[str, Any] = {"$schema": DRAFT_07, "title": title}
    result.update({k: v for k, v in body.items() if k != "title"})
    if definitions:
        result["definitions"] = definitions
    return result


def _schema_of(model: Any, title: str) -> dict[str, Any]:
    return _draft_07(TypeAdapter(model).json_schema(schema_generator=_Generator, mode="validation"), title)


def file_schemas() -> dict[str, dict[str, Any]]:
    """One JSON Schema per kind of data file: plan, workstream, finance, glossary."""
    return {name: _schema_of(model, title) for name, (model, title) in FILE_MODELS.items()}


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of the whole plan (PlanData): every file's content in one document, as
    published in data/plan.json, which names its schema in a "$schema" key."""
    schema = _schema_of(PlanData, "SEND plan (all of data/)")
    schema["properties"]["$schema"] = {"type": "string", "description": "The address of this schema"}
    return schema


def schema_file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def schema_text(schema: dict[str, Any]) -> str:
    """The committed form: stable key order from the model, two-space indent, final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def kind_of(data_file: Path, data_dir: Path) -> str | None:
    """Which schema a data file follows, from where it sits under `data/`."""
    known = data_file_at(data_file.relative_to(data_dir).as_posix())
    return known.kind if known else None


def stale_files(out_dir: Path) -> list[Path]:
    """Committed schema files that differ from what the model generates (or are missing)."""
    return [
        out_dir / schema_file_name(kind)
        for kind, schema in file_schemas().items()
        if not (out_dir / schema_file_name(kind)).is_file() or (out_dir / schema_file_name(kind)).read_text(encoding="utf-8") != schema_text(schema)
    ]


def write_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, schema in file_schemas().items():
        path = out_dir / schema_file_name(kind)
        path.write_text(schema_text(schema), encoding="utf-8")
        written.append(path)
    return written


def _run(args: argparse.Namespace) -> int:
    out_dir = Path(args.out)
    if args.write:
        for path in write_schemas(out_dir):
            print(f"wrote {path}")
        return 0
    stale = stale_files(out_dir)
    for path in stale:
        print(f"{path}: out of date with the model; run 'clearplan schema --write'", file=sys.stderr)
    if not stale:
        print(f"the schemas in {out_dir} match the model")
    return 1 if stale else 0


def register(commands) -> None:
    command = commands.add_parser("schema", help="check (or --write) the JSON Schemas editors use")
    command.add_argument("--out", default=SCHEMA_DIR, help="where the schemas live (default: the package's own, schema/ in the repository)")
    command.add_argument("--write", action="store_true", help="write the schemas instead of checking them")
    command.set_defaults(run=_run)
