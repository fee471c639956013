"""Print the packs to tagged PDF with Debian's chromium, then finish them with pikepdf.

Why chromium and not WeasyPrint: chromium writes a tagged PDF (structure tree, TH cells with
/Scope, one Table element per table across pages) and bookmarks from headings, and is several
times faster; WeasyPrint writes TH cells without /Scope. Page numbers for the contents list
cannot be known before printing, so each pack is printed, the page of every contents entry is read
back from the PDF's named destinations, and the pack is printed again with the numbers filled in.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .chromium import chromium
from .print_pack import PrintDocument, easy_read_document, kilobytes, plan_document
from ..site.render import Renderer

LANGUAGE = "en-GB"
# Operators that put marks on the page; content outside the structure tree that paints is an artifact.
_PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh"}
_TEXT = {"Tj", "TJ", "'", '"'}


@dataclass(frozen=True)
class PrintedPack:
    path: Path
    pages: int
    seconds: float

    @property
    def kilobytes(self) -> int:
        return kilobytes(self.path.stat().st_size)


def _print(context, html: str, work: Path, target: Path) -> None:
    source = work / f"{target.stem}.html"
    source.write_text(html, encoding="utf-8")
    page = context.new_page()
    try:
        page.goto(source.as_uri(), wait_until="load")
        page.pdf(path=str(target), prefer_css_page_size=True, print_background=True, tagged=True, outline=True)
    finally:
        page.close()


def destination_pages(pdf_path: Path, anchors: list[str]) -> dict[str, int]:
    """The page number (1 = cover) that each in-document link target lands on."""
    import pikepdf

    with pikepdf.open(pdf_path) as pdf:
        index: dict[Any, int] = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        names: Any = pdf.Root.get("/Dests", {})
        found = {}
        for anchor in anchors:
            destination = names.get("/" + anchor)
            if destination is not None:
                found[anchor] = index[destination[0].objgen]
        return found


def _mark_artifacts(pdf, page) -> None:
    """Chromium leaves the running footer and table rules outside marked content. PDF/UA wants all
    such content marked as artifacts, so each unmarked run that paints is wrapped in /Artifact; a run
    with text is the page's running footer (the only text outside the structure tree)."""
    import pikepdf

    instructions = list(pikepdf.parse_content_stream(page))
    out: list = []
    run: list = []
    depth = 0

    def flush() -> None:
        painting = [str(op) for _, op in run if str(op) in _PAINTING]
        balanced = sum(str(op) == "BT" for _, op in run) == sum(str(op) == "ET" for _, op in run)
        if painting and balanced:
            if _TEXT & set(painting):
                properties = pikepdf.Dictionary(Type=pikepdf.Name.Pagination, Subtype=pikepdf.Name.Footer)
                out.append(pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact, properties], pikepdf.Operator("BDC")))
            else:
                out.append(pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC")))
            out.extend(run)
            out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")))
        else:
            out.extend(run)
        run.clear()

    for instruction in instructions:
        op = str(instruction.operator) if hasattr(instruction, "operator") else str(instruction[1])
        if op in ("BDC", "BMC"):
            if depth == 0:
                flush()
            depth += 1
            out.append(instruction)
        elif op == "EMC":
            depth -= 1
            out.append(instruction)
        elif depth == 0:
            run.append(instruction)
        else:
            out.append(instruction)
    flush()
    page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))


def finish(pdf_path: Path, title: str) -> int:
    """Language, title shown by viewers, XMP title, artifacts and what PDF/UA-1 asks beyond chromium's
    tagging (see pdf_ua); returns the number of pages."""
    import pikepdf

    from .pdf_ua import make_conformant

    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        pdf.Root.Lang = pikepdf.String(LANGUAGE)
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        pdf.docinfo["/Title"] = pikepdf.String(title)
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
            meta["dc:language"] = [LANGUAGE]
        for page in pdf.pages:
            _mark_artifacts(pdf, page)
        make_conformant(pdf)
        pages = len(pdf.pages)
        pdf.save(pdf_path)
    return pages


def make_reproducible(pdf_path: Path, identity: str, date: str) -> None:
    """Identical input gives a byte-identical PDF: chromium stamps the time it printed and a random
    document ID. The dates become the plan's version date (`date`, to the day or the month, as the
    plan gives it); the ID's first half is a digest of `identity` (the plan, its version and the
    pack), and qpdf derives the second half from the content."""
    import hashlib

    import pikepdf

    pdf_date = "D:" + date.replace("-", "")
    document_id = pikepdf.String(hashlib.sha256(identity.encode("utf-8")).digest()[:16])
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        pdf.docinfo["/CreationDate"] = pikepdf.String(pdf_date)
        pdf.docinfo["/ModDate"] = pikepdf.String(pdf_date)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                meta[key] = date
        pdf.trailer.ID = pikepdf.Array([document_id, document_id])
        pdf.save(pdf_path, deterministic_id=True)


def print_document(context, document: PrintDocument, renderer: Renderer, out_dir: Path, work: Path) -> PrintedPack:
    """Print, read back the contents' pages, and print again until the numbers are stable."""
    started = time.perf_counter()
    target = out_dir / f"{document.name}.pdf"
    anchors = [anchor for anchor, _ in document.contents]
    for _ in range(3):
        _print(context, document.html(renderer), work, target)
        found = destination_pages(target, anchors)
        missing = [a for a in anchors if a not in found]
        if missing:
            raise RuntimeError(f"{target.name}: chromium wrote no link target for {', '.join(missing)}")
        if found == document.page_numbers:
            break
        document.page_numbers = found
    else:
        raise RuntimeError(f"{target.name}: the contents page numbers did not settle after three printings")
    pages = finish(target, document.title)
    plan = renderer.view.plan
    make_reproducible(target, f"{plan.title}\n{plan.version.label}\n{document.name}", plan.version.date)
    return PrintedPack(target, pages, time.perf_counter() - started)


def make_pdfs(renderer: Renderer, out_dir: Path, pictures_dir: Path, context=None, *, docs_dir: Path) -> list[PrintedPack]:
    """The plan pack (the pages the site in `docs_dir` has) and, when the plan has Easy Read content,
    the Easy Read pack. `context` is a running browser context to print in (the tests share one);
    otherwise chromium is started."""
    out_dir.mkdir(parents=True, exist_ok=True)
    documents = [plan_document(renderer, docs_dir)]
    easy_read = easy_read_document(renderer, pictures_dir)
    if easy_read is not None:
        documents.append(easy_read)
    else:
        (out_dir / "easy-read.pdf").unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="clearplan-print-") as work:
        if context is not None:
            return [print_document(context, document, renderer, out_dir, Path(work)) for document in documents]
        with chromium() as started:
            return [print_document(started, document, renderer, out_dir, Path(work)) for document in documents]
