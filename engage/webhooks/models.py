"""A registered webhook: where deliveries go, the secret they are signed with, and which events it wants."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engage.core.columns import UTCDateTime
from engage.extensions import db


class Webhook(db.Model):
    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    #: the receiver's address (http or https); it is the outbox row's recipient, hence at most 254 characters
    url: Mapped[str] = mapped_column(String(254))
    #: shared with the receiver, who checks the signature with it; shown to administrators only
    secret: Mapped[str] = mapped_column(String(100))
    #: ``EventType`` values this hook receives
    event_types: Mapped[list] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
