"""Erasing personal data whose purpose is over, and the log of how much of each kind was erased.

What the public reads stays whole: a comment keeps its text, display name and answer; a sign-up keeps its status
and party size (the event's counts); a message keeps its status and tries. Only what reaches or identifies a
person goes: names, phones, ID numbers, e-mail addresses, and the texts sent to them.
"""

from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from engage.consultations.models import Comment
from engage.decisions.models import Decision
from engage.events.models import Event, Registration
from engage.extensions import db
from engage.notifications.models import Channel, MessageStatus, OutboxMessage
from engage.notifications.rules import mask_contact
from engage.privacy import rules
from engage.privacy.models import ErasedKind, Erasure
from engage.subscriptions.models import Subscription, SubscriptionStatus

#: rows changed per statement, so a first run over years of data does not hold one huge transaction's locks
BATCH = 1000
#: messages whose delivery is over: their text has done its work
FINISHED = (MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.WITHHELD)


def _ids(statement) -> list[int]:
    return list(db.session.scalars(statement.limit(BATCH)))


def erase_sign_ups(retention: rules.Retention, now: datetime) -> int:
    ended = sa.select(Event.id).where(Event.ends_at < rules.sign_ups_ended_before(retention, now))
    ids = _ids(sa.select(Registration.id).where(Registration.event_id.in_(ended), Registration.phone != ""))
    if ids:
        db.session.execute(sa.update(Registration).where(Registration.id.in_(ids))
                           .values(name="", phone="", active_phone=None, id_number="", updated_at=now)
                           .execution_options(synchronize_session=False))
    return len(ids)


def erase_comment_contacts(retention: rules.Retention, now: datetime) -> int:
    decided = sa.select(Decision.consultation_id).where(
        Decision.published_on <= rules.decisions_published_on_or_before(retention, now))
    # The source key (a keyed hash of the sender's address, for counting a campaign's sources) goes with it.
    ids = _ids(sa.select(Comment.id).where(Comment.consultation_id.in_(decided),
                                           sa.or_(Comment.contact != "", Comment.source_key != "")))
    if ids:
        db.session.execute(sa.update(Comment).where(Comment.id.in_(ids)).values(contact="", source_key="")
                           .execution_options(synchronize_session=False))
    return len(ids)


def erase_subscription_contacts(now: datetime) -> int:
    """Ended follows, and requests never confirmed in time, lose their contact."""
    expired = sa.and_(Subscription.status == SubscriptionStatus.PENDING, Subscription.confirm_by < now)
    ids = _ids(sa.select(Subscription.id).where(
        sa.or_(Subscription.status == SubscriptionStatus.ENDED, expired), Subscription.erased_at.is_(None)))
    if ids:
        db.session.execute(sa.update(Subscription).where(Subscription.id.in_(ids))
                           .values(contact="", secret_hash="", status=SubscriptionStatus.ENDED,
                                   ended_at=sa.func.coalesce(Subscription.ended_at, now), erased_at=now)
                           .execution_options(synchronize_session=False))
    return len(ids)


def erase_message_bodies(retention: rules.Retention, now: datetime) -> int:
    """Old messages keep their row, status and tries; their texts, parameters and recipient go."""
    rows = db.session.execute(sa.select(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.recipient).where(
        OutboxMessage.created_at < rules.messages_queued_before(retention, now),
        OutboxMessage.status.in_(FINISHED), OutboxMessage.body_text != "").order_by(OutboxMessage.id)
        .limit(BATCH)).all()
    for row in rows:
        # A webhook's recipient is a system's address, not a person's: it stays for the hook's log.
        recipient = row.recipient if row.channel == Channel.WEBHOOK else mask_contact(row.recipient)
        db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id == row.id)
                           .values(body_text="", body_html="", subject="", params={}, recipient=recipient)
                           .execution_options(synchronize_session=False))
    return len(rows)


def erase_expired(now: datetime, config=None) -> dict[ErasedKind, int]:
    """One run: erase what has expired of each kind and log the counts; returns them (kinds with none left out)."""
    retention = rules.Retention.from_config(config or current_app.config)
    counts = {ErasedKind.SIGN_UP: erase_sign_ups(retention, now),
              ErasedKind.COMMENT_CONTACT: erase_comment_contacts(retention, now),
              ErasedKind.SUBSCRIPTION_CONTACT: erase_subscription_contacts(now),
              ErasedKind.MESSAGE_BODY: erase_message_bodies(retention, now)}
    counts = {kind: count for kind, count in counts.items() if count}
    for kind, count in counts.items():
        db.session.add(Erasure(ran_at=now, kind=kind, count=count))
    db.session.flush()
    return counts


def erasure_log(limit: int = 200) -> list[Erasure]:
    return db.session.scalars(sa.select(Erasure).order_by(Erasure.ran_at.desc(), Erasure.id).limit(limit)).all()


def totals() -> dict[ErasedKind, int]:
    rows = db.session.execute(sa.select(Erasure.kind, sa.func.sum(Erasure.count)).group_by(Erasure.kind)).all()
    return {ErasedKind(kind): int(total) for kind, total in rows}
