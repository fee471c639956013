"""Helpers for tests that change a copy of the plan's data and build a site from it."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, build_site


def copy_data(target: Path) -> Path:
    """A copy of the bundled data/ under `target`; returns the copy's data directory."""
    data = target / "data"
    shutil.copytree(ROOT / "data", data)
    return data


def build_copy(project: Path) -> Path:
    """Build `project/data` with the bundled pages, templates and mkdocs.yml; returns the site."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: docs\n", f"docs_dir: {ROOT / 'docs'}\n", 1)
    config = config.replace("custom_dir: overrides\n", f"custom_dir: {ROOT / 'overrides'}\n", 1)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    site = project / "site"
    result = build_site(project / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr
    return site
