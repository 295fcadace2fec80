"""The outbox seen by administrators: rows found by status, channel, template and date; one row's history;
retrying and withholding. The page and the staff API both call these, so they never disagree."""

from dataclasses import dataclass
from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from engage.core.engine import lock_row
from engage.core.errors import NotAllowed, NotFound, ValidationFailed
from engage.core.pagination import Page, paginate
from engage.core.queries import contains_text
from engage.core.timeutil import CHINA_TZ, end_of_china_day
from engage.extensions import db
from engage.notifications import permissions, services
from engage.notifications.models import Channel, DeliveryAttempt, MessageStatus, OutboxMessage

PER_PAGE = 50


@dataclass(frozen=True)
class OutboxFilters:
    """What an administrator looks for; every part is optional. Dates are days in China, both included."""

    status: MessageStatus | None = None
    channel: Channel | None = None
    template: str = ""
    created_from: date | None = None
    created_to: date | None = None
    #: part of an e-mail address or phone number
    recipient: str = ""


def require_manager(actor) -> None:
    if not permissions.can_manage_outbox(actor):
        raise NotAllowed()


def _conditions(filters: OutboxFilters, *, with_status: bool = True) -> list:
    if filters.created_from and filters.created_to and filters.created_from > filters.created_to:
        raise ValidationFailed({"created_to": [_l("The end date must not be before the start date.")]})
    conditions = []
    if with_status and filters.status:
        conditions.append(OutboxMessage.status == filters.status)
    if filters.channel:
        conditions.append(OutboxMessage.channel == filters.channel)
    if filters.template:
        conditions.append(OutboxMessage.template == filters.template)
    if filters.created_from:
        conditions.append(OutboxMessage.created_at >= _start_of_china_day(filters.created_from))
    if filters.created_to:
        conditions.append(OutboxMessage.created_at <= end_of_china_day(filters.created_to))
    if filters.recipient.strip():
        conditions.append(contains_text([OutboxMessage.recipient], filters.recipient.lower()))
    return conditions


def _start_of_china_day(day: date) -> datetime:
    return datetime.combine(day, time.min, CHINA_TZ)


def list_messages(filters: OutboxFilters, *, actor, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Rows matching ``filters``, newest first, one page at a time.

    :raises NotAllowed: ``actor`` is not an administrator
    :raises ValidationFailed: the date range ends before it starts
    """
    require_manager(actor)
    statement = (sa.select(OutboxMessage).where(*_conditions(filters))
                 .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()))
    return paginate(db.session, statement, page, per_page)


def count_by_status(filters: OutboxFilters, *, actor) -> dict[MessageStatus, int]:
    """How many rows match ``filters`` in each status (the status filter itself left out), every status listed.

    :raises NotAllowed: ``actor`` is not an administrator
    """
    require_manager(actor)
    counted = dict(db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).where(*_conditions(filters, with_status=False))
        .group_by(OutboxMessage.status)
    ).all())
    return {status: counted.get(status, 0) for status in MessageStatus}


def list_templates(*, actor) -> list[str]:
    """The template names that occur in the outbox, for the filter's choices."""
    require_manager(actor)
    return list(db.session.scalars(sa.select(OutboxMessage.template).distinct().order_by(OutboxMessage.template)))


def get_message(message_id: int, *, actor, lock: bool = False) -> OutboxMessage:
    """One row with its attempts and who made them.

    :param lock: hold the row until commit (before retrying or withholding it), so a consumer claiming it at
        the same moment waits or finds it changed
    :raises NotAllowed: ``actor`` is not an administrator
    :raises NotFound: no such row
    """
    require_manager(actor)
    statement = (sa.select(OutboxMessage).where(OutboxMessage.id == message_id)
                 .options(selectinload(OutboxMessage.attempt_history).joinedload(DeliveryAttempt.actor))
                 .execution_options(populate_existing=True))
    message = db.session.scalar(lock_row(statement) if lock else statement)
    if message is None:
        raise NotFound()
    return message


def retry_message(message_id: int, *, actor, now: datetime) -> OutboxMessage:
    """Send a failed or withheld row again; it goes out after the request commits.

    :raises NotAllowed, NotFound: as :func:`get_message`
    :raises RuleViolation: the row is neither failed nor withheld
    """
    return services.retry(get_message(message_id, actor=actor, lock=True), actor=actor, now=now)


def withhold_message(message_id: int, *, actor, now: datetime) -> OutboxMessage:
    """Keep a row that still waits (queued or awaiting retry) from being sent.

    :raises NotAllowed, NotFound: as :func:`get_message`
    :raises RuleViolation: the row is no longer waiting (being sent, sent, failed or already withheld)
    """
    return services.withhold(get_message(message_id, actor=actor, lock=True), actor=actor, now=now)
