"""Which data file lies behind each page, so "Edit this page" opens the YAML, not the Markdown.

Officers change the plan by editing data files; the Markdown pages only call the renderer.
This module must not import mkdocs: the plugin turns the mapping into each page's edit URL.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from urllib.parse import quote, urljoin

# Fixed pages (their path under docs/) -> the data file, relative to the data directory.
PAGE_FILES = {
    "index.md": "plan.yaml",
    "about.md": "plan.yaml",
    "finance.md": "finance.yaml",
    "figures-check.md": "finance.yaml",
    "glossary.md": "glossary.yaml",
    "workstreams/index.md": "workstreams/",
    "measures.md": "workstreams/",
    "risks.md": "workstreams/",
    "dashboard.md": "workstreams/",
    "what-changed.md": "plan.yaml",
    "you-said.md": "you-said.yaml",
    "accessibility.md": "accessibility.yaml",
}


def page_data_files(workstream_files: dict[str, str], data_dir: Path) -> dict[str, str]:
    """Page source path -> data file path relative to `data_dir` (a folder ends with '/').

    `workstream_files` is PlanView.files: workstream id -> its file path.
    """
    pages = dict(PAGE_FILES)
    for workstream_id, path in workstream_files.items():
        pages[f"workstreams/{workstream_id}.md"] = Path(os.path.relpath(path, data_dir)).as_posix()
    # An Easy Read page's words live in the same file as the standard page it explains.
    pages.update({f"easy-read/{page}": data_file for page, data_file in list(pages.items())})
    return pages


def edit_url(repo_url: str, edit_uri: str, docs_dir: Path, data_dir: Path, data_file: str) -> str:
    """The URL that opens `data_file` for editing: the site's edit_uri points into docs/, so
    the data file is reached relative to docs/ (../data/plan.yaml), then normalised.

    A folder (workstreams/) is opened in the browse view, since no single file holds the page.
    The path is %-encoded: a file name is data, and a quote in it must not end the link's href.
    """
    relative = quote(posixpath.join(Path(os.path.relpath(data_dir, docs_dir)).as_posix(), data_file))
    if data_file.endswith("/"):
        edit_uri = edit_uri.replace("edit/", "tree/", 1)
    base = urljoin(repo_url.rstrip("/") + "/", edit_uri)
    return urljoin(base if base.endswith("/") else base + "/", relative)
