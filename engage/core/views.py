"""Pages that belong to no single domain: home, language switch, health check."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request

from engage import jobs
from engage.consultations import services as consultations
from engage.core.i18n import LANGUAGE_COOKIE
from engage.core.timeutil import utcnow
from engage.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    """The home page: what is open for comment now and what comes next."""
    now = utcnow()
    return render_template(
        "core/home.html",
        open_consultations=consultations.list_public(now, status="open", per_page=6).items,
        scheduled_consultations=consultations.list_public(now, status="scheduled", per_page=3).items,
    )


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


@bp.get("/healthz")
def health():
    """For load balancers: answers when the database does; says whether a job consumer runs."""
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok", "jobs": jobs.health()}
