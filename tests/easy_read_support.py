"""Checks of a built Easy Read page, shared by the tests of both bundled plans."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from clearplan.checks.easy_read import EasyReadPage


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(element) -> str:
    """The words a reader sees, with inline elements (bold, links) read in place."""
    return re.sub(r"\s+", " ", element.get_text()).strip()


def assert_every_point_has_one_picture_with_its_alt_text(site: Path, page: EasyReadPage) -> None:
    """The built page shows each point beside exactly one picture, with the point's alt text, and
    explains each hard word, which is in bold in a point."""
    article = soup(site, page.url).select_one("article")
    rows = article.select("ul.er-points > li.er-row")
    assert len(rows) == len(page.easy_read.points), page.url
    for row, point in zip(rows, page.easy_read.points):
        images = row.find_all("img")
        assert len(images) == 1, (page.url, point.text)
        assert images[0]["alt"] == point.alt
        assert (site / page.url / images[0]["src"]).resolve().is_file()
        assert text(row) == re.sub(r"\*\*", "", point.text)
    for hard in page.easy_read.hard_words:  # each hard word is in bold in a point, and explained on the page
        assert hard.word in [text(b) for b in article.select(".er-row strong")], (page.url, hard.word)
    terms = article.select_one("dl.er-hard-words")
    if page.easy_read.hard_words:
        pairs = [(text(dt), text(dt.find_next_sibling("dd"))) for dt in terms.find_all("dt")]
        assert pairs == [(h.word, h.meaning) for h in page.easy_read.hard_words]


def assert_standard_and_easy_read_pages_link_to_each_other_near_the_top(site: Path, page: EasyReadPage) -> None:
    """ "Easy Read version" on the standard page and "Standard version" on the Easy Read page, each
    straight after the page's main heading, each leading to the other."""
    standard = soup(site, page.standard_url).select_one("article")
    easy = soup(site, page.url).select_one("article")
    to_easy = standard.find("a", string="Easy Read version")
    to_standard = easy.find("a", string="Standard version")
    assert to_easy is not None and to_standard is not None, page.url
    assert (site / page.standard_url / to_easy["href"]).resolve() == (site / page.url).resolve()
    assert (site / page.url / to_standard["href"]).resolve() == (site / page.standard_url).resolve()
    # Near the top: straight after the page's main heading.
    assert standard.h1.find_next("p").find("a") is to_easy
    assert easy.h1.find_next("p").find("a") is to_standard
