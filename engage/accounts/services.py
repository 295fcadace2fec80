"""Account use cases: log in with lockout, manage users and departments, API tokens."""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from engage.accounts import permissions, rules
from engage.accounts.models import ApiToken, Department, MessageChannel, MessageTiming, Role, User
from engage.accounts.passwords import hash_password, needs_rehash, verify_password
from engage.core import audit
from engage.core.contacts import email_address, mobile_number
from engage.core.errors import NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.core.pagination import Page, paginate
from engage.extensions import db

TOKEN_PREFIX = "eng_"
MIN_PASSWORD_LENGTH = 10


class AccountLocked(RuleViolation):
    status_code = 429
    default_message = _l("Too many failed attempts. This account is locked for a while; please try again later.")


class LoginFailed(RuleViolation):
    status_code = 401
    default_message = _l("The e-mail address or password is not correct.")


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == email.strip().lower()))


def authenticate(email: str, password: str, *, now: datetime, max_failures: int, lockout: timedelta) -> User:
    """Check a login; count failures and lock the account after ``max_failures`` of them in a row.

    Raises ``AccountLocked`` while the account is locked (even for the right password) and for the failure
    that locks it, ``LoginFailed`` for any other failure. The failure counts are flushed, so the caller must
    commit even when this raises.
    """
    user = find_user_by_email(email)
    if user is not None and rules.is_locked(user.locked_until, now):
        raise AccountLocked()
    if user is None or not verify_password(user.password_hash, password) or not user.is_active:
        if user is not None:
            user.failed_logins += 1
            user.locked_until = rules.lock_after_failure(user.failed_logins, max_failures, lockout, now)
            if user.locked_until:
                audit.record("user.locked", user, actor=None, now=now, failures=user.failed_logins)
                user.failed_logins = 0
                db.session.flush()
                raise AccountLocked()
            db.session.flush()
        raise LoginFailed()
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.flush()
    return user


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            {"password": [_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)]}
        )


def _account_errors(email: str, role: Role, department_id: int | None, *, user: User | None) -> dict:
    """What is wrong with an account's e-mail, role and department (``user`` is the one being edited)."""
    errors: dict = {}
    holder = find_user_by_email(email)
    if holder is not None and holder is not user:
        errors["email"] = [_l("An account with this e-mail address already exists.")]
    if role == Role.DEPARTMENT_STAFF and not department_id:
        errors["department_id"] = [_l("Department staff must belong to a department.")]
    if department_id and db.session.get(Department, department_id) is None:
        errors["department_id"] = [_l("Unknown department.")]
    return errors


