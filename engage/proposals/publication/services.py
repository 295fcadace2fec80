"""Publishing a session's handling figures as a dated statement, and reading the statements back."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from engage.core.errors import NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.core.timeutil import china_date
from engage.extensions import db
from engage.proposals import stats
from engage.proposals.models import ProposalSession
from engage.proposals.publication.models import FiguresPublication
from engage.proposals.publication.permissions import can_publish_figures

NOTE_MAX = 5000
#: the counted figures a snapshot keeps; the rates and "late" are derived from them when it is shown
_COUNTS = ("assigned", "co_handled", "replied", "on_time", "overdue")


def get_session(session_id: int) -> ProposalSession:
    found = db.session.get(ProposalSession, session_id)
    if found is None:
        raise NotFound()
    return found


def get_publication(publication_id: int) -> FiguresPublication:
    found = db.session.get(FiguresPublication, publication_id)
    if found is None:
        raise NotFound()
    return found


def publish_figures(session: ProposalSession, note: str, *, actor, now: datetime) -> FiguresPublication:
    """Publish the session's overall handling figures as they are at ``now``, dated that China day.

    :param session: the session whose figures (both kinds of case) are published
    :param note: the office's summary shown with the figures; may be empty
    :raises NotAllowed: ``actor`` is not the supervising office
    :raises ValidationFailed: the note is too long
    :raises RuleViolation: no case of the session has been assigned, so there is nothing to state
    """
    if not can_publish_figures(actor):
        raise NotAllowed()
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed({"note": [_l("The summary can have at most %(max)d characters.", max=NOTE_MAX)]})
    today = china_date(now)
    figures = stats.session_figures(session.id, today)
    if not figures.total.assigned:
        raise RuleViolation(_l("No case of this session has been assigned yet: there are no figures to publish."))
    publication = FiguresPublication(session_id=session.id, published_on=today, published_at=now,
                                     published_by_id=actor.id, note=note, figures=snapshot(figures))
    db.session.add(publication)
    db.session.flush()
    return publication


def snapshot(figures: stats.SessionFigures) -> dict:
    """What a publication keeps of the live figures: plain JSON, unit names copied."""
    return {"kinds": list(figures.kinds), "total": _counts(figures.total),
            "units": [{"unit_id": f.unit_id, "name": f.unit.name, "name_en": f.unit.name_en, **_counts(f)}
                      for f in figures.units]}


def _counts(f: stats.Figures) -> dict:
    return {**{name: getattr(f, name) for name in _COUNTS}, "outcomes": dict(f.outcomes), "ratings": dict(f.ratings)}


def publications_of(session_id: int) -> list[FiguresPublication]:
    """Every publication of the session, the latest first."""
    return list(db.session.scalars(select(FiguresPublication).where(FiguresPublication.session_id == session_id)
                                   .order_by(FiguresPublication.published_at.desc(), FiguresPublication.id.desc())))


def latest_id(session_id: int) -> int | None:
    """The latest publication's id: what the public figures page's cached copy depends on beside the figures."""
    return db.session.scalar(select(func.max(FiguresPublication.id))
                             .where(FiguresPublication.session_id == session_id))


def latest_dates() -> dict[int, date]:
    """Session id -> the day its figures were last published (sessions never published are absent)."""
    return dict(db.session.execute(select(FiguresPublication.session_id, func.max(FiguresPublication.published_on))
                                   .group_by(FiguresPublication.session_id)).all())


@dataclass(frozen=True)
class PublishedUnit:
    """A unit as the publication named it (duck-types the ``Department`` the figures table asks for)."""

    id: int
    name: str
    name_en: str

    def display_name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name


def published_figures(publication: FiguresPublication) -> stats.SessionFigures:
    """The snapshot as figures again, so the page shows a statement with the same table as the live figures."""
    data = publication.figures
    units = []
    for row in data["units"]:
        unit = _figures(row)
        unit.unit_id, unit.unit = row["unit_id"], PublishedUnit(row["unit_id"], row["name"], row["name_en"])
        units.append(unit)
    return stats.SessionFigures(session_id=publication.session_id, kind=None, units=units,
                                total=_figures(data["total"]), kinds=list(data["kinds"]))


def _figures(row: dict) -> stats.Figures:
    return stats.Figures(**{name: row[name] for name in _COUNTS}, outcomes=dict(row["outcomes"]),
                         ratings=dict(row["ratings"]))
