"""How a request proves who it is: a session cookie for pages, a Bearer token for the API."""

import hmac
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app, flash, g, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from engage.accounts import permissions, services
from engage.accounts.models import Role, User
from engage.core.timeutil import utcnow
from engage.extensions import db


def configure_login(login_manager) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str):
        return user_for_session(session_id)


def user_for_session(session_id: str) -> User | None:
    """The active user a session belongs to, unless they logged out everywhere or changed their password since."""
    user_id, _, rest = session_id.partition(":")
    generation, _, fingerprint = rest.partition(":")
    if not user_id.isdigit() or not generation.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_generation != int(generation):
        return None
    return user if hmac.compare_digest(user.session_fingerprint, fingerprint) else None


#: session keys: when this login happened and when its last request came (seconds since the epoch, UTC)
LOGIN_AT, SEEN_AT = "_engage_login_at", "_engage_seen_at"
#: the last-seen time is rewritten at most this often, so a busy page does not send a new cookie every time
SEEN_AT_RESOLUTION_SECONDS = 60


def start_session_clock(now: datetime) -> None:
    """Called at login: the idle and absolute limits count from here."""
    session[LOGIN_AT] = session[SEEN_AT] = int(now.timestamp())


def is_session_expired(login_at: int | None, seen_at: int | None, now: int, *, idle: int, absolute: int) -> bool:
    """Whether a staff session is over: idle too long, open too long, or from before these limits existed."""
    if login_at is None or seen_at is None:
        return True
    return now - seen_at > idle or now - login_at > absolute


def expire_idle_sessions() -> None:
    """before_request: log out a session idle or open for longer than the settings allow."""
    if "_user_id" not in session:
        return
    now = int(utcnow().timestamp())
    config = current_app.config
    if is_session_expired(session.get(LOGIN_AT), session.get(SEEN_AT), now,
                          idle=config["SESSION_IDLE_MINUTES"] * 60, absolute=config["SESSION_MAX_HOURS"] * 3600):
        logout_user()
        session.pop(LOGIN_AT, None)
        session.pop(SEEN_AT, None)
        flash(_("Your session has expired. Please log in again."), "info")
    elif now - session[SEEN_AT] >= SEEN_AT_RESOLUTION_SECONDS:
        session[SEEN_AT] = now


def token_user() -> User | None:
    """The staff user whose API token came with this request, or None. Cookies never count on the API."""
    if "token_user" not in g:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        g.token_user = (
            services.user_for_token(token.strip(), now=utcnow()) if scheme.lower() == "bearer" and token else None
        )
    return g.token_user


def has_staff_token() -> bool:
    """Whether the request carries a valid staff API token (the check behind every staff API endpoint)."""
    return permissions.is_staff(token_user())


def local_path(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None: an open redirect would lend others our address."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def landing_page() -> str:
    """Where a staff member lands after logging in: the desk of their role."""
    if permissions.is_admin(current_user):
        return url_for("admin.index")
    # Organisers and supervisors have no consultations: their desks are the events and the proposal tracker.
    if current_user.role == Role.ORGANISER:
        return url_for("events_staff.events.index")
    if current_user.role == Role.SUPERVISOR:
        return url_for("proposals_staff.cases.index")
    return url_for("consultations_staff.index")
