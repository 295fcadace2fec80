"""Unified sign-in use cases: start and finish a sign-in, sign staff in by their identity, administer identities."""

import hashlib
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from engage.accounts import permissions
from engage.accounts import services as accounts
from engage.accounts.models import Role, User
from engage.core import audit
from engage.core.contacts import email_address
from engage.core.errors import NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.core.pagination import Page, paginate
from engage.extensions import db
from engage.identities import rules
from engage.identities.client import ReplayedOrUnknownState, SignInRefused
from engage.identities.models import Identity, IdentityStatus, SignInPurpose, SignInRequest

NO_SUCH_ACCOUNT = _l("No account has this e-mail address.")


class AwaitingApproval(SignInRefused):
    status_code = 403
    default_message = _l("You have signed in at the unified identity provider, but this identity is not linked to "
                         "an Engage account yet. An administrator has been asked to approve it; try again once "
                         "they have.")


class IdentityRefused(SignInRefused):
    status_code = 403
    default_message = _l("An administrator has refused this identity for Engage; ask them if you think this is "
                         "a mistake.")


class AccountInactive(SignInRefused):
    status_code = 403
    default_message = _l("The Engage account linked to this identity is deactivated.")


class SignInTookTooLong(SignInRefused):
    default_message = _l("The sign-in took too long at the identity provider. Please sign in again.")


