"""`clearplan new`: valid skeletons with the next free id, written without disturbing the file."""

from __future__ import annotations

import difflib

import pytest

from clearplan.cli import cli
from clearplan.checks.check import check_plan
from clearplan.editing.skeleton import next_id
from conftest import ROOT
from editing_support import copy_data

WS2 = "data/workstreams/02-joint-commissioning.yaml"


@pytest.fixture
def project(tmp_path, monkeypatch):
    copy_data(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_next_id_follows_the_file_pattern():
    assert next_id(["ws2-01", "ws2-02", "ws2-21"], "x") == "ws2-22"
    assert next_id(["ws2-m01", "ws2-m05"], "x") == "ws2-m06"
    assert next_id(["r9", "r10"], "x") == "r11"
    assert next_id([], "ws3-r") == "ws3-r01"


@pytest.mark.parametrize(
    "kind, item_id, added",
    [
        (
            "activity",
            "ws2-22",
            [
                "      - id: ws2-22",
                "        text: Write what will be done here.",
                "        lead: Write the lead's role here.",
                "        status: planned",
            ],
        ),
        ("measure", "ws2-m06", ["  - id: ws2-m06", "    name: Write what is measured here.", "    target: {kind: tbc}"]),
        (
            "risk",
            "ws2-r03",
            [
                "  - id: ws2-r03",
                "    title: Write the risk here.",
                "    impact: Write what could happen here.",
                "    strategy: mitigate",
                "    actions:",
                "      - Write an action here.",
                "    rating:",
                "      level: Low",
            ],
        ),
    ],
)
def test_new_item_is_a_valid_skeleton_with_the_next_id(project, capsys, kind, item_id, added):
    before = (project / WS2).read_text(encoding="utf-8")
    assert cli.main(["new", kind, "--workstream", "joint-commissioning"]) == 0
    out = capsys.readouterr().out
    after = (project / WS2).read_text(encoding="utf-8")
    diff = [
        line[1:]
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line.startswith("+") and not line.startswith("+++")
    ]
    assert diff == added
    assert all(line.startswith(("+", " ", "@", "---", "+++")) for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm=""))
    line = after.splitlines().index(added[0]) + 1
    assert out.startswith(f"{WS2}:{line}: added {kind} {item_id}.")
    loaded = check_plan(project / "data")
    assert loaded.problems.errors == []
    placeholders = [p for p in loaded.problems.warnings if "placeholder text left" in p.message]
    assert len(placeholders) == sum("Write " in line for line in added)
    assert all(p.path.endswith("02-joint-commissioning.yaml") for p in placeholders)


def test_new_workstream_file_is_valid_and_named_in_order(project, capsys):
    assert cli.main(["new", "workstream", "--id", "send-travel", "--title", "SEND travel: getting to school"]) == 0
    path = project / "data/workstreams/06-send-travel.yaml"
    assert capsys.readouterr().out.startswith("data/workstreams/06-send-travel.yaml: added workstream send-travel.")
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    # The editor finds the schema clearplan ships, from wherever the plan's folder is.
    assert (path.parent / first.removeprefix("# yaml-language-server: $schema=")).resolve() == ROOT / "schema/workstream.schema.json"
    loaded = check_plan(project / "data")
    assert loaded.problems.errors == []
    ws = loaded.data.workstreams[-1]
    assert (ws.id, ws.number, ws.title) == ("send-travel", 6, "SEND travel: getting to school")
    assert cli.main(["new", "activity", "--workstream", "send-travel"]) == 0
    assert "added activity send-travel-02" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["new", "risk"], "say which workstream the new risk belongs to: --workstream ID"),
        (["new", "risk", "--workstream", "nope"], "no workstream 'nope'"),
        (["new", "workstream", "--id", "Bad Id", "--title", "T"], "'Bad Id' cannot be the id"),
        (["new", "workstream", "--id", "participation", "--title", "T"], "'participation' cannot be the id"),
        (["new", "workstream", "--title", "T"], "a new workstream needs --id"),
    ],
)
def test_new_explains_what_is_missing(project, capsys, argv, message):
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err
