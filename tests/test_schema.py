"""The JSON Schemas editors use: generated from the model, committed, named by every data file."""

from __future__ import annotations

import os
from pathlib import Path

import jsonschema
import pytest
import yaml

from clearplan.cli import cli
from clearplan.plan.schema import file_schemas, kind_of, plan_schema, schema_file_name, stale_files, write_schemas

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schema"


class _EditorLoader(yaml.SafeLoader):
    """YAML as an editor's language server reads it (YAML 1.2 core: dates stay text)."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def data_files() -> list[Path]:
    return sorted((ROOT / "data").rglob("*.yaml"))


def test_committed_schemas_match_the_model():
    assert stale_files(SCHEMAS) == [], "run 'clearplan schema --write' and commit schema/"
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(schema_file_name(k) for k in file_schemas())


@pytest.mark.parametrize("path", data_files(), ids=lambda p: p.name)
def test_each_data_file_names_its_schema_on_the_first_line(path):
    first, second = path.read_text(encoding="utf-8").splitlines()[:2]
    kind = kind_of(path, ROOT / "data")
    expected = os.path.relpath(SCHEMAS / schema_file_name(kind), path.parent)
    assert first == f"# yaml-language-server: $schema={expected}"
    assert (path.parent / expected).is_file()
    assert second.startswith("# ") and "yaml-language-server" not in second  # the file's own comment is kept


@pytest.mark.parametrize("path", data_files(), ids=lambda p: p.name)
def test_bundled_data_is_valid_against_its_schema(path):
    schema = file_schemas()[kind_of(path, ROOT / "data")]
    jsonschema.Draft7Validator.check_schema(schema)
    value = yaml.load(path.read_text(encoding="utf-8"), Loader=_EditorLoader)
    errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(value)]
    assert errors == []


def test_schema_flags_a_typo_and_accepts_numbers_and_dates_as_yaml_writes_them():
    validator = jsonschema.Draft7Validator(file_schemas()["workstream"])
    good = yaml.load(
        "id: x\ntitle: T\nsummary: S\nreview_by: 2027-03-31\n"
        "measures: [{id: m, name: N, target: {kind: percent, value: 72.5}, baseline: {date: 2020-07-01, value: 3}}]\n",
        Loader=_EditorLoader,
    )
    assert list(validator.iter_errors(good)) == []
    typo = dict(good, lede="x")
    assert [e.message for e in validator.iter_errors(typo)] == ["Additional properties are not allowed ('lede' was unexpected)"]
    bad_status = dict(good, activity_groups=[{"activities": [{"id": "a", "text": "t", "status": "finished"}]}])
    assert [e.message for e in validator.iter_errors(bad_status)] == ["'finished' is not one of ['planned', 'in_progress', 'done', 'on_hold']"]
    money = jsonschema.Draft7Validator(file_schemas()["finance"])
    # Money may be a number or decimal text; a word is not money.
    history = {"unit": "£m", "opening_balance": -6.48, "years": [{"year": "2017/18", "income": 20.59, "expenditure": 25.32}]}
    assert list(money.iter_errors({"summary": "s", "history": history})) == []
    assert list(money.iter_errors({"summary": "s", "history": dict(history, opening_balance="-6.48")})) == []
    lots = dict(history, opening_balance="lots")
    assert [(e.message, list(e.path)) for e in money.iter_errors({"summary": "s", "history": lots})] == [
        (f"{lots!r} is not valid under any of the given schemas", ["history"])
    ]


def test_plan_schema_covers_every_file():
    schema = plan_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert set(schema["properties"]) == {
        "$schema",
        "plan",
        "workstreams",
        "finance",
        "glossary",
        "you_said",
        "accessibility",
        "risks",
        "facts",
        "programme",
        "equality",
    }
    assert "Workstream" in schema["definitions"]
    jsonschema.Draft7Validator.check_schema(schema)


def test_schema_command_checks_and_rewrites(tmp_path, capsys):
    assert cli.main(["schema"]) == 0  # the default: the package's own schemas
    write_schemas(tmp_path)
    (tmp_path / "plan.schema.json").write_text("{}\n", encoding="utf-8")
    assert cli.main(["schema", "--out", str(tmp_path)]) == 1
    assert "plan.schema.json: out of date with the model" in capsys.readouterr().err
    assert cli.main(["schema", "--out", str(tmp_path), "--write"]) == 0
    assert stale_files(tmp_path) == []
