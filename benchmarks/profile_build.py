"""Profile one in-process `mkdocs build` of a site and print where the time goes.

    python benchmarks/profile_build.py [--config mkdocs.yml] [--top 25] [--json]

Prints the costliest functions by cumulative time, then the same restricted to clearplan's own
code (src/clearplan/, templates included), which is what we can make faster. With --json, prints
a summary instead (what `make bench` records): own time by package, and clearplan's costliest calls.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def profile_build(config: Path) -> pstats.Stats:
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory(prefix="clearplan-profile-") as site_dir:
        profiler.enable()
        build(load_config(config_file=str(config), site_dir=site_dir, strict=True))
        profiler.disable()
    return pstats.Stats(profiler, stream=io.StringIO())


def report(stats: pstats.Stats, top: int) -> str:
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("cumulative")
    print(f"Total: {stats.total_tt:.2f} s of profiled time", file=out)
    print("\n== All code, by cumulative time ==", file=out)
    stats.print_stats(top)
    print("\n== clearplan's own code (src/clearplan/), by cumulative time ==", file=out)
    stats.print_stats(r"(src/clearplan/)", top)
    print("\n== All code, by own time ==", file=out)
    stats.sort_stats("tottime")
    stats.print_stats(top)
    return out.getvalue()


def package(filename: str) -> str:
    """Who owns a profiled function: clearplan, or the installed package or standard module it is in."""
    if "/src/clearplan/" in filename:
        return "clearplan"
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if filename.startswith("<") or filename == "~":
        return "Python built-ins" if filename == "~" else "Python internals"
    module = filename.split("/lib/python3", 1)[-1].split("/", 1)[-1].removesuffix(".py").removesuffix("/__init__")
    return "Python: " + module.replace("/", ".")


def summary(stats: pstats.Stats, top: int) -> dict:
    """Own time by package, largest first, and clearplan's calls by cumulative time (nested calls
    included, so the list overlaps, but a call that only wraps the one before is left out)."""
    by_package: dict[str, float] = {}
    ours = []
    for (filename, line, name), (_calls, _primitive, own, cumulative, callers) in stats.stats.items():  # type: ignore[attr-defined]
        owner = package(filename)
        if owner == "Python built-ins" and callers:  # a regex match or a join counts for the code that called it
            for (caller_file, _line, _name), caller_times in callers.items():
                by_package[package(caller_file)] = by_package.get(package(caller_file), 0.0) + caller_times[2]
        else:
            by_package[owner] = by_package.get(owner, 0.0) + own
        if owner == "clearplan":
            where = filename.split("/src/clearplan/", 1)[1]
            ours.append({"function": f"{where}:{line}({name})", "cumulative_s": round(cumulative, 3)})
    total = sum(by_package.values())
    packages = [{"package": k, "own_s": round(v, 3), "share": round(v / total, 3)} for k, v in sorted(by_package.items(), key=lambda kv: -kv[1])]
    ours.sort(key=lambda f: -f["cumulative_s"])
    # A call within 3% of the one listed before it is most often a wrapper's inner call
    # (on_config → _configure → check_plan): only the outermost is listed.
    distinct = [f for i, f in enumerate(ours) if i == 0 or f["cumulative_s"] < 0.97 * ours[i - 1]["cumulative_s"]]
    return {"total_s": round(total, 3), "packages": packages[:top], "clearplan": distinct[:top]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--json", action="store_true", help="print the summary `make bench` records")
    args = parser.parse_args(argv)
    os.chdir(args.config.resolve().parent)
    stats = profile_build(args.config.resolve())
    print(json.dumps(summary(stats, args.top), indent=2) if args.json else report(stats, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
