"""How a request proves who it is: a session cookie for pages, a Bearer token for the API."""

import hmac

from flask import g, request
from flask_babel import lazy_gettext as _l

from engage.accounts import permissions, services
from engage.accounts.models import User
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
    """The active user a session belongs to, unless their password changed since it was opened."""
    user_id, _, fingerprint = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or not hmac.compare_digest(user.session_fingerprint, fingerprint):
        return None
    return user


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
