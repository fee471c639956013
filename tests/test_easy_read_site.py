"""The built Easy Read pages, read as a reader sees them."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest

from clearplan.checks.easy_read import PICTURES_DIR, easy_read_pages
from easy_read_support import (
    assert_every_point_has_one_picture_with_its_alt_text,
    assert_standard_and_easy_read_pages_link_to_each_other_near_the_top,
    soup,
    text,
)

ROOT = Path(__file__).resolve().parent.parent
STANDARD = {"home": "", "measures": "measures/", "risks": "risks/", "finance": "finance/", "figures-check": "figures-check/"}
KEYS = [
    "home",
    "partnership-board",
    "participation",
    "joint-commissioning",
    "local-provision",
    "early-intervention",
    "assessment-planning",
    "measures",
    "risks",
    "finance",
    "figures-check",
]


def key_of(name: str) -> str:
    return name if name in STANDARD else f"workstream:{name}"


@pytest.fixture(scope="module")
def pages(kingston):
    return easy_read_pages(kingston.data)


@pytest.mark.parametrize("name", KEYS)
def test_each_easy_read_page_shows_every_point_with_one_picture_and_its_alt_text(site, pages, name):
    assert_every_point_has_one_picture_with_its_alt_text(site, pages[key_of(name)])


@pytest.mark.parametrize("name", KEYS)
def test_standard_and_easy_read_pages_link_to_each_other_near_the_top(site, pages, name):
    assert_standard_and_easy_read_pages_link_to_each_other_near_the_top(site, pages[key_of(name)])


def test_pages_say_they_are_not_yet_checked_while_nobody_has_checked_them(site, pages, kingston):
    assert kingston.data.plan.easy_read_check.checked_by is None
    for page in pages.values():
        assert "Not yet checked by people with learning disabilities" in text(soup(site, page.url).select_one("article"))


def test_easy_read_home_links_to_every_other_easy_read_page_and_is_in_the_nav(site, pages):
    home = soup(site, "easy-read/")
    links = [a["href"] for a in home.select("article ul.er-contents a")]
    assert [urljoin("/easy-read/", href)[1:] for href in links] == [p.url for k, p in pages.items() if k != "home"]
    assert any(text(a) == "Easy Read" for a in soup(site, "").select("nav.md-nav a"))


def test_easy_read_pages_credit_the_picture_set_and_use_only_listed_pictures(site, pages):
    listed = (PICTURES_DIR / "manifest.yaml").read_text(encoding="utf-8")
    for page in pages.values():
        article = soup(site, page.url).select_one("article")
        assert "Pictures from OpenMoji. Licence: CC BY-SA 4.0." in text(article.select_one("footer.er-credits"))
        for image in article.select("img"):
            assert f"file: {Path(image['src']).name}" in listed
