"""The MkDocs adapter: checks the plan once per build, adds a page per workstream, and hands the
rendered parts to mkdocs-macros. The only package that imports mkdocs."""

from __future__ import annotations

import html
import logging
import os
from dataclasses import dataclass
import re
from pathlib import Path

from mkdocs.config import base, config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from ..checks.check import check_plan
from ..editing.diff import PlanDiff, VersionError, diff_plans, easy_read_sentences, load_version
from ..outputs.open_data import OpenDataError, OpenDataWriter
from ..outputs.feed import FEED_PATH, build_feed
from ..checks.easy_read import easy_read_pages
from ..site.edit_links import edit_url, page_data_files
from ..plan.sections import SECTIONS, WORKSTREAMS_INDEX, workstream_page
from ..site.glossary_terms import explain_terms
from ..plan.model import check_email, check_web_address
from ..outputs.print_pack import pack_links
from ..site.render import TEMPLATE_FOLDER, THEME_DIR, PlanView, Renderer, folder_bytecode_cache
from ..checks.site_checks import nav_names_workstreams, page_problems
from ..site.tables import Tables

log = logging.getLogger("mkdocs.plugins.clearplan")

# Pages where glossary terms are not explained inline: the glossary itself, and Easy Read pages,
# which explain their own hard words.
NO_TERM_EXPLANATIONS = ("glossary.md", "easy-read/")
EASY_READ_NAV_TITLE = "Easy Read"
TEMPLATE_CACHE_VARIABLE = "CLEARPLAN_CACHE_DIR"

# The whole Markdown source of every page the plugin adds. It names no plan data, so no plan text can
# reach mkdocs-macros, which renders page sources (and page titles) as Jinja templates.
GENERATED_PAGE_SOURCE = "{{ clearplan_generated_page() }}\n"
# Easy Read pages keep the site's header and menu but drop the side navigation and contents.
EASY_READ_PAGE_SOURCE = "---\nhide: [navigation, toc]\n---\n" + GENERATED_PAGE_SOURCE


@dataclass(frozen=True)
class GeneratedPage:
    """A page the plugin adds, found by its path: what the page's macro renders, and its title."""

    template: str
    title: str  # plain text from the data; the page's title once mkdocs-macros is done
    workstream: str | None = None
    easy_read: str | None = None
    tag: str | None = None


# Material's base.html (not a partial, so not overridable alone) puts autocomplete="off" on its two
# checkbox toggles; HTML allows autocomplete only on text-like inputs (Nu HTML Checker).
THEME_TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" id="__(?:drawer|search)") autocomplete="off">')


class ClearplanConfig(base.Config):
    data_dir = config_options.Type(str, default="data")
    # Where `clearplan pdf` (make pdf) printed the packs; linked from the home page when there.
    pdf_dir = config_options.Type(str, default="build/pdf")
    # Compiled templates, kept between builds in the project (`make clean` removes .cache/), as
    # Material's own plugins keep theirs under .cache/plugin/. CLEARPLAN_CACHE_DIR, when set, wins
    # (the tests keep theirs in their temporary folder).
    cache_dir = config_options.Type(str, default=".cache/plugin/clearplan")


