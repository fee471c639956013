"""The benchmark's results as a short Markdown table, written into README.md between markers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"

STATUS_WORDS = {"pass": "pass", "fail": "**FAIL**", "n/a": "not available in this build", "info": "—"}


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def table(results: dict[str, Any]) -> str:
    """Markdown for the results: the machine and date, then one row per measurement."""
    machine = results.get("machine", {})
    # How busy the machine was when the run ended (1, 5 and 15 minute load averages): wall times
    # on a machine shared with other work are only comparable within one run.
    load = machine.get("load_average")
    busy = f" Load average at the end: {', '.join(f'{x:.1f}' for x in load)}." if load else ""
    lines = [
        f"Run on {machine.get('cpus', '?')} CPUs, {machine.get('platform', '?')}, Python {machine.get('python', '?')}, "
        f"{results.get('date', '?')}. Medians of repeated runs; ratios measured in the same run.{busy}",
        "",
        "| Measurement | Result | Budget | Status |",
        "| --- | --- | --- | --- |",
    ]
    for row in results.get("measurements", []):
        lines.append(
            f"| {_cell(row['name'])} | {_cell(row['result'])} | {_cell(row.get('budget', ''))} | "
            f"{STATUS_WORDS.get(row['status'], _cell(row['status']))} |"
        )
    profile = results.get("profile")
    if profile:
        shares = ", ".join(f"{p['package']} {100 * p['share']:.0f}%" for p in profile["packages"])
        ours = ", ".join(f"`{f['function']}` {f['cumulative_s']:.2f} s" for f in profile["clearplan"])
        lines += [
            "",
            f"Profile of one {profile['factor']}× build (cProfile, {profile['total_s']:.1f} s with the profiler's overhead): "
            f"own time by package: {shares}. clearplan's costliest calls (nested calls included): {ours}.",
        ]
    return "\n".join(lines)


def replace_between_markers(text: str, body: str) -> str:
    """`text` with everything between the markers replaced by `body`; markers appended if absent."""
    block = f"{START}\n{body}\n{END}"
    if START in text and END in text and text.index(START) < text.index(END):
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        return before + block + after
    return text.rstrip("\n") + "\n\n" + block + "\n"


def write_readme(readme: Path, results: dict[str, Any]) -> None:
    text = readme.read_text(encoding="utf-8")
    readme.write_text(replace_between_markers(text, table(results)), encoding="utf-8")
