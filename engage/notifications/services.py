"""The outbox: a message is queued with the change that causes it, then claimed, delivered, retried or failed.

``queue_message`` adds the row inside the caller's transaction; a delivery run is asked of the queue after that
transaction commits, so a rollback sends nothing (``delivery`` claims, sends and records). If asking fails (the
queue is unreachable at that moment), the sweeper finds the row still queued and asks again.

Queueing only renders and inserts: it often runs while the caller holds a hot lock (the seat of an event in a
sign-up rush), so the per-recipient limits and unsubscriptions are checked when a consumer has claimed the row.
That is also where they mean what they say: the limits count what was really sent to the number, and a person
who unsubscribes after a message was queued is not sent it.
"""

import uuid
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from engage.core.errors import NotFound, RuleViolation
from engage.core.links import public_url
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.notifications import delivery, rendering, rules
from engage.notifications.models import Channel, DeliveryAttempt, MessageStatus, OutboxMessage, Suppression

#: how many rows the open transaction queued (a delivery run is asked for once it commits)
PENDING_KEY = "engage_outbox_pending"

#: why a message was withheld (stored as the key in ``last_error``)
WITHHELD_REASONS = {
    "hour": _l("More messages to this contact within an hour than the limit allows"),
    "day": _l("More messages to this contact within a day than the limit allows"),
    "unsubscribed": _l("The person asked for no more messages of this kind"),
    "staff": _l("Withheld by staff"),
}


_INSERT_RETURNING_ID = sa.insert(OutboxMessage.__table__).returning(OutboxMessage.__table__.c.id)


def queue_message(*, channel: Channel | str, recipient: str, template: str, params: dict | None = None,
                  language: str | None = None, about=None, transactional: bool = True,
                  now: datetime | None = None) -> int:
    """Render ``templates/messages/<template>/`` and add the message to the outbox in the current transaction.

    :param params: plain values the template shows (kept on the row, sent to SMS platforms)
    :param language: the language the person used; by default that of the current request
    :param about: the record the message is about (any model with ``id``), for staff looking for it
    :param transactional: something the person asked for (a receipt, a code): never suppressed and without an
        unsubscribe link; otherwise the person can unsubscribe in one click
    :returns: the row's id; the row is 'queued' (it is withheld at delivery when over a limit or unsubscribed by
        then)
    """
    now = now or utcnow()
    channel = Channel(channel)
    recipient = normalise_recipient(channel, recipient)
    language = language or current_language()
    params = dict(params or {})
    rendered = rendering.render(template, channel, language, params,
                                "" if transactional else unsubscribe_url(channel, recipient))
    row = outbox_row(channel=channel, recipient=recipient, template=template, language=language, params=params,
                     rendered=rendered, transactional=transactional, about_type=getattr(about, "__tablename__", ""),
                     about_id=getattr(about, "id", None), now=now)
    # A Core insert, not an ORM object: a sign-up queues its confirmation while it holds the event's seat lock,
    # and the unit of work costs several times what the insert itself does.
    message_id = db.session.execute(_INSERT_RETURNING_ID, row).scalar_one()
    note_queued()
    return message_id


def outbox_row(*, channel: Channel, recipient: str, template: str, language: str, params: dict,
               rendered: rendering.Rendered, transactional: bool, about_type: str, about_id: int | None,
               now: datetime) -> dict:
    """The column values of a new queued message (``queue_message`` and ``bulk.queue_messages`` insert them)."""
    return dict(
        created_at=now, channel=channel, recipient=recipient, template=template, language=language,
        subject=rendered.subject, body_text=rendered.text, body_html=rendered.html, params=params,
        transactional=transactional, status=MessageStatus.QUEUED, attempts=0, last_error="", next_try_at=now,
        about_type=about_type, about_id=about_id, idempotency_key=uuid.uuid4().hex, limits_waived=False,
    )


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


# ---- after the business transaction ---------------------------------------------------------------------


def _deliver_after_commit(session) -> None:
    queued = session.info.pop(PENDING_KEY, 0)
    if queued:
        delivery.after_queueing(queued)


def _forget_after_rollback(session) -> None:
    session.info.pop(PENDING_KEY, None)


def install_session_hooks() -> None:
    """Ask for a delivery run when a transaction that queued rows commits; forget them when it rolls back."""
    if not sa.event.contains(Session, "after_commit", _deliver_after_commit):
        sa.event.listen(Session, "after_commit", _deliver_after_commit)
        sa.event.listen(Session, "after_rollback", _forget_after_rollback)


def note_queued(count: int = 1) -> None:
    """Rows were queued in the open transaction: a run is asked for once it commits."""
    db.session.info[PENDING_KEY] = db.session.info.get(PENDING_KEY, 0) + count


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
    message.attempts, message.limits_waived = 0, True
    message.attempt_history.append(DeliveryAttempt(at=now, outcome="retried", actor_id=actor.id))
    db.session.flush()
    note_queued()
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
