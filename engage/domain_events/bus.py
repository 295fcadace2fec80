"""Emitting a domain event and handing it to the listeners, inside the caller's transaction."""

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa

from engage.domain_events import describe
from engage.domain_events.models import ONCE, DomainEvent, EventType
from engage.extensions import db

#: called with (event, subject) for every event, in the order registered (``register_listeners``)
_listeners: list[Callable] = []


def listen(listener: Callable) -> None:
    """Have ``listener(event, subject)`` called for every event (registering twice is the same as once)."""
    if listener not in _listeners:
        _listeners.append(listener)


def emit(name: EventType | str, subject, *, now: datetime, **details) -> DomainEvent | None:
    """Record that ``name`` happened to ``subject`` and tell the listeners; nothing is committed here.

    :param details: a few plain values the payload adds (a reason, a revision number)
    :returns: the event, or None for an event that happens once and already did
    """
    name = EventType(name)
    once_key = f"{name}:{subject.id}" if name in ONCE else None
    if once_key and db.session.scalar(sa.select(sa.exists().where(DomainEvent.once_key == once_key))):
        return None
    event = DomainEvent(name=name.value, subject_type=subject.__tablename__, subject_id=subject.id,
                        occurred_at=now, data=describe.payload(subject, details), once_key=once_key)
    db.session.add(event)
    db.session.flush()
    for listener in _listeners:
        listener(event, subject)
    return event
