"""`clearplan build`: the site built by clearplan itself, with the generator a replaceable part.

clearplan checks the plan (and stops on any error), writes the pages it adds as real Markdown files
into a staged copy of the docs folder (each page's source is still only the macro call), runs the
chosen generator on a staged copy of mkdocs.yml, writes the open data downloads and the feed where
the generator did not, and last checks that the built site has every page and download. A generator
that skipped clearplan's part cannot publish a site with pages or downloads missing."""

from __future__ import annotations

import argparse
import copy
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..checks.command_support import EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS
from ..checks.site_checks import PAGE_CALL, page_problems
from ..outputs.feed import FEED_PATH, build_feed
from ..outputs.open_data import write_tables, write_whole_plan
from ..site.render import TEMPLATE_FOLDER, THEME_DIR
from ..site.tables import Tables
from ..site.theme_markup import valid_theme_markup
from .prepared_site import BUILD_STATE_VARIABLE, NO_TERM_EXPLANATIONS, BuildState, PreparedSite, SiteError, expand_nav, generated_pages, prepare_site

# The distribution each generator is installed as, and its command (run as `python -m MODULE`).
GENERATORS = {"mkdocs": ("mkdocs", "mkdocs"), "mkdocs-ng": ("mkdocs-ng", "mkdocs"), "zensical": ("zensical", "zensical")}
# Generators that run MkDocs plugins, and so clearplan's (which writes the downloads and the feed).
RUNS_PLUGINS = {"mkdocs", "mkdocs-ng"}
STATE_FILE = "clearplan-build.json"
WHOLE_PLAN_DOWNLOADS = ("data/plan.json", "data/plan.schema.json", "data/plan.xlsx")


class BuildFailed(Exception):
    pass


@dataclass
class Staged:
    config: Path
    state: BuildState
    prepared: PreparedSite


def _read_config(config_path: Path) -> dict:
    try:
        config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise BuildFailed(f"cannot read {config_path}: {error}") from None
    if not isinstance(config, dict):
        raise BuildFailed(f"{config_path} is not a mapping of settings")
    return config


def _clearplan_options(config: dict) -> dict:
    for plugin in config.get("plugins") or []:
        if plugin == "clearplan":
            return {}
        if isinstance(plugin, dict) and "clearplan" in plugin:
            return plugin["clearplan"] or {}
    raise BuildFailed("mkdocs.yml lists no clearplan plugin; add `- clearplan` under plugins (it names the data folder)")


