"""Bad plan data gives exit 1 and a clear problem at the right file and line, never a traceback.

Each file in tests/bad_inputs/ replaces one file of the bundled plan (data/) and holds exactly one
mistake. Its first lines are comments saying what to expect:

    # replaces: workstreams/01-participation.yaml   the data file it stands in for
    # expect-line: 12                                the line the problem must be reported on
    # expect: unknown key 'taget'                    text that must appear in that problem line
    # reject: text                                   (optional) text no output line may contain
    # xfail: reason                                  (optional) a known fault in the check

The comment lines are part of the file, so they count towards `expect-line`. Cases too big or too
strange to keep as files (binary junk, alias bombs, huge and deeply nested files) are generated here.
"""

from __future__ import annotations

import random
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from clearplan.cli.cli import main
from clearplan.plan.loading import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, NESTED_TOO_DEEP, read_yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CORPUS = Path(__file__).resolve().parent / "bad_inputs"
METADATA = re.compile(r"#\s*([a-z-]+):\s*(.*?)\s*$")
# CPU seconds the check may spend on one bad file: a bound against runaway work (an alias bomb
# expanded, a quadratic scan), not a benchmark. CPU time, so a busy machine does not fail it.
TIME_LIMIT = 5.0


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    replaces: str
    line: int
    expect: str
    reject: str | None
    xfail: str | None


def read_case(path: Path) -> Case:
    meta: dict[str, str] = {}
    for text in path.read_text(encoding="utf-8").splitlines():
        match = METADATA.fullmatch(text)
        if not match:
            break
        meta[match.group(1)] = match.group(2)
    missing = {"replaces", "expect-line", "expect"} - meta.keys()
    assert not missing, f"{path.name}: header lacks {', '.join(sorted(missing))}"
    return Case(path.stem, path, meta["replaces"], int(meta["expect-line"]), meta["expect"], meta.get("reject"), meta.get("xfail"))


CASES = [read_case(path) for path in sorted(CORPUS.glob("*.yaml"))]
BY_NAME = {case.name: case for case in CASES}


