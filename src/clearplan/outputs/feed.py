"""The Atom feed of plan updates: each version of the plan and each "You said, we did" entry.

Python prepares the entries; the template `clearplan/feed.xml` writes the XML. No mkdocs import.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..plan.model import first_day
from ..site.render import PLAN_STATUS_LABELS, PlanView
from ..checks.you_said import who_label

FEED_PATH = "feed.xml"


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    updated: str  # RFC 3339, as Atom requires
    link: str
    summary: str


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    updated: str
    link: str
    self_link: str
    author: str
    entries: list[FeedEntry]


def timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def build_feed(view: PlanView, site_url: str | None) -> Feed | None:
    """Ids are tag URIs (RFC 4151) named by the contact's domain, so they never change when the
    site moves; links are absolute when the site's address is configured, else relative to the feed."""
    plan = view.plan
    domain = (plan.contact.email.rpartition("@")[2] if plan.contact else "") or "clearplan.invalid"
    base = (site_url or "").rstrip("/") + "/" if site_url else ""

    def tag(day: dt.date, path: str) -> str:
        return f"tag:{domain},{day.isoformat()}:{slug(plan.title)}/{path}"

    entries = []
    if plan.version.date is not None:  # an undated version has no day to announce it on
        version_day = first_day(plan.version.date)
        status = f" ({PLAN_STATUS_LABELS[plan.status].lower()})" if plan.status else ""
        entries.append(
            FeedEntry(
                tag(version_day, f"version/{slug(plan.version.label)}"),
                f"New version: {plan.version.label}",
                timestamp(version_day),
                f"{base}about/",
                f"{plan.title}, {plan.version.label}{status}. {plan.summary}",
            )
        )
    for entry in view.data.you_said:
        answer = entry.response.text if entry.response else "We have not yet agreed an action that answers this."
        entries.append(
            FeedEntry(
                tag(entry.added, f"you-said/{entry.id}"),
                f"You said, we did: {entry.theme}",
                timestamp(entry.added),
                f"{base}you-said/#{entry.id}",
                f"{who_label(entry.who)} told us: “{entry.said}” {answer}",
            )
        )
    entries.sort(key=lambda e: (e.updated, e.id), reverse=True)
    if not entries:
        return None
    updated = max(e.updated for e in entries)
    # The feed's id is named by the version's day; an undated version's feed by its first entry's day.
    id_day = first_day(plan.version.date) if plan.version.date else min(dt.date.fromisoformat(e.updated[:10]) for e in entries)
    organisation = view.council.name
    return Feed(tag(id_day, "updates"), f"{plan.title}: updates", updated, base or "./", f"{base}{FEED_PATH}", organisation, entries)
