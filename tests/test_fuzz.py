"""Plan data never becomes code (issue 12's proof). Every text value in both bundled plans gets a
unique marker with HTML, Jinja, Markdown link, attr_list and spreadsheet formula payloads; the
check runs, then the site builds, and every output is read by its type. Each value must end either
refused by the check at its own line, or shown literally somewhere, and nowhere as code.

Two variants per plan, each injecting into every value at once (four builds in all):
`markup` (a spreadsheet formula start, `=`, `+`, `-`, `@`, tab or carriage return, taking turns;
then HTML, `{{ 7*7 }}`, a `javascript:` Markdown link and an attr_list; and a workstream file name
with HTML in it) and `template` (`{% raw %}`, `{#` and `{% if %}`, which stop a build that renders
data as a template). Emails and URLs get payloads of their own shape.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import yaml

from fuzz_support import (
    MARK,
    VARIANTS,
    Findings,
    Injection,
    inspect_html,
    inspect_tree,
    inspect_xlsx,
    model_text_fields,
    quietly,
    section_path,
    site_config,
)

from clearplan.checks.check import check_plan
from clearplan.cli.cli import main as clearplan
from clearplan.checks.easy_read import PICTURES_DIR
from clearplan.outputs.print_pack import easy_read_document, plan_document
from clearplan.site.render import PlanView, Renderer

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PLANS = {"kingston": ROOT / "mkdocs.yml", "cambridgeshire": ROOT / "examples" / "cambridgeshire" / "mkdocs.yml"}
CASES = [(plan, variant) for plan in PLANS for variant in VARIANTS]
PARALLEL_BUILDS = 2
SEED = yaml.safe_load((ROOT / "tests" / "fuzz_seed.yaml").read_text(encoding="utf-8"))


@dataclass
class Fuzzed:
    injection: Injection
    check_status: int
    check_output: str
    build: subprocess.CompletedProcess
    findings: Findings
    exported_rows: int  # data rows in `clearplan export xlsx` (Cambridgeshire's activities, measures and risks: none)


def _prepare(plan: str, variant: str, work: Path) -> tuple[Injection, Path]:
    config = PLANS[plan]
    plan_dir = work / plan / variant
    injection = Injection(config.parent / "data", plan_dir / "data", VARIANTS[variant], rename_a_file=variant == "markup", seed=SEED)
    injection.settle()
    return injection, site_config(config, plan_dir, ROOT / "overrides")


def _other_outputs(injection: Injection, work: Path, findings: Findings) -> int:
    """`clearplan export xlsx`, and the print packs' HTML (what chromium prints; the PDFs themselves
    are not printed here: that is slow, and the HTML is where code would be)."""
    workbook = work / "export.xlsx"
    status, printed = quietly(clearplan, ["export", "xlsx", str(workbook), "--data", str(injection.target_dir)])
    if status != 0:
        findings.leak("clearplan export xlsx", f"exit {status}: {printed[-500:]}")
        return 0
    inspect_xlsx(workbook, "clearplan export xlsx", findings)
    rows = sum(sheet.max_row - 1 for sheet in openpyxl.load_workbook(workbook).worksheets)
    loaded = check_plan(injection.target_dir)
    renderer = Renderer(PlanView(loaded.data, loaded.files), [ROOT / "overrides" / "clearplan"])
    try:
        # The plan pack has the pages of the copied site (site_config puts its docs beside the data).
        documents = [plan_document(renderer, injection.target_dir.parent / "docs"), easy_read_document(renderer, PICTURES_DIR)]
        for document in filter(None, documents):
            inspect_html(document.html(renderer), f"print pack {document.name}.html", findings)
    except Exception as error:  # a print pack that cannot be made from this data is a finding too
        findings.leak("print packs", f"{type(error).__name__}: {error}")
    return rows


def _build(config: Path) -> subprocess.Popen:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [str(BIN / "mkdocs"), "build", "--strict", "-f", str(config), "-d", str(config.parent / "site")]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _finished(process: subprocess.Popen) -> subprocess.CompletedProcess:
    out, err = process.communicate(timeout=600)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory) -> dict[tuple[str, str], Fuzzed]:
    work = tmp_path_factory.mktemp("fuzz")
    prepared: dict[tuple[str, str], tuple[Injection, Path]] = {}
    running: dict[tuple[str, str], subprocess.Popen] = {}
    builds: dict[tuple[str, str], subprocess.CompletedProcess] = {}
    for case in CASES:  # the next case is injected and checked while earlier ones build
        prepared[case] = _prepare(*case, work)
        running[case] = _build(prepared[case][1])
        while len(running) >= PARALLEL_BUILDS:
            done = next(iter(running))
            builds[done] = _finished(running.pop(done))
    for case, process in running.items():
        builds[case] = _finished(process)
    results = {}
    for case, (injection, config) in prepared.items():
        findings = Findings()
        status, output = quietly(clearplan, ["check", "--data", str(injection.target_dir)])
        if builds[case].returncode == 0:
            inspect_tree(config.parent / "site", findings)
        exported_rows = _other_outputs(injection, config.parent, findings)
        results[case] = Fuzzed(injection, status, output, builds[case], findings, exported_rows)
    print(report(results))
    return results


def unreached(results: dict[tuple[str, str], Fuzzed]) -> list[str]:
    """Free-text fields the model allows that neither bundled plan uses, so nothing here fuzzes them."""
    used = {section_path(f) for result in results.values() for f in result.injection.fields}
    return sorted(model_text_fields() - used)


def _named(injection: Injection, marks) -> list[str]:
    return [f"{mark}: {', '.join(str(f) for f in injection.fields_of(mark))}" for mark in sorted(marks)]


def report(results: dict[tuple[str, str], Fuzzed]) -> str:
    """What the fuzz did: per plan and variant, fields injected, refused (where and why), shown."""
    lines = [f"Model text fields in neither bundled plan, not fuzzed: {', '.join(unreached(results))}"]
    for (plan, variant), result in results.items():
        injection = result.injection
        lines.append(
            f"== {plan} / {variant}: {len(injection.fields)} text values, {len(injection.markers)} markers, "
            f"{len(injection.refused)} refusals by the check, {len(injection.restored)} originals kept (every payload refused), {len(injection.accepted)} Easy Read rules accepted, "
            f"build exit {result.build.returncode}, {len(result.findings.leaks)} leaks"
        )
        pages_only = {m for m in injection.live_markers if not any(w.endswith(".html") for w in result.findings.seen.get(m, ()))}
        if result.build.returncode == 0:
            lines.append(
                f"   {len(pages_only)} markers passed the check but are on no page (only in downloads, or nowhere): "
                + ", ".join(sorted({_general(str(f)) for m in pages_only for f in injection.fields_of(m)}))
            )
        lines += [f"   leak {line}" for line in leak_summary(result)]
        kinds: dict[str, list] = {}
        for refusal in injection.refused:
            kind = _general(str(refusal.field))
            kinds.setdefault(kind, []).append(refusal)
        for kind, refusals in sorted(kinds.items()):
            first = refusals[0]
            message = MARK.sub("M", first.message)[:90]
            lines.append(f"   refused {len(refusals)}x {kind}  (e.g. line {first.line}: {message})")
    return "\n".join(lines)


def _general(text: str) -> str:
    """A field or output path with its indices and per-item names replaced by *."""
    text = re.sub(r"\[\d+\]", "[*]", text)
    text = re.sub(r"workstreams/[^/ :]+(/|\.yaml)", r"workstreams/*\1", text)
    text = re.sub(r"data/[^ ]+\.(csv|json)", r"data/*.\1", text)
    return re.sub(r"!([A-Z]+)\d+", r"!\1*", text)


def leak_summary(result: Fuzzed) -> list[str]:
    """Leaks counted by output, kind and the fields the markers came from, most first."""
    counts: dict[str, int] = {}
    for leak in result.findings.leaks:
        where, _, what = leak.partition(": ")
        what = re.sub(r"(starts with '.'|formula cell|made by the payload|before M|\">).*", r"\1", MARK.sub("M", what))
        where = re.sub(r" \(([^ ]*) (title|text)\)", r" (\2)", where)
        fields = sorted({_general(str(f)) for mark in set(MARK.findall(leak)) for f in result.injection.fields_of(mark)})
        kind = f"{_general(where)}: {what}  <- {', '.join(fields)}"
        counts[kind] = counts.get(kind, 0) + 1
    return [f"{n:4d} x {kind}" for kind, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def _leaks(result: Fuzzed) -> list[str]:
    """Each leak, with the fields its marker came from."""
    shown = []
    for leak in result.findings.leaks:
        marks = sorted(set(MARK.findall(leak)))
        fields = "; ".join(f"{m} = {', '.join(str(f) for f in result.injection.fields_of(m))}" for m in marks)
        shown.append(f"{leak}  [{fields}]" if fields else leak)
    return shown


@pytest.mark.parametrize("plan", PLANS)
def test_the_seeded_fields_are_valid_in_each_plan_before_injection(plan, tmp_path):
    """fuzz_seed.yaml adds fields neither plan uses; they must pass the check as written, or the
    fuzz would count the seed's own mistakes as refusals."""
    seeded = Injection(PLANS[plan].parent / "data", tmp_path / "data", lambda *payload_args: None, seed=SEED)
    seeded.write()
    added = {section_path(f) for f in seeded.fields if f.loc[0] in {entry["key"] for entry in SEED}}
    assert added, "the seed added nothing: every key it adds is in the plan already; fuzz_seed.yaml can go"
    assert [str(p) for p in check_plan(seeded.target_dir).problems.errors] == []