def params(cases: list[Case]) -> list:
    return [pytest.param(case, id=case.name, marks=[pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []) for case in cases]


def plan_with(tmp_path: Path, replaces: str, content: bytes) -> Path:
    """A copy of the bundled plan with one file replaced."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    target = data / replaces
    assert target.is_file(), f"{replaces} is not a file of the bundled plan"
    target.write_bytes(content)
    return data


def check_in_process(data: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, float]:
    capsys.readouterr()
    started = time.process_time()
    code = main(["check", "--data", str(data)])
    elapsed = time.process_time() - started
    captured = capsys.readouterr()
    return code, captured.out + captured.err, elapsed


def check_in_subprocess(data: Path) -> tuple[int, str, float]:
    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    started = children_cpu()
    result = subprocess.run(
        [sys.executable, "-m", "clearplan.cli.cli", "check", "--data", str(data)],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
        cwd=data.parent,
    )
    return result.returncode, result.stdout + result.stderr, children_cpu() - started


def problem_lines(output: str, data: Path, replaces: str) -> list[tuple[int, str]]:
    """(line, text) of each error reported in the replaced file."""
    prefix = re.compile(re.escape(str(data / replaces)) + r":(\d+):(\d+): error: ")
    found = []
    for text in output.splitlines():
        match = prefix.match(text)
        if match:
            found.append((int(match.group(1)), text))
    return found


def assert_reported(case: Case, code: int, output: str, data: Path) -> None:
    assert "Traceback" not in output, output
    assert code == 1, f"exit code {code}, expected 1\n{output}"
    errors = problem_lines(output, data, case.replaces)
    wanted = f"{data / case.replaces}:{case.line}:<column>: error: ...{case.expect}..."
    assert any(line == case.line and case.expect in text for line, text in errors), f"no problem line like\n  {wanted}\nin the output:\n{output}"
    if case.reject:
        rejected = [text for text in output.splitlines() if case.reject in text]
        assert not rejected, f"output should not contain {case.reject!r}:\n" + "\n".join(rejected)


# --- The corpus --------------------------------------------------------------------------------


def test_corpus_is_well_formed() -> None:
    assert len(CASES) >= 34
    for case in CASES:
        assert (DATA / case.replaces).is_file(), f"{case.name}: data/{case.replaces} does not exist"
        assert case.line >= 1 and case.expect, case.name
        if case.line > 1:  # an empty file is reported on line 1, past its comments
            lines = case.path.read_text(encoding="utf-8").splitlines()
            assert case.line <= len(lines), f"{case.name}: expect-line {case.line} is past the end of the file"


def test_bundled_plan_has_no_errors(capsys: pytest.CaptureFixture[str]) -> None:
    """The baseline every case changes one file of: any error a case gives is the case's own."""
    code, output, _ = check_in_process(DATA, capsys)
    assert code == 0, output


@pytest.mark.parametrize("case", params(CASES))
def test_bad_input(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = plan_with(tmp_path, case.replaces, case.path.read_bytes())
    code, output, elapsed = check_in_process(data, capsys)
    assert_reported(case, code, output, data)
    assert elapsed < TIME_LIMIT


SUBPROCESS_CASES = ["yaml-tab-indentation", "unknown-key-taget-in-measure", "duplicate-measure-id-across-workstreams"]


@pytest.mark.parametrize("case", params([BY_NAME[name] for name in SUBPROCESS_CASES]))
def test_bad_input_in_a_real_process(case: Case, tmp_path: Path) -> None:
    data = plan_with(tmp_path, case.replaces, case.path.read_bytes())
    code, output, _ = check_in_subprocess(data)
    assert_reported(case, code, output, data)


# --- Generated inputs --------------------------------------------------------------------------


def binary_junk() -> bytes:
    rng = random.Random(20200701)
    return b"title: SEND plan\n" + bytes(rng.randrange(256) for _ in range(4096)) + b"\x00\xff\xfe\xc3\x28"


def billion_laughs() -> bytes:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    names = "abcdefghi"  # nine levels: 9**9 = 387,420,489 strings when expanded
    for previous, name in zip(names, names[1:]):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return ("\n".join(lines) + "\n").encode()


def deep_block_mappings(depth: int) -> bytes:
    return "".join(" " * level + "a:\n" for level in range(depth)).encode() + b" " * depth + b"a: 1\n"


@dataclass(frozen=True)
class Generated:
    name: str
    replaces: str
    content: Callable[[], bytes]
    expect: str  # a regular expression the problem line must match after 'error: '


WS = "workstreams/01-participation.yaml"
GENERATED = [
    Generated("binary-junk", "plan.yaml", binary_junk, r"not UTF-8|NUL"),
    Generated("nul-in-utf8-text", "plan.yaml", lambda: b"title: SEND plan\ncouncil: rbk\x00\n", r"NUL character"),
    Generated("billion-laughs", WS, billion_laughs, r"alias bomb"),
    Generated("ten-megabytes", WS, lambda: b"id: participation\nsummary: " + b"a" * 10_000_000 + b"\n", r"10,000,\d{3} bytes"),
    Generated("deep-flow-sequences", WS, lambda: b"a: " + b"[" * 10_000 + b"]" * 10_000 + b"\n", r"nested more than \d+ levels"),
    Generated("deep-flow-mappings", WS, lambda: b"a: " + b"{a: " * 10_000 + b"}" * 10_000 + b"\n", r"nested more than \d+ levels"),
    Generated("deep-block-sequences", WS, lambda: b"- " * 10_000 + b"x\n", r"nested more than \d+ levels"),
    # 10,000 levels of block mappings take 50 MB of indentation, so the size limit catches them first.
    Generated("deep-block-mappings-10000", WS, lambda: deep_block_mappings(10_000), r"bytes; plan files must be under"),
    Generated("deep-block-mappings-1000", WS, lambda: deep_block_mappings(1_000), r"nested more than \d+ levels"),
]


@pytest.mark.parametrize("generated", GENERATED, ids=[g.name for g in GENERATED])
def test_generated_bad_input(generated: Generated, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = plan_with(tmp_path, generated.replaces, generated.content())
    code, output, elapsed = check_in_process(data, capsys)
    assert "Traceback" not in output, output[:5000]
    assert code == 1, output[:5000]
    errors = problem_lines(output, data, generated.replaces)
    assert any(re.search(generated.expect, text) for _, text in errors), output[:5000]
    assert elapsed < TIME_LIMIT, f"took {elapsed:.1f} s"


# Deeper nesting, still far under the size limit, is read in a subprocess: if the YAML reader
# overflows the C stack the process dies with SIGSEGV, which would take pytest down with it.
CRASHING = [
    Generated("very-deep-flow-sequences", WS, lambda: b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", r"nested more than \d+ levels"),
    Generated("very-deep-block-sequences", WS, lambda: b"- " * 100_000 + b"x\n", r"nested more than \d+ levels"),
]


@pytest.mark.parametrize("generated", CRASHING, ids=[g.name for g in CRASHING])
def test_very_deep_nesting_in_a_real_process(generated: Generated, tmp_path: Path) -> None:
    data = plan_with(tmp_path, generated.replaces, generated.content())
    code, output, elapsed = check_in_subprocess(data)
    assert "Traceback" not in output, output[:5000]
    assert code == 1, f"exit code {code}\n{output[:5000]}"
    errors = problem_lines(output, data, generated.replaces)
    assert any(re.search(generated.expect, text) for _, text in errors), output[:5000]
    assert elapsed < TIME_LIMIT + 5, f"took {elapsed:.1f} s"  # allow for starting Python


# The reader's limits, on both sides of each: file size, nesting depth and the number of values.
@pytest.mark.parametrize(
    "content, message",
    [
        (b"a: " + b"x" * (MAX_FILE_BYTES - 4) + b"\n", None),
        (
            b"a: " + b"x" * (MAX_FILE_BYTES - 3) + b"\n",
            "the file is 1,000,001 bytes; plan files must be under 1,000,000 bytes. Split it or remove what does not belong",
        ),
        (b"a: " + b"[" * (MAX_DEPTH - 1) + b"]" * (MAX_DEPTH - 1) + b"\n", None),
        (b"a: " + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH + b"\n", NESTED_TOO_DEEP),
        (b"- 1\n" * (MAX_NODES - 1), None),
        (b"- 1\n" * MAX_NODES, "the file expands to more than 200,000 values (a YAML alias bomb?); write values out instead of repeating aliases"),
    ],
    ids=["largest-file", "one-byte-too-large", "deepest-nesting", "one-level-too-deep", "most-values", "one-value-too-many"],
)
def test_the_readers_limits_are_exact(tmp_path: Path, content: bytes, message: str | None) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(content)
    source, problems = read_yaml(path, "plan.yaml")
    assert [p.message for p in problems.items] == ([] if message is None else [message])
    assert (source.value is None) is (message is not None)
