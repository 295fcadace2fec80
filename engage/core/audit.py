"""Recording the audit history."""

from datetime import datetime

from engage.core.models import AuditEvent
from engage.extensions import db


def record(action: str, subject, *, actor, now: datetime, **detail) -> AuditEvent:
    """Add an audit event for ``subject`` (any model with ``id``) done by ``actor`` (a user or None)."""
    event = AuditEvent(
        created_at=now,
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=subject.__tablename__,
        subject_id=subject.id,
        detail=detail,
    )
    db.session.add(event)
    return event


def history_of(subject) -> list[AuditEvent]:
    return db.session.scalars(
        db.select(AuditEvent)
        .where(AuditEvent.subject_type == subject.__tablename__, AuditEvent.subject_id == subject.id)
        .order_by(AuditEvent.created_at, AuditEvent.id)
    ).all()
