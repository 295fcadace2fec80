"""Notices to units: recorded with the change that causes them, delivered to each staff member once.

A staff member who wants messages at once gets, in the same transaction, one message listing the notices
of that change (a periodic run's reminders arrive together, not as fifty messages over the outbox's limits);
one who chose the daily digest gets them in it (``digests``). ``NoticeDelivery`` says who got which notice, so
nobody is told twice, whichever way, however often a task runs, and whenever they switch.
"""

from collections import defaultdict
from datetime import datetime

from sqlalchemy import insert, select

from engage.accounts.models import MessageChannel, MessageTiming, Role, User
from engage.core.contacts import email_address, mobile_number
from engage.extensions import db
from engage.notifications import bulk
from engage.proposals.models import Proposal, ProposalUnit, UnitRole
from engage.proposals.supervision.models import NoticeDelivery, NoticeKind, UnitNotice

TEMPLATE = "supervision_notices"
IMMEDIATE, DIGEST = "immediate", "digest"
#: notices a message lists one by one; the rest are counted (an import may assign a unit hundreds of cases)
MAX_LISTED = 50


def contact_of(user: User) -> tuple[str, str] | None:
    """Where the user's messages go: SMS when they prefer it and gave a mobile number, else their e-mail."""
    if user.notify_by == MessageChannel.SMS:
        mobile = mobile_number(user.phone)
        if mobile:
            return "sms", mobile
    address = email_address(user.email)
    return ("email", address) if address else None


def unit_staff(department_ids) -> dict[int, list[User]]:
    """Active department staff of each unit."""
    ids = set(department_ids)
    if not ids:
        return {}
    found = defaultdict(list)
    for user in db.session.scalars(select(User).where(User.department_id.in_(ids), User.is_active,
                                                      User.role == Role.DEPARTMENT_STAFF).order_by(User.id)):
        found[user.department_id].append(user)
    return found


def record(proposal: Proposal, kind: NoticeKind, department_ids, *, now: datetime, detail: str = "",
           step: int = 0, dedupe_key: str | None = None) -> list[UnitNotice]:
    """Add one notice per unit (not yet delivered: call ``deliver_now``)."""
    notices = [UnitNotice(proposal_id=proposal.id, round_number=proposal.round_number, department_id=unit_id, kind=kind,
                          step=step, dedupe_key=dedupe_key, due_on=proposal.due_on, detail=detail, created_at=now)
               for unit_id in dict.fromkeys(department_ids)]
    db.session.add_all(notices)
    db.session.flush()
    return notices


def tell(proposal: Proposal, kind: NoticeKind, department_ids, *, now: datetime, detail: str = "") -> list[UnitNotice]:
    """Record a notice of an event to these units and deliver it at once to those who want it so."""
    notices = record(proposal, kind, department_ids, now=now, detail=detail)
    deliver_now(notices, now=now)
    return notices


def case_labels(proposal_ids) -> dict[int, tuple[str, str]]:
    """(number, title) of each case, in one query."""
    ids = set(proposal_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Proposal.id, Proposal.number, Proposal.title).where(Proposal.id.in_(ids)))
    return {row.id: (row.number, row.title) for row in rows}


def item_of(notice: UnitNotice, labels: dict[int, tuple[str, str]]) -> dict:
    """A notice as plain values for a message's params."""
    number, title = labels.get(notice.proposal_id, ("", ""))
    return {"kind": str(notice.kind), "step": notice.step, "reminder": notice.dedupe_key is not None,
            "proposal_id": notice.proposal_id, "number": number, "title": title,
            "due_on": notice.due_on.isoformat() if notice.due_on else "", "detail": (notice.detail or "")[:500]}


def listed(notices: list[UnitNotice], labels: dict[int, tuple[str, str]]) -> dict:
    """A message's ``items`` (the first ``MAX_LISTED`` notices) and how many ``more`` it only counts."""
    return {"items": [item_of(n, labels) for n in notices[:MAX_LISTED]],
            "more": max(0, len(notices) - MAX_LISTED)}


