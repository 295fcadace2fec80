"""Follows (subscriptions), the events waiting for a daily digest, and the digests sent."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.columns import UTCDateTime, str_enum
from engage.core.enums import LabelledStrEnum
from engage.extensions import db


class TargetKind(LabelledStrEnum):
    CONSULTATION = "consultation", _l("Consultation")
    DEPARTMENT = "department", _l("Department")
    CAMPAIGN = "campaign", _l("Open-government campaign")
    PROPOSAL = "proposal", _l("Proposal case")


class Frequency(LabelledStrEnum):
    IMMEDIATE = "immediate", _l("At once, one message each time")
    DAILY = "daily", _l("One daily digest")


class SubscriptionStatus(LabelledStrEnum):
    PENDING = "pending", _l("Waiting for confirmation")
    ACTIVE = "active", _l("Active")
    ENDED = "ended", _l("Ended")


class ContactChannel(LabelledStrEnum):
    """The outbox channels a person is reached by (webhooks are for systems, not followers)."""

    EMAIL = "email", _l("E-mail")
    SMS = "sms", _l("SMS")


class Subscription(db.Model):
    """One contact following one thing; confirmed before anything but the confirmation is sent."""

    __tablename__ = "subscriptions"
    __table_args__ = (Index("ix_subscriptions_target", "target_kind", "target_id", "status"),
                      Index("ix_subscriptions_contact", "channel", "contact"))

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[TargetKind] = mapped_column(str_enum(TargetKind, "subscription_target_kind"))
    target_id: Mapped[int]
    #: the title of what is followed, as it was when followed (the "my subscriptions" page lists it)
    target_title: Mapped[str] = mapped_column(String(300), default="")
    channel: Mapped[ContactChannel] = mapped_column(str_enum(ContactChannel, "subscription_channel"))
    #: the e-mail address or mobile number; erased (empty) once the subscription has ended
    contact: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(8))
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency, "subscription_frequency"))
    status: Mapped[SubscriptionStatus] = mapped_column(str_enum(SubscriptionStatus, "subscription_status"))
    #: SHA-256 of the e-mail link's secret or of the SMS code; empty once confirmed
    secret_hash: Mapped[str] = mapped_column(String(64), default="")
    #: wrong SMS codes typed for this request
    code_attempts: Mapped[int] = mapped_column(default=0)
    #: the link or code is refused after this
    confirm_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when the contact was erased (engage/privacy), after the subscription ended
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Digest(db.Model):
    """The one digest message a contact gets on one China day; its row makes a second run send nothing."""

    __tablename__ = "subscription_digests"
    __table_args__ = (UniqueConstraint("channel", "contact_hash", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[ContactChannel] = mapped_column(str_enum(ContactChannel, "digest_channel"))
    #: SHA-256 of the contact: enough to send once a day, nothing to reach anyone by
    contact_hash: Mapped[str] = mapped_column(String(64))
    day: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    item_count: Mapped[int] = mapped_column(default=0)


class DigestItem(db.Model):
    """A domain event waiting for the next daily digest of one subscription."""

    __tablename__ = "subscription_digest_items"
    __table_args__ = (UniqueConstraint("subscription_id", "event_id"),
                      Index("ix_subscription_digest_items_waiting", "digest_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("domain_events.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the digest that listed it; None while it waits
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("subscription_digests.id"))

    subscription = relationship(Subscription)
    event = relationship("DomainEvent")
