"""The outbox: a message is queued with the change that causes it, then claimed, delivered, retried or failed.

``queue_message`` adds the row inside the caller's transaction; the delivery job (carrying only the row's
id) is enqueued after that transaction commits, so a rollback sends nothing. If enqueueing fails (the queue
is unreachable at that moment), the sweeper finds the row still queued and enqueues it again.
"""

import logging
import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from engage.core.engine import write_transactions
from engage.core.errors import NotFound, RuleViolation
from engage.core.links import public_url
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.notifications import rendering, rules
from engage.notifications.channels import DeliveryFailure, TemporaryFailure, channel_for
from engage.notifications.models import Channel, DeliveryAttempt, MessageStatus, OutboxMessage, Suppression

log = logging.getLogger(__name__)

#: ids of rows queued in the open transaction, enqueued once it commits
PENDING_KEY = "engage_outbox_pending"

#: why a message was withheld (stored as the key in ``last_error``)
WITHHELD_REASONS = {
    "hour": _l("More messages to this contact within an hour than the limit allows"),
    "day": _l("More messages to this contact within a day than the limit allows"),
    "unsubscribed": _l("The person asked for no more messages of this kind"),
    "staff": _l("Withheld by staff"),
}


def queue_message(*, channel: Channel | str, recipient: str, template: str, params: dict | None = None,
                  language: str | None = None, about=None, transactional: bool = True,
                  now: datetime | None = None) -> OutboxMessage:
    """Render ``templates/messages/<template>/`` and add the message to the outbox in the current transaction.

    :param params: plain values the template shows (kept on the row, sent to SMS platforms)
    :param language: the language the person used; by default that of the current request
    :param about: the record the message is about (any model with ``id``), for staff looking for it
    :param transactional: something the person asked for (a receipt, a code): never suppressed and without an
        unsubscribe link; otherwise the person can unsubscribe in one click
    :returns: the row, 'queued', or 'withheld' with the reason when over a limit or unsubscribed
    """
    now = now or utcnow()
    channel = Channel(channel)
    recipient = normalise_recipient(channel, recipient)
    language = language or current_language()
    params = dict(params or {})
    rendered = rendering.render(template, channel, language, params,
                                "" if transactional else unsubscribe_url(channel, recipient))
    message = OutboxMessage(
        created_at=now, channel=channel, recipient=recipient, template=template, language=language,
        subject=rendered.subject, body_text=rendered.text, body_html=rendered.html, params=params,
        transactional=transactional, status=MessageStatus.QUEUED, attempts=0, last_error="", next_try_at=now,
        about_type=getattr(about, "__tablename__", ""), about_id=getattr(about, "id", None),
        idempotency_key=uuid.uuid4().hex,
    )
    reason = _withholding_reason(message, now)
    if reason:
        message.status, message.last_error, message.next_try_at = MessageStatus.WITHHELD, reason, None
        message.attempt_history.append(DeliveryAttempt(at=now, outcome=MessageStatus.WITHHELD, detail=reason))
    db.session.add(message)
    db.session.flush()
    if message.status == MessageStatus.QUEUED:
        db.session.info.setdefault(PENDING_KEY, []).append(message.id)
    return message


def normalise_recipient(channel: Channel, recipient: str) -> str:
    recipient = (recipient or "").strip()
    if channel == Channel.WEBHOOK:
        return recipient
    if channel == Channel.EMAIL:
        return recipient.lower()
    digits = "".join(ch for ch in recipient if ch.isdigit())
    return digits[2:] if len(digits) == 13 and digits.startswith("86") else digits


