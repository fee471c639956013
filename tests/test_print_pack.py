"""The print packs, read from the printed PDFs: tagged structure, contents with the right page
numbers, bookmarks, footers as artifacts, embedded fonts, working links and nothing off the page.
Both packs are the bundled plan's: the whole plan and its Easy Read version."""

from __future__ import annotations

import re
import shutil
import threading
from collections import Counter

import pikepdf
import pytest

from clearplan.cli.cli import main
from clearplan.checks.easy_read import PICTURES_DIR
from clearplan.outputs.pdf_output import print_document
from clearplan.outputs.print_pack import easy_read_document, plan_document
from clearplan.site.render import PlanView
from pdf_support import (
    font_descriptors,
    font_sizes,
    ink_in_strip,
    marked_text,
    outline_titles,
    page_images,
    page_text,
    renderer_for,
    struct_elements,
    attributes,
)


@pytest.fixture(scope="session")
def packs(print_packs):
    """The bundled plan's two packs, printed once (shared with test_validators)."""
    printed = print_packs("kingston")
    assert list(printed) == ["plan", "easy-read"]
    return printed


@pytest.fixture(scope="session")
def documents(root):
    """The HTML each pack was printed from, to compare the PDF with what went in."""
    renderer = renderer_for(root / "data", root)
    return {"plan": plan_document(renderer, root / "docs").html(renderer), "easy-read": easy_read_document(renderer, PICTURES_DIR).html(renderer)}


PACKS = ["plan", "easy-read"]


@pytest.mark.parametrize("name", PACKS)
def test_pack_is_tagged_titled_and_in_british_english(packs, kingston, name):
    with pikepdf.open(packs[name].path) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        title = kingston.data.plan.title + (": Easy Read" if name == "easy-read" else "")
        assert str(pdf.docinfo["/Title"]) == title
        assert pdf.open_metadata()["dc:title"] == title


@pytest.mark.parametrize("name", PACKS)
def test_cover_shows_title_council_version_and_date(packs, name):
    cover = re.sub(r"\s+", " ", page_text(packs[name].path, 1))
    assert "SEND Futures Plan 2020/21 to 2024/25" in cover
    assert "Royal Borough of Kingston upon Thames" in cover
    assert "Version July 2020 draft (draft)" in cover
    assert "Date 1 July 2020" in cover
    assert "Page 1" not in cover, "the cover has no page number"


@pytest.mark.parametrize("name", PACKS)
def test_contents_lists_every_part_with_the_page_it_starts_on(packs, documents, name):
    path = packs[name].path
    contents = page_text(path, 2)
    entries = re.findall(r"^\s*(\S.*?)\s{2,}(\d+)\s*$", contents, re.M)
    expected = re.findall(r'<span class="cp-toc__title">(.*?)</span>', documents[name])
    assert [title for title, _ in entries] == [re.sub("&amp;", "&", t) for t in expected]
    for title, number in entries:
        first_lines = " ".join(page_text(path, int(number)).split())
        assert first_lines.startswith(title), f"{title!r} is not at the top of page {number}"


