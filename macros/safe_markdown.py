"""A small, safe Markdown subset for text from YAML: emphasis, links and lists, never raw HTML."""

from __future__ import annotations

import html

import markdown
import nh3

ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "br", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str, inline: bool = False) -> str:
    """Markdown to HTML. HTML in the input is shown as text; unsafe links are dropped."""
    body = markdown.markdown(html.escape(text, quote=False), output_format="html")
    clean = nh3.clean(body, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_SCHEMES, link_rel=None)
    if inline and clean.startswith("<p>") and clean.endswith("</p>") and clean.count("<p>") == 1:
        return clean[3:-4]
    return clean
