"""The log of domain events: what happened, to which record, when, and what it said then."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from engage.core.columns import UTCDateTime
from engage.core.enums import LabelledStrEnum
from engage.extensions import db


class EventType(LabelledStrEnum):
    """Every kind of domain event; the value is what webhooks carry in ``X-Engage-Event``."""

    CONSULTATION_OPENED = "consultation.opened", _l("Consultation opened for comment")
    CONSULTATION_CLOSED = "consultation.closed", _l("Consultation closed")
    FEEDBACK_PUBLISHED = "consultation.feedback_published", _l("Feedback report published")
    DECISION_PUBLISHED = "consultation.decision_published", _l("Decision published")
    EVENT_PUBLISHED = "event.published", _l("Event published")
    EVENT_CHANGED = "event.changed", _l("Event changed")
    EVENT_CANCELLED = "event.cancelled", _l("Event cancelled")
    EVENT_REGISTRATION_OPENED = "event.registration_opened", _l("Event open for sign-up")
    PROPOSAL_REPLIED = "proposal.replied", _l("Proposal replied to")
    PROPOSAL_RATED = "proposal.rated", _l("Proposal reply rated")


#: events that can happen only once to a record (noticed by time as well as by staff action)
ONCE = frozenset({EventType.CONSULTATION_OPENED, EventType.CONSULTATION_CLOSED,
                  EventType.EVENT_REGISTRATION_OPENED})


class DomainEvent(db.Model):
    """One thing that happened, with the payload webhooks deliver and subscriptions read."""

    __tablename__ = "domain_events"
    __table_args__ = (Index("ix_domain_events_subject", "subject_type", "subject_id"),
                      Index("ix_domain_events_occurred", "occurred_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(48))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int]
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the subject as it was then (``describe.payload``), so a late delivery says what happened, not what is now
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    #: ``<name>:<subject id>`` for events that happen once to a record; a second emission finds it and stops
    once_key: Mapped[str | None] = mapped_column(String(100), unique=True)
