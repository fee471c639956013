"""Shared fixtures: the bundled plan, loaded once, and the site built once per test run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def kingston():
    from clearplan.check import check_plan

    loaded = check_plan(ROOT / "data")
    assert loaded.data is not None, [str(p) for p in loaded.problems.errors]
    return loaded


def build_site(config: Path, site_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-f", str(config), "-d", str(site_dir)],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The bundled plan's site, built with `mkdocs build --strict`."""
    site_dir = tmp_path_factory.mktemp("site")
    result = build_site(ROOT / "mkdocs.yml", site_dir)
    assert result.returncode == 0, result.stderr
    return site_dir


@pytest.fixture(scope="session")
def cambridgeshire():
    """The second bundled plan, checked (it has warnings, never errors)."""
    from clearplan.check import check_plan

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
