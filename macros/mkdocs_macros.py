"""The mkdocs-macros module: pages call `{{ clearplan_page("name") }}` to render a part of the plan."""

from __future__ import annotations


def define_env(env) -> None:
    plugin = env.conf.plugins["clearplan"]

    @env.macro
    def clearplan_page(name: str, ws: str | None = None) -> str:
        """Render page template `name`; `ws` names the workstream for workstream pages."""
        depth = env.page.url.count("/") if env.page.url else 0
        context = {"root": "../" * depth, "page_path": env.page.url.strip("/") or "home"}
        if ws is not None:
            context["ws"] = plugin.view.workstream(ws)
        return plugin.renderer.page(name, **context)