def current_language() -> str:
    languages = current_app.config["LANGUAGES"]
    if has_request_context():
        chosen = str(get_locale() or "")
        for language in languages:
            if chosen == language or chosen.startswith(language + "_"):
                return language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _withholding_reason(message: OutboxMessage, now: datetime) -> str | None:
    if not message.transactional and is_suppressed(message.channel, message.recipient):
        return "unsubscribed"
    hour_ago, day_ago = now - timedelta(hours=1), now - timedelta(days=1)
    counted = sa.select(
        sa.func.count().filter(OutboxMessage.created_at >= hour_ago),
        sa.func.count(),
    ).where(OutboxMessage.channel == message.channel, OutboxMessage.recipient == message.recipient,
            OutboxMessage.created_at >= day_ago, OutboxMessage.status != MessageStatus.WITHHELD)
    last_hour, last_day = db.session.execute(counted).one()
    return rules.over_limit(last_hour, last_day, current_app.config["OUTBOX_LIMITS"][message.channel.value])


# ---- after the business transaction ---------------------------------------------------------------------


def _enqueue_after_commit(session) -> None:
    ids = session.info.pop(PENDING_KEY, None)
    if ids:
        enqueue(ids)


def _forget_after_rollback(session) -> None:
    session.info.pop(PENDING_KEY, None)


def install_session_hooks() -> None:
    """Enqueue the delivery of queued rows when their transaction commits; forget them when it rolls back."""
    if not sa.event.contains(Session, "after_commit", _enqueue_after_commit):
        sa.event.listen(Session, "after_commit", _enqueue_after_commit)
        sa.event.listen(Session, "after_rollback", _forget_after_rollback)


def enqueue(ids: list[int], delay: float | None = None) -> None:
    """Hand rows to the queue; a failure here loses nothing (the sweeper enqueues queued rows again)."""
    from engage.notifications import jobs

    for message_id in ids:
        try:
            if delay:
                jobs.deliver_message.schedule((message_id,), delay=delay)
            else:
                jobs.deliver_message(message_id)
        except Exception:  # the queue's storage is down: the row waits for the sweeper
            log.warning("could not enqueue outbox message %s; the sweeper will", message_id, exc_info=True)


# ---- delivery ----------------------------------------------------------------------------------------------


def claim(message_id: int, now: datetime) -> bool:
    """Take a due row for sending (compare-and-set on its status), so that no two consumers send it."""
    taken = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status.in_(rules.CLAIMABLE),
               sa.or_(OutboxMessage.next_try_at.is_(None), OutboxMessage.next_try_at <= now))
        .values(status=MessageStatus.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return taken.rowcount == 1


def deliver(message_id: int, now: datetime | None = None) -> MessageStatus | None:
    """Send one row if it is due and nobody else has it; returns its new status, or None if not taken."""
    now = now or utcnow()
    if not claim(message_id, now):
        return None
    message = db.session.get(OutboxMessage, message_id)
    db.session.refresh(message)
    config = current_app.config
    failure = None
    receipt = ""
    try:
        receipt = channel_for(message.channel, config).send(
            message, unsubscribe_url="" if message.transactional else unsubscribe_url(message.channel,
                                                                                      message.recipient))
    except DeliveryFailure as refused:
        failure = refused
    except Exception as error:  # a fault of ours or of a library: retried like an outage, and logged
        log.exception("delivering outbox message %s", message_id)
        failure = TemporaryFailure(f"{type(error).__name__}: {error}")
    # The send ran in a read transaction that other consumers' commits have made stale by now: SQLite refuses to
    # turn such a read into a write ("database is locked", at once). The outcome is written in a new transaction
    # that takes the write lock first; it wrote nothing before, so ending it loses nothing.
    db.session.rollback()
    with write_transactions():
        finished = utcnow()
        if failure is not None:
            _record_failure(message, failure, finished, config["OUTBOX_MAX_ATTEMPTS"])
        else:
            message.status, message.sent_at, message.last_error, message.next_try_at = (
                MessageStatus.SENT, finished, "", None)
            message.attempt_history.append(DeliveryAttempt(at=finished, outcome=MessageStatus.SENT,
                                                           detail=(receipt or "")[:2000]))
        status = message.status
        db.session.commit()
    return status


def _record_failure(message: OutboxMessage, failure: DeliveryFailure, now: datetime, max_attempts: int) -> None:
    status = MessageStatus(rules.status_after_failure(message.attempts, max_attempts, failure.permanent))
    message.status, message.last_error = status, str(failure)[:2000]
    message.next_try_at = now + rules.retry_delay(message.attempts) if status == MessageStatus.RETRYING else None
    message.attempt_history.append(DeliveryAttempt(at=now, outcome=status, detail=str(failure)[:2000]))


def sweep(now: datetime | None = None, batch: int = 1000) -> list[int]:
    """Take up rows a killed consumer left in 'sending' and rows whose job was lost; returns the ids to enqueue."""
    now = now or utcnow()
    config = current_app.config
    stale_before = now - timedelta(seconds=config["OUTBOX_STALE_SECONDS"])
    with write_transactions():  # on SQLite, reading the rows and changing them must not be split by another writer
        abandoned = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.status == MessageStatus.SENDING,
                                           OutboxMessage.claimed_at < stale_before)
            .order_by(OutboxMessage.id).limit(batch).with_for_update(skip_locked=True)
        ).all()
        for message in abandoned:
            _record_failure(message, TemporaryFailure("the consumer sending it stopped before it finished"), now,
                            config["OUTBOX_MAX_ATTEMPTS"])
            message.next_try_at = now if message.status == MessageStatus.RETRYING else None
        db.session.commit()
    lost_before = now - timedelta(seconds=config["OUTBOX_LOST_JOB_SECONDS"])
    return list(db.session.scalars(
        sa.select(OutboxMessage.id).where(OutboxMessage.status.in_(rules.CLAIMABLE),
                                          OutboxMessage.next_try_at <= lost_before)
        .order_by(OutboxMessage.next_try_at).limit(batch)
    )) + [m.id for m in abandoned if m.status == MessageStatus.RETRYING]


