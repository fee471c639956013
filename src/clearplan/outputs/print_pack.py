"""The print packs' HTML: the whole plan and the Easy Read pack, each one document for printing.

The plan pack renders the site's own page templates (the same components), one section per site
page that has a print section (sections.SECTIONS), in the site's order; the Easy Read pack renders the plan's Easy Read content through its own
print template. Markup stays in `clearplan/site/templates/print/`; this module only prepares data and
makes ids and links work inside one document. It never imports mkdocs or a browser.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path

import markdown
from markupsafe import Markup

from ..plan.model import EasyRead
from ..checks.easy_read import load_pictures
from ..site.render import Renderer
from ..plan.sections import docs_pages, site_pages

# Site-relative links in page templates start with `root`; in print they become in-document links.
ROOT_MARK = "cp-root:/"
_PLACEHOLDER_PAGE = "00"


@dataclass(frozen=True)
class Section:
    """One site page as a part of the print document."""

    id: str
    title: str
    html: Markup


@dataclass(frozen=True)
class EasyReadPart:
    """The Easy Read content of one page of the plan, with its pictures ready to embed."""

    id: str
    title: str
    easy_read: EasyRead
    pictures: dict[str, str]


@dataclass
class PrintDocument:
    """A pack to print: its file name, template and context. `page_numbers` fills the contents."""

    name: str
    title: str
    template: str
    context: dict
    contents: list[tuple[str, str]]
    page_numbers: dict[str, int] = field(default_factory=dict)

    def html(self, renderer: Renderer) -> str:
        numbers = {anchor: str(self.page_numbers.get(anchor, _PLACEHOLDER_PAGE)) for anchor, _ in self.contents}
        return renderer.render(self.template, title=self.title, contents=self.contents, page_numbers=numbers, **self.context)


def section_id(site_path: str) -> str:
    """`workstreams/participation/` → `workstreams-participation`; the home page is `home`."""
    return site_path.strip("/").replace("/", "-") or "home"


def print_pages(renderer: Renderer, docs_pages: set[str]) -> list[tuple[str, str, dict]]:
    """(site path, page template, context) for every page of the site that the print pack has
    (sections.SECTIONS), in the site's order. `docs_pages` are the site's pages under docs/."""
    view = renderer.view
    pages = []
    for page in site_pages(docs_pages, [ws.id for ws in view.workstreams]):
        if page.section.prints:
            context = {"ws": view.workstream(page.workstream)} if page.workstream else {}
            pages.append((page.site_path, page.section.template, context))
    return pages


def _localise(html: str, prefix: str) -> str:
    """Give every id a section prefix (pages reuse ids such as `<workstream>-measures`), and point
    links to other site pages at their section in this document."""
    html = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', html)
    # These name ids, several to a list: each one is prefixed.
    html = re.sub(
        r'\b(aria-labelledby|aria-describedby)="([^"]+)"',
        lambda m: f'{m.group(1)}="{" ".join(f"{prefix}-{ref}" for ref in m.group(2).split())}"',
        html,
    )
    html = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', html)

    def site_link(match: re.Match) -> str:
        path, _, fragment = match.group(1).partition("#")
        target = section_id(path)
        return f'href="#{target}-{fragment}"' if fragment else f'href="#{target}"'

    return re.sub(rf'href="{re.escape(ROOT_MARK)}([^"]*)"', site_link, html)


def plan_sections(renderer: Renderer, docs_dir: Path) -> list[Section]:
    """Every printed site page rendered from its own template and turned into HTML, as the site
    shows it. `docs_dir` is the site's docs/ folder: the pack has the pages the site has."""
    sections = []
    for site_path, name, context in print_pages(renderer, docs_pages(docs_dir)):
        source = renderer.page(name, root=ROOT_MARK, **context)
        # The same Markdown extensions as mkdocs.yml, so headings and attributes come out alike.
        html = markdown.markdown(source, extensions=["attr_list", "toc"], output_format="html")
        sid = section_id(site_path)
        match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
        title = re.sub(r"<[^>]+>", "", match.group(1)) if match else name
        sections.append(Section(sid, Markup(title).unescape(), Markup(_localise(html, sid))))
    return sections


def _data_uri(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


class MissingPicture(ValueError):
    """An Easy Read point names a picture that is not there."""


def easy_read_parts(renderer: Renderer, pictures_dir: Path) -> list[EasyReadPart]:
    """The plan's Easy Read pages in site order (the same twins the site has), with their pictures
    found through the picture manifest in `pictures_dir`."""
    library = load_pictures(pictures_dir)
    parts = []
    for page in renderer.view.easy_read.values():
        pictures = {}
        for point in page.easy_read.points:
            listed = library.pictures.get(point.picture)
            picture = library.directory / listed.file if listed else None
            if picture is None or not picture.is_file():
                raise MissingPicture(f"Easy Read picture {point.picture!r} is not in the manifest or not in {library.directory}")
            pictures[point.picture] = _data_uri(picture)
        pid = "easy-read" if page.key == "home" else "easy-read-" + re.sub(r"[^a-z0-9]+", "-", page.key)
        parts.append(EasyReadPart(pid, page.easy_read.title or page.title, page.easy_read, pictures))
    return parts


def plan_document(renderer: Renderer, docs_dir: Path) -> PrintDocument:
    plan = renderer.view.plan
    sections = plan_sections(renderer, docs_dir)
    return PrintDocument("plan", plan.title, "print/plan.html", {"sections": sections}, [(s.id, s.title) for s in sections])


def easy_read_document(renderer: Renderer, pictures_dir: Path) -> PrintDocument | None:
    """The Easy Read pack, or None when the plan has no Easy Read content yet."""
    parts = easy_read_parts(renderer, pictures_dir)
    if not parts:
        return None
    title = f"{renderer.view.plan.title}: Easy Read"
    return PrintDocument("easy-read", title, "print/easy_read.html", {"parts": parts}, [(p.id, p.title) for p in parts])


@dataclass(frozen=True)
class PackLink:
    """A printed pack as the site links it: where it is, what it is, and its size in KB."""

    path: Path
    url: str
    label: str
    kilobytes: int


def kilobytes(size: int) -> int:
    """Bytes to whole KB (1024 bytes), rounded half-up, at least 1."""
    return max(1, (size + 512) // 1024)


PACK_LABELS = {"plan.pdf": "The whole plan", "easy-read.pdf": "The Easy Read plan"}


def pack_links(pdf_dir: Path, site_folder: str = "pdf") -> list[PackLink]:
    """The packs `clearplan pdf` printed into `pdf_dir`, in a fixed order; none when not printed."""
    links = []
    for name, label in PACK_LABELS.items():
        path = pdf_dir / name
        if path.is_file():
            size = path.stat().st_size
            links.append(PackLink(path, f"{site_folder}/{name}", label, kilobytes(size)))
    return links
