"""Markup the theme writes that HTML does not allow (Nu HTML Checker), corrected in every built page:
by the plugin while MkDocs builds, and by `clearplan build` after a generator that runs no plugin."""

from __future__ import annotations

import re

# Material's base.html (not a partial, so not overridable alone) puts autocomplete="off" on its two
# checkbox toggles; HTML allows autocomplete only on text-like inputs.
TOGGLE_AUTOCOMPLETE = re.compile(
    r'(<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" id="__(?:drawer|search)") autocomplete="off">'
)
# Zensical's base.html hides the drawer's overlay label, which HTML forbids on a label tied to an
# input; Material's has no aria-hidden there.
OVERLAY_ARIA_HIDDEN = re.compile(r'(<label class="md-overlay" for="__drawer") aria-hidden="true">')


def valid_theme_markup(page: str) -> str:
    """`page` with the theme's invalid attributes removed; everything else unchanged."""
    return OVERLAY_ARIA_HIDDEN.sub(r"\1>", TOGGLE_AUTOCOMPLETE.sub(r"\1>", page))
