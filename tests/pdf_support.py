"""Reading printed PDFs as a checker would: structure tree, fonts, marked content, page images."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import pikepdf
from PIL import Image

from clearplan.checks.check import check_plan
from clearplan.site.render import PlanView, Renderer

TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
MM = 72 / 25.4


def renderer_for(data_dir: Path, root: Path) -> Renderer:
    """The renderer `clearplan pdf` prints a plan's packs with."""
    loaded = check_plan(data_dir)
    assert loaded.data is not None, [str(p) for p in loaded.problems.errors]
    return Renderer(PlanView(loaded.data, loaded.files), [root / "overrides" / "clearplan"])


def struct_elements(pdf: pikepdf.Pdf, kind: str) -> list[pikepdf.Dictionary]:
    """Every structure element of type `kind` (e.g. "/Table"), in document order."""
    found: list = []

    def walk(element) -> None:
        if element.get("/S") == kind:
            found.append(element)
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid)

    for kid in pdf.Root.StructTreeRoot.K if isinstance(pdf.Root.StructTreeRoot.K, pikepdf.Array) else [pdf.Root.StructTreeRoot.K]:
        walk(kid)
    return found


def attributes(element: pikepdf.Dictionary) -> dict:
    merged: dict = {}
    value = element.get("/A")
    for item in value if isinstance(value, pikepdf.Array) else [value] if value is not None else []:
        if isinstance(item, pikepdf.Dictionary):
            merged.update({str(k): v for k, v in item.items()})
    return merged


def outline_titles(pdf: pikepdf.Pdf) -> list[str]:
    titles: list[str] = []

    def walk(items) -> None:
        for item in items:
            titles.append(item.title)
            walk(item.children)

    with pdf.open_outline() as outline:
        walk(outline.root)
    return titles


def font_descriptors(pdf: pikepdf.Pdf) -> list[tuple[str, pikepdf.Dictionary | None]]:
    """(font name, descriptor) for every font used on any page, descending into Type0 fonts."""
    found = []
    for page in pdf.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            for actual in font.get("/DescendantFonts") or [font]:
                found.append((str(actual.get("/BaseFont")), actual.get("/FontDescriptor")))
    return found


def marked_text(page: pikepdf.Page) -> tuple[int, list[tuple[str, str | None, int]]]:
    """Text-showing operators outside any marked content, and for each top-level marked-content
    sequence its tag, its /Type (for artifacts) and how many text operators it holds."""
    outside, sequences, depth = 0, [], 0
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            if depth == 0:
                properties = operands[1] if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) else {}
                kind = properties.get("/Type")
                sequences.append([str(operands[0]), str(kind) if kind is not None else None, 0])
            depth += 1
        elif op == "EMC":
            depth -= 1
        elif op in TEXT_OPERATORS:
            if depth == 0:
                outside += 1
            else:
                sequences[-1][2] += 1
    return outside, [tuple(s) for s in sequences]


def font_sizes(page: pikepdf.Page) -> list[float]:
    """The size in points at which each run of text is drawn: Tf size scaled by text and graphics matrices."""
    sizes = []
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list = []
    tm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    size = 0.0

    def multiply(a, b):
        return [
            a[0] * b[0] + a[1] * b[2],
            a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4],
            a[4] * b[1] + a[5] * b[3] + b[5],
        ]

    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop()
        elif op == "cm":
            ctm = multiply([float(v) for v in operands], ctm)
        elif op == "BT":
            tm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        elif op == "Tm":
            tm = [float(v) for v in operands]
        elif op == "Tf":
            size = float(operands[1])
        elif op in TEXT_OPERATORS:
            m = multiply(tm, ctm)
            sizes.append(size * math.sqrt(abs(m[0] * m[3] - m[1] * m[2])))
    return sizes


def page_text(pdf_path: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout


def page_images(pdf_path: Path, out_dir: Path, dpi: int = 36) -> list[Image.Image]:
    """Every page as a greyscale image, as pdftoppm renders it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf_path), str(out_dir / "page")], check=True)
    return [Image.open(path).convert("L") for path in sorted(out_dir.glob("page-*.pgm"))]


def ink_in_strip(image: Image.Image, box_mm: tuple[float, float, float, float], dpi: int = 36) -> int:
    """Non-white pixels in a strip given in millimetres (left, top, right, bottom) of the page."""
    scale = dpi / 25.4
    left, top, right, bottom = (round(v * scale) for v in box_mm)
    strip = image.crop((left, top, min(right, image.width), min(bottom, image.height)))
    return sum(strip.histogram()[:200])