def stage(config_path: Path, generator: str, stage_dir: Path) -> Staged:
    """Check the plan, then write the staged docs folder, the staged config and the build's state file."""
    config = _read_config(config_path)
    root = config_path.parent.resolve()
    options = _clearplan_options(config)
    data_setting, pdf_setting = str(options.get("data_dir", "data")), str(options.get("pdf_dir", "build/pdf"))
    theme = dict(config.get("theme") or {})
    custom_dir = (root / theme["custom_dir"]).resolve() if theme.get("custom_dir") else None
    docs_dir = (root / str(config.get("docs_dir", "docs"))).resolve()
    try:
        prepared = prepare_site(root, data_setting, custom_dir, pdf_setting)
    except SiteError as error:
        raise BuildFailed(str(error)) from None
    pages = {p.relative_to(docs_dir).as_posix(): p.read_text(encoding="utf-8") for p in sorted(docs_dir.rglob("*.md"))}
    problems = page_problems(
        pages, prepared.view.data, [d / "pages" for d in prepared.renderer.template_dirs], os.path.relpath(docs_dir), str(prepared.data_dir_shown)
    )
    if problems:
        raise BuildFailed("\n".join(problems))

    staged_docs = stage_dir / "docs"
    if stage_dir.exists():
        shutil.rmtree(stage_dir)
    shutil.copytree(docs_dir, staged_docs)
    generated = generated_pages(prepared.view, lambda path: path in pages)
    for path, page in generated.items():
        target = staged_docs / path
        if not target.exists():  # a page the council wrote itself stays theirs
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.source, encoding="utf-8")
    for pack in prepared.print_packs:
        target = staged_docs / pack.url
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pack.path, target)

    staged = copy.deepcopy(config)
    # Zensical builds only inside the config's folder, from relative paths: every generator builds
    # there, then the site is moved.
    staged["docs_dir"] = "docs"
    staged["site_dir"] = "site"
    staged.pop("watch", None)
    if custom_dir:
        theme["custom_dir"] = str(custom_dir)
    if generator not in RUNS_PLUGINS:
        # No plugin adds clearplan's theme, the nav's generated entries or the feedback address here.
        _without_plugin(staged, theme, prepared, stage_dir, custom_dir)
    staged["theme"] = theme
    state = BuildState(
        str(root), data_setting, str(custom_dir) if custom_dir else None, pdf_setting, str(docs_dir), generated, sorted(set(pages) | set(generated))
    )
    state.write(stage_dir / STATE_FILE)
    staged_config = stage_dir / "mkdocs.yml"
    staged_config.write_text(yaml.safe_dump(staged, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return Staged(staged_config, state, prepared)


def _without_plugin(staged: dict, theme: dict, prepared: PreparedSite, stage_dir: Path, custom_dir: Path | None) -> None:
    """What the plugin does to the config, for a generator that does not run it."""
    if staged.get("nav"):
        try:
            expand_nav(prepared.view, staged["nav"])
        except SiteError as error:
            raise BuildFailed(str(error)) from None
    extra = staged.setdefault("extra", {}) or {}
    staged["extra"] = extra
    if "feedback" not in extra and prepared.view.plan.contact is not None:
        extra["feedback"] = {"email": prepared.view.plan.contact.email}
    # One theme folder: clearplan's theme with the council's overrides over it (the plugin adds
    # clearplan's as a second folder). clearplan's page templates are not for readers.
    shutil.copytree(THEME_DIR, stage_dir / "theme")
    if custom_dir:
        shutil.copytree(custom_dir, stage_dir / "theme", dirs_exist_ok=True, ignore=shutil.ignore_patterns(TEMPLATE_FOLDER, "*.md"))
    theme["custom_dir"] = "theme"
    # "Edit this page" would open the staged Markdown, which is not in the council's repository: the
    # plugin points it at the data file behind the page, and without the plugin there is no button.
    theme["features"] = [feature for feature in theme.get("features") or [] if feature != "content.action.edit"]


def write_downloads(staged: Staged, site_dir: Path, site_url: str | None) -> None:
    """The open data files and the feed, for a generator that ran no clearplan plugin. The tables a
    page publishes are those its macros render: each page is rendered once more here to find them."""
    prepared = staged.state.prepare()
    renderer = prepared.renderer
    for path in staged.state.site_pages:
        page = staged.state.pages.get(path)
        url = "" if path == "index.md" else path.removesuffix(".md").removesuffix("/index") + "/"
        context = {"root": "../" * url.count("/"), "page_path": url.strip("/") or "home"}
        if page is not None:
            extra: dict[str, Any] = {"ws": renderer.view.workstream(page.workstream)} if page.workstream else {}
            if page.tag:
                extra["tag"] = renderer.view.tags[page.tag]
            if page.easy_read:
                extra["page"] = renderer.view.easy_read[page.easy_read]
            renderer.page(page.template, **context, **extra)
        else:
            source = (Path(staged.state.docs_dir) / path).read_text(encoding="utf-8")
            for name in PAGE_CALL.findall(source):
                renderer.page(name, **context)
    write_tables(site_dir, list(renderer.tables.published.values()))
    write_whole_plan(site_dir, Tables(renderer.view).whole_plan(), renderer.view.data)
    feed = build_feed(renderer.view, site_url)
    if feed is not None:
        (site_dir / FEED_PATH).write_text(renderer.render("feed.xml", feed=feed) + "\n", encoding="utf-8")


ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset">)(.*?)(</article>)', re.S)


def finish_pages(staged: Staged, site_dir: Path) -> None:
    """What the plugin does to each page while MkDocs builds, done here once the generator has
    written the pages: the theme's invalid attributes corrected on every page, and each glossary
    term explained at its first use in a page's article."""
    renderer = staged.prepared.renderer
    glossary = renderer.view.data.glossary
    explained = {page_file(path) for path in staged.state.site_pages if not path.startswith(NO_TERM_EXPLANATIONS)} if glossary else set()
    for built in sorted(site_dir.rglob("*.html")):
        page = original = built.read_text(encoding="utf-8")
        if (name := built.relative_to(site_dir).as_posix()) in explained:
            root = "../" * name.count("/")
            page, found = ARTICLE.subn(lambda m: m.group(1) + renderer.explain_terms(m.group(2), root) + m.group(3), page, count=1)
            if not found:
                raise BuildFailed(f'{built} has no <article class="md-content__inner md-typeset"> to explain glossary terms in')
        page = valid_theme_markup(page)
        if page != original:
            built.write_text(page, encoding="utf-8")


def page_file(path: str) -> str:
    """The built page of the Markdown page at `path`: index.md -> index.html, risks.md -> risks/index.html."""
    stem = path.removesuffix(".md")
    return "index.html" if stem == "index" else (stem.removesuffix("index") if stem.endswith("/index") else stem + "/") + "index.html"


def expected_files(staged: Staged) -> list[str]:
    """Every file the built site must have: a page per Markdown page, the downloads, the feed."""
    expected = []
    expected += [page_file(path) for path in staged.state.site_pages]
    expected += WHOLE_PLAN_DOWNLOADS
    view = staged.prepared.view
    if view.has_feed:
        expected.append(FEED_PATH)
    expected += [pack.url for pack in staged.prepared.print_packs]
    return expected


def missing_files(staged: Staged, site_dir: Path) -> list[str]:
    return [path for path in expected_files(staged) if not (site_dir / path).is_file()]


def generator_version(generator: str, python: Path) -> str:
    """The installed version of `generator` in the environment of `python`; BuildFailed when it is not there."""
    distribution = GENERATORS[generator][0]
    try:
        probe = subprocess.run(
            [str(python), "-c", f"import importlib.metadata as m; print(m.version({distribution!r}))"], capture_output=True, text=True
        )
    except OSError:
        probe = None
    if probe is None or probe.returncode != 0:
        raise BuildFailed(f"{generator} is not installed in the Python at {python} (`make generators` installs mkdocs-ng and zensical)")
    return probe.stdout.strip()


def _run_generator(generator: str, version: str, python: Path, staged: Staged) -> None:
    module = GENERATORS[generator][1]
    env = {**os.environ, BUILD_STATE_VARIABLE: str((staged.config.parent / STATE_FILE).resolve()), "NO_MKDOCS_2_WARNING": "1"}
    arguments = ["build", "--strict", "-f", str(staged.config)]
    result = subprocess.run([str(python), "-m", module, *arguments], env=env, cwd=staged.config.parent, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildFailed(f"{generator} {version} failed:\n{(result.stderr or result.stdout)[-4000:]}")


def build(config_path: Path, generator: str, site_dir: Path, stage_dir: Path, python: Path) -> None:
    python = Path(os.path.abspath(python))  # not resolved: a venv's python is a link out of the venv
    stage_dir = stage_dir.absolute()  # the generator runs in it
    version = generator_version(generator, python)
    staged = stage(config_path, generator, stage_dir)
    _run_generator(generator, version, python, staged)
    if site_dir.exists():
        shutil.rmtree(site_dir)
    shutil.move(stage_dir / "site", site_dir)
    if generator not in RUNS_PLUGINS:
        write_downloads(staged, site_dir, _read_config(config_path).get("site_url"))
    missing = missing_files(staged, site_dir)
    if not missing and generator not in RUNS_PLUGINS:
        finish_pages(staged, site_dir)
    if missing:
        raise BuildFailed(f"{generator} built a site without {len(missing)} file(s) it must have: " + ", ".join(missing[:20]))


def _build(args: argparse.Namespace) -> int:
    config_path = Path(args.config)
    if not config_path.is_file():
        print(f"clearplan: no {config_path}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    root = config_path.parent
    stage_dir = Path(args.stage) if args.stage else root / "build" / "stage" / args.generator
    try:
        build(config_path, args.generator, Path(args.site_dir) if args.site_dir else root / "site", stage_dir, Path(args.python))
    except BuildFailed as error:
        print(f"clearplan: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def register(commands) -> None:
    command = commands.add_parser("build", help="check the plan, prepare its pages and downloads, and build the site with a generator")
    command.add_argument("--config", default="mkdocs.yml", help="the site's mkdocs.yml (default: mkdocs.yml)")
    command.add_argument("--generator", choices=sorted(GENERATORS), default="mkdocs", help="the static site generator (default: mkdocs)")
    command.add_argument("--python", default=sys.executable, help="the Python the generator is installed in (default: this one)")
    command.add_argument("--site-dir", help="where to write the site (default: site beside mkdocs.yml)")
    command.add_argument("--stage", help="where to stage the docs and config (default: build/stage/GENERATOR beside mkdocs.yml)")
    command.set_defaults(run=_build)
