"""The erasure log: how many records of each kind a run erased (never what they held)."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from engage.core.columns import UTCDateTime, str_enum
from engage.core.enums import LabelledStrEnum
from engage.extensions import db


class ErasedKind(LabelledStrEnum):
    SIGN_UP = "sign_up", _l("Sign-ups: name, phone and ID number")
    COMMENT_CONTACT = "comment_contact", _l("Commenters' contacts")
    SUBSCRIPTION_CONTACT = "subscription_contact", _l("Contacts of ended subscriptions")
    MESSAGE_BODY = "message_body", _l("Texts of sent messages")


class Erasure(db.Model):
    __tablename__ = "privacy_erasures"
    __table_args__ = (Index("ix_privacy_erasures_ran_at", "ran_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[ErasedKind] = mapped_column(str_enum(ErasedKind, "erased_kind"))
    count: Mapped[int]
