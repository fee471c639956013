"""`clearplan check` reports Easy Read problems like any other: file:line, exit status, GitHub format."""

from __future__ import annotations

import shutil
from pathlib import Path

from clearplan.cli.cli import main
from clearplan.checks.command_support import EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS

ROOT = Path(__file__).resolve().parent.parent


def test_the_bundled_plan_checks_clean_of_errors(capsys):
    assert main(["check", "--data", str(ROOT / "data")]) == EXIT_OK
    out, err = capsys.readouterr()
    assert "easy_read" not in out and " 0 errors" not in err and err.startswith("0 errors")


def test_an_easy_read_error_is_printed_with_file_and_line_and_fails_the_check(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "plan.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("There are 100 things we will do in the plan.", "There are 100 things (we will do them)."),
        encoding="utf-8",
    )
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "(we will do them)" in text)
    assert main(["check", "--data", str(data)]) == EXIT_PROBLEMS
    out, err = capsys.readouterr()
    assert (
        f"{path}:{line}:13: error: easy_read.points[7].text: avoid semicolons and brackets; split the sentence instead [punctuation]"
        in out.splitlines()
    )
    assert err.startswith("1 error,")
    assert main(["check", "--data", str(data), "--format", "github"]) == EXIT_PROBLEMS
    assert f"::error file={path},line={line},col=13::easy_read.points[7].text: avoid semicolons" in capsys.readouterr().out


def test_a_missing_data_directory_cannot_be_checked(tmp_path, capsys):
    assert main(["check", "--data", str(tmp_path / "nowhere")]) == EXIT_CANNOT_RUN
    assert "no data directory" in capsys.readouterr().err
