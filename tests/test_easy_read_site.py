"""The built Easy Read pages, read as a reader sees them."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from clearplan.easy_read import PICTURES_DIR, easy_read_pages

ROOT = Path(__file__).resolve().parent.parent
STANDARD = {"home": "", "measures": "measures/", "risks": "risks/", "finance": "finance/", "figures-check": "figures-check/"}
KEYS = ["home", "partnership-board", "participation", "joint-commissioning", "local-provision", "early-intervention",
        "assessment-planning", "measures", "risks", "finance", "figures-check"]


def key_of(name: str) -> str:
    return name if name in STANDARD else f"workstream:{name}"


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(element) -> str:
    """The words a reader sees, with inline elements (bold, links) read in place."""
    return re.sub(r"\s+", " ", element.get_text()).strip()


@pytest.fixture(scope="module")
def pages(kingston):
    return easy_read_pages(kingston.data)


@pytest.mark.parametrize("name", KEYS)
def test_each_easy_read_page_shows_every_point_with_one_picture_and_its_alt_text(site, pages, name):
    page = pages[key_of(name)]
    article = soup(site, page.url).select_one("article")
    rows = article.select("ul.er-points > li.er-row")
    assert len(rows) == len(page.easy_read.points)
    for row, point in zip(rows, page.easy_read.points):
        images = row.find_all("img")
        assert len(images) == 1
        assert images[0]["alt"] == point.alt
        assert (site / page.url / images[0]["src"]).resolve().is_file()
        assert text(row) == re.sub(r"\*\*", "", point.text)
    for hard in page.easy_read.hard_words:  # each hard word is in bold in a point, and explained on the page
        assert hard.word in [text(b) for b in article.select(".er-row strong")]
    terms = article.select_one("dl.er-hard-words")
    if page.easy_read.hard_words:
        pairs = [(text(dt), text(dt.find_next_sibling("dd"))) for dt in terms.find_all("dt")]
        assert pairs == [(h.word, h.meaning) for h in page.easy_read.hard_words]


@pytest.mark.parametrize("name", KEYS)
def test_standard_and_easy_read_pages_link_to_each_other_near_the_top(site, pages, name):
    page = pages[key_of(name)]
    standard = soup(site, page.standard_url).select_one("article")
    easy = soup(site, page.url).select_one("article")
    to_easy = standard.find("a", string="Easy Read version")
    to_standard = easy.find("a", string="Standard version")
    assert (site / page.standard_url / to_easy["href"]).resolve() == (site / page.url).resolve()
    assert (site / page.url / to_standard["href"]).resolve() == (site / page.standard_url).resolve()
    # Near the top: straight after the page's main heading.
    assert standard.h1.find_next("p").find("a") is to_easy
    assert easy.h1.find_next("p").find("a") is to_standard


def test_pages_say_they_are_not_yet_checked_while_nobody_has_checked_them(site, pages, kingston):
    assert kingston.data.plan.easy_read_check.checked_by is None
    for page in pages.values():
        assert "Not yet checked by people with learning disabilities" in text(soup(site, page.url).select_one("article"))


def test_easy_read_home_links_to_every_other_easy_read_page_and_is_in_the_nav(site, pages):
    home = soup(site, "easy-read/")
    links = [a["href"] for a in home.select("article ul.er-contents a")]
    assert [urljoin("/easy-read/", href)[1:] for href in links] == \
        [p.url for k, p in pages.items() if k != "home"]
    assert any(text(a) == "Easy Read" for a in soup(site, "").select("nav.md-nav a"))


def test_easy_read_pages_credit_the_picture_set_and_use_only_listed_pictures(site, pages):
    listed = (PICTURES_DIR / "manifest.yaml").read_text(encoding="utf-8")
    for page in pages.values():
        article = soup(site, page.url).select_one("article")
        assert "Pictures from OpenMoji. Licence: CC BY-SA 4.0." in text(article.select_one("footer.er-credits"))
        for image in article.select("img"):
            assert f"file: {Path(image['src']).name}" in listed
