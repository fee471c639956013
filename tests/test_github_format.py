"""`clearplan check --format github`: GitHub annotations, exactly, with their escaping."""

from __future__ import annotations

import shutil
from pathlib import Path

from clearplan.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def test_bad_input_gives_exact_annotations_with_escaped_percent_newline_and_path(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data, 50%"  # a comma and a percent sign in the path must be escaped too
    shutil.copytree(ROOT / "data", data)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--data", "data, 50%", "--format", "github"]) == 0
    warnings = capsys.readouterr().out.splitlines()
    assert len(warnings) == 9
    assert warnings[0] == (
        "::warning file=data%2C 50%25/finance.yaml,line=42,col=29::forecast.years[0].stated_average_spend: "
        "Average spend per EHCP, 2020/21: the source states £21,076 but its inputs give £21,070 "
        "(a difference of £6); the site shows the computed figure"
    )

    glossary = data / "glossary.yaml"
    lines = glossary.read_text(encoding="utf-8").splitlines()
    glossary.write_text("\n".join(lines + ["- term: Rate", "  meaning: A share.", '  "50%\\nof": x']) + "\n", encoding="utf-8")
    assert cli.main(["check", "--data", "data, 50%", "--format", "github"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"::error file=data%2C 50%25/glossary.yaml,line={len(lines) + 3},col=3::"
        f"[13].50%25%0Aof: unknown key '50%25%0Aof'; allowed keys here: meaning, stands_for, term"
    ]
