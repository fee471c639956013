"""The generator is a replaceable part: `clearplan build` builds both bundled plans with MkDocs 1.6,
with the maintained fork mkdocs-ng, and with Zensical, and each site has the MkDocs 1.6 + Material 9
build's pages, with the same headings, tables and figures, its Easy Read pages and downloads, valid HTML and no
axe violation. A generator that skips clearplan's plugin run on its own fails loudly.

mkdocs-ng and Zensical come from build/generators-venv (`make generators`)."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browser_support import axe_violations, describe, serve, site_pages, start_axe
from clearplan.cli.cli import main
from conftest import ROOT
from html_checker_support import html_errors

GENERATORS_PYTHON = Path(os.environ.get("CLEARPLAN_GENERATORS_PYTHON", ROOT / "build" / "generators-venv" / "bin" / "python"))
CONFIGS = {"kingston": ROOT / "mkdocs.yml", "cambridgeshire": ROOT / "examples" / "cambridgeshire" / "mkdocs.yml"}
GENERATORS = ["mkdocs", "mkdocs-ng", "zensical"]
# What the generators print as a page's generator; checked so a build cannot pass with the wrong one.
GENERATOR_META = {"mkdocs": "mkdocs-1.6.1", "mkdocs-ng": "mkdocs-1.8.0", "zensical": "zensical-0.0.73"}


def clearplan_build(
    config: Path, generator: str, site_dir: Path | None = None, stage: Path | None = None, python: str | None = None
) -> tuple[int, str]:
    """`clearplan build` in this process (the generator runs in its own), so coverage sees it: (exit status, stderr)."""
    python = python or (sys.executable if generator == "mkdocs" else str(GENERATORS_PYTHON))
    folders = (["--site-dir", str(site_dir)] if site_dir else []) + (["--stage", str(stage)] if stage else [])
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = main(["build", "--config", str(config), "--generator", generator, "--python", python, *folders])
    return status, stderr.getvalue()


@pytest.fixture(scope="session")
def generator_sites(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Each bundled plan built once with each generator by `clearplan build`."""
    if not GENERATORS_PYTHON.exists():
        pytest.fail(f"no {GENERATORS_PYTHON}: run `make generators` (make test does)")
    sites = {}
    for plan, config in CONFIGS.items():
        for generator in GENERATORS:
            work = tmp_path_factory.mktemp(f"{plan}-{generator}")
            started = time.perf_counter()
            status, errors = clearplan_build(config, generator, work / "site", work / "stage")
            assert status == 0, errors
            print(f"clearplan build --generator {generator} built {plan} in {time.perf_counter() - started:.1f} s")
            sites[plan, generator] = work / "site"
    return sites


@pytest.fixture(scope="session")
def reference_sites(request) -> dict[str, Path]:
    """The MkDocs 1.6 + Material 9 builds the rest of the tests read (conftest's site fixtures)."""
    return {"kingston": request.getfixturevalue("site"), "cambridgeshire": request.getfixturevalue("cambridgeshire_site")}


def _text(node) -> str:
    return " ".join(node.get_text(" ").split())


@functools.cache
def page_content(page: Path) -> dict[str, list]:
    """What a reader sees of a page's content: its headings, each table's caption and cells, each figure's text."""
    article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article.md-content__inner")
    assert article is not None, page
    return {
        "headings": [_text(h) for h in article.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])],
        "tables": [[_text(cell) for cell in table.find_all(["caption", "th", "td"])] for table in article.find_all("table")],
        "figures": [_text(figure) for figure in article.find_all("figure")],
    }


def downloads(site: Path) -> dict[str, bytes]:
    files = {path.relative_to(site).as_posix(): path.read_bytes() for path in (site / "data").rglob("*") if path.is_file()}
    return files | {"feed.xml": (site / "feed.xml").read_bytes()}


@pytest.mark.parametrize("generator", GENERATORS)
@pytest.mark.parametrize("plan", list(CONFIGS))
def test_each_generator_builds_the_same_pages_tables_figures_and_downloads(generator_sites, reference_sites, plan, generator):
    site, reference = generator_sites[plan, generator], reference_sites[plan]
    pages = site_pages(reference)
    assert site_pages(site) == pages
    assert f'<meta name="generator" content="{GENERATOR_META[generator]}' in (site / "index.html").read_text(encoding="utf-8")
    differing = [path for path in pages if page_content(site / path / "index.html") != page_content(reference / path / "index.html")]
    assert differing == []
    tables = sum(len(page_content(reference / path / "index.html")["tables"]) for path in pages)
    assert tables >= (40 if plan == "kingston" else 15), tables  # the comparison compared something
    easy_read = [path for path in pages if path.startswith("easy-read/")]
    assert "easy-read/" in easy_read and len(easy_read) >= 8
    assert downloads(site) == downloads(reference)
    assert {"data/plan.json", "data/plan.xlsx", "data/plan.schema.json", "feed.xml"} <= set(downloads(site))
    assert len([name for name in downloads(site) if name.endswith(".csv")]) >= 15