@pytest.mark.parametrize("case", CASES, ids=[f"{p}-{v}" for p, v in CASES])
def test_the_check_refuses_each_value_it_refuses_at_that_value_line(fuzzed, case):
    result = fuzzed[case]
    assert not result.injection.misplaced, "errors not at an injected value's line:\n" + "\n".join(result.injection.misplaced)
    assert result.check_status == 0, result.check_output[-3000:]


@pytest.mark.parametrize("case", CASES, ids=[f"{p}-{v}" for p, v in CASES])
def test_the_site_builds_with_every_value_the_check_passes(fuzzed, case):
    build = fuzzed[case].build
    assert build.returncode == 0, (build.stdout + build.stderr)[-3000:]


@pytest.mark.parametrize("case", CASES, ids=[f"{p}-{v}" for p, v in CASES])
def test_no_output_turns_plan_data_into_code(fuzzed, case):
    leaks = _leaks(fuzzed[case])
    assert not leaks, (
        f"{len(leaks)} leaks, by kind:\n"
        + "\n".join(leak_summary(fuzzed[case]))
        + "\n\nThe first 100, with the fields each marker came from:\n"
        + "\n".join(leaks[:100])
    )


@pytest.mark.parametrize("case", CASES, ids=[f"{p}-{v}" for p, v in CASES])
def test_every_value_the_check_passes_is_shown_literally_somewhere(fuzzed, case):
    result = fuzzed[case]
    if result.build.returncode != 0:
        pytest.fail("the site did not build, so nothing could be shown")
    missing = result.injection.live_markers - set(result.findings.seen)
    assert not missing, "shown nowhere:\n" + "\n".join(_named(result.injection, missing))