def create_user(
    *, email: str, name: str, password: str, role: Role, department_id: int | None, actor, now: datetime,
    is_active: bool = True,
) -> User:
    """Create a staff account (``actor`` None for the operator's command line).

    Department staff must belong to a department; e-mail addresses are unique, compared in lower case.
    """
    if actor is not None and not permissions.can_manage_accounts(actor):
        raise NotAllowed()
    email = email.strip().lower()
    errors = _account_errors(email, role, department_id, user=None)
    if errors:
        raise ValidationFailed(errors)
    _check_password(password)
    user = User(
        email=email, name=name.strip(), password_hash=hash_password(password), role=role,
        department_id=department_id, is_active=is_active, created_at=now,
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", user, actor=actor, now=now, role=str(role), department_id=department_id)
    return user


def update_user(
    user: User, *, email: str, name: str, role: Role, department_id: int | None, is_active: bool, actor, now
) -> User:
    """Change a staff account's e-mail, name, role, department or whether it may log in."""
    if not permissions.can_manage_accounts(actor):
        raise NotAllowed()
    email = email.strip().lower()
    errors = _account_errors(email, role, department_id, user=user)
    if errors:
        raise ValidationFailed(errors)
    if user.id == actor.id and (not is_active or role != Role.ADMIN):
        raise RuleViolation(_l("You cannot remove your own administrator rights or deactivate yourself."))
    fields = ("email", "name", "role", "department_id", "is_active")
    before = {field: _audit_value(getattr(user, field)) for field in fields}
    user.email, user.name, user.role = email, name.strip(), role
    if user.is_active and not is_active:
        user.end_all_sessions()
    user.department_id, user.is_active = department_id, is_active
    db.session.flush()
    after = {field: _audit_value(getattr(user, field)) for field in fields}
    changed = {field: [before[field], after[field]] for field in fields if before[field] != after[field]}
    audit.record("user.updated", user, actor=actor, now=now, changes=changed)
    return user


def _audit_value(value):
    return str(value) if isinstance(value, Role) else value


def set_password(user: User, password: str, *, actor, now: datetime) -> None:
    """Set a new password (administrators for anyone, staff for themselves) and lift any lockout."""
    if actor is not None and actor.id != user.id and not permissions.can_manage_accounts(actor):
        raise NotAllowed()
    _check_password(password)
    user.password_hash = hash_password(password)
    user.end_all_sessions()
    user.failed_logins = 0
    user.locked_until = None
    db.session.flush()
    audit.record("user.password_set", user, actor=actor, now=now)


def change_own_password(user: User, *, current_password: str, new_password: str, now: datetime) -> None:
    """A staff member changes their own password, proving they know the current one."""
    if not verify_password(user.password_hash, current_password):
        raise ValidationFailed({"current_password": [_l("The current password is not correct.")]})
    set_password(user, new_password, actor=user, now=now)


def log_out_everywhere(user: User, *, now: datetime) -> None:
    """Logging out ends every session of the user, on every device, and any copy of the cookie."""
    user.end_all_sessions()
    db.session.flush()
    audit.record("user.logged_out", user, actor=user, now=now)


def unlock_user(user: User, *, actor, now: datetime) -> None:
    """Lift a lockout after failed logins (``actor`` None for the operator's command line)."""
    if actor is not None and not permissions.can_manage_accounts(actor):
        raise NotAllowed()
    user.failed_logins = 0
    user.locked_until = None
    db.session.flush()
    audit.record("user.unlocked", user, actor=actor, now=now)


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


def list_users(page: int, per_page: int = 50) -> Page:
    """Staff accounts, active ones first, then by e-mail."""
    statement = db.select(User).order_by(User.is_active.desc(), User.email)
    return paginate(db.session, statement, page, per_page)


def get_department(department_id: int) -> Department:
    department = db.session.get(Department, department_id)
    if department is None:
        raise NotFound()
    return department


def list_departments(*, active_only: bool = False) -> list[Department]:
    statement = db.select(Department).order_by(Department.is_active.desc(), Department.name)
    if active_only:
        statement = statement.where(Department.is_active.is_(True))
    return list(db.session.scalars(statement))


def find_department_by_name(name: str) -> Department | None:
    name = name.strip()
    return db.session.scalar(
        db.select(Department).where(db.or_(Department.name == name, Department.name_en == name))
    )


def save_department(department: Department | None, *, name: str, name_en: str, is_active: bool, actor, now):
    """Create or rename a department; names are unique."""
    if not permissions.can_manage_accounts(actor):
        raise NotAllowed()
    name = name.strip()
    clash = db.session.scalar(db.select(Department).where(Department.name == name))
    if clash is not None and clash is not department:
        raise ValidationFailed({"name": [_l("A department with this name already exists.")]})
    creating = department is None
    department = department or Department()
    department.name, department.name_en, department.is_active = name, name_en.strip(), is_active
    db.session.add(department)
    db.session.flush()
    audit.record("department.created" if creating else "department.updated", department, actor=actor, now=now)
    return department


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user: User, *, name: str, now: datetime) -> tuple[ApiToken, str]:
    """Create a personal API token; returns the record and the token, which is shown only this once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, name=name.strip(), token_hash=_hash_token(token), prefix=token[:10],
                      created_at=now)
    db.session.add(record)
    db.session.flush()
    audit.record("api_token.created", record, actor=user, now=now)
    return record, token


def revoke_api_token(token_id: int, *, actor: User, now: datetime) -> None:
    record = db.session.get(ApiToken, token_id)
    if record is None or record.revoked_at is not None:
        raise NotFound()
    if record.user_id != actor.id and not permissions.can_manage_accounts(actor):
        raise NotAllowed()
    record.revoked_at = now
    db.session.flush()
    audit.record("api_token.revoked", record, actor=actor, now=now)


def user_for_token(token: str, *, now: datetime) -> User | None:
    """The active user a presented API token belongs to, or None."""
    record = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == _hash_token(token)))
    if record is None or record.revoked_at is not None or not record.user.is_active:
        return None
    # Written at most once a minute, so busy API clients do not turn every read into a write.
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=1):
        record.last_used_at = now
    return record.user


def tokens_of(user: User) -> list[ApiToken]:
    return db.session.scalars(
        db.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    ).all()


def message_preference_errors(user: User, phone: str, notify_by: str, timing: str, language: str) -> dict:
    """What is wrong with a staff member's message preferences (an SMS needs a mobile number)."""
    errors: dict = {}
    if phone.strip() and mobile_number(phone) is None:
        errors["phone"] = [_l("Enter a mainland mobile number of 11 digits, e.g. 13812345678.")]
    if notify_by not in tuple(MessageChannel):
        errors["notify_by"] = [_l("Choose e-mail or SMS.")]
    elif notify_by == MessageChannel.SMS and not phone.strip():
        errors["phone"] = [_l("Give your mobile number to get messages by SMS.")]
    if timing not in tuple(MessageTiming):
        errors["message_timing"] = [_l("Choose when you are told.")]
    elif timing == MessageTiming.WEEKLY and user.role != Role.SUPERVISOR:
        errors["message_timing"] = [_l("A weekly digest is for the supervising office; choose a daily one.")]
    if language not in current_app.config["LANGUAGES"]:
        errors["message_language"] = [_l("Choose the language of your messages.")]
    return errors