def deliver_now(notices: list[UnitNotice], *, now: datetime) -> int:
    """One message to each staff member who wants notices at once, listing those not yet delivered to them."""
    by_unit = defaultdict(list)
    for notice in notices:
        by_unit[notice.department_id].append(notice)
    staff = unit_staff(by_unit)
    already = _delivered_pairs([n.id for n in notices])
    labels = case_labels(n.proposal_id for n in notices)
    batch, deliveries = [], []
    for unit_id, unit_notices in by_unit.items():
        for user in staff.get(unit_id, []):
            if user.message_timing != MessageTiming.IMMEDIATE:
                continue
            fresh = [n for n in unit_notices if (n.id, user.id) not in already]
            contact = contact_of(user)
            if not fresh or contact is None:
                continue
            deliveries += [{"notice_id": n.id, "user_id": user.id, "via": IMMEDIATE, "delivered_at": now}
                           for n in fresh]
            batch.append((contact[0], bulk.Addressed(
                recipient=contact[1], language=user.message_language,
                params={"name": user.name, **listed(fresh, labels)},
                about_type="users", about_id=user.id)))
    if deliveries:
        db.session.execute(insert(NoticeDelivery), deliveries)
    return bulk.queue_to_contacts(batch, template=TEMPLATE, transactional=True, now=now) if batch else 0


def _delivered_pairs(notice_ids: list[int]) -> set[tuple[int, int]]:
    if not notice_ids:
        return set()
    rows = db.session.execute(select(NoticeDelivery.notice_id, NoticeDelivery.user_id)
                              .where(NoticeDelivery.notice_id.in_(notice_ids)))
    return {tuple(row) for row in rows}


def mark_delivered(notice_ids: list[int], user_id: int, *, via: str, now: datetime) -> None:
    if notice_ids:
        db.session.execute(insert(NoticeDelivery), [{"notice_id": notice_id, "user_id": user_id, "via": via,
                                                     "delivered_at": now} for notice_id in notice_ids])


def tell_assignment(proposal: Proposal, *, now: datetime) -> None:
    """Lead units hear of their new case; co-units that their opinion is asked for."""
    tell(proposal, NoticeKind.ASSIGNED, [u.department_id for u in proposal.units if u.role == "lead"], now=now)
    tell(proposal, NoticeKind.OPINION_REQUESTED, [u.department_id for u in proposal.units if u.role == "co"],
         now=now)


def tell_imported(import_job_id: int, *, now: datetime) -> list[UnitNotice]:
    """The units of the cases an import assigned hear of them as of a case assigned by hand.

    An import of a whole session may give one unit hundreds of cases: each staff member who wants notices at
    once gets one message for all of them (``deliver_now``), and the others find them in their digest.
    """
    rows = db.session.execute(
        select(ProposalUnit.proposal_id, ProposalUnit.department_id, ProposalUnit.role, Proposal.due_on)
        .join(Proposal, Proposal.id == ProposalUnit.proposal_id)
        .where(Proposal.import_job_id == import_job_id)
        .order_by(ProposalUnit.proposal_id, ProposalUnit.id))
    notices = [UnitNotice(proposal_id=row.proposal_id, round_number=1, department_id=row.department_id,
                          kind=NoticeKind.ASSIGNED if row.role == UnitRole.LEAD else NoticeKind.OPINION_REQUESTED,
                          step=0, due_on=row.due_on, detail="", created_at=now) for row in rows]
    if notices:
        db.session.add_all(notices)
        db.session.flush()
        deliver_now(notices, now=now)
    return notices


def tell_objection_decided(objection, *, now: datetime) -> None:
    """The objecting unit hears whether it keeps the case (dismissed) or not (upheld), with the note."""
    tell(objection.proposal, NoticeKind.OBJECTION_DECIDED, [objection.department_id], now=now,
         detail=f"{objection.state}: {objection.decision_note}")
