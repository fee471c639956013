"""The MkDocs adapter: checks the plan once per build, adds a page per workstream, and hands the
rendered parts to mkdocs-macros. The only package that imports mkdocs."""

from __future__ import annotations

import html
import logging
import os
from pathlib import Path

from mkdocs.config import base, config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from ..cli.prepared_site import NO_TERM_EXPLANATIONS, SiteError, expand_nav, generated_pages, prepare_site, prepared_build
from ..outputs.open_data import OpenDataError, OpenDataWriter
from ..outputs.feed import FEED_PATH, build_feed
from ..site.edit_links import edit_url
from ..plan.model import check_email, check_web_address
from ..site.render import TEMPLATE_FOLDER, THEME_DIR, PlanView, Renderer, folder_bytecode_cache
from ..checks.site_checks import page_problems
from ..site.tables import Tables
from ..site.theme_markup import valid_theme_markup

log = logging.getLogger("mkdocs.plugins.clearplan")

TEMPLATE_CACHE_VARIABLE = "CLEARPLAN_CACHE_DIR"


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
        # In a build `clearplan build` staged, the site's own folder is the council's, not the stage's.
        state = prepared_build()
        site_dir = Path(state.site_dir) if state else Path(config.config_file_path).parent
        self.docs_dir = Path(state.docs_dir) if state else Path(config.docs_dir)
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
        custom_dir = config.theme.custom_dir
        cache_dir = Path(os.environ.get(TEMPLATE_CACHE_VARIABLE) or site_dir / self.config.cache_dir)
        try:
            prepared = prepare_site(
                site_dir,
                self.config.data_dir,
                Path(custom_dir) if custom_dir else None,
                self.config.pdf_dir,
                bytecode_cache=folder_bytecode_cache(cache_dir / "templates"),
            )
        except SiteError as error:
            raise PluginError(f"clearplan: {error}") from None
        for problem in prepared.warnings:
            log.info(str(problem))
        self.view, self.renderer, self.edit_files = prepared.view, prepared.renderer, prepared.edit_files
        self.data_dir = data_dir
        self.data_dir_shown = shown
        # clearplan's theme (main.html, partials, assets) comes after the site's own overrides.
        config.theme.dirs.insert(1 if custom_dir else 0, str(THEME_DIR))
        self.theme_bytecode = folder_bytecode_cache(cache_dir / "theme")
        if config.nav:
            try:
                expand_nav(self.view, config.nav)
            except SiteError as error:
                raise PluginError(f"clearplan: {error}") from None
        self._feedback(config)
        self.print_packs = prepared.print_packs
        return config

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

    def on_files(self, files: Files, config) -> Files:
        pages = {file.src_uri: file.content_string for file in files.documentation_pages() if file.src_uri.endswith(".md")}
        problems = page_problems(
            pages, self.view.data, [d / "pages" for d in self.renderer.template_dirs], os.path.relpath(config.docs_dir), str(self.data_dir_shown)
        )
        if problems:
            raise PluginError("clearplan: " + "\nclearplan: ".join(problems))
        # MkDocs publishes the theme folder's files: clearplan's templates are not for readers.
        for file in [f for f in files if f.src_uri.startswith(TEMPLATE_FOLDER + "/") and not f.is_documentation_page()]:
            files.remove(file)
        self.generated = generated_pages(self.view, lambda path: files.get_file_from_path(path) is not None)
        # Which pages this site has, so templates link only to pages that exist.
        self.renderer.env.globals["site_pages"] = {file.src_uri for file in files.documentation_pages()} | set(self.generated)
        for path, page in self.generated.items():
            # `clearplan build` has written them into its staged docs already.
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=page.source))
        for pack in self.print_packs:
            if files.get_file_from_path(pack.url) is None:
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
            page.edit_url = edit_url(config.repo_url, config.edit_uri, self.docs_dir, self.data_dir, data_file)
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
        return self.renderer.explain_terms(content, root)

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
        return valid_theme_markup(output)

    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        # The static templates (404.html) are pages of Material's base.html too.
        return valid_theme_markup(output_content)