def set_message_preferences(user: User, *, phone: str, notify_by: str, timing: str, actor, now: datetime,
                            language: str | None = None) -> User:
    """Set how ``user`` is told of their cases (themselves, or an administrator for them).

    :param language: the language of their messages; None keeps the one they have
    :raises ValidationFailed: a phone that is not a mobile number, SMS without one, weekly for non-supervisors,
        a language Engage does not speak
    """
    if actor.id != user.id and not permissions.can_manage_accounts(actor):
        raise NotAllowed()
    phone, notify_by, timing = (phone or "").strip(), notify_by or "", timing or ""
    language = user.message_language if language is None else language
    errors = message_preference_errors(user, phone, notify_by, timing, language)
    if errors:
        raise ValidationFailed(errors)
    before = (user.phone, str(user.notify_by), str(user.message_timing), user.message_language)
    user.phone = mobile_number(phone) or ""
    user.notify_by, user.message_timing = MessageChannel(notify_by), MessageTiming(timing)
    user.message_language = language
    if before != (user.phone, str(user.notify_by), str(user.message_timing), user.message_language):
        audit.record("user.message_preferences", user, actor=actor, now=now, notify_by=notify_by, timing=timing,
                     language=language, phone_given=bool(user.phone))
    db.session.flush()
    return user


def set_head_contact(department: Department, *, name: str, email: str, phone: str, actor, now: datetime) -> None:
    """The unit's head contact, to whom long-overdue cases are escalated.

    :raises ValidationFailed: an e-mail address or mobile number that is not one
    """
    if not permissions.can_manage_accounts(actor):
        raise NotAllowed()
    errors: dict = {}
    if (email or "").strip() and email_address(email) is None:
        errors["head_contact_email"] = [_l("Enter an e-mail address such as name@example.gov.cn.")]
    if (phone or "").strip() and mobile_number(phone) is None:
        errors["head_contact_phone"] = [_l("Enter a mainland mobile number of 11 digits, e.g. 13812345678.")]
    if errors:
        raise ValidationFailed(errors)
    department.head_contact_name = (name or "").strip()
    department.head_contact_email = email_address(email or "") or ""
    department.head_contact_phone = mobile_number(phone or "") or ""
    db.session.flush()