class ClearplanPlugin(BasePlugin[ClearplanConfig]):
    view: PlanView
    renderer: Renderer
    serving = False
    next_open_data: OpenDataWriter | None = None

    def on_startup(self, command: str, dirty: bool) -> None:
        # With on_startup, MkDocs keeps this plugin across the rebuilds of `mkdocs serve`.
        self.serving = command == "serve"

    def on_shutdown(self) -> None:
        self.serving = False
        if self.next_open_data is not None:
            self.next_open_data.cancel()
            self.next_open_data = None

    @event_priority(100)  # before Material's search plugin, which reads the theme's language partial
    def on_config(self, config):
        site_dir = Path(config.config_file_path).parent
        data_dir = site_dir / self.config.data_dir
        shown = Path(os.path.relpath(data_dir)) if data_dir.is_absolute() else data_dir
        if not data_dir.is_dir():
            raise PluginError(f"clearplan: no data directory at {shown}")
        # Its process starts now, so its imports overlap the check; under `mkdocs serve` the one
        # started after the previous build has imported them while the officer was editing.
        self.open_data = self.next_open_data or OpenDataWriter()
        self.next_open_data = None
        try:
            return self._configure(config, site_dir, data_dir, shown)
        except BaseException:
            self.open_data.cancel()
            raise

    def _configure(self, config, site_dir: Path, data_dir: Path, shown: Path):
        loaded = check_plan(shown)
        problems = loaded.problems.sorted()
        errors = [p for p in problems if p.severity == "error"]
        for problem in problems:
            if problem.severity == "warning":
                log.info(str(problem))
        if errors or loaded.data is None:
            raise PluginError(f"clearplan: the plan data has {len(errors)} error(s):\n" + "\n".join(str(p) for p in errors))
        self.view = PlanView(loaded.data, loaded.files)
        easy_read_sources = {page.path: page.source for page in easy_read_pages(loaded.data, shown, loaded.files).values()}
        self.edit_files = page_data_files(shown, loaded.sources, loaded.files, easy_read_sources)
        self.data_dir = data_dir
        self.data_dir_shown = shown
        custom_dir = config.theme.custom_dir
        # clearplan's theme (main.html, partials, assets) comes after the site's own overrides.
        config.theme.dirs.insert(1 if custom_dir else 0, str(THEME_DIR))
        cache_dir = Path(os.environ.get(TEMPLATE_CACHE_VARIABLE) or site_dir / self.config.cache_dir)
        self.renderer = Renderer(self.view, [Path(custom_dir) / TEMPLATE_FOLDER] if custom_dir else [],
                                 bytecode_cache=folder_bytecode_cache(cache_dir / "templates"))
        self.theme_bytecode = folder_bytecode_cache(cache_dir / "theme")
        self.renderer.env.globals.update(changes=self._changes(site_dir), easy_read_sentences=easy_read_sentences)
        if config.nav:
            if self.view.workstreams and not nav_names_workstreams(config.nav, WORKSTREAMS_INDEX):
                raise PluginError(f"clearplan: the plan has {len(self.view.workstreams)} workstream(s) but the nav in mkdocs.yml has no "
                                  f"{WORKSTREAMS_INDEX}; add it (under a 'Workstreams:' section) so their pages are listed")
            self._add_workstreams_to_nav(config.nav)
            # One entry for the Easy Read home page; it links to every other Easy Read page.
            if "home" in self.view.easy_read:
                config.nav.append({EASY_READ_NAV_TITLE: self.view.easy_read["home"].path})
        self._feedback(config)
        self.print_packs = pack_links(site_dir / self.config.pdf_dir)
        self.renderer.env.globals["print_packs"] = self.print_packs
        return config

    def _changes(self, site_dir: Path) -> PlanDiff | None:
        """What changed since the previous published version named in plan.yaml (None: the first).

        A named version that cannot be read stops the build: the page must never claim nothing changed."""
        release = self.view.plan.release
        if release is None or release.previous is None:
            return None
        try:
            previous = load_version(release.previous, site_dir, self.config.data_dir)
        except VersionError as error:
            raise PluginError(f"clearplan: release.previous in plan.yaml: {error}") from None
        return diff_plans(previous, self.view.data)

    def _feedback(self, config) -> None:
        """The feedback link's address: `extra.feedback` ({email: …} or {url: …}), else the plan's contact email."""
        feedback = config.extra.get("feedback")
        if feedback is None:
            if self.view.plan.contact is None:  # with no contact, pages show no feedback link
                return
            config.extra["feedback"] = {"email": self.view.plan.contact.email}
            return
        if not isinstance(feedback, dict) or not (feedback.get("email") or feedback.get("url")):
            raise PluginError("clearplan: extra.feedback in mkdocs.yml must give an email (feedback: {email: name@example.org}) or a url")
        try:
            if feedback.get("url"):
                check_web_address(str(feedback["url"]))
            else:
                check_email(str(feedback["email"]))
        except ValueError as error:
            raise PluginError(f"clearplan: extra.feedback in mkdocs.yml: {error}") from None

    def _generated_pages(self, files: Files) -> dict[str, GeneratedPage]:
        """The pages the plugin adds, by source path: a page per workstream, then the Easy Read twins."""
        pages = {workstream_page(ws.id): GeneratedPage("workstream", self.view.workstream_label(ws), workstream=ws.id)
                 for ws in self.view.workstreams}
        for tag in self.view.tags.values():
            pages[f"serves/{tag.id}.md"] = GeneratedPage("serves", tag.name, tag=tag.id)
        for section in SECTIONS:
            twin = section.easy_read_twin
            if twin is not None and files.get_file_from_path(section.page) is not None:
                pages[twin.page] = GeneratedPage(twin.template, twin.title)
        for key, page in self.view.easy_read.items():
            pages[page.path] = GeneratedPage("easy_read", "Easy Read: " + (page.easy_read.title or page.title), easy_read=key)
        return pages

    def _add_workstreams_to_nav(self, nav: list) -> None:
        for item in nav:
            section = next(iter(item.values())) if isinstance(item, dict) else None
            if isinstance(section, list) and WORKSTREAMS_INDEX in section:
                at = section.index(WORKSTREAMS_INDEX) + 1
                # Paths without titles: each page's title is set in on_page_content.
                section[at:at] = [workstream_page(ws.id) for ws in self.view.workstreams]
                return

    def on_files(self, files: Files, config) -> Files:
        pages = {file.src_uri: file.content_string for file in files.documentation_pages() if file.src_uri.endswith(".md")}
        problems = page_problems(pages, self.view.data, [d / "pages" for d in self.renderer.template_dirs], os.path.relpath(config.docs_dir), str(self.data_dir_shown))
        if problems:
            raise PluginError("clearplan: " + "\nclearplan: ".join(problems))
        # MkDocs publishes the theme folder's files: clearplan's templates are not for readers.
        for file in [f for f in files if f.src_uri.startswith(TEMPLATE_FOLDER + "/") and not f.is_documentation_page()]:
            files.remove(file)
        self.generated = self._generated_pages(files)
        # Which pages this site has, so templates link only to pages that exist.
        self.renderer.env.globals["site_pages"] = {file.src_uri for file in files.documentation_pages()} | set(self.generated)
        for path, page in self.generated.items():
            # Easy Read pages, the at-a-glance twins too, drop the side navigation and contents,
            # whose small print is not Easy Read.
            source = EASY_READ_PAGE_SOURCE if page.template.startswith("easy_read") else GENERATED_PAGE_SOURCE
            files.append(File.generated(config, path, content=source))
        for pack in self.print_packs:
            files.append(File.generated(config, pack.url, abs_src_path=str(pack.path)))
        # The site directory has been cleaned by now: the whole-plan files are written while pages render.
        self.open_data.whole_plan(Path(config.site_dir), Tables(self.view).whole_plan(), self.view.data)
        return files

    def on_post_build(self, config) -> None:
        site_dir = Path(config.site_dir)
        feed = build_feed(self.view, config.site_url)
        if feed is not None:  # nothing dated, nothing to announce
            (site_dir / FEED_PATH).write_text(self.renderer.render("feed.xml", feed=feed) + "\n", encoding="utf-8")
        try:
            self.open_data.finish()
        except OpenDataError as error:
            raise PluginError(f"clearplan: writing the open data files failed: {error}") from None
        finally:
            if self.serving:  # the next preview's writer
                self.next_open_data = OpenDataWriter()

    def on_build_error(self, error) -> None:
        if hasattr(self, "open_data"):
            self.open_data.cancel()
    def on_page_context(self, context, page, config, nav):
        """Point "Edit this page" at the YAML file behind the page (see edit_links.py)."""
        data_file = self.edit_files.get(page.file.src_uri)
        if data_file and config.repo_url and config.edit_uri:
            page.edit_url = edit_url(config.repo_url, config.edit_uri, Path(config.docs_dir), self.data_dir, data_file)
        return context
    def on_page_content(self, content: str, page, config, files) -> str:
        """Title the plugin's pages, and explain each glossary term at its first use on a standard page."""
        generated = self.generated.get(page.file.src_uri)
        if generated is not None:
            # Set after mkdocs-macros has rendered the page (it renders titles too), before any page is
            # put in the theme. MkDocs and the theme print titles as HTML. A title the navigation
            # gives (the Easy Read home's) still names the page there; this one heads the page.
            page.meta["title"] = html.escape(generated.title)
        if not self.view.data.glossary or page.file.src_uri.startswith(NO_TERM_EXPLANATIONS):
            return content
        root = "../" * page.url.count("/") if page.url else ""
        return explain_terms(content, self.view.data.glossary,
                             lambda term, text: self.renderer.render("components/term.html", term=term, text=text, root=root).strip())
    def on_env(self, env, config, files):
        # MkDocs calls this once every page's Markdown (and so every macro) has been rendered: every
        # table a page shows is published by now, and is written while the pages get their theme.
        self.open_data.tables(Path(config.site_dir), list(self.renderer.tables.published.values()))
        # MkDocs makes a new theme environment per build and compiles every Material template in it;
        # with the project's cache a template is compiled again only when it changed.
        if env.bytecode_cache is None:
            env.bytecode_cache = self.theme_bytecode
        return env

    def on_post_page(self, output: str, page, config) -> str:
        return THEME_TOGGLE_AUTOCOMPLETE.sub(r"\1>", output)

    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        # The static templates (404.html) are pages of Material's base.html too.
        return THEME_TOGGLE_AUTOCOMPLETE.sub(r"\1>", output_content)
