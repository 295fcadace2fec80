"""Departments, staff users and their personal API tokens."""

import hashlib
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts import rules
from engage.core.columns import UTCDateTime, str_enum
from engage.core.enums import LabelledStrEnum
from engage.extensions import db


class Role(LabelledStrEnum):
    ADMIN = "admin", _l("Administrator")
    DEPARTMENT_STAFF = "department_staff", _l("Department staff")
    ORGANISER = "organiser", _l("Event organiser")
    SUPERVISOR = "supervisor", _l("Supervisor (proposal office)")


class MessageChannel(LabelledStrEnum):
    """How a staff member wants to be told (SMS only works when they gave a mobile number)."""

    EMAIL = "email", _l("E-mail")
    SMS = "sms", _l("SMS")


class MessageTiming(LabelledStrEnum):
    """When a staff member wants to be told of their cases: at once, or in one digest a day (or a week)."""

    IMMEDIATE = "immediate", _l("At once, one message each")
    DAILY = "daily", _l("One daily digest")
    WEEKLY = "weekly", _l("One weekly digest (supervisors)")


class Department(db.Model):
    """A government department or unit (承办单位 / 部门)."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    #: name shown in the English interface; the Chinese name is used when empty
    name_en: Mapped[str] = mapped_column(String(150), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    # The unit's head contact (负责人), to whom cases long overdue are escalated.
    head_contact_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    head_contact_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    head_contact_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")

    def display_name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name

    def __repr__(self):
        return f"<Department {self.id} {self.name}>"


class User(UserMixin, db.Model):
    """A staff member who logs in with e-mail and password."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    #: the department a department-staff member acts for (organisers may have one too)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    is_active: Mapped[bool] = mapped_column(default=True)
    #: consecutive failed logins since the last success
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: optional mobile number for SMS notices
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    notify_by: Mapped[MessageChannel] = mapped_column(
        str_enum(MessageChannel, "user_notify_by"), default=MessageChannel.EMAIL, server_default="email")
    message_timing: Mapped[MessageTiming] = mapped_column(
        str_enum(MessageTiming, "user_message_timing"), default=MessageTiming.IMMEDIATE, server_default="immediate")
    #: the language of the messages Engage sends them (one of ``LANGUAGES``)
    message_language: Mapped[str] = mapped_column(String(10), default="zh", server_default="zh")
    #: raised to end every open session of this user at once (logout, password change, deactivation)
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    department: Mapped[Department | None] = relationship(lazy="joined")

    @property
    def session_fingerprint(self) -> str:
        """Changes whenever the password does (every hash has its own salt), ending sessions opened before."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def get_id(self) -> str:
        # Flask-Login keeps this in the session; load_user accepts it only while generation and fingerprint match.
        return f"{self.id}:{self.session_generation}:{self.session_fingerprint}"

    def end_all_sessions(self) -> None:
        """Every session opened before no longer belongs to this user (the session cookie holds the old id)."""
        self.session_generation += 1

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def is_locked(self, now: datetime) -> bool:
        """Whether failed logins keep this account locked at ``now``."""
        return rules.is_locked(self.locked_until, now)

    def __repr__(self):
        return f"<User {self.id} {self.email} {self.role}>"


class ApiToken(db.Model):
    """A personal token for the staff API. Only a hash is stored; the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    #: sha256 hex digest of the token
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: first characters of the token, so its owner can tell tokens apart
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")
