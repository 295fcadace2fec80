"""Pages that belong to no single domain: language switch, form tokens, health check."""

import uuid
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, request, send_from_directory
from flask_wtf.csrf import generate_csrf

from engage import jobs
from engage.core.http_cache import public
from engage.core.i18n import LANGUAGE_COOKIE
from engage.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/language/<code>")
def switch_language(code: str):
    """Remember the chosen interface language and go back where the visitor was."""
    target = request.args.get("next", "/")
    # Only paths on this site: an open redirect would let others borrow our address.
    if urlsplit(target).netloc or not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = redirect(target)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


@bp.before_app_request
def forget_last_csrf_token() -> None:
    """Flask-WTF keeps the token it made on ``g``; an application context that outlives one request (tests, a
    job) must not hand one visitor's token to the next visitor's page."""
    g.pop("csrf_token", None)


@bp.get("/form-tokens")
def form_tokens():
    """This visitor's tokens for a public form, which the page itself (the same for everyone) does not hold.

    Asked for by static/js/form-tokens.js once the visitor starts filling the form in; answered ``private,
    no-store`` with the session cookie the CSRF token lives in. ``submission_token`` makes a retry of the
    same comment find the first one.
    """
    return {"csrf_token": generate_csrf(), "submission_token": uuid.uuid4().hex}


@bp.get("/favicon.ico")
@public
def favicon():
    """The site icon where browsers look for it without reading the page (bookmarks, feed readers)."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=7 * 24 * 3600)


@bp.get("/healthz")
def health():
    """For load balancers: answers when the database does; says whether a job consumer runs."""
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok", "jobs": jobs.health()}
