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
TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
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
    if pattern is None or pattern.search(html) is None:
        return html
    by_word = {t.term: t for t in terms}
    explained: set[str] = set()
    skipping: list[str] = []
    out: list[str] = []

    def replace(match: re.Match[str], text: str) -> str:
        word = match.group(1)
        if word in explained:
            return match.group(0)
        explained.add(word)
        if text[max(0, match.start() - 1) : match.start()] == "(":
            return match.group(0)
        return render(by_word[word], match.group(0))

    parts = TOKEN.split(html)
    for index, part in enumerate(parts):
        if len(explained) == len(by_word):  # every term met: the rest of the page stays as it is
            out.extend(parts[index:])
            break
        if not part:
            continue
        if part.startswith("<"):
            tag = TAG.match(part)
            if tag and not part.startswith("<!"):
                closing, name = tag.group(1) == "/", tag.group(2).lower()
                if closing and skipping and skipping[-1] == name:
                    skipping.pop()
                elif not closing and (skipping or name in SKIP or PICTURE.search(part)) and name not in VOID and not part.endswith("/>"):
                    skipping.append(name)
            out.append(part)
        elif skipping:
            out.append(part)
        else:
            out.append(pattern.sub(lambda m, text=part: replace(m, text), part))
    return "".join(out)