@pytest.mark.parametrize("generator", ["mkdocs-ng", "zensical"])
@pytest.mark.parametrize("plan", list(CONFIGS))
def test_axe_finds_no_violation_on_any_page_of_each_generator(generator_sites, browser, plan, generator):
    """Every page, light scheme at 1280 px (the MkDocs build is tested in all four in test_accessibility),
    four pages at once, each in its own tab."""
    site = generator_sites[plan, generator]
    paths = site_pages(site)
    failures = []
    with serve(site) as url:
        tabs = [browser.new_page() for _ in range(4)]
        try:
            for at in range(0, len(paths), len(tabs)):
                batch = list(zip(tabs, paths[at : at + len(tabs)]))
                for tab, path in batch:
                    tab.goto(url + path)
                    start_axe(tab)
                for tab, path in batch:
                    violations = axe_violations(tab)
                    if violations:
                        failures.append(f"/{path}:\n{describe(violations)}")
        finally:
            for tab in tabs:
                tab.close()
    assert len(paths) >= 20 and not failures, "\n".join(failures)


@pytest.mark.parametrize("generator", ["mkdocs-ng", "zensical"])
@pytest.mark.parametrize("plan", list(CONFIGS))
def test_every_page_of_each_generator_is_valid_html(generator_sites, plan, generator):
    """The Nu HTML Checker on every page (the MkDocs build is checked in test_validators)."""
    site = generator_sites[plan, generator]
    pages = sorted(site.rglob("*.html"))
    errors = html_errors(site, pages)
    assert len(pages) >= 20 and errors == [], f"{len(errors)} errors on {len(pages)} pages:\n" + "\n".join(errors[:40])


def copy_plan(folder: Path) -> None:
    """The Kingston plan's own files, copied to `folder` (a generator run in the checkout would write its site there)."""
    for name in ("mkdocs.yml", "docs", "data", "overrides"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, folder / name)


def test_zensical_run_on_its_own_stops_with_a_clear_error(tmp_path):
    """Zensical runs no third-party plugin and says nothing when it skips one: the pages' macros stop it."""
    copy_plan(tmp_path)
    result = subprocess.run(
        [str(GENERATORS_PYTHON), "-m", "zensical", "build", "--strict", "-f", "mkdocs.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={k: v for k, v in os.environ.items() if k != "CLEARPLAN_BUILD"},
    )
    assert result.returncode != 0
    assert (
        "clearplan: the clearplan plugin did not run and this is not a build prepared by `clearplan build`: this generator skips "
        "plugins, so build the site with `clearplan build --generator NAME`"
    ) in result.stdout + result.stderr


def test_clearplan_build_stops_on_a_data_error_before_any_generator_runs(tmp_path):
    copy_plan(tmp_path)
    plan = tmp_path / "data" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("council: rbk\n", "council: nobody\n"), encoding="utf-8")
    status, errors = clearplan_build(tmp_path / "mkdocs.yml", "zensical", tmp_path / "site", tmp_path / "stage")
    assert status == 1
    assert errors.startswith("clearplan: the plan data has 1 error(s):\n")
    assert "plan.yaml:" in errors and "council: 'nobody' is not one of the organisations" in errors
    assert not (tmp_path / "site").exists() and not (tmp_path / "stage").exists()


def test_clearplan_build_names_a_generator_that_is_not_installed(tmp_path):
    status, errors = clearplan_build(CONFIGS["kingston"], "zensical", tmp_path / "z", tmp_path / "zs", python=sys.executable)
    assert status == 1
    assert errors == (f"clearplan: zensical is not installed in the Python at {sys.executable} (`make generators` installs mkdocs-ng and zensical)\n")


def test_zensical_prints_a_generated_pages_title_as_text(tmp_path):
    """Zensical, like MkDocs, prints page titles as HTML in the header and the nav: the title macro
    escapes the plan's text, and Jinja in it stays text. Built with the default stage and site folders."""
    copy_plan(tmp_path)
    workstream = tmp_path / "data" / "workstreams" / "01-participation.yaml"
    workstream.write_text(
        workstream.read_text(encoding="utf-8").replace(
            "title: Participation, Engagement and Co-production\n", 'title: "Participation <i>x</i> {{ 7*7 }} <script>alert(1)</script>"\n'
        ),
        encoding="utf-8",
    )
    status, errors = clearplan_build(tmp_path / "mkdocs.yml", "zensical")
    assert status == 0, errors
    assert (tmp_path / "build" / "stage" / "zensical" / "mkdocs.yml").is_file()
    for page in ("workstreams/participation/index.html", "index.html"):
        built = (tmp_path / "site" / page).read_text(encoding="utf-8")
        assert "<script>alert" not in built and "<i>x" not in built
        assert "Workstream 1: Participation &lt;i&gt;x&lt;/i&gt; {{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt;" in built