# ---- staff actions -----------------------------------------------------------------------------------------


def get_message(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound()
    return message


def retry(message: OutboxMessage, *, actor, now: datetime) -> OutboxMessage:
    """Send a failed or withheld message again (a staff decision, so limits and suppression do not apply)."""
    if message.status not in (MessageStatus.FAILED, MessageStatus.WITHHELD):
        raise RuleViolation(_l("Only a failed or withheld message can be sent again."))
    message.status, message.next_try_at, message.last_error = MessageStatus.QUEUED, now, ""
    message.attempts = 0
    message.attempt_history.append(DeliveryAttempt(at=now, outcome="retried", actor_id=actor.id))
    db.session.flush()
    db.session.info.setdefault(PENDING_KEY, []).append(message.id)
    return message


def withhold(message: OutboxMessage, *, actor, now: datetime) -> OutboxMessage:
    if message.status not in rules.CLAIMABLE:
        raise RuleViolation(_l("Only a message still waiting to be sent can be withheld."))
    message.status, message.next_try_at, message.last_error = MessageStatus.WITHHELD, None, "staff"
    message.attempt_history.append(DeliveryAttempt(at=now, outcome=MessageStatus.WITHHELD, detail="staff",
                                                   actor_id=actor.id))
    db.session.flush()
    return message


# ---- unsubscribing -----------------------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="engage-unsubscribe")


def unsubscribe_url(channel: Channel, recipient: str) -> str:
    return public_url("notifications.unsubscribe", token=_serializer().dumps([channel.value, recipient]))


def contact_of(token: str) -> tuple[Channel, str]:
    """The contact an unsubscribe link was made for.

    :raises NotFound: a link that was not made by us (or was cut short)
    """
    try:
        channel, recipient = _serializer().loads(token)
        return Channel(channel), recipient
    except (BadSignature, ValueError, TypeError) as error:
        raise NotFound() from error


def is_suppressed(channel: Channel, recipient: str) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(Suppression.channel == channel,
                                                         Suppression.recipient == recipient)))


def suppress(channel: Channel, recipient: str, *, now: datetime) -> None:
    """No more non-transactional messages to this contact (asking twice is the same as once)."""
    if not is_suppressed(channel, recipient):
        db.session.add(Suppression(channel=channel, recipient=recipient, created_at=now))
        db.session.flush()
