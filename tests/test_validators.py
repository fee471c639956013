"""The checkers a council's accessibility auditor runs, on both bundled plans: PDF/UA-1
(page-validation) on every print pack, and the Nu HTML Checker on every built page, Easy Read
pages included. A validator's pass is not enough on its own, so the PDF's structure tree is also
read against the HTML it was printed from: headings in reading order, every picture and chart a
Figure with its alternative text, every table header cell scoped as in the HTML."""

from __future__ import annotations

import re
from pathlib import Path

import page as page_validation
import pikepdf
import pytest
from bs4 import BeautifulSoup

from clearplan.checks.easy_read import PICTURES_DIR, easy_read_pages
from clearplan.outputs import pdf_ua
from clearplan.outputs.print_pack import easy_read_document, plan_document
from conftest import BUNDLED, PLAN_DATA, ROOT
from html_checker_support import html_errors
from pdf_support import attributes, renderer_for, struct_elements

PACKS = [(plan, pack) for plan in BUNDLED for pack in ("plan", "easy-read")]


@pytest.fixture(scope="module")
def printed_from():
    """The HTML each pack is printed from, per plan and pack."""
    documents = {}
    for plan in BUNDLED:
        renderer = renderer_for(PLAN_DATA[plan], ROOT)
        documents[plan] = {
            "plan": plan_document(renderer, PLAN_DATA[plan].parent / "docs").html(renderer),
            "easy-read": easy_read_document(renderer, PICTURES_DIR).html(renderer),
        }
    return documents


def squeezed(text: str) -> str:
    # Chromium drops the space where a line wraps; compare words without their spacing.
    return re.sub(r"\s", "", text)


@pytest.mark.parametrize("plan, pack", PACKS)
def test_pack_passes_pdf_ua_1(print_packs, plan, pack):
    report = page_validation.validate_pdf(str(print_packs(plan)[pack].path), profile=page_validation.ValidationProfile.PDF_UA_1)
    assert report.checks.failed == 0, "\n".join(f"{f.rule_id}: {f.message}" for f in report.failures)
    assert report.is_compliant
    assert report.to_dict()["rules"]["passed"] > 50, "the profile's rules ran"


@pytest.mark.parametrize("plan, pack", PACKS)
def test_headings_are_in_the_structure_tree_in_reading_order(print_packs, printed_from, plan, pack):
    html = BeautifulSoup(printed_from[plan][pack], "html.parser")
    expected = [(h.name.upper(), squeezed(h.get_text())) for h in html.select("h1, h2, h3, h4, h5, h6")]
    reader = pdf_ua.TextReader()
    with pikepdf.open(print_packs(plan)[pack].path) as pdf:
        found = [(str(e.S)[1:], squeezed(reader.text(e))) for e in pdf_ua.struct_elements(pdf) if re.fullmatch(r"/H[1-6]", str(e.S))]
    assert len(expected) > 10
    assert found == expected


def accessible_name(element, html: BeautifulSoup) -> str:
    if element.get("aria-labelledby"):
        return " ".join(html.find(id=ref).get_text() for ref in element["aria-labelledby"].split())
    if element.get("aria-label"):
        return element["aria-label"]
    if element.name == "img":
        return element["alt"]
    return element.find("figcaption").get_text()


@pytest.mark.parametrize("plan, pack", PACKS)
def test_every_picture_and_chart_is_a_figure_with_its_alternative_text(print_packs, printed_from, plan, pack):
    html = BeautifulSoup(printed_from[plan][pack], "html.parser")
    expected = [" ".join(accessible_name(e, html).split()) for e in html.select("img, figure, [role=img]")]
    with pikepdf.open(print_packs(plan)[pack].path) as pdf:
        figures = struct_elements(pdf, "/Figure")
        assert [" ".join(str(f.get("/Alt", "")).split()) for f in figures] == expected
        # Each Figure stands for something drawn: marked content on a page, in it or in its parts.
        for figure in figures:
            assert any(holds_content(e) for e in [figure, *struct_elements_in(figure)]), str(figure.Alt)
            # A reader hears a Figure's alternative text instead of what is in it: no table may be hidden there.
            assert not [e for e in struct_elements_in(figure) if e.get("/S") == "/Table"], f"a table inside the Figure {figure.Alt}"
    if pack == "easy-read":
        assert len(expected) > 20 and all(expected), "every Easy Read point has a picture with words"


def holds_content(element) -> bool:
    return any(isinstance(kid, int) or (isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid) for kid in pdf_ua.element_kids(element))


def struct_elements_in(element) -> list:
    found = []
    for kid in pdf_ua.element_kids(element):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found += [kid, *struct_elements_in(kid)]
    return found


@pytest.mark.parametrize("plan", BUNDLED)
def test_every_table_keeps_its_header_cells_scoped_as_in_the_html(print_packs, printed_from, plan):
    html = BeautifulSoup(printed_from[plan]["plan"], "html.parser")
    scopes = {"col": "/Column", "row": "/Row"}
    expected = [scopes[th["scope"]] for th in html.select("th")]
    with pikepdf.open(print_packs(plan)["plan"].path) as pdf:
        assert len(struct_elements(pdf, "/Table")) == len(html.select("table")) > 0
        headers = struct_elements(pdf, "/TH")
        assert [str(attributes(th).get("/Scope")) for th in headers] == expected
        assert {str(attributes(th).get("/O")) for th in headers} == {"/Table"}


@pytest.mark.parametrize("plan", BUNDLED)
def test_every_built_page_is_valid_html(request, plan):
    site: Path = request.getfixturevalue("site" if plan == "kingston" else "cambridgeshire_site")
    pages = sorted(site.rglob("*.html"))
    loaded = request.getfixturevalue(plan)
    easy_read = {site / page.url / "index.html" for page in easy_read_pages(loaded.data).values()}
    assert easy_read and easy_read <= set(pages), "the Easy Read pages are among those checked"
    errors = html_errors(site, pages)
    assert errors == [], f"{len(errors)} errors on {len(pages)} pages:\n" + "\n".join(errors[:40])


def test_unicode_maps_are_read_in_each_form_a_cmap_may_use():
    # Chromium's fonts use bfchar and single-target bfrange entries; other producers also use the
    # array form, and a code may stand for several characters (a ligature).
    cmap = b"""2 beginbfchar
<0003> <0020>
<13B1> <00660066>
endbfchar
2 beginbfrange
<0044> <0046> <0061>
<0050> <0051> [<0078> <00790079>]
endbfrange"""
    with pikepdf.new() as pdf:
        font = pikepdf.Dictionary(ToUnicode=pdf.make_stream(cmap))
        mapping = pdf_ua.unicode_map(font)
    assert mapping == {0x03: " ", 0x13B1: "ff", 0x44: "a", 0x45: "b", 0x46: "c", 0x50: "x", 0x51: "yy"}
