"""Shared tables: the audit history and the administrators' calendar corrections."""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from engage.core.columns import UTCDateTime
from engage.extensions import db


class AuditEvent(db.Model):
    """One thing someone did that must be traceable: who, what, to which record, when."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: None for actions by the public or the system
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: dotted verb, e.g. ``comment.rejected``
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    actor = db.relationship("User", lazy="joined")


class CalendarDay(db.Model):
    """A day whose working status an administrator set, for years ``chinesecalendar`` does not know."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    is_working_day: Mapped[bool]
    note: Mapped[str] = mapped_column(String(100), default="")
