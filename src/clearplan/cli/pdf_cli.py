"""`clearplan pdf`: print the plan pack and the Easy Read pack from the plan data and templates.

It works from the data and templates alone, not from the built site, so `make pdf` can run
before `mkdocs build`, which then links the PDFs from the home page.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..outputs.chromium import BrowserUnavailable
from ..checks.command_support import EXIT_CANNOT_RUN, EXIT_OK, error_free_plan
from ..checks.easy_read import PICTURES_DIR
from ..outputs.print_pack import MissingPicture
from ..site.render import PlanView, Renderer


def _docs_dir(args: argparse.Namespace) -> Path:
    """The site's pages: --docs, else the docs folder beside the data folder (a council's folder
    holds mkdocs.yml, docs/ and data/)."""
    return Path(args.docs) if args.docs else Path(args.data).parent / "docs"


def _pdf(args: argparse.Namespace) -> int:
    from ..outputs.pdf_output import make_pdfs

    loaded = error_free_plan(args.data)
    assert loaded.data is not None  # error_free_plan stops the command otherwise
    renderer = Renderer(PlanView(loaded.data, loaded.files), [Path(args.templates)])
    try:
        packs = make_pdfs(renderer, Path(args.out), Path(args.pictures), docs_dir=_docs_dir(args))
    except (BrowserUnavailable, MissingPicture) as error:
        print(f"clearplan: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    for pack in packs:
        print(f"{pack.path}: {pack.pages} pages, {pack.kilobytes} KB, printed in {pack.seconds:.1f} s")
    if len(packs) == 1:
        print("No Easy Read content in the plan data: no Easy Read pack.")
    return EXIT_OK


def register_pdf(commands) -> None:
    pdf = commands.add_parser("pdf", help="print the plan and the Easy Read pack to tagged PDF")
    pdf.add_argument("--data", default="data", help="the plan's data directory (default: data)")
    pdf.add_argument("--docs", help="the site's pages, which the plan pack follows (default: docs beside --data)")
    pdf.add_argument("--out", default="build/pdf", help="where to write plan.pdf and easy-read.pdf (default: build/pdf)")
    pdf.add_argument("--templates", default="overrides/clearplan", help="the site's template overrides (default: overrides/clearplan)")
    pdf.add_argument("--pictures", default=str(PICTURES_DIR), help="the Easy Read pictures and their manifest (default: the bundled set)")
    pdf.set_defaults(run=_pdf)
