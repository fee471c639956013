"""`clearplan check` on good and broken data: exit codes and the messages an officer reads."""

from __future__ import annotations

import shutil

from diff_support import apply_edits, copy_data

from clearplan.cli.cli import main


def test_bundled_data_checks_clean_with_warnings_only(root, capsys):
    assert main(["check", "--data", str(root / "data")]) == 0
    captured = capsys.readouterr()
    assert captured.err.strip().startswith("0 errors, 9 warnings")
    assert captured.out.count(": warning: ") == 9


def test_a_missing_data_directory_cannot_run(tmp_path, capsys):
    assert main(["check", "--data", str(tmp_path / "nothing")]) == 2
    assert capsys.readouterr().err == f"clearplan: no data directory at {tmp_path / 'nothing'}\n"


def test_mistakes_are_reported_with_file_line_and_a_suggestion(tmp_path, capsys):
    typo = apply_edits(
        copy_data(tmp_path / "typo"), [("workstreams/01-participation.yaml", "      - id: ws1-01\n", "      - id: ws1-01\n        lede: Someone\n")]
    )
    assert main(["check", "--data", str(typo)]) == 1
    assert (
        f"{typo}/workstreams/01-participation.yaml:38:9: error: activity_groups[0].activities[0].lede: unknown key 'lede'; did you mean 'lead'?"
        in capsys.readouterr().out
    )
    data = apply_edits(
        copy_data(tmp_path / "data"),
        [
            ("workstreams/02-joint-commissioning.yaml", "      - id: ws2-09\n", "      - id: ws1-01\n"),
            ("finance.yaml", "    - year: 2018/19\n", "    - year: 2019/20\n"),
            ("plan.yaml", "council: rbk\n", "council: nobody\n"),
        ],
    )
    assert main(["check", "--data", str(data)]) == 1
    out = capsys.readouterr().out
    assert "id 'ws1-01' is already used in" in out
    assert "2019/20 should follow 2017/18 (expected 2018/19)" in out
    assert "council: 'nobody' is not one of the organisations" in out
    assert main(["check", "--data", str(data), "--format", "github"]) == 1
    assert "::error file=" in capsys.readouterr().out


def test_a_wrong_year_in_a_list_is_reported_at_its_own_line(root, tmp_path, capsys):
    # Found by the fuzz test: every wrong year in a cost plan was reported at the list's first line.
    data = shutil.copytree(root / "examples" / "cambridgeshire" / "data", tmp_path / "data")
    apply_edits(data, [("finance.yaml", "  years: [2021/22, 2022/23, 2023/24]\n", "  years:\n    - 2021/22\n    - 2022/2023\n    - 2023/24\n")])
    assert main(["check", "--data", str(data)]) == 1
    errors = [line for line in capsys.readouterr().out.splitlines() if ": error: " in line]
    assert errors == [f"{data}/finance.yaml:11:7: error: cost_plan.years[1]: expected a financial year like 2020/21, got '2022/2023'"]


def test_yaml_syntax_errors_are_explained(tmp_path, capsys):
    data = copy_data(tmp_path / "data")
    (data / "glossary.yaml").write_text("- term: EHCP\n\tmeaning: x\n", encoding="utf-8")
    (data / "finance.yaml").write_bytes(b"\x89PNG\x00\x00")
    assert main(["check", "--data", str(data)]) == 1
    out = capsys.readouterr().out
    assert "glossary.yaml:2:1: error: this line is indented with a tab; YAML needs spaces for indentation" in out
    assert "finance.yaml:1:1: error: the file is not UTF-8 text" in out
