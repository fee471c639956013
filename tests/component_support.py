"""The components' named examples (src/clearplan/site/templates/components/examples.yaml), rendered
with the Renderer alone (no MkDocs), and a page that shows one with the site's own stylesheets."""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import material
import yaml

from clearplan.checks.check import check_plan
from clearplan.site.render import TEMPLATE_PACKAGE_DIR, THEME_DIR, PlanView, Renderer

ROOT = Path(__file__).resolve().parent.parent
COMPONENTS = TEMPLATE_PACKAGE_DIR / "components"
EXAMPLES = COMPONENTS / "examples.yaml"
STYLESHEETS = [
    *sorted((Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("*.min.css")),
    *(THEME_DIR / "assets" / "stylesheets" / name for name in ("clearplan.css", "clearplan-sections.css", "charts.css")),
]


@dataclass(frozen=True)
class Example:
    component: str
    name: str
    html: str  # the component as rendered
    renderer: Renderer
    page_path: str | None


@cache
def renderer(plan: str) -> Renderer:
    loaded = check_plan(ROOT / plan)
    assert loaded.data is not None, [str(p) for p in loaded.problems.errors]
    return Renderer(PlanView(loaded.data, loaded.files))


def examples() -> list[Example]:
    rendered = []
    for component, named in yaml.safe_load(EXAMPLES.read_text(encoding="utf-8")).items():
        for example in named:
            plan = renderer(example["plan"])
            worked_out = {
                name: plan.env.compile_expression(expression)(view=plan.view, plan=plan.view.plan, charts=plan.charts)
                for name, expression in example.get("from_plan", {}).items()
            }
            page_path = example.get("page_path")
            text = plan.render(f"components/{component}.html", root="", page_path=page_path, **example.get("with", {}), **worked_out)
            rendered.append(Example(component, example["name"], text, plan, page_path))
    return rendered


@cache
def _styles() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in STYLESHEETS)


def page(example: Example, scheme: str = "default") -> str:
    """A whole page holding the example in Material's content column, as the site would show it."""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(example.name)}</title><style>{_styles()}</style></head>"
        f'<body dir="ltr" data-md-color-scheme="{scheme}" data-md-color-primary="indigo" data-md-color-accent="indigo">'
        f'<div class="md-container"><main class="md-main"><div class="md-main__inner md-grid"><div class="md-content">'
        f'<article class="md-content__inner md-typeset"><h1>{html.escape(example.name)}</h1>'
        f"<p>Body text, to compare sizes with.</p>\n{example.html}</article></div></div></main></div></body></html>"
    )
