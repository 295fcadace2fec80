"""The outbox: every message Engage sends is a row first, written with the change that causes it."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.columns import UTCDateTime, str_enum
from engage.core.enums import LabelledStrEnum
from engage.extensions import db


class Channel(LabelledStrEnum):
    EMAIL = "email", _l("E-mail")
    SMS = "sms", _l("SMS")
    #: a signed POST to an administrator's registered address (engage/webhooks); the value fits the column
    WEBHOOK = "hook", _l("Webhook")


class MessageStatus(LabelledStrEnum):
    QUEUED = "queued", _l("Queued")
    SENDING = "sending", _l("Sending")
    SENT = "sent", _l("Sent")
    RETRYING = "retrying", _l("Awaiting retry")
    FAILED = "failed", _l("Failed")
    WITHHELD = "withheld", _l("Withheld")


#: what a history entry (``DeliveryAttempt.outcome``) says happened
OUTCOME_LABELS = {
    "sent": _l("Accepted by the provider"),
    "retrying": _l("Try failed; it will be tried again"),
    "failed": _l("Failed for good"),
    "withheld": _l("Withheld"),
    "retried": _l("Sent again by staff"),
}


class OutboxMessage(db.Model):
    """One message to one recipient, rendered when queued, delivered by a background job."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_status_next_try", "status", "next_try_at"),
        Index("ix_outbox_messages_recipient_created", "channel", "recipient", "created_at"),
        Index("ix_outbox_messages_about", "about_type", "about_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "outbox_channel"))
    #: an e-mail address or a mainland mobile number, as the person gave it
    recipient: Mapped[str] = mapped_column(String(254))
    #: folder name under templates/messages/
    template: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(255), default="")
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    #: the template's parameters, sent along to SMS platforms that check texts against registered templates
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    #: strictly transactional (a confirmation code the person asked for): no unsubscribe link, never suppressed
    transactional: Mapped[bool] = mapped_column(default=True)
    status: Mapped[MessageStatus] = mapped_column(str_enum(MessageStatus, "outbox_status"),
                                                  default=MessageStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    #: why the last attempt failed, or why the message was withheld
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_try_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when a consumer took the row for sending; a row left in 'sending' long after was abandoned
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the record the message is about (``comment``, ``registration``...), for staff looking for it
    about_type: Mapped[str] = mapped_column(String(40), default="")
    about_id: Mapped[int | None]
    #: sent to the provider (Message-ID, SMS request id) so it can drop a repeat after a crash
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    #: sent again by staff: the per-recipient limits and unsubscribing no longer hold it back
    limits_waived: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    attempt_history = relationship("DeliveryAttempt", order_by="DeliveryAttempt.id", back_populates="message",
                                   cascade="all, delete-orphan")


class DeliveryAttempt(db.Model):
    """One try at delivering a message, or something that happened to it (withheld, retried by staff)."""

    __tablename__ = "outbox_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the status the message got by it
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text, default="")
    #: the staff member who retried or withheld it; None for the system
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    message = relationship(OutboxMessage, back_populates="attempt_history")
    actor = relationship("User", lazy="joined")


class Suppression(db.Model):
    """A contact that asked for no more non-transactional messages."""

    __tablename__ = "outbox_suppressions"
    __table_args__ = (UniqueConstraint("channel", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "suppression_channel"))
    recipient: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(40), default="unsubscribed")
