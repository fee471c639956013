"""Profile one in-process `mkdocs build` of a site and print where the time goes.

    python benchmarks/profile_build.py [--config mkdocs.yml] [--top 25]

Prints the costliest functions by cumulative time, then the same restricted to clearplan's own
code (src/clearplan/, templates included), which is what we can make faster.
"""

from __future__ import annotations

import argparse
import cProfile
import io
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    os.chdir(args.config.resolve().parent)
    print(report(profile_build(args.config.resolve()), args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
