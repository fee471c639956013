"""The mkdocs-macros module: pages call `{{ clearplan_page("name") }}` to render a part of the plan.

The plan comes from the clearplan plugin where the generator runs it (MkDocs, its forks), else from
the build `clearplan build` prepared (a generator that runs no third-party plugin, e.g. Zensical).
With neither, the build stops: a page must never be published from unchecked data."""

from __future__ import annotations

import functools
import html
import os
from pathlib import Path

from clearplan.cli.prepared_site import BUILD_STATE_VARIABLE, BuildState, GeneratedPage, SiteError
from clearplan.site.render import Renderer

NOT_PREPARED = (
    "clearplan: the clearplan plugin did not run and this is not a build prepared by `clearplan build`: "
    "this generator skips plugins, so build the site with `clearplan build --generator NAME`"
)


@functools.cache
def _prepared(state_file: str) -> tuple[Renderer, dict[str, GeneratedPage]]:
    """The prepared build's renderer and pages, made once per process (Zensical calls define_env per page)."""
    state = BuildState.read(Path(state_file))
    try:
        return state.prepare().renderer, state.pages
    except SiteError as error:
        raise SiteError(f"clearplan: {error}") from None


def _plugin(conf):
    """The clearplan plugin's instance when the generator ran it, else None."""
    plugins = getattr(conf, "plugins", None)
    plugin = plugins.get("clearplan") if plugins is not None and hasattr(plugins, "get") else None
    return plugin if plugin is not None and hasattr(plugin, "renderer") else None


def define_env(env) -> None:
    plugin = _plugin(env.conf)
    if plugin is not None:
        # The plugin finds its pages once MkDocs has read the docs folder, after this runs.
        renderer, generated = plugin.renderer, lambda: plugin.generated
    elif os.environ.get(BUILD_STATE_VARIABLE):
        renderer, pages = _prepared(os.environ[BUILD_STATE_VARIABLE])
        generated = lambda: pages
    else:
        raise SiteError(NOT_PREPARED)

    @env.macro
    def clearplan_page(name: str, ws: str | None = None, easy_read: str | None = None, tag: str | None = None) -> str:
        """Render page template `name`; `ws` names the workstream for workstream pages,
        `easy_read` the key of the Easy Read page (see clearplan.checks.easy_read)."""
        url = env.page.url or ""
        depth = url.count("/")
        context = {"root": "../" * depth, "page_path": url.strip("/") or "home"}
        if ws is not None:
            context["ws"] = renderer.view.workstream(ws)
        if tag is not None:  # a principle's or theme's id, for its "What serves this" page
            context["tag"] = renderer.view.tags[tag]
        if easy_read is not None:
            context["page"] = renderer.view.easy_read[easy_read]
        return renderer.page(name, **context)

    @env.macro
    def clearplan_page_title() -> str:
        """The title of a page clearplan adds (see clearplan_generated_page), escaped: the theme
        prints page titles as HTML, in the header and the nav."""
        return html.escape(generated()[_source_path(env.page)].title)

    @env.macro
    def clearplan_generated_page() -> str:
        """The whole source of a page clearplan adds: the page is found by its path, so its source
        names no plan data (see prepared_site.GENERATED_PAGE_SOURCE)."""
        page = generated()[_source_path(env.page)]
        if plugin is None:
            # Zensical titles a page from the nav or its front matter, else from its file name; it
            # renders a title with Jinja's delimiters as a template, so the title is a call, never plan text.
            env.page.title = "{{ clearplan_page_title() }}"
        return clearplan_page(page.template, ws=page.workstream, easy_read=page.easy_read, tag=page.tag)


def _source_path(page) -> str:
    """The page's source path relative to the docs folder: MkDocs' page.file.src_uri, Zensical's page.path."""
    file = getattr(page, "file", None)
    return file.src_uri if file is not None else Path(page.path).as_posix()
