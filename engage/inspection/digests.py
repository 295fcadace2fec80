"""The self-check list as a daily digest to each department's staff, on working days (once a day each).

Claimed by a ``DigestSent`` row of kind "inspection" (shared with the supervision digests), so a repeated
run sends nothing more. Only flushes; the periodic task commits.
"""

from datetime import datetime, time

from flask import current_app
from sqlalchemy import insert, or_, select

from engage.accounts.models import Role, User
from engage.core.workdays import WorkCalendar
from engage.extensions import db
from engage.inspection import services
from engage.notifications import bulk
from engage.proposals.supervision import notices
from engage.proposals.supervision import rules as schedule
from engage.proposals.supervision.models import DigestSent

KIND, TEMPLATE = "inspection", "inspection_digest"
#: findings listed by name in one message (the rest are counted)
LISTED = 30


def send_inspection_digests(*, now: datetime, calendar: WorkCalendar) -> int:
    """Queue today's self-check digest to the staff of every department with findings; returns how many."""
    day = schedule.daily_digest_day(now, time.fromisoformat(current_app.config["STAFF_DIGEST_TIME"]), calendar)
    if day is None:
        return 0
    sent = set(db.session.scalars(select(DigestSent.user_id).where(DigestSent.kind == KIND,
                                                                   DigestSent.period_start == day)))
    # Supervisors get the supervising office's findings (stale published figures), with their department's if any.
    readers = or_((User.role == Role.DEPARTMENT_STAFF) & User.department_id.is_not(None), User.role == Role.SUPERVISOR)
    staff = [u for u in db.session.scalars(select(User).where(User.is_active, readers).order_by(User.id))
             if u.id not in sent]
    if not staff:
        return 0
    by_unit: dict[int, list] = {}
    for finding in services.findings(now=now):
        by_unit.setdefault(finding.department_id, []).append(finding)
    found_for = {u.id: _found_for(u, by_unit) for u in staff}
    db.session.execute(insert(DigestSent), [{"user_id": u.id, "kind": KIND, "period_start": day, "sent_at": now,
                                             "items": len(found_for[u.id])} for u in staff])
    batch = []
    for user in staff:
        found, contact = found_for[user.id], notices.contact_of(user)
        if not found or contact is None:
            continue
        params = {"name": user.name, "day": day.isoformat(), "count": len(found),
                  "office": user.role == Role.SUPERVISOR,
                  "findings": [{"kind": f.kind, "title": f.title, "since": f.since.isoformat(), "days": f.days_late,
                                "endpoint": f.fix[0], "values": f.fix[1]} for f in found[:LISTED]]}
        batch.append((contact[0], bulk.Addressed(recipient=contact[1], params=params, about_type="users",
                                                 about_id=user.id,
                                                 language=user.message_language)))
    return bulk.queue_to_contacts(batch, template=TEMPLATE, transactional=True, now=now) if batch else 0


def _found_for(user: User, by_unit: dict) -> list:
    own = by_unit.get(user.department_id, []) if user.department_id is not None else []
    if user.role != Role.SUPERVISOR:
        return own
    return sorted(own + by_unit.get(services.OFFICE, []), key=lambda f: (-f.days_late, f.kind, f.title))