def state_digest(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def start_sign_in(authorization: dict, *, purpose: SignInPurpose, redirect_uri: str, next_path: str,
                  now: datetime) -> SignInRequest:
    """Keep what the provider's answer will be checked against (``authorization`` from the client)."""
    db.session.execute(delete(SignInRequest).where(SignInRequest.created_at < now - rules.REQUEST_LIFETIME))
    request = SignInRequest(
        state_hash=state_digest(authorization["state"]), nonce=authorization["nonce"],
        code_verifier=authorization["code_verifier"], redirect_uri=redirect_uri, purpose=purpose,
        next_path=next_path or "", created_at=now,
    )
    db.session.add(request)
    db.session.flush()
    return request


def take_sign_in_request(state: str, *, started_here: list[str], now: datetime) -> SignInRequest:
    """The sign-in this answer belongs to, deleted so that no second answer can use it.

    :param started_here: the state digests of the sign-ins this browser's session started
    :raises ReplayedOrUnknownState: no such sign-in (never started, or already answered once)
    :raises SignInTookTooLong: it was started too long ago
    """
    digest = state_digest(state or "")
    taken = db.session.execute(
        delete(SignInRequest).where(SignInRequest.state_hash == digest).returning(
            SignInRequest.nonce, SignInRequest.code_verifier, SignInRequest.redirect_uri, SignInRequest.purpose,
            SignInRequest.next_path, SignInRequest.created_at)
    ).one_or_none()
    if taken is None or digest not in started_here:
        # Another browser's answer (a link someone was sent) signs nobody in here either.
        raise ReplayedOrUnknownState()
    request = SignInRequest(state_hash=digest, nonce=taken.nonce, code_verifier=taken.code_verifier,
                            redirect_uri=taken.redirect_uri, purpose=SignInPurpose(taken.purpose),
                            next_path=taken.next_path, created_at=taken.created_at)
    if rules.is_request_expired(request.created_at, now):
        raise SignInTookTooLong()
    return request


def find_identity(issuer: str, subject: str) -> Identity | None:
    issuer = rules.issuer_key(issuer)
    return db.session.scalar(db.select(Identity).where(Identity.issuer == issuer, Identity.subject == subject))


def sign_in_staff(issuer: str, person: rules.Person, *, now: datetime) -> User:
    """The staff account a signed-in identity stands for; a first sign-in is kept for an administrator.

    The caller must commit even when this raises ``AwaitingApproval``: the identity waiting is what the
    administrator approves.

    :raises AwaitingApproval: the identity is not linked to an account (yet)
    :raises IdentityRefused: an administrator refused it
    :raises AccountInactive: its account is deactivated
    """
    issuer = rules.issuer_key(issuer)
    identity = find_identity(issuer, person.subject)
    first = identity is None
    if first:
        identity = Identity(issuer=issuer, subject=person.subject, status=IdentityStatus.PENDING, created_at=now)
        db.session.add(identity)
    identity.name, identity.email, identity.phone = person.name, person.email or "", person.phone or ""
    identity.last_sign_in_at = now
    db.session.flush()
    if identity.status == IdentityStatus.PENDING:
        if first:
            audit.record("identity.first_sign_in", identity, actor=None, now=now, issuer=issuer)
        raise AwaitingApproval()
    if identity.status == IdentityStatus.REJECTED:
        raise IdentityRefused()
    user = identity.user
    if user is None or not user.is_active:
        raise AccountInactive()
    user.last_login_at = now
    audit.record("user.logged_in", user, actor=user, now=now, method="oidc", issuer=issuer, identity_id=identity.id)
    db.session.flush()
    return user


def _require_manager(actor) -> None:
    if not permissions.can_manage_accounts(actor):
        raise NotAllowed()


def list_identities(*, status: IdentityStatus | None, page: int, actor, per_page: int = 50) -> Page:
    """Identities, waiting ones first, newest sign-ins first."""
    _require_manager(actor)
    statement = db.select(Identity)
    if status is not None:
        statement = statement.where(Identity.status == status)
    statement = statement.order_by((Identity.status == IdentityStatus.PENDING).desc(),
                                   Identity.last_sign_in_at.desc().nulls_last(), Identity.id.desc())
    return paginate(db.session, statement, page, per_page)


def get_identity(identity_id: int, *, actor) -> Identity:
    _require_manager(actor)
    identity = db.session.get(Identity, identity_id)
    if identity is None:
        raise NotFound()
    return identity


def _check_decision(identity: Identity, action: str) -> None:
    if not rules.can_decide(identity.status, action):
        raise RuleViolation(_l("This identity is already refused."))


def link_identity(identity: Identity, user: User, *, actor, now: datetime) -> Identity:
    """Let an identity sign in as ``user`` (an approval of a first sign-in, or a change of account)."""
    _require_manager(actor)
    _check_decision(identity, "link")
    previous = identity.user_id
    identity.status, identity.user_id = IdentityStatus.LINKED, user.id
    identity.decided_at, identity.decided_by_id = now, actor.id
    db.session.flush()
    db.session.expire(identity, ["user"])
    audit.record("identity.linked", identity, actor=actor, now=now, user_id=user.id, previous_user_id=previous)
    return identity


def link_to_new_account(identity: Identity, *, email: str, name: str, role: Role, department_id: int | None,
                        actor, now: datetime) -> Identity:
    """Approve a first sign-in with an account made for it; the account has no usable password.

    :raises ValidationFailed: the e-mail address is taken, department staff without a department
    """
    _require_manager(actor)
    _check_decision(identity, "link")
    if email_address(email) is None:
        raise ValidationFailed({"email": [_l("Enter an e-mail address like name@example.gov.cn.")]})
    user = accounts.create_user(email=email, name=name, password=secrets.token_urlsafe(32), role=role,
                                department_id=department_id, actor=actor, now=now)
    return link_identity(identity, user, actor=actor, now=now)


def map_identity(*, issuer: str, subject: str, user: User, actor, now: datetime) -> Identity:
    """Link an identity (issuer + subject) to an account before it ever signs in.

    :raises ValidationFailed: no issuer or subject
    """
    _require_manager(actor)
    issuer, subject = rules.issuer_key(issuer), (subject or "").strip()
    errors = {name: [_l("This field is required.")] for name, value in (("issuer", issuer), ("subject", subject))
              if not value}
    if errors:
        raise ValidationFailed(errors)
    identity = find_identity(issuer, subject)
    if identity is None:
        identity = Identity(issuer=issuer, subject=subject, status=IdentityStatus.PENDING, created_at=now)
        db.session.add(identity)
        db.session.flush()
    elif identity.status == IdentityStatus.REJECTED:
        identity.status = IdentityStatus.PENDING  # an administrator's explicit mapping overrides a refusal
    return link_identity(identity, user, actor=actor, now=now)


def reject_identity(identity: Identity, *, actor, now: datetime) -> Identity:
    """Refuse an identity; one that was linked no longer signs in, and its account's open sessions end."""
    _require_manager(actor)
    _check_decision(identity, "reject")
    if identity.user is not None:
        identity.user.end_all_sessions()
    identity.status, identity.user_id = IdentityStatus.REJECTED, None
    identity.decided_at, identity.decided_by_id = now, actor.id
    db.session.flush()
    audit.record("identity.rejected", identity, actor=actor, now=now)
    return identity


def find_account(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def identities_of(user: User) -> list[Identity]:
    return list(db.session.scalars(db.select(Identity).where(Identity.user_id == user.id).order_by(Identity.id)))
