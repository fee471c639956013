"""Which data file lies behind each page, so "Edit this page" opens the YAML, not the Markdown.

Officers change the plan by editing data files; the Markdown pages only call the renderer.
This module must not import mkdocs: the plugin turns the mapping into each page's edit URL.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Iterable
from urllib.parse import quote, urljoin

from ..plan.sections import SECTIONS, edit_file, workstream_page


def page_data_files(data_dir: Path, sources: Iterable[str], workstream_files: dict[str, str], easy_read_sources: dict[str, str]) -> dict[str, str]:
    """Page source path -> data file path relative to `data_dir` (a folder ends with '/'), for
    every page the sections map names.

    `sources` are the data files the plan was read from; `workstream_files` is PlanView.files
    (workstream id -> its file); `easy_read_sources` maps an Easy Read page to the file its words
    are in (PlanView.easy_read).
    """

    def relative(path: str) -> str:
        return Path(os.path.relpath(path, data_dir)).as_posix()

    plan_files = {relative(path) for path in sources}
    pages = {section.page: edit_file(section, plan_files) for section in SECTIONS}
    for workstream_id, path in workstream_files.items():
        pages[workstream_page(workstream_id)] = relative(path)
    # A generated Easy Read twin restates its standard page's data.
    pages.update({s.easy_read_twin.page: pages[s.page] for s in SECTIONS if s.easy_read_twin})
    pages.update({page: relative(path) for page, path in easy_read_sources.items()})
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
