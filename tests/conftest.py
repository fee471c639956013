"""Shared fixtures: the bundled plan, loaded once, and the site built once per test run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clearplan.mkdocs.plugin import TEMPLATE_CACHE_VARIABLE

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# Fixtures that build a site or open a browser: `--fast-only` (used by `make mutation`) leaves out
# the tests that need them, so each mutant is tried against the quick tests only.
SLOW_FIXTURES = {
    "site",
    "cambridgeshire_site",
    "site_url",
    "cambridgeshire_url",
    "browser",
    "bundled",
    "bundled_site",
    "reviewed_site",
    "wheel_install",
}


MUTATION_TEST_SECONDS = 5


def pytest_addoption(parser):
    parser.addoption("--fast-only", action="store_true", help="run only tests that neither build a site nor open a browser")


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--fast-only"):
        return
    slow = [item for item in items if SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if item not in slow]
    # mutmut stops a mutant's run at its first failing test: the quickest tests first (by the times
    # mutmut measured, in the folder it runs the tests in) make most mutants fail in milliseconds.
    # Tests over MUTATION_TEST_SECONDS are left out there: the reader's limits and a stopped diff,
    # which test modules mutmut does not mutate, cost a surviving mutant half a minute each.
    timings = Path("mutmut-stats.json")
    if timings.is_file():
        duration = json.loads(timings.read_text(encoding="utf-8")).get("duration_by_test", {})
        items.sort(key=lambda item: duration.get(item.nodeid, float("inf")))
        long = [item for item in items if duration.get(item.nodeid, 0) > MUTATION_TEST_SECONDS]
        if long:
            config.hook.pytest_deselected(items=long)
            items[:] = [item for item in items if item not in long]


RUNNERS_OWN_FILES = ("__pycache__", ".pytest_cache", ".coverage")


def changed_files() -> set[str] | None:
    """The checkout's changed and untracked files; None when ROOT is not the top of a git checkout
    (a copy of the tree, as `make mutation` runs the tests in, sits inside another's)."""
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=ROOT, capture_output=True, text=True)
    if top.returncode != 0 or Path(top.stdout.strip()).resolve() != ROOT:
        return None
    # Ignored files count too (a cache written into the checkout), but for Python's and pytest's own.
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--ignored"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return {line[3:] for line in status.splitlines() if not any(own in line for own in RUNNERS_OWN_FILES)}


@pytest.fixture(scope="session", autouse=True)
def repository_untouched():
    """Tests write only under their temporary folders: no file of the checkout is changed or added
    by the run (a commit made meanwhile only takes files off the list)."""
    before = changed_files()
    yield
    if before is not None:
        assert not changed_files() - before, f"tests changed files in the repository: {sorted(changed_files() - before)}"


@pytest.fixture(scope="session", autouse=True)
def template_cache(tmp_path_factory):
    """Builds keep their compiled templates in this run's temporary folder, not the checkout's .cache/."""
    folder = tmp_path_factory.mktemp("template-cache")
    previous = os.environ.get(TEMPLATE_CACHE_VARIABLE)
    os.environ[TEMPLATE_CACHE_VARIABLE] = str(folder)
    yield folder
    if previous is None:
        del os.environ[TEMPLATE_CACHE_VARIABLE]
    else:
        os.environ[TEMPLATE_CACHE_VARIABLE] = previous


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def kingston():
    from clearplan.checks.check import check_plan

    loaded = check_plan(ROOT / "data")
    assert loaded.data is not None, [str(p) for p in loaded.problems.errors]
    return loaded


def build_site(config: Path, site_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-f", str(config), "-d", str(site_dir)], capture_output=True, text=True, env=env, timeout=300
    )


def build_in_process(config: Path, site_dir: Path) -> None:
    """`mkdocs build --strict` in this process, so coverage sees the plugin and the renderer."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    build(load_config(config_file=str(config), site_dir=str(site_dir), strict=True))


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The bundled plan's site, built with `mkdocs build --strict`."""
    site_dir = tmp_path_factory.mktemp("site")
    build_in_process(ROOT / "mkdocs.yml", site_dir)
    return site_dir


@pytest.fixture(scope="session")
def cambridgeshire():
    """The second bundled plan, checked (it has warnings, never errors)."""
    from clearplan.checks.check import check_plan

    loaded = check_plan(ROOT / "examples" / "cambridgeshire" / "data")
    assert loaded.data is not None, [str(p) for p in loaded.problems.errors]
    return loaded


@pytest.fixture(scope="session")
def cambridgeshire_site(tmp_path_factory) -> Path:
    """The Cambridgeshire example's site, built with `mkdocs build --strict`."""
    site_dir = tmp_path_factory.mktemp("cambridgeshire-site")
    result = build_site(ROOT / "examples" / "cambridgeshire" / "mkdocs.yml", site_dir)
    assert result.returncode == 0, result.stderr
    return site_dir


@pytest.fixture(scope="session")
def site_url(site):
    """The bundled site served on 127.0.0.1."""
    from browser_support import serve

    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """A browser context in Debian's chromium; tests open their own pages in it."""
    from browser_support import chromium

    with chromium() as context:
        yield context


@pytest.fixture(scope="session")
def cambridgeshire_url(cambridgeshire_site):
    """The Cambridgeshire example's site served on 127.0.0.1."""
    from browser_support import serve

    with serve(cambridgeshire_site) as url:
        yield url


BUNDLED = ["kingston", "cambridgeshire"]
PLAN_DATA = {"kingston": ROOT / "data", "cambridgeshire": ROOT / "examples" / "cambridgeshire" / "data"}


@pytest.fixture(scope="session")
def print_packs(tmp_path_factory, browser):
    """A function giving a bundled plan's print packs, {"plan": PrintedPack, "easy-read": PrintedPack},
    printed with `clearplan pdf`'s code the first time a test asks for that plan."""
    from clearplan.checks.easy_read import PICTURES_DIR
    from clearplan.outputs.pdf_output import make_pdfs
    from pdf_support import renderer_for

    printed: dict[str, dict] = {}

    def packs(plan: str) -> dict:
        if plan not in printed:
            started = time.perf_counter()
            made = make_pdfs(
                renderer_for(PLAN_DATA[plan], ROOT),
                tmp_path_factory.mktemp(f"{plan}-packs"),
                PICTURES_DIR,
                browser,
                docs_dir=PLAN_DATA[plan].parent / "docs",
            )
            print(f"printed {plan}'s {len(made)} packs in {time.perf_counter() - started:.1f} s")
            printed[plan] = {pack.path.stem: pack for pack in made}
        return printed[plan]

    return packs


@pytest.fixture(scope="module", params=BUNDLED)
def bundled(request) -> tuple[str, Path, str]:
    """Each bundled plan's name, built site and address: the accessibility tests hold for both."""
    if request.param == "kingston":
        return "kingston", request.getfixturevalue("site"), request.getfixturevalue("site_url")
    return "cambridgeshire", request.getfixturevalue("cambridgeshire_site"), request.getfixturevalue("cambridgeshire_url")


@pytest.fixture(scope="module", params=BUNDLED)
def bundled_site(request) -> Path:
    """Each bundled plan's built site, for tests that read its HTML."""
    return request.getfixturevalue("site" if request.param == "kingston" else "cambridgeshire_site")
