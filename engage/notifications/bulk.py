"""Many messages at once (an event cancelled with 5,000 sign-ups): the same outbox rows as ``queue_message``,
written in one insert batch, with the limits read in a few grouped queries instead of one per recipient.

Enqueueing one job per row costs a few milliseconds each on the SQLite queue, far too long for the request
that caused them, so the rows are handed to the queue in chunks (``jobs.deliver_messages``): the request
enqueues a few jobs, and the consumers deliver the chunks side by side.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from engage.extensions import db
from engage.notifications import rendering, rules, services
from engage.notifications.models import Channel, DeliveryAttempt, MessageStatus, OutboxMessage, Suppression

#: ids of rows queued in bulk in the open transaction, enqueued in chunks once it commits
BULK_PENDING_KEY = "engage_outbox_bulk_pending"
#: rows per delivery job
CHUNK = 100
#: recipients per grouped query (well under every database's limit of bound parameters)
QUERY_CHUNK = 500


@dataclass(frozen=True)
class Addressed:
    """One message of a batch: to whom, with which parameters, in which language, about which record."""

    recipient: str
    language: str
    params: dict = field(default_factory=dict)
    about_type: str = ""
    about_id: int | None = None


def queue_messages(messages: list[Addressed], *, channel: Channel | str, template: str, transactional: bool,
                   now: datetime) -> int:
    """Add every message to the outbox in the current transaction; returns how many were queued (not withheld).

    Texts are rendered once per distinct (language, params), so a notice that is the same for everyone is
    rendered once per language. Limits and unsubscriptions apply as for ``services.queue_message``.
    """
    channel = Channel(channel)
    addressed = [(services.normalise_recipient(channel, m.recipient), m) for m in messages]
    if not addressed:
        return 0
    recipients = sorted({recipient for recipient, _m in addressed})
    reasons = _withholding_reasons(channel, recipients, transactional, now)
    rendered_cache: dict = {}
    rows = []
    for recipient, message in addressed:
        rendered = _rendered(rendered_cache, template, channel, message, recipient, transactional)
        reason = reasons.get(recipient)
        rows.append(dict(
            created_at=now, channel=channel, recipient=recipient, template=template, language=message.language,
            subject=rendered.subject, body_text=rendered.text, body_html=rendered.html, params=message.params,
            transactional=transactional, status=MessageStatus.WITHHELD if reason else MessageStatus.QUEUED,
            attempts=0, last_error=reason or "", next_try_at=None if reason else now,
            about_type=message.about_type, about_id=message.about_id, idempotency_key=uuid.uuid4().hex,
        ))
    inserted = db.session.execute(sa.insert(OutboxMessage).returning(OutboxMessage.id, OutboxMessage.status,
                                                                     OutboxMessage.last_error), rows).all()
    withheld = [dict(message_id=row.id, at=now, outcome=MessageStatus.WITHHELD, detail=row.last_error)
                for row in inserted if row.status == MessageStatus.WITHHELD]
    if withheld:
        db.session.execute(sa.insert(DeliveryAttempt), withheld)
    queued = [row.id for row in inserted if row.status == MessageStatus.QUEUED]
    _install_session_hooks()
    db.session.info.setdefault(BULK_PENDING_KEY, []).extend(queued)
    return len(queued)


def queue_to_contacts(messages: list[tuple[Channel | str, Addressed]], *, template: str, transactional: bool,
                      now: datetime) -> int:
    """``queue_messages`` for a batch whose recipients were reached by different channels (a phone or a mailbox,
    as each person gave); returns how many were queued."""
    queued = 0
    for channel in Channel:
        batch = [message for kind, message in messages if Channel(kind) == channel]
        if batch:
            queued += queue_messages(batch, channel=channel, template=template, transactional=transactional, now=now)
    return queued


def _rendered(cache: dict, template: str, channel: Channel, message: Addressed, recipient: str,
              transactional: bool) -> rendering.Rendered:
    unsubscribe = "" if transactional else services.unsubscribe_url(channel, recipient)
    key = repr((message.language, sorted(message.params.items()), unsubscribe))
    if key not in cache:
        cache[key] = rendering.render(template, channel, message.language, message.params, unsubscribe)
    return cache[key]


def _withholding_reasons(channel: Channel, recipients: list[str], transactional: bool,
                         now: datetime) -> dict[str, str]:
    """Why a message to each recipient would be withheld (unsubscribed, over the hour's or day's limit)."""
    reasons: dict[str, str] = {}
    limits = current_app.config["OUTBOX_LIMITS"][channel.value]
    hour_ago, day_ago = now - timedelta(hours=1), now - timedelta(days=1)
    for start in range(0, len(recipients), QUERY_CHUNK):
        part = recipients[start:start + QUERY_CHUNK]
        if not transactional:
            reasons.update(dict.fromkeys(db.session.scalars(sa.select(Suppression.recipient).where(
                Suppression.channel == channel, Suppression.recipient.in_(part))), "unsubscribed"))
        counted = db.session.execute(
            sa.select(OutboxMessage.recipient, sa.func.count().filter(OutboxMessage.created_at >= hour_ago),
                      sa.func.count())
            .where(OutboxMessage.channel == channel, OutboxMessage.recipient.in_(part),
                   OutboxMessage.created_at >= day_ago, OutboxMessage.status != MessageStatus.WITHHELD)
            .group_by(OutboxMessage.recipient))
        for recipient, last_hour, last_day in counted:
            reason = rules.over_limit(last_hour, last_day, limits)
            if reason and recipient not in reasons:
                reasons[recipient] = reason
    return reasons


# ---- after the business transaction ---------------------------------------------------------------------


def _enqueue_after_commit(session) -> None:
    ids = session.info.pop(BULK_PENDING_KEY, None)
    if ids:
        enqueue_in_chunks(ids)


def _forget_after_rollback(session) -> None:
    session.info.pop(BULK_PENDING_KEY, None)


def _install_session_hooks() -> None:
    if not sa.event.contains(Session, "after_commit", _enqueue_after_commit):
        sa.event.listen(Session, "after_commit", _enqueue_after_commit)
        sa.event.listen(Session, "after_rollback", _forget_after_rollback)


def enqueue_in_chunks(ids: list[int]) -> None:
    """One delivery job per ``CHUNK`` rows; a failure loses nothing (the sweeper enqueues queued rows again)."""
    from engage.notifications import jobs

    for start in range(0, len(ids), CHUNK):
        try:
            jobs.deliver_messages(ids[start:start + CHUNK])
        except Exception:  # the queue's storage is down: the rows wait for the sweeper
            services.log.warning("could not enqueue %d outbox messages; the sweeper will", len(ids), exc_info=True)
