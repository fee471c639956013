"""Explain glossary terms where they are used: the first use of each abbreviation on a page is
followed by what it stands for, linked to its glossary entry.

Works on a page's rendered HTML, text between tags only. Headings, captions and table headers
(the names of a region and its cells), links, code and buttons are left alone, so no accessible
name changes and no link is nested in a link. The markup of an explained term is the template `components/term.html`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ..plan.model import GlossaryTerm

# Text inside these elements is never changed (an open one hides everything inside it).
SKIP = {
    "a",
    "abbr",
    "button",
    "caption",
    "code",
    "dt",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "kbd",
    "label",
    "pre",
    "script",
    "style",
    "svg",
    "textarea",
    "title",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# A tag, a comment, or a "<" never closed at the end of the page (its text is left alone too).
TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>|<[^>]*\Z)", re.S)
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)")
# A picture's text alternative is read as one name: links inside it would be nested interactive.
PICTURE = re.compile(r"""\srole=["']img["']""")

RenderTerm = Callable[[GlossaryTerm, str], str]


def term_pattern(terms: Iterable[GlossaryTerm]) -> re.Pattern[str] | None:
    """A pattern for whole-word uses of the terms (an optional plural s), longest first."""
    words = sorted({t.term for t in terms}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(s?)(?![\w-])")


def explain_terms(html: str, terms: list[GlossaryTerm], render: RenderTerm) -> str:
    """`html` with the first use of each term explained by `render(term, text_as_used)`.

    A use written as "(EHCP)" counts as explained already: the words come just before it.
    """
    pattern = term_pattern(terms)
    if pattern is None:
        return html
    by_word = {t.term: t for t in terms}
    explained: set[str] = set()
    skipping: list[str] = []
    out: list[str] = []
    written = 0  # html[:written] is in `out`
    # Tags are read only as far as the last use that may be explained, not to the end of the page:
    # on a long page most of the markup comes after every term's first use, or holds none.
    tags = TOKEN.finditer(html)
    tag = next(tags, None)
    for match in pattern.finditer(html):
        word = match.group(1)
        if word in explained:
            continue
        while tag is not None and tag.end() <= match.start():
            _follow(tag.group(0), skipping)
            tag = next(tags, None)
        if skipping or (tag is not None and tag.start() < match.start()):  # inside a left-alone element, or a tag itself
            continue
        explained.add(word)
        if html[match.start() - 1 : match.start()] == "(":  # "(EHCP)": the words come just before it
            continue
        out += [html[written : match.start()], render(by_word[word], match.group(0))]
        written = match.end()
        if len(explained) == len(by_word):
            break
    out.append(html[written:])
    return "".join(out)


def _follow(tag: str, skipping: list[str]) -> None:
    """Keep `skipping` (the open elements whose text is left alone) up to date past one tag or comment."""
    opened = TAG.match(tag)
    if opened is None:  # a comment
        return
    closing, name = opened.group(1) == "/", opened.group(2).lower()
    if closing and skipping and skipping[-1] == name:
        skipping.pop()
    elif not closing and (skipping or name in SKIP or PICTURE.search(tag)) and name not in VOID and not tag.endswith("/>"):
        skipping.append(name)
