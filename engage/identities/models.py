"""Identities of the unified identity provider, and sign-ins on their way there and back."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import User
from engage.core.columns import UTCDateTime, str_enum
from engage.core.enums import LabelledStrEnum
from engage.extensions import db


class IdentityStatus(LabelledStrEnum):
    PENDING = "pending", _l("Waiting for approval")
    LINKED = "linked", _l("Linked to an account")
    REJECTED = "rejected", _l("Refused")


class SignInPurpose(LabelledStrEnum):
    STAFF = "staff", _l("Staff")
    CITIZEN = "citizen", _l("Citizen")


class Identity(db.Model):
    """A staff member's identity at the identity provider (issuer + subject), and the account it signs in as.

    Kept apart from ``users`` so that an account may have no identity, or one per provider, and so that a first
    sign-in can wait for an administrator without an account existing yet.
    """

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the provider's issuer URL, exactly as its ID tokens name it
    issuer: Mapped[str] = mapped_column(String(254))
    #: the provider's permanent id of the person (``sub``); names and e-mail addresses may change, this does not
    subject: Mapped[str] = mapped_column(String(255))
    status: Mapped[IdentityStatus] = mapped_column(str_enum(IdentityStatus, "identity_status"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: what the provider said at the last sign-in, for the administrator who decides (not used to sign in)
    name: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id], lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def __repr__(self):
        return f"<Identity {self.id} {self.issuer} {self.subject} {self.status}>"


class SignInRequest(db.Model):
    """A sign-in sent to the provider and not back yet: its state, nonce and PKCE verifier, used once.

    In the database, not only in the (signed, not encrypted, replayable) session cookie: coming back deletes the
    row, so the same answer presented again, even with an old copy of the cookie, finds nothing.
    """

    __tablename__ = "sign_in_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: sha256 hex digest of the ``state`` sent to the provider
    state_hash: Mapped[str] = mapped_column(String(64), unique=True)
    nonce: Mapped[str] = mapped_column(String(100))
    code_verifier: Mapped[str] = mapped_column(String(128))
    redirect_uri: Mapped[str] = mapped_column(String(500))
    purpose: Mapped[SignInPurpose] = mapped_column(str_enum(SignInPurpose, "sign_in_purpose"))
    #: where to go afterwards (a path on this site)
    next_path: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