@pytest.mark.parametrize("name", PACKS)
def test_every_heading_is_a_bookmark(packs, documents, name):
    with pikepdf.open(packs[name].path) as pdf:
        bookmarks = outline_titles(pdf)
    headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", documents[name], re.S)]
    headings = [h.replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", '"') for h in headings]
    # Chromium drops the space where a heading wraps onto a second line ("andCo-production").
    assert [re.sub(r"\s", "", b) for b in bookmarks] == [re.sub(r"\s", "", h) for h in headings]


@pytest.mark.parametrize("name", PACKS)
def test_every_page_after_the_cover_has_its_number_in_a_footer_artifact(packs, name):
    path = packs[name].path
    with pikepdf.open(path) as pdf:
        total = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            outside, sequences = marked_text(page)
            assert outside == 0, f"page {number}: text outside the structure tree and not an artifact"
            footers = [s for s in sequences if s[0] == "/Artifact" and s[1] == "/Pagination" and s[2] > 0]
            assert bool(footers) == (number > 1), f"page {number}"
    for number in (2, total):
        assert f"Page {number} of {total}" in page_text(path, number)


@pytest.mark.parametrize("name", PACKS)
def test_every_font_is_embedded(packs, name):
    with pikepdf.open(packs[name].path) as pdf:
        fonts = font_descriptors(pdf)
        assert fonts
        for font, descriptor in fonts:
            assert descriptor is not None and {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font


def test_each_table_is_one_table_element_with_scoped_header_cells(packs, documents):
    with pikepdf.open(packs["plan"].path) as pdf:
        tables = struct_elements(pdf, "/Table")
        headers = struct_elements(pdf, "/TH")
        assert len(tables) == documents["plan"].count("<table")
        assert len(headers) == documents["plan"].count("<th ")
        scopes = {str(attributes(th).get("/Scope")) for th in headers}
        assert scopes == {"/Column", "/Row"}
        assert len(pdf.pages) > 20, "tables span pages, yet stay one element each"


def test_tables_repeat_their_header_row_on_each_page(packs):
    path = packs["plan"].path
    pages = [page_text(path, n) for n in range(1, packs["plan"].pages + 1)]
    # The risk register runs over several pages: each starts with the register's header row.
    header = re.compile(r"Risk\s+Workstream\s+What could\s+How we\s+What we do\s+Rating")
    register = [n for n, text in enumerate(pages, start=1) if header.search(text)]
    assert len(register) >= 3
    # Consecutive register pages: the table continued, and its header row came first again.
    continued = [n for n in register if n - 1 in register]
    assert continued
    for n in continued:
        first_line = next(line for line in pages[n - 1].splitlines() if line.strip())
        assert header.search(first_line), f"page {n} does not start with the header row"


@pytest.mark.parametrize("name", PACKS)
def test_links_work(packs, name):
    with pikepdf.open(packs[name].path) as pdf:
        pages = {page.objgen for page in pdf.pages}
        links = 0
        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                if annotation.get("/Subtype") != "/Link":
                    continue
                links += 1
                if "/Dest" in annotation:
                    target = pdf.Root.Dests[str(annotation.Dest)] if isinstance(annotation.Dest, pikepdf.Name) else annotation.Dest
                    assert target[0].objgen in pages
                else:
                    assert re.match(r"(https?|mailto):", str(annotation.A.URI))
        assert links >= len(outline_titles(pdf)) // 10


@pytest.mark.parametrize("name", PACKS)
def test_nothing_runs_off_the_page_and_no_site_navigation(packs, tmp_path, name):
    path = packs[name].path
    for number, image in enumerate(page_images(path, tmp_path), start=1):
        width_mm, height_mm = image.width * 25.4 / 36, image.height * 25.4 / 36
        # Margins are 16 mm at the sides and 18 mm at the top; the footer sits in the bottom margin.
        for strip in [(0, 0, 12, height_mm), (width_mm - 12, 0, width_mm, height_mm), (0, 0, width_mm, 12), (0, height_mm - 6, width_mm, height_mm)]:
            assert ink_in_strip(image, strip) == 0, f"page {number}: ink in the margin {strip}"
    text = "\n".join(page_text(path, n) for n in range(1, packs[name].pages + 1))
    for site_chrome in ("Skip to content", "Switch to dark mode", "Made with", "Search"):
        assert site_chrome not in text


def test_statuses_are_words_in_black(packs, documents, browser, tmp_path):
    text = " ".join(page_text(packs["plan"].path, n) for n in range(1, packs["plan"].pages + 1))
    # Every activity of the bundled plan is "Planned"; the three risk levels are all used.
    for status in ("Planned", "Lead not yet named", "High", "Moderate", "Low"):
        assert status in text
    # As printed: each status and rating is drawn in black, its coloured icon not drawn at all.
    source = tmp_path / "plan.html"
    source.write_text(documents["plan"], encoding="utf-8")
    page = browser.new_page()
    try:
        page.emulate_media(media="print")
        page.goto(source.as_uri())
        drawn = page.eval_on_selector_all(
            ".cp-status, .cp-rating",
            """marks => marks.map(m => ({
            text: m.textContent.trim(), color: getComputedStyle(m).color,
            icons: [...m.querySelectorAll('svg')].map(svg => getComputedStyle(svg).display)}))""",
        )
    finally:
        page.close()
    # The 100 activities, all planned; the 17 risks (6 High, 9 Moderate, 2 Low), each printed in its
    # workstream and again in the risk register.
    assert Counter(mark["text"] for mark in drawn) == {"Planned": 100, "High": 12, "Moderate": 18, "Low": 4}
    for mark in drawn:
        assert mark["color"] == "rgb(0, 0, 0)" and set(mark["icons"]) <= {"none"}, mark


def test_easy_read_pack_is_large_print_and_short(packs):
    with pikepdf.open(packs["easy-read"].path) as pdf:
        assert len(pdf.pages) <= 24
        sizes = [size for page in pdf.pages for size in font_sizes(page)]
    assert sizes and min(sizes) >= 16 - 0.05, f"smallest text {min(sizes):.1f} pt"


def test_easy_read_pictures_sit_left_of_their_words(browser, documents, kingston, tmp_path):
    points = [point for page in PlanView(kingston.data, kingston.files).easy_read.values() for point in page.easy_read.points]
    source = tmp_path / "easy-read.html"
    source.write_text(documents["easy-read"], encoding="utf-8")
    page = browser.new_page()
    try:
        page.emulate_media(media="print")
        page.goto(source.as_uri())
        boxes = page.eval_on_selector_all(
            ".cp-er-point",
            """points => points.map(p => {
            const img = p.querySelector('img').getBoundingClientRect(), text = p.querySelector('.cp-er-point__text').getBoundingClientRect();
            return {imgRight: img.right, textLeft: text.left, imgTop: img.top, imgBottom: img.bottom, textTop: text.top, textBottom: text.bottom};
        })""",
        )
        assert len(boxes) == len(points) > 0
        for box in boxes:
            assert box["imgRight"] <= box["textLeft"]
            assert box["textTop"] < box["imgBottom"] and box["imgTop"] < box["textBottom"], "picture and words on one row"
        assert page.eval_on_selector_all(".cp-er-point img", "imgs => imgs.map(i => i.alt)") == [point.alt for point in points]
        assert page.locator(".cp-er-point strong").count() > 0  # hard words in bold, as on the site
    finally:
        page.close()


def test_printing_again_gives_a_byte_identical_pdf(packs, browser, root, kingston, tmp_path):
    """Identical input, identical bytes: no print time and no random document ID."""
    import hashlib

    renderer = renderer_for(root / "data", root)
    work = tmp_path / "work"
    work.mkdir()
    again = print_document(browser, plan_document(renderer, root / "docs"), renderer, tmp_path, work)
    first = packs["plan"].path.read_bytes()
    assert again.path.read_bytes() == first
    version = kingston.data.plan.version
    with pikepdf.open(again.path) as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == str(pdf.docinfo["/ModDate"]) == "D:" + version.date.replace("-", "")
        with pdf.open_metadata() as meta:
            assert meta["xmp:CreateDate"] == meta["xmp:ModifyDate"] == version.date
        identity = f"{kingston.data.plan.title}\n{version.label}\nplan"
        assert bytes(pdf.trailer.ID[0]) == hashlib.sha256(identity.encode("utf-8")).digest()[:16]
        assert bytes(pdf.trailer.ID[1]) != bytes(pdf.trailer.ID[0])  # the content's digest


def in_own_thread(function, *args):
    """Playwright's sync API allows one driver per thread; the session's browser holds this one."""
    result = []
    thread = threading.Thread(target=lambda: result.append(function(*args)))
    thread.start()
    thread.join()
    return result[0]


def test_pdf_command_reports_each_pack(tmp_path, root, capsys):
    assert (
        in_own_thread(main, ["pdf", "--data", str(root / "data"), "--out", str(tmp_path), "--templates", str(root / "overrides" / "clearplan")]) == 0
    )
    out = capsys.readouterr().out
    assert re.search(r"plan\.pdf: \d+ pages, \d+ KB, printed in [\d.]+ s", out)
    assert re.search(r"easy-read\.pdf: \d+ pages, \d+ KB", out)


def test_pdf_command_explains_bad_input(tmp_path, root, capsys):
    assert main(["pdf", "--data", str(tmp_path / "missing"), "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"clearplan: no data directory at {tmp_path / 'missing'}\n"
    broken = tmp_path / "broken"
    shutil.copytree(root / "data", broken)
    (broken / "plan.yaml").write_text((broken / "plan.yaml").read_text(encoding="utf-8").replace("council: rbk", "council: nobody"), encoding="utf-8")
    assert main(["pdf", "--data", str(broken), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{broken / 'plan.yaml'}:4:10: error: council: 'nobody' is not one of the organisations (afc, ccg, kpcf, rbk)" in err
    assert err.endswith("clearplan: fix the errors in the data first (run 'clearplan check')\n")
    assert main(["pdf", "--data", str(root / "data"), "--out", str(tmp_path), "--pictures", str(tmp_path)]) == 2
    assert re.search(r"Easy Read picture '[a-z-]+' is not in the manifest", capsys.readouterr().err)


def test_a_missing_browser_is_a_clear_error(tmp_path, root, monkeypatch, capsys):
    monkeypatch.setattr("clearplan.outputs.chromium.CHROMIUM", str(tmp_path / "no-chromium"))
    assert in_own_thread(main, ["pdf", "--data", str(root / "data"), "--out", str(tmp_path)]) == 2
    assert f"could not start {tmp_path / 'no-chromium'} (install Debian's chromium, or run `make test`): " in capsys.readouterr().err