READ_OUTPUTS = {
    "a page": lambda where: where.endswith(".html") and not where.startswith("print pack"),
    "the Atom feed": lambda where: where == "feed.xml",
    "the search index": lambda where: where.startswith("search/search_index.json"),
    "a CSV download": lambda where: where.endswith(".csv"),
    "a JSON download": lambda where: where.startswith("data/") and where.endswith(".json"),
    "the site's plan.xlsx": lambda where: where.startswith("data/plan.xlsx"),
    "clearplan export xlsx": lambda where: where.startswith("clearplan export xlsx"),
    "the plan print pack": lambda where: where == "print pack plan.html",
    "the Easy Read print pack": lambda where: where == "print pack easy-read.html",
}


@pytest.mark.parametrize("case", CASES, ids=[f"{p}-{v}" for p, v in CASES])
def test_every_kind_of_output_was_read_and_shows_markers(fuzzed, case):
    """Guards the test itself: an output that moved or was renamed would otherwise be read never."""
    outputs = {where for places in fuzzed[case].findings.seen.values() for where in places}
    expected = [name for name in READ_OUTPUTS if name != "clearplan export xlsx" or fuzzed[case].exported_rows]
    unread = [name for name in expected if not any(READ_OUTPUTS[name](where) for where in outputs)]
    assert not unread, f"no marker found in {', '.join(unread)}"
