"""`clearplan pdf`: print the plan pack and the Easy Read pack from the plan data and templates.

It works from the data and templates alone, not from the built site, so `make pdf` can run
before `mkdocs build`, which then links the PDFs from the home page.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .easy_read import PICTURES_DIR
from .check import check_plan
from .chromium import BrowserUnavailable
from .print_pack import MissingPicture
from .render import PlanView, Renderer

EXIT_DONE, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2


def _pdf(args: argparse.Namespace) -> int:
    from .pdf_output import make_pdfs

    data_dir = Path(args.data)
    if not data_dir.is_dir():
        print(f"clearplan: no data directory at {data_dir}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    loaded = check_plan(data_dir)
    errors = loaded.problems.errors
    if errors or loaded.data is None:
        for problem in errors:
            print(str(problem), file=sys.stderr)
        print(f"clearplan: the plan data has {len(errors)} error(s); run `clearplan check`", file=sys.stderr)
        return EXIT_PROBLEMS
    renderer = Renderer(PlanView(loaded.data, loaded.files), [Path(args.templates)])
    try:
        packs = make_pdfs(renderer, Path(args.out), Path(args.pictures))
    except (BrowserUnavailable, MissingPicture) as error:
        print(f"clearplan: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    for pack in packs:
        print(f"{pack.path}: {pack.pages} pages, {pack.kilobytes} KB, printed in {pack.seconds:.1f} s")
    if len(packs) == 1:
        print("No Easy Read content in the plan data: no Easy Read pack.")
    return EXIT_DONE


def register_pdf(commands) -> None:
    pdf = commands.add_parser("pdf", help="print the plan and the Easy Read pack to tagged PDF")
    pdf.add_argument("--data", default="data", help="the plan's data directory (default: data)")
    pdf.add_argument("--out", default="build/pdf", help="where to write plan.pdf and easy-read.pdf (default: build/pdf)")
    pdf.add_argument("--templates", default="overrides/clearplan", help="the site's template overrides (default: overrides/clearplan)")
    pdf.add_argument("--pictures", default=str(PICTURES_DIR), help="the Easy Read pictures and their manifest (default: the bundled set)")
    pdf.set_defaults(run=_pdf)
