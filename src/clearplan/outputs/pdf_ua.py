"""What chromium's tagged PDF lacks for PDF/UA-1 (ISO 14289-1), added to the open pikepdf document.

Chromium writes a good structure tree but: no PDF/UA identification in the XMP metadata; PDF 2.0
structure types (`Strong`) that PDF/UA-1, built on PDF 1.7, only knows through a RoleMap; list
items whose content is not wrapped in `LBody`; and link annotations without a `/Contents` text.
"""

from __future__ import annotations

import re
from typing import Any

import pikepdf

# ISO 32000-1 (PDF 1.7) standard structure types, section 14.8.4.
STANDARD_TYPES = frozenset(
    """
    Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
    P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot
    Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP
    Figure Formula Form
""".split()
)
# The types PDF 2.0 added (ISO 32000-2, 14.8.4), as the nearest PDF 1.7 type.
PDF2_TYPES = {"Strong": "Span", "Em": "Span", "Sub": "Span", "Title": "P", "Aside": "Div", "DocumentFragment": "Div", "FENote": "Note"}


def declare_conformance(pdf: pikepdf.Pdf) -> None:
    """Names PDF/UA-1 in the XMP metadata (ISO 14289-1, clause 5)."""
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfuaid:part"] = "1"


def element_kids(element: pikepdf.Object) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_element(kid) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and kid.get("/Type", pikepdf.Name.StructElem) == pikepdf.Name.StructElem and "/S" in kid


