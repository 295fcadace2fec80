"""Many messages at once (an event cancelled with 5,000 sign-ups): the same outbox rows as ``queue_message``,
written in one insert batch (limits and unsubscriptions are checked at delivery, as for every row).

After the commit a few delivery runs are asked for (``delivery.after_queueing``), which the consumers' workers
work through side by side, a claimed batch each at a time.
"""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from engage.extensions import db
from engage.notifications import rendering, services
from engage.notifications.models import Channel, OutboxMessage


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
    """Add every message to the outbox in the current transaction; returns how many were queued.

    Texts are rendered once per distinct (language, params), so a notice that is the same for everyone is
    rendered once per language.
    """
    channel = Channel(channel)
    addressed = [(services.normalise_recipient(channel, m.recipient), m) for m in messages]
    if not addressed:
        return 0
    rendered_cache: dict = {}
    rows = []
    for recipient, message in addressed:
        rendered = _rendered(rendered_cache, template, channel, message, recipient, transactional)
        rows.append(services.outbox_row(
            channel=channel, recipient=recipient, template=template, language=message.language,
            params=message.params, rendered=rendered, transactional=transactional, about_type=message.about_type,
            about_id=message.about_id, now=now))
    db.session.execute(sa.insert(OutboxMessage.__table__), rows)
    services.note_queued(len(rows))
    return len(rows)


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
