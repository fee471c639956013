"""The MkDocs adapter: checks the plan once per build, adds a page per workstream, and hands the
rendered parts to mkdocs-macros. The only module besides `mkdocs_macros` that imports mkdocs."""

from __future__ import annotations

import html
import json
import logging
import os
from pathlib import Path

from mkdocs.config import base, config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .check import check_plan
from .render import MemoryBytecodeCache, PlanView, Renderer

log = logging.getLogger("mkdocs.plugins.clearplan")

WORKSTREAM_INDEX = "workstreams/index.md"

# The theme's compiled templates, kept across the rebuilds of `mkdocs serve` (see MemoryBytecodeCache).
THEME_BYTECODE = MemoryBytecodeCache()


class ClearplanConfig(base.Config):
    data_dir = config_options.Type(str, default="data")


class ClearplanPlugin(BasePlugin[ClearplanConfig]):
    view: PlanView
    renderer: Renderer

    def on_config(self, config):
        site_dir = Path(config.config_file_path).parent
        data_dir = site_dir / self.config.data_dir
        shown = Path(os.path.relpath(data_dir)) if data_dir.is_absolute() else data_dir
        if not data_dir.is_dir():
            raise PluginError(f"clearplan: no data directory at {shown}")
        loaded = check_plan(shown)
        problems = loaded.problems.sorted()
        errors = [p for p in problems if p.severity == "error"]
        for problem in problems:
            if problem.severity == "warning":
                log.info(str(problem))
        if errors or loaded.data is None:
            raise PluginError(f"clearplan: the plan data has {len(errors)} error(s):\n" + "\n".join(str(p) for p in errors))
        self.view = PlanView(loaded.data, loaded.files)
        custom_dir = config.theme.custom_dir
        self.renderer = Renderer(self.view, [Path(custom_dir) / "clearplan"] if custom_dir else [])
        if config.nav:
            self._add_workstreams_to_nav(config.nav)
        return config

    def _pages(self) -> list[tuple[str, str]]:
        # MkDocs puts titles into pages as HTML, so text from YAML is escaped here.
        return [(f"workstreams/{ws.id}.md", html.escape(self.view.workstream_label(ws))) for ws in self.view.workstreams]

    def _add_workstreams_to_nav(self, nav: list) -> None:
        for item in nav:
            section = next(iter(item.values())) if isinstance(item, dict) else None
            if isinstance(section, list) and WORKSTREAM_INDEX in section:
                at = section.index(WORKSTREAM_INDEX) + 1
                section[at:at] = [{title: path} for path, title in self._pages()]
                return

    def on_files(self, files: Files, config) -> Files:
        for (path, title), ws in zip(self._pages(), self.view.workstreams):
            content = f"---\ntitle: {json.dumps(title)}\n---\n{{{{ clearplan_page('workstream', ws='{ws.id}') }}}}\n"
            files.append(File.generated(config, path, content=content))
        return files

    def on_env(self, env, config, files):
        # MkDocs makes a new theme environment per build; without this `mkdocs serve` recompiles
        # every Material template on every edit. A changed template still recompiles.
        if env.bytecode_cache is None:
            env.bytecode_cache = THEME_BYTECODE
        return env