def struct_elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, parents before children, in reading order."""
    found: list = []
    stack = list(reversed(element_kids(pdf.Root.StructTreeRoot)))
    while stack:
        element = stack.pop()
        if _is_element(element):
            found.append(element)
            stack.extend(reversed(element_kids(element)))
    return found


def map_roles(pdf: pikepdf.Pdf) -> None:
    """A RoleMap entry for every PDF 2.0 type used; any other non-standard type is a printing fault."""
    used = {str(element.S)[1:] for element in struct_elements(pdf)} - STANDARD_TYPES
    unknown = used - PDF2_TYPES.keys()
    if unknown:
        raise RuntimeError(f"chromium wrote structure types PDF/UA-1 does not know: {', '.join(sorted(unknown))}")
    if used:
        roles = pdf.Root.StructTreeRoot.get("/RoleMap", pikepdf.Dictionary())
        for kind in sorted(used):
            roles[pikepdf.Name("/" + kind)] = pikepdf.Name("/" + PDF2_TYPES[kind])
        pdf.Root.StructTreeRoot.RoleMap = roles


def wrap_list_bodies(pdf: pikepdf.Pdf) -> None:
    """An LI holds a label (`Lbl`, chromium's list marker) and a body (`LBody`): the elements after
    the label move into a new LBody. Their content keeps its parent, so the ParentTree stands."""
    for item in struct_elements(pdf):
        if item.S != pikepdf.Name.LI:
            continue
        kids = element_kids(item)
        labels = 0
        while labels < len(kids) and _is_element(kids[labels]) and kids[labels].S == pikepdf.Name.Lbl:
            labels += 1
        rest = kids[labels:]
        if not all(_is_element(kid) for kid in rest):
            # Moving content itself would mean re-pointing the ParentTree; chromium never needs it.
            raise RuntimeError("chromium wrote a list item holding content outside any element")
        if not rest or (len(rest) == 1 and rest[0].S == pikepdf.Name.LBody):
            continue
        body = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.LBody, P=item, K=pikepdf.Array(rest)))
        for kid in rest:
            kid.P = body
        item.K = pikepdf.Array(kids[:labels] + [body])


def unicode_map(font: pikepdf.Dictionary) -> dict[int, str]:
    """A font's ToUnicode CMap (bfchar and bfrange entries) as code → text."""
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return {}
    cmap = stream.read_bytes().decode("latin-1")
    mapping: dict[int, str] = {}

    def text(hex_digits: str) -> str:
        return bytes.fromhex(hex_digits).decode("utf-16-be", errors="replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(code, 16)] = text(value)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            first, last = int(first, 16), int(last, 16)
            if target.startswith("["):
                for offset, value in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", target)):
                    mapping[first + offset] = text(value)
            else:
                start = bytes.fromhex(target[1:-1])
                base, last_unit = start[:-2], int.from_bytes(start[-2:], "big")
                for offset in range(last - first + 1):
                    mapping[first + offset] = (base + (last_unit + offset).to_bytes(2, "big")).decode("utf-16-be", errors="replace")
    return mapping


class _PageText:
    """The text of each marked-content sequence (by MCID) on a page, decoded through the fonts'
    ToUnicode maps. Chromium draws each line in its own text object and drops the space where a
    line wraps, so a new line starts with a space; an /ActualText span (ligatures) says its text."""

    def __init__(self, page: pikepdf.Page):
        # pikepdf objects are typed by what they hold, which only the file says.
        resources: Any = page.obj.get("/Resources", {})
        self.fonts: Any = resources.get("/Font", {})
        self.maps: dict[str, tuple[dict[int, str], int]] = {}
        self.by_mcid: dict[int, str] = {}
        self.line_of: dict[int, float] = {}
        # Per open marked-content sequence: its MCID (inherited when it has none) and whether an
        # /ActualText already stands for the glyphs inside it.
        stack: list[tuple[int | None, bool]] = []
        font: tuple[dict[int, str], int] = ({}, 1)
        line = 0.0
        instructions: list[Any] = pikepdf.parse_content_stream(page)
        for operands, operator in instructions:
            op = str(operator)
            mcid, replaced = stack[-1] if stack else (None, False)
            if op in ("BDC", "BMC"):
                properties: Any = operands[1] if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) else {}
                if "/MCID" in properties:
                    mcid, replaced = int(properties.MCID), False
                if "/ActualText" in properties and mcid is not None and not replaced:
                    self._add(mcid, str(properties.ActualText), line)
                    replaced = True
                stack.append((mcid, replaced))
            elif op == "EMC" and stack:
                stack.pop()
            elif op == "Tf":
                font = self._font(str(operands[0]))
            elif op == "Tm":
                line = float(operands[5])
            elif op == "Td":
                line += float(operands[1])
            elif op in ("Tj", "TJ", "'", '"') and mcid is not None and not replaced:
                strings = [s for s in operands[0] if isinstance(s, pikepdf.String)] if op == "TJ" else [operands[-1]]
                self._add(mcid, "".join(self._decode(bytes(string), *font) for string in strings), line)

    def _font(self, name: str) -> tuple[dict[int, str], int]:
        if name not in self.maps:
            font = self.fonts.get(name)
            # Type0 fonts (chromium's, Identity-H) use two-byte codes; simple fonts one byte.
            self.maps[name] = ({}, 1) if font is None else (unicode_map(font), 2 if font.get("/Subtype") == pikepdf.Name.Type0 else 1)
        return self.maps[name]

    def _add(self, mcid: int, text: str, line: float) -> None:
        # A line that ends in a hyphen wrapped inside a word ("Co-production").
        if mcid in self.by_mcid and self.line_of[mcid] != line and not self.by_mcid[mcid].endswith("-"):
            text = " " + text
        self.by_mcid[mcid] = self.by_mcid.get(mcid, "") + text
        self.line_of[mcid] = line

    @staticmethod
    def _decode(raw: bytes, mapping: dict[int, str], width: int) -> str:
        return "".join(mapping.get(int.from_bytes(raw[i : i + width], "big"), "") for i in range(0, len(raw), width))


class TextReader:
    """What structure elements say, read from the pages' content (each page parsed once)."""

    def __init__(self):
        self.pages: dict[tuple[int, int], _PageText] = {}

    def _page(self, page) -> _PageText:
        if page.objgen not in self.pages:
            self.pages[page.objgen] = _PageText(pikepdf.Page(page))
        return self.pages[page.objgen]

    def text(self, element: pikepdf.Object) -> str:
        """Its /Alt if it has one, else the text of its content, whitespace collapsed."""
        return " ".join(self._raw(element).split())

    def _raw(self, element: pikepdf.Object) -> str:
        if "/Alt" in element:
            return str(element.Alt)
        parts = []
        for kid in element_kids(element):
            if _is_element(kid):
                parts.append(self._raw(kid))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.OBJR:
                continue
            else:
                page = kid.get("/Pg", element.get("/Pg")) if isinstance(kid, pikepdf.Dictionary) else element.get("/Pg")
                mcid = int(kid.MCID) if isinstance(kid, pikepdf.Dictionary) else int(kid)
                if page is not None:
                    parts.append(self._page(page).by_mcid.get(mcid, ""))
        return " ".join(parts)


def describe_links(pdf: pikepdf.Pdf) -> None:
    """Each link annotation's /Contents is the text of its Link structure element (PDF/UA-1 7.18.5),
    e.g. "Participation 7" for a contents entry or the email address for a mailto link."""
    parents = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
    reader = TextReader()
    for number, page in enumerate(pdf.pages, start=1):
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != pikepdf.Name.Link or "/Contents" in annotation:
                continue
            element = parents.get(int(annotation.StructParent)) if "/StructParent" in annotation else None
            text = reader.text(element) if element is not None else ""
            if not text:
                action: Any = annotation.get("/A", {})
                target = action.get("/URI", annotation.get("/Dest"))
                raise RuntimeError(f"page {number}: a link to {target} has no text to describe it")
            annotation.Contents = pikepdf.String(text)


def make_conformant(pdf: pikepdf.Pdf) -> None:
    declare_conformance(pdf)
    map_roles(pdf)
    wrap_list_bodies(pdf)
    describe_links(pdf)
