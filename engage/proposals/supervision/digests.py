"""Daily (or weekly) digests: units' staff who chose one, and the supervising office.

A digest is claimed by its ``DigestSent`` row (unique per person, kind and period) in the transaction that
queues it, so a run repeated the same day sends nothing more. It goes out on working days at
``STAFF_DIGEST_TIME`` (China) and covers what happened since the previous working day's digest, across
midnight and across days off. Only flushes; the periodic task commits.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import insert, select

from engage.accounts.models import Department, MessageTiming, Role, User
from engage.core.workdays import WorkCalendar
from engage.extensions import db
from engage.notifications import bulk
from engage.proposals.supervision import notices, overview, rules
from engage.proposals.supervision.models import DigestSent, NoticeDelivery, UnitNotice

UNIT, SUPERVISOR = "unit", "supervisor"


@dataclass
class Digest:
    user: User
    period_start: date
    params: dict
    notice_ids: list[int]
    items: int


def digest_time() -> time:
    return time.fromisoformat(current_app.config["STAFF_DIGEST_TIME"])


def within_days() -> int:
    return max(current_app.config["PROPOSAL_REMINDER_DAYS"], default=0)


def _already_sent(kind: str, period_start: date) -> set[int]:
    return set(db.session.scalars(select(DigestSent.user_id).where(DigestSent.kind == kind,
                                                                   DigestSent.period_start == period_start)))


def _undelivered(unit_ids, start: datetime, end: datetime, user_ids) -> dict:
    """Notices of these units made in (start, end], per unit, with who already got each."""
    rows = db.session.scalars(select(UnitNotice).where(
        UnitNotice.department_id.in_(set(unit_ids)), UnitNotice.created_at > start, UnitNotice.created_at <= end)
        .order_by(UnitNotice.id)).all()
    got = set()
    if rows:
        got = {tuple(r) for r in db.session.execute(select(NoticeDelivery.notice_id, NoticeDelivery.user_id).where(
            NoticeDelivery.notice_id.in_([n.id for n in rows]), NoticeDelivery.user_id.in_(set(user_ids))))}
    per_unit: dict[int, list] = {}
    for notice in rows:
        per_unit.setdefault(notice.department_id, []).append(notice)
    return {"per_unit": per_unit, "got": got}


def unit_digests(day: date, calendar: WorkCalendar) -> list[Digest]:
    """The daily digests due on ``day`` to unit staff who chose one (not yet sent)."""
    sent = _already_sent(UNIT, day)
    users = [u for u in db.session.scalars(select(User).where(
        User.is_active, User.role == Role.DEPARTMENT_STAFF, User.department_id.is_not(None),
        User.message_timing == MessageTiming.DAILY).order_by(User.id)) if u.id not in sent]
    if not users:
        return []
    unit_ids = {u.department_id for u in users}
    start, end = rules.digest_window(day, digest_time(), calendar)
    found = _undelivered(unit_ids, start, end, [u.id for u in users])
    labels = notices.case_labels(n.proposal_id for unit in found["per_unit"].values() for n in unit)
    overviews = overview.unit_overviews(day, within_days(), unit_ids)
    digests = []
    for user in users:
        fresh = [n for n in found["per_unit"].get(user.department_id, []) if (n.id, user.id) not in found["got"]]
        state = overviews.get(user.department_id) or overview.UnitOverview(user.department_id)
        params = {"name": user.name, "day": day.isoformat(), "within": within_days(),
                  **notices.listed(fresh, labels), "overdue": state.overdue,
                  "due_soon": state.due_soon,
                  "cases": [{"proposal_id": pid, "number": number, "title": title, "due_on": due.isoformat()}
                            for due, pid, number, title in state.cases]}
        digests.append(Digest(user, day, params, [n.id for n in fresh], len(fresh) + state.overdue + state.due_soon))
    return digests


def supervisor_digests(now: datetime, calendar: WorkCalendar) -> list[Digest]:
    """The supervisors' digests due at ``now``: daily, or weekly for those who chose it (not yet sent)."""
    at = digest_time()
    day = rules.daily_digest_day(now, at, calendar)
    if day is None:
        return []
    week = rules.weekly_digest_day(now, at, current_app.config["SUPERVISOR_DIGEST_WEEKDAY"], calendar)
    supervisors = db.session.scalars(select(User).where(User.is_active, User.role == Role.SUPERVISOR)
                                     .order_by(User.id)).all()
    due = [(u, week) if u.message_timing == MessageTiming.WEEKLY else (u, day) for u in supervisors]
    sent_daily, sent_weekly = _already_sent(SUPERVISOR, day), _already_sent(SUPERVISOR, week) if week else set()
    due = [(u, period) for u, period in due if period is not None
           and u.id not in (sent_weekly if period == week and u.message_timing == MessageTiming.WEEKLY
                            else sent_daily)]
    if not due:
        return []
    params = supervisor_digest_params(day)
    items = sum(params["totals"].values())
    return [Digest(user, period, {**params, "name": user.name}, [], items) for user, period in due]


def supervisor_digest_params(day: date) -> dict:
    """Per unit: overdue and due-soon cases, replies waiting for review, ratings outstanding."""
    overviews = overview.unit_overviews(day, within_days())
    names = dict(db.session.execute(select(Department.id, Department.name)).all())
    listed = overview.units_by_attention(overviews)
    return {"day": day.isoformat(), "within": within_days(), "totals": overview.totals(overviews.values()),
            "units": [{"unit_id": o.unit_id, "name": names.get(o.unit_id, ""), "overdue": o.overdue,
                       "due_soon": o.due_soon, "review": o.review, "ratings": o.ratings} for o in listed]}


def send(digests: list[Digest], kind: str, template: str, *, now: datetime) -> int:
    """Claim each digest's period and queue the ones with something to say; returns how many were queued."""
    if not digests:
        return 0
    db.session.execute(insert(DigestSent), [{"user_id": d.user.id, "kind": kind, "period_start": d.period_start,
                                             "sent_at": now, "items": d.items} for d in digests])
    batch = []
    for digest in digests:
        notices.mark_delivered(digest.notice_ids, digest.user.id, via=notices.DIGEST, now=now)
        contact = notices.contact_of(digest.user)
        if digest.items and contact:
            batch.append((contact[0], bulk.Addressed(
                recipient=contact[1], language=digest.user.message_language, params=digest.params,
                about_type="users", about_id=digest.user.id)))
    return bulk.queue_to_contacts(batch, template=template, transactional=True, now=now) if batch else 0


def send_due_digests(*, now: datetime, calendar: WorkCalendar) -> int:
    """Every digest due at ``now`` (units' and supervisors'); returns how many messages were queued."""
    day = rules.daily_digest_day(now, digest_time(), calendar)
    if day is None:
        return 0
    queued = send(unit_digests(day, calendar), UNIT, "supervision_unit_digest", now=now)
    return queued + send(supervisor_digests(now, calendar), SUPERVISOR, "supervision_digest", now=now)


def deliver_missed(*, now: datetime) -> int:
    """Notices of the last day not yet delivered to staff who now want them at once (they switched from the
    digest, or joined the unit since)."""
    recent = db.session.scalars(select(UnitNotice).where(UnitNotice.created_at > now - timedelta(days=1))).all()
    return notices.deliver_now(list(recent), now=now) if recent else 0
