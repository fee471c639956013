"""Synthetic plans for the scale benchmark: the bundled plan with N times its activities, measures
and risks, spread over more workstreams and longer ones, valid under `clearplan check`.

    python benchmarks/generate.py 10 /tmp/plan-10x

A factor N is split into `copies` × `repeat` (copies the divisor of N nearest below its square root):
every workstream file is written `copies` times, and inside each copy every activity group,
measure list and risk list holds each item `repeat` times. Ids get suffixes so they stay unique
across the plan; plan.yaml, finance.yaml and glossary.yaml are copied as they are.
"""

from __future__ import annotations

import argparse
import copy
import math
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def split(factor: int) -> tuple[int, int]:
    """(copies of each workstream, repeats of each item inside one) with copies × repeats = factor."""
    if factor < 1:
        raise ValueError("the factor must be a whole number of at least 1")
    copies = max(d for d in range(1, math.isqrt(factor) + 1) if factor % d == 0)
    return copies, factor // copies


def _suffix(value: str, copy_index: int, repeat: int) -> str:
    parts = ([f"c{copy_index}"] if copy_index else []) + ([f"r{repeat}"] if repeat else [])
    return "-".join([value, *parts])


def _multiply(items: list[dict], copy_index: int, repeats: int) -> list[dict]:
    out = []
    for repeat in range(repeats):
        for item in items:
            item = copy.deepcopy(item)
            item["id"] = _suffix(item["id"], copy_index, repeat)
            out.append(item)
    return out


def workstream_copy(workstream: dict, copy_index: int, repeats: int) -> dict:
    ws = copy.deepcopy(workstream)
    if copy_index:
        ws["id"] = f"{ws['id']}-copy-{copy_index}"
        ws["title"] = f"{ws['title']} (copy {copy_index})"
        if ws.get("number") is not None:
            ws["number"] = ws["number"] + 100 * copy_index
    for group in ws.get("activity_groups", []):
        group["activities"] = _multiply(group["activities"], copy_index, repeats)
    for key in ("measures", "risks"):
        if ws.get(key):
            ws[key] = _multiply(ws[key], copy_index, repeats)
    return ws


def generate(factor: int, destination: Path, source: Path = DATA) -> Path:
    """Write a plan `factor` times the size of `source` into `destination` (replaced if present)."""
    copies, repeats = split(factor)
    destination = Path(destination)
    if destination.exists():
        shutil.rmtree(destination)
    (destination / "workstreams").mkdir(parents=True)
    for path in source.glob("*.yaml"):
        shutil.copy(path, destination / path.name)
    for path in sorted((source / "workstreams").glob("*.yaml")):
        workstream = yaml.safe_load(path.read_text(encoding="utf-8"))
        for copy_index in range(copies):
            name = path.stem if copy_index == 0 else f"{path.stem}-copy-{copy_index:03d}"
            text = yaml.safe_dump(workstream_copy(workstream, copy_index, repeats), sort_keys=False, allow_unicode=True, width=100)
            (destination / "workstreams" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return destination


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("factor", type=int, help="how many times the bundled plan's activities, measures and risks")
    parser.add_argument("destination", type=Path, help="the data directory to write (replaced if present)")
    args = parser.parse_args(argv)
    generate(args.factor, args.destination)
    print(f"wrote a {args.factor}x plan to {args.destination}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
