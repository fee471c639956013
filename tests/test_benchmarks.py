"""The benchmark's own parts, fast: the synthetic plan generator and the README table writer.
(`make bench` itself is slow and is not part of `make test`.)"""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402
import report  # noqa: E402


@pytest.mark.parametrize("factor, split", [(1, (1, 1)), (10, (2, 5)), (50, (5, 10)), (7, (1, 7))])
def test_factor_splits_into_workstream_copies_and_repeats(factor, split):
    assert generate.split(factor) == split


@pytest.mark.parametrize("factor", [1, 10])
def test_synthetic_plans_pass_the_check_with_the_expected_counts(tmp_path, kingston, factor):
    from clearplan.figures import compute
    from clearplan.checks.check import check_plan

    loaded = check_plan(generate.generate(factor, tmp_path / "data"))
    assert loaded.data is not None and not loaded.problems.errors, [str(p) for p in loaded.problems.errors]
    base, counts = compute.counts(kingston.data), compute.counts(loaded.data)
    copies, _ = generate.split(factor)
    assert (counts.activities, counts.measures, counts.risks) == (factor * base.activities, factor * base.measures, factor * base.risks)
    assert counts.workstreams == copies * base.workstreams
    assert len(loaded.data.workstreams) == copies * len(kingston.data.workstreams)


def test_generator_command_line_writes_the_plan(tmp_path, capsys):
    assert generate.main(["2", str(tmp_path / "plan")]) == 0
    assert (tmp_path / "plan" / "plan.yaml").is_file()
    assert "wrote a 2x plan" in capsys.readouterr().out
    with pytest.raises(ValueError, match="^the factor must be a whole number of at least 1$"):
        generate.split(0)


RESULTS = {
    "date": "2026-01-02T03:04:05+00:00",
    "machine": {"cpus": 2, "platform": "Linux x86_64", "python": "3.11.7", "load_average": [3.25, 2.5, 1.0]},
    "measurements": [
        {"name": "Build | overhead", "result": "1.10×", "budget": "≤ 1.25×", "status": "pass"},
        {"name": "Check", "result": "3 s", "budget": "≤ 2 s", "status": "fail"},
        {"name": "Easy Read", "result": "not available in this build", "budget": "≤ 100 KB", "status": "n/a"},
    ],
}


def test_table_has_machine_date_and_one_row_per_measurement():
    lines = report.table(RESULTS).splitlines()
    assert "2 CPUs" in lines[0] and "2026-01-02" in lines[0] and lines[0].endswith("Load average at the end: 3.2, 2.5, 1.0.")
    rows = [line for line in lines if line.startswith("| ") and "---" not in line][1:]
    assert rows == [
        "| Build \\| overhead | 1.10× | ≤ 1.25× | pass |",
        "| Check | 3 s | ≤ 2 s | **FAIL** |",
        "| Easy Read | not available in this build | ≤ 100 KB | not available in this build |",
    ]


def test_readme_table_is_replaced_between_markers_and_nothing_else_changes(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nBefore.\n\n{report.START}\nold table\n{report.END}\n\nAfter.\n", encoding="utf-8")
    report.write_readme(readme, RESULTS)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\nBefore.\n\n" + report.START + "\n")
    assert text.endswith(report.END + "\n\nAfter.\n")
    assert "old table" not in text and text.count(report.START) == 1
    report.write_readme(readme, RESULTS)
    assert readme.read_text(encoding="utf-8") == text


def test_markers_are_added_when_missing():
    text = report.replace_between_markers("# Title\n", "table")
    assert text == f"# Title\n\n{report.START}\ntable\n{report.END}\n"


def test_profiled_time_is_counted_by_package_and_the_make_target_is_found():
    import bench
    import profile_build

    assert profile_build.package("/w/src/clearplan/site/render.py") == "clearplan"
    assert profile_build.package("/w/.venv/lib/python3.11/site-packages/markdown/core.py") == "markdown"
    assert profile_build.package("/usr/lib/python3.11/html/parser.py") == "Python: html.parser"
    assert profile_build.package("/usr/lib/python3.11/importlib/__init__.py") == "Python: importlib"
    assert bench.has_make_target("test") and not bench.has_make_target("no-such-target")


def test_profile_summary_counts_own_time_by_package_and_lists_a_wrapped_call_once():
    import profile_build

    class Stats:  # what pstats.Stats holds: (calls, primitive calls, own s, cumulative s, callers) by function
        stats = {
            ("/w/src/clearplan/mkdocs/plugin.py", 1, "on_config"): (1, 1, 0.1, 1.0, {}),
            ("/w/src/clearplan/mkdocs/plugin.py", 2, "_configure"): (1, 1, 0.2, 0.99, {}),
            ("/w/src/clearplan/site/render.py", 3, "page"): (1, 1, 0.5, 0.5, {}),
            ("/w/.venv/lib/python3.11/site-packages/yaml/composer.py", 4, "compose"): (1, 1, 0.4, 0.4, {}),
            ("~", 0, "<method 'match' of 're.Pattern' objects>"): (
                1,
                1,
                0.3,
                0.3,
                {("/w/.venv/lib/python3.11/site-packages/yaml/scanner.py", 5, "scan"): (1, 1, 0.3, 0.3)},
            ),
        }

    assert profile_build.summary(Stats(), 5) == {  # type: ignore[arg-type]
        "total_s": 1.5,
        "packages": [{"package": "clearplan", "own_s": 0.8, "share": 0.533}, {"package": "yaml", "own_s": 0.7, "share": 0.467}],
        "clearplan": [
            {"function": "mkdocs/plugin.py:1(on_config)", "cumulative_s": 1.0},
            {"function": "site/render.py:3(page)", "cumulative_s": 0.5},
        ],
    }


def test_the_profile_summary_follows_the_table():
    profile = {
        "factor": 10,
        "total_s": 9.5,
        "packages": [{"package": "markdown", "own_s": 3.0, "share": 0.316}],
        "clearplan": [{"function": "checks/check.py:18(check_plan)", "cumulative_s": 0.44}],
    }
    assert report.table({**RESULTS, "profile": profile}).splitlines()[-1] == (
        "Profile of one 10× build (cProfile, 9.5 s with the profiler's overhead): own time by package: markdown 32%. "
        "clearplan's costliest calls (nested calls included): `checks/check.py:18(check_plan)` 0.44 s."
    )


def test_lighthouse_is_served_pages_compressed_as_a_real_host_would(tmp_path):
    import gzip
    import urllib.request

    from browser_support import serve

    (tmp_path / "index.html").write_text("<p>" + "plan " * 500 + "</p>\n", encoding="utf-8")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG not text")
    with serve(tmp_path, compress=True) as base:
        page = urllib.request.urlopen(urllib.request.Request(base, headers={"Accept-Encoding": "gzip"}))
        picture = urllib.request.urlopen(urllib.request.Request(base + "picture.png", headers={"Accept-Encoding": "gzip"}))
        plain = urllib.request.urlopen(base)
        assert page.headers["Content-Encoding"] == "gzip" and page.headers["Content-Type"] == "text/html"
        body = page.read()
        assert len(body) < 200 and gzip.decompress(body) == (tmp_path / "index.html").read_bytes()
        assert picture.headers["Content-Encoding"] is None and picture.read() == b"\x89PNG not text"
        assert plain.headers["Content-Encoding"] is None and plain.read() == (tmp_path / "index.html").read_bytes()
