"""The Atom feed (RFC 4287) of newly opened consultations and newly published feedback reports."""

from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree

from sqlalchemy import select

from engage.consultations.models import Consultation, Stage
from engage.extensions import db

ATOM = "http://www.w3.org/2005/Atom"


@dataclass
class FeedEntry:
    #: a permanent, unique id (a tag: URI), so feed readers never show an entry twice
    id: str
    title: str
    url: str
    updated: datetime
    summary: str
    author: str


def opened_consultations(now: datetime, limit: int) -> list[Consultation]:
    """Published consultations whose period has opened, the latest opening first."""
    return db.session.scalars(
        select(Consultation).where(Consultation.stage != Stage.DRAFT, Consultation.opens_at <= now)
        .order_by(Consultation.opens_at.desc(), Consultation.id.desc()).limit(limit)
    ).all()


def tag_uri(authority: str, specific: str) -> str:
    """An RFC 4151 tag URI; the date is fixed, so ids stay the same forever."""
    return f"tag:{authority},2026:{specific}"


def _text(parent, name: str, text: str, **attributes):
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
    element.text = text
    return element


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def render_atom(*, feed_id: str, title: str, self_url: str, site_url: str, language: str,
                entries: list[FeedEntry], now: datetime) -> bytes:
    """The feed document; ElementTree escapes every text, whatever staff typed into titles."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    _text(feed, "updated", _stamp(max((e.updated for e in entries), default=now)))
    _text(feed, "link", None, rel="self", type="application/atom+xml", href=self_url)
    _text(feed, "link", None, rel="alternate", type="text/html", href=site_url)
    for item in entries:
        entry = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", item.id)
        _text(entry, "title", item.title)
        _text(entry, "updated", _stamp(item.updated))
        _text(entry, "link", None, rel="alternate", type="text/html", href=item.url)
        _text(entry, "summary", item.summary)
        author = ElementTree.SubElement(entry, f"{{{ATOM}}}author")
        _text(author, "name", item.author)
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
