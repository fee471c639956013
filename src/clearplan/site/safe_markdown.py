"""A small, safe Markdown subset for text from YAML: emphasis, links and lists, never raw HTML."""

from __future__ import annotations

import html
from functools import lru_cache

import markdown
import nh3

ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "br", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

# Building a Markdown converter costs milliseconds (it registers every processor); one is reused,
# reset between texts. Rendering is a pure function of the text, so results are cached too.
_converter = markdown.Markdown(output_format="html")


@lru_cache(maxsize=65536)
def render_markdown(text: str, inline: bool = False) -> str:
    """Markdown to HTML. HTML in the input is shown as text; unsafe links are dropped."""
    body = _converter.reset().convert(html.escape(text, quote=False))
    clean = nh3.clean(body, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_SCHEMES, link_rel=None)
    if inline and clean.startswith("<p>") and clean.endswith("</p>") and clean.count("<p>") == 1:
        return clean[3:-4]
    return clean
