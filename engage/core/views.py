"""Pages that belong to no single domain: language switch, form tokens, health check."""

import uuid
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, request, send_from_directory
from flask_wtf.csrf import generate_csrf

from engage import jobs
from engage.core import care_mode
from engage.core.http_cache import public
from engage.core.i18n import LANGUAGE_COOKIE
from engage.extensions import db

bp = Blueprint("core", __name__)


def _back_where_they_were():
    target = request.args.get("next", "/")
    # Only paths on this site: an open redirect would let others borrow our address.
    if urlsplit(target).netloc or not target.startswith("/") or target.startswith("//"):
        target = "/"
    return redirect(target)


@bp.get("/language/<code>")
def switch_language(code: str):
    """Remember the chosen interface language and go back where the visitor was."""
    response = _back_where_they_were()
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


@bp.get("/care/<any(on, off):state>")
def choose_care_mode(state: str):
    """Turn care mode (关怀版) on or off and go back where the visitor was; a portal may link here directly."""
    response = _back_where_they_were()
    if state == "on":
        response.set_cookie(care_mode.CARE_COOKIE, "on", max_age=care_mode.CARE_COOKIE_SECONDS, samesite="Lax",
                            httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
    else:
        response.delete_cookie(care_mode.CARE_COOKIE, samesite="Lax", httponly=True,
                               secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.get("/care.css")
def care_stylesheet():
    """The stylesheet of the chosen mode: care mode's rules, or none. Private to the visitor and fetched again
    with every page, so that switching shows at once while the pages themselves stay the same for everyone."""
    if care_mode.is_chosen(request.cookies):
        response = send_from_directory(current_app.static_folder, "css/care.css", mimetype="text/css", max_age=0)
    else:
        response = current_app.response_class("/* standard mode */\n", mimetype="text/css")
    response.vary.add("Cookie")  # private (engage.core.http_cache): no shared cache hands it to another visitor
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
