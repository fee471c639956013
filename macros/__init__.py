"""The mkdocs-macros module: pages call `{{ clearplan_page("name") }}` to render a part of the plan."""

from __future__ import annotations


def define_env(env) -> None:
    plugin = env.conf.plugins["clearplan"]

    @env.macro
    def clearplan_page(name: str, ws: str | None = None, easy_read: str | None = None, tag: str | None = None) -> str:
        """Render page template `name`; `ws` names the workstream for workstream pages,
        `easy_read` the key of the Easy Read page (see clearplan.checks.easy_read)."""
        depth = env.page.url.count("/") if env.page.url else 0
        context = {"root": "../" * depth, "page_path": env.page.url.strip("/") or "home"}
        if ws is not None:
            context["ws"] = plugin.view.workstream(ws)
        if tag is not None:  # a principle's or theme's id, for its "What serves this" page
            context["tag"] = plugin.view.tags[tag]
        if easy_read is not None:
            context["page"] = plugin.view.easy_read[easy_read]
        return plugin.renderer.page(name, **context)

    @env.macro
    def clearplan_generated_page() -> str:
        """The whole source of a page the clearplan plugin adds: the page is found by its path, so
        its source names no plan data (see plugin.GENERATED_PAGE_SOURCE)."""
        page = plugin.generated[env.page.file.src_uri]
        return clearplan_page(page.template, ws=page.workstream, easy_read=page.easy_read, tag=page.tag)
