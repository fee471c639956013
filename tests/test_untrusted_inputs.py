"""Plan data is untrusted: links out of the data folder, invisible characters, absurd numbers and
line breaks in values each get a problem at file:line, and never reach a later step."""

from __future__ import annotations

import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from clearplan.checks.check import check_plan
from clearplan.cli.cli import main
from clearplan.editing.diff import diff_plans
from clearplan.plan.model import PlanNumber
from clearplan.plan.problems import Problem

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CAMBRIDGESHIRE = ROOT / "examples" / "cambridgeshire" / "data"
WS = "workstreams/01-participation.yaml"
SECRET = "secret-6d1f0c-never-printed"
TITLE = "title: Participation, Engagement and Co-production\n"


def copy_plan(tmp_path: Path, source: Path = DATA) -> Path:
    data = tmp_path / "data"
    shutil.copytree(source, data)
    return data


def check(data: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = main(["check", "--data", str(data), *options])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out.splitlines()


def replace_once(path: Path, before: str, after: str) -> int:
    """Replace `before` in a data file; returns the line it is on."""
    text = path.read_text(encoding="utf-8")
    assert text.count(before) == 1, before
    path.write_text(text.replace(before, after), encoding="utf-8")
    return text[: text.index(before)].count("\n") + 1


# --- Links and special files -------------------------------------------------------------------


@pytest.fixture
def outside_file(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "passwd.yaml"
    secret.parent.mkdir()
    secret.write_text(f"root: {SECRET}\nnot yaml: [\n", encoding="utf-8")  # its problems would quote it
    return secret


@pytest.mark.parametrize("options", [(), ("--format", "github")])
def test_a_link_out_of_the_data_folder_is_refused_without_reading_it(tmp_path, capsys, outside_file, options):
    data = copy_plan(tmp_path)
    link = data / "workstreams" / "07-x.yaml"
    link.symlink_to(outside_file)
    code, lines = check(data, capsys, *options)
    assert code == 1
    assert not any(SECRET in line or "passwd" in line for line in lines), lines
    expected = (
        f"::error file={link},line=1,col=1::" if options else f"{link}:1:1: error: "
    ) + "this is a link to a file outside the data folder, which is not read; plan data must be files in the data folder"
    assert lines == [expected]


def test_a_linked_folder_that_leaves_the_data_folder_is_refused(tmp_path, capsys, outside_file):
    data = copy_plan(tmp_path)
    shutil.rmtree(data / "workstreams")
    (data / "workstreams").symlink_to(outside_file.parent)
    code, lines = check(data, capsys)
    assert code == 1
    assert lines == [
        f"{data / 'workstreams' / 'passwd.yaml'}:1:1: error: this is a link to a file outside the data folder, "
        "which is not read; plan data must be files in the data folder"
    ]


def test_a_link_to_a_required_file_outside_is_refused_too(tmp_path, capsys, outside_file):
    data = copy_plan(tmp_path)
    (data / "plan.yaml").unlink()
    (data / "plan.yaml").symlink_to(outside_file)
    code, lines = check(data, capsys)
    assert code == 1 and len(lines) == 1 and lines[0].startswith(f"{data / 'plan.yaml'}:1:1: error: this is a link to a file outside")


def test_a_link_inside_the_data_folder_is_followed(tmp_path, capsys):
    data = copy_plan(tmp_path)
    kept = data / "shared" / "participation.yaml"
    kept.parent.mkdir()
    (data / WS).rename(kept)
    (data / WS).symlink_to(Path("..") / "shared" / "participation.yaml")
    code, lines = check(data, capsys)
    assert code == 0, lines


def test_a_dangling_link_and_a_pipe_are_refused_without_hanging(tmp_path, capsys):
    data = copy_plan(tmp_path)
    (data / "workstreams" / "08-nowhere.yaml").symlink_to(tmp_path / "does-not-exist.yaml")
    os.mkfifo(data / "workstreams" / "09-pipe.yaml")  # reading it would wait for ever
    code, lines = check(data, capsys)
    assert code == 1
    assert lines == [
        f"{data / 'workstreams' / '08-nowhere.yaml'}:1:1: error: this is a link that leads nowhere; plan data must be ordinary files in the data folder",
        f"{data / 'workstreams' / '09-pipe.yaml'}:1:1: error: this is not an ordinary file (a folder, pipe or device); plan data must be YAML files",
    ]


# --- Characters --------------------------------------------------------------------------------

# (YAML escape written in a double-quoted string, how the problem names it)
REFUSED = [
    ("\\x01", "control character U+0001"),
    ("\\v", "vertical tab (U+000B)"),
    ("\\0", "NUL (U+0000)"),
    ("\\r", "carriage return (U+000D)"),
    ("\\e", "escape (U+001B)"),
    ("\\x85", "control character U+0085"),  # C1: a line break to some readers
    ("\\x9b", "control character U+009B"),
    ("\\uffff", "control character U+FFFF"),
]


@pytest.mark.parametrize("escape, name", REFUSED, ids=[name for _, name in REFUSED])
def test_a_control_character_is_refused_at_its_line(tmp_path, capsys, escape, name):
    data = copy_plan(tmp_path)
    line = replace_once(data / WS, TITLE, TITLE.replace("Participation", f'"Partici{escape}pation').replace("\n", '"\n'))
    code, lines = check(data, capsys)
    assert code == 1
    assert (
        f"{data / WS}:{line}:8: error: title: this text contains a character the site, the downloads and the feed cannot show: "
        f"{name}; remove it (for a line break, start a new line)" in lines
    )


@pytest.mark.parametrize(
    "file, before, after",
    [
        (
            "you-said.yaml",
            "  said: It sometimes takes too long to get speech and language help.\n",  # the Atom feed's text
            '  said: "It sometimes\\x0b takes too long to get speech and language help."\n',
        ),
        (WS, "    name: Bev Pass\n", '    name: "Bev\\0 Pass"\n'),
    ],
)
def test_control_characters_are_refused_in_every_file_and_field(tmp_path, capsys, file, before, after):
    data = copy_plan(tmp_path)
    line = replace_once(data / file, before, after)
    code, lines = check(data, capsys)
    assert code == 1
    assert any(re.match(rf"{re.escape(str(data / file))}:{line}:\d+: error: .*this text contains a character the site", l) for l in lines), lines


def test_a_tab_and_line_breaks_are_allowed(tmp_path, capsys):
    data = copy_plan(tmp_path)
    replace_once(data / WS, TITLE, 'title: "Participation\\tand\\nengagement"\n')
    code, lines = check(data, capsys)
    assert code == 0, lines


INVISIBLE = [
    ("\\u202e", "right-to-left override (U+202E)"),
    ("\\u2066", "left-to-right isolate (U+2066)"),
    ("\\u200b", "zero-width space (U+200B)"),
    ("\\ufeff", "zero-width no-break space (U+FEFF)"),
    ("\\u2060", "word joiner (U+2060)"),
]


@pytest.mark.parametrize("escape, name", INVISIBLE, ids=[name for _, name in INVISIBLE])
def test_bidi_and_zero_width_characters_are_warned_about_not_refused(tmp_path, capsys, escape, name):
    data = copy_plan(tmp_path)
    line = replace_once(data / WS, TITLE, TITLE.replace("Participation", f'"Partici{escape}pation').replace("\n", '"\n'))
    code, lines = check(data, capsys)
    assert code == 0
    # The warning shows where the character is, escaped, never the character itself.
    assert (
        f"{data / WS}:{line}:8: warning: title: this text contains an invisible character that can make it read differently "
        f"from what is stored, or hide a difference between words: {name}; remove it unless the text needs it" in lines
    )


# --- Numbers ---------------------------------------------------------------------------------

TARGET = "is good or better\n    target: {kind: percent, value: 75}\n"


@pytest.mark.parametrize(
    "written, message",
    [
        ("1e28", "1E+28 is too large: plan figures have at most 15 digits before the decimal point"),
        ("1234567890123456", "1234567890123456 is too large: plan figures have at most 15 digits before the decimal point"),
        ("1e-30", "1E-30 has too many decimal places: plan figures have at most 6"),
        ("0.0000001", "1E-7 has too many decimal places: plan figures have at most 6"),
        ('"NaN"', "finite number"),
        ('"-Infinity"', "finite number"),
        (".inf", "'.inf' is not a number plan data can use"),
    ],
)
def test_an_unreasonable_number_is_refused_at_its_line(tmp_path, capsys, written, message):
    data = copy_plan(tmp_path)
    line = replace_once(data / WS, TARGET, TARGET.replace("value: 75", f"value: {written}")) + 1
    code, lines = check(data, capsys)
    assert code == 1
    assert any(l.startswith(f"{data / WS}:{line}:") and message in l for l in lines), lines


@pytest.mark.parametrize(
    "file, before, after",
    [
        ("finance.yaml", "      income: 20.59\n", "      income: 1e16\n"),
        ("finance.yaml", "      income: 20.59\n", "      income: 20.5900001\n"),
    ],
)
def test_every_number_in_the_model_has_the_same_bounds(tmp_path, capsys, file, before, after):
    data = copy_plan(tmp_path)
    line = replace_once(data / file, before, after)
    code, lines = check(data, capsys)
    assert code == 1
    assert any(l.startswith(f"{data / file}:{line}:") and "plan figures have at most" in l for l in lines), lines


def test_the_largest_numbers_allowed_are_shown_exactly_on_the_site(tmp_path, capsys):
    from clearplan.site.render import target_text
    from clearplan.site.tables import Tables
    from clearplan.site.render import PlanView

    data = copy_plan(tmp_path)
    replace_once(data / WS, TARGET, TARGET.replace("kind: percent, value: 75", "kind: count, value: 999999999999999.999999"))
    replace_once(data / "finance.yaml", "      income: 20.59\n", "      income: -999999999999999.999999\n")
    loaded = check_plan(data)
    assert loaded.data is not None and not loaded.problems.errors, [str(p) for p in loaded.problems.errors]
    target = next(m.target for ws in loaded.data.workstreams for m in ws.measures if m.id == "ws1-m01")
    assert "999,999,999,999,999.999999" in target_text(target)
    # Every table the site and the downloads are made from can be built and formatted.
    tables = Tables(PlanView(loaded.data, loaded.files)).whole_plan()
    assert tables


def test_no_decimal_field_bypasses_the_plan_number_type():
    import typing

    from pydantic import BaseModel

    from clearplan.plan import model

    bare = []
    for name, kind in vars(model).items():
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            for field_name, field in kind.model_fields.items():
                hints = typing.get_type_hints(kind, include_extras=True)[field_name]
                if "Decimal" in str(hints).replace(str(PlanNumber), ""):
                    bare.append(f"{name}.{field_name}")
    assert bare == []


# --- One problem, one line -------------------------------------------------------------------


def test_a_line_break_in_a_value_never_starts_a_line_of_its_own(tmp_path, capsys):
    data = copy_plan(tmp_path)
    glossary = data / "glossary.yaml"
    injected = "Rate\\n::error file=.github/workflows/publish.yml,line=1::pwned\\u2028more"
    glossary.write_text(
        glossary.read_text(encoding="utf-8") + f'- term: "{injected}"\n  meaning: A share.\n- term: "{injected}"\n  meaning: A share again.\n',
        encoding="utf-8",
    )
    for options in [(), ("--format", "github")]:
        code, lines = check(data, capsys, *options)
        assert code == 1
        assert not any(line.startswith("::error file=.github") for line in lines), lines
        duplicate = [line for line in lines if "is already defined" in line]
        assert len(duplicate) == 1, lines
    assert (
        "'Rate\\n::error file=.github/workflows/publish.yml,line=1::pwned\\u2028more' is already defined"
        in [line for line in check(data, capsys)[1] if "already defined" in line][0]
    )


def test_text_problems_escape_every_line_break_and_hidden_character():
    problem = Problem("data/a\nb.yaml", 3, 1, "warning", "title", "got 'x\n::error::y\r\x0b\x1c\x85\u2028\u2029\u202e\ttab' £ é")
    assert str(problem) == "data/a\\nb.yaml:3:1: warning: title: got 'x\\n::error::y\\r\\x0b\\x1c\\x85\\u2028\\u2029\\u202e\\ttab' £ é"
    assert problem.github() == "::warning file=data/a%0Ab.yaml,line=3,col=1::title: got 'x%0A::error::y%0D\x0b\x1c\x85\u2028\u2029\u202e\ttab' £ é"


# --- What changed, when a version has no finance history --------------------------------------


def test_diff_of_a_plan_without_finance_history_finds_cost_plan_and_contingency_changes(tmp_path, capsys):
    old = copy_plan(tmp_path / "old", CAMBRIDGESHIRE)
    new = copy_plan(tmp_path / "new", CAMBRIDGESHIRE)
    finance = new / "finance.yaml"
    replace_once(finance, "amounts: {2021/22: 15235, 2022/23: 60938, 2023/24: 45703}", "amounts: {2021/22: 15000, 2022/23: 60938}")
    replace_once(finance, "high: {alternative: 27000, base: 15235,", "high: {alternative: 28000, base: 15235,")
    capsys.readouterr()
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out.splitlines()
    item = "Assistant Strategic Improvement Manager (P3) for 24 months"
    assert out[0] == "Money"
    assert sorted(out[1:-1]) == sorted(
        [
            f"  Changed amount of figure 'Cost plan: {item}, 2021/22': from £15,235 to £15,000",
            f"  Removed figure 'Cost plan: {item}, 2023/24': amount was £45,703",
            f"  Changed amount of figure 'Contingency, high figure: {_contingency_item(old)}': from £11,765 to £12,765",
        ]
    )
    assert out[-1] == f"3 changes between {old} and {new}."


def _contingency_item(data: Path) -> str:
    finance = check_plan(data).data.finance
    return next(item.item for item in finance.contingency.items if item.high.alternative == Decimal(27000))


def test_diff_between_a_plan_with_history_and_one_without_lists_each_figure(tmp_path):
    kingston, cambridgeshire = check_plan(DATA).data, check_plan(CAMBRIDGESHIRE).data
    changes = diff_plans(kingston, cambridgeshire).changes
    money = [c for c in changes if c.area == "finance"]
    assert ("removed", "Income, 2017/18", "£20,590,000") in {(c.kind, c.item, c.old) for c in money}
    assert any(c.kind == "added" and c.item.startswith("Cost plan: ") for c in money)
    assert any(c.kind == "added" and c.item.startswith("Contingency, low figure: ") for c in money)
    back = diff_plans(cambridgeshire, kingston).changes
    assert {(c.kind, c.item) for c in back if c.area == "finance"} == {("added" if c.kind == "removed" else "removed", c.item) for c in money}


@pytest.mark.parametrize(
    "before, after, message",
    [
        ("    annual_percent: 10\n", "    annual_percent: 999999999999999\n", "growth of 999999999999999% a year is not plausible"),
        ("    start_value: 1470\n", "    start_value: 1000000000000000000000000000000\n", "EHCPs is not plausible; write at most 1,000,000"),
    ],
)
def test_growth_that_would_overflow_the_forecast_is_refused(tmp_path, capsys, before, after, message):
    data = copy_plan(tmp_path)
    line = replace_once(data / "finance.yaml", before, after)
    code, lines = check(data, capsys)
    assert code == 1
    assert any(l.startswith(f"{data / 'finance.yaml'}:{line}:") and message in l for l in lines), lines


def test_the_steepest_growth_allowed_still_gives_a_forecast(tmp_path):
    from clearplan.figures.compute import forecast_rows

    data = copy_plan(tmp_path)
    replace_once(data / "finance.yaml", "    start_value: 1470\n", "    start_value: 1000000\n")
    replace_once(data / "finance.yaml", "    annual_percent: 10\n", "    annual_percent: 100\n")
    loaded = check_plan(data)
    assert loaded.data is not None and not loaded.problems.errors
    ehcps = [row.ehcps for row in forecast_rows(loaded.data.finance)]
    assert len(ehcps) > 1 and ehcps == [1_000_000 * 2**n for n in range(len(ehcps))]


def test_an_easy_read_picture_linked_from_outside_its_folder_is_refused(tmp_path, outside_file):
    from clearplan.checks.easy_read import PICTURES_DIR, load_pictures

    pictures = tmp_path / "pictures"
    shutil.copytree(PICTURES_DIR, pictures)
    library = load_pictures(pictures)
    assert not library.problems.errors
    name, picture = next(iter(library.pictures.items()))
    (pictures / picture.file).unlink()
    (pictures / picture.file).symlink_to(outside_file)  # printing embeds each picture in the PDF
    problems = [str(p) for p in load_pictures(pictures).problems.errors]
    assert len(problems) == 1 and re.search(
        r"manifest\.yaml:\d+:\d+: error: pictures\[\d+\]\.file: this is a link to a file outside "
        r"the pictures folder, which is not read",
        problems[0],
    ), problems


def test_a_diff_stopped_while_reading_a_git_version_leaves_no_plan_data_behind(tmp_path):
    import subprocess
    import sys

    from diff_support import site_repo

    repo = site_repo(tmp_path / "repo")
    temp = tmp_path / "temp"
    temp.mkdir()
    # SIGTERM arrives while the version taken from git is being checked, in its temporary folder.
    script = (
        "import os, signal, sys\n"
        "import clearplan.editing.diff as diff\n"
        "check = diff.check_plan\n"
        "def stopped(path):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    return check(path)\n"
        "diff.check_plan = stopped\n"
        "from clearplan.cli.cli import main\n"
        "sys.exit(main(['diff', 'v1', 'v1', '--repo', sys.argv[1]]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(repo)], capture_output=True, text=True, timeout=120, env={**os.environ, "TMPDIR": str(temp)}
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert not [p for p in temp.iterdir() if p.name.startswith("clearplan-")]


def test_a_version_with_errors_is_named_in_one_line(tmp_path, capsys):
    old = copy_plan(tmp_path / "old")
    glossary = old / "glossary.yaml"
    term = "Rate\\n::error::pwned"
    glossary.write_text(
        glossary.read_text(encoding="utf-8") + f'- term: "{term}"\n  meaning: A.\n- term: "{term}"\n  meaning: B.\n', encoding="utf-8"
    )
    capsys.readouterr()
    assert main(["diff", str(old), str(DATA)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'Rate\\n::error::pwned' is already defined" in err, err
