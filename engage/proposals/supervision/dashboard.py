"""The 督办 dashboard: overdue by unit and by how long, replies under review, reminders sent, chasing notices."""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from sqlalchemy import func, select

from engage.accounts.models import Department
from engage.extensions import db
from engage.proposals.models import Proposal
from engage.proposals.supervision import chasing, overview, reminders, review, rules
from engage.proposals.supervision.models import NoticeDelivery, NoticeKind, UnitNotice
from engage.regions import services as regions

#: how far back the dashboard counts reminders and lists chasing notices
RECENT_DAYS = 30


@dataclass
class UnitRow:
    department: Department
    overview: overview.UnitOverview
    reminders: int = 0


@dataclass
class Board:
    bands: tuple = rules.OVERDUE_BANDS
    units: list[UnitRow] = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    under_review: list = field(default_factory=list)
    #: notices of each kind made in the recent days, and how many messages or digest lines carried them
    notices_by_kind: list[tuple[NoticeKind, int]] = field(default_factory=list)
    deliveries: int = 0
    chasing: list = field(default_factory=list)

    @property
    def unanswered_chasing(self) -> int:
        return sum(1 for _notice, answer in self.chasing if answer is None)


def build(*, today: date, since: datetime, region=None) -> Board:
    """The dashboard as of ``today``; reminders and chasing notices since ``since``. Given a region (the office
    of a region's level), only the cases of sessions held there or below, rolled up."""
    sessions = regions.sessions_under(region) if region is not None else None
    overviews = overview.unit_overviews(today, max(_reminder_days(), default=0), session_ids=sessions)
    sent = reminders.reminders_by_unit(since)
    listed = overview.units_by_attention(overviews)
    names = {d.id: d for d in db.session.scalars(select(Department).where(
        Department.id.in_({o.unit_id for o in listed} | set(sent))))}
    rows = [UnitRow(names[o.unit_id], o, sent.get(o.unit_id, 0)) for o in listed if o.unit_id in names]
    counts = dict(db.session.execute(select(UnitNotice.kind, func.count()).where(UnitNotice.created_at >= since)
                                     .group_by(UnitNotice.kind)).all())
    deliveries = db.session.scalar(select(func.count()).select_from(NoticeDelivery)
                                   .where(NoticeDelivery.delivered_at >= since))
    under_review, chased = review.waiting_for_review(), chasing.chasing_notices(since=since)
    if region is not None:
        inside = set(db.session.scalars(select(Proposal.id).where(Proposal.session_id.in_(sessions))))
        under_review = [draft for draft in under_review if draft.proposal_id in inside]
        chased = [(notice, answer) for notice, answer in chased if notice.proposal_id in inside]
    return Board(units=rows, totals=overview.totals(overviews.values()), under_review=under_review,
                 notices_by_kind=[(kind, counts.get(kind, 0)) for kind in NoticeKind], deliveries=deliveries or 0,
                 chasing=chased)


def _reminder_days() -> list[int]:
    return current_app.config["PROPOSAL_REMINDER_DAYS"]
