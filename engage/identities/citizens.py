"""A citizen signed in through the identity provider: nothing is stored on the server, the session holds it all.

Comments and sign-ups stay anonymous records with receipt numbers; a signed-in citizen only sees together the
ones that carry a contact the provider verified as theirs (e-mail, mobile number).
"""

from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login.utils import _create_identifier

from engage.accounts import auth
from engage.consultations import contact_lookup
from engage.core.timeutil import utcnow
from engage.events.registrations import lookup as sign_up_lookup
from engage.identities import client, rules

bp = Blueprint("citizens", __name__, url_prefix="/me")

#: session key of the signed-in citizen: issuer, subject, name, verified contacts, the session clock
CITIZEN = "_engage_citizen"
#: the most records of each kind the page lists
LISTED = 100


def start_session(issuer: str, person: rules.Person, *, now: datetime) -> None:
    """Remember the citizen in this browser's session, bound to it as the staff's sessions are (strong)."""
    at = int(now.timestamp())
    session[CITIZEN] = {"iss": issuer, "sub": person.subject, "name": person.name, "email": person.email,
                        "phone": person.phone, "login_at": at, "seen_at": at, "id": _create_identifier()}


def signed_in_citizen() -> dict | None:
    return session.get(CITIZEN)


def expire_citizen_session() -> None:
    """before_request: the staff session rules apply to citizens too (idle and absolute limits, same browser)."""
    citizen = session.get(CITIZEN)
    if not citizen:
        return
    now, config = int(utcnow().timestamp()), current_app.config
    expired = auth.is_session_expired(citizen.get("login_at"), citizen.get("seen_at"), now,
                                      idle=config["SESSION_IDLE_MINUTES"] * 60,
                                      absolute=config["SESSION_MAX_HOURS"] * 3600)
    if expired or citizen.get("id") != _create_identifier():
        session.pop(CITIZEN, None)
        if expired:
            flash(_("Your session has expired. Please sign in again."), "info")
    elif now - citizen["seen_at"] >= auth.SEEN_AT_RESOLUTION_SECONDS:
        session[CITIZEN] = {**citizen, "seen_at": now}


@bp.get("/")
def participation():
    """My participation: the comments (receipt numbers) and sign-ups made with my verified contacts."""
    if not client.is_enabled_for_citizens(current_app.config):
        abort(404)
    citizen = signed_in_citizen()
    if citizen is None:
        return render_template("identities/participation_sign_in.html")
    comments = (contact_lookup.comments_with_contact(email=citizen["email"], limit=LISTED).comments
                if citizen["email"] else [])
    if citizen["phone"]:
        comments = sorted([*comments, *contact_lookup.comments_with_contact(mobile=citizen["phone"],
                                                                           limit=LISTED).comments],
                          key=lambda comment: (comment.created_at, comment.id), reverse=True)
    sign_ups = sign_up_lookup.sign_ups_for_phone(citizen["phone"], limit=LISTED) if citizen["phone"] else []
    return render_template("identities/participation.html", citizen=citizen, comments=comments,
                           sign_ups=sign_ups, now=utcnow())


@bp.post("/sign-out")
def sign_out():
    """Forget the signed-in citizen in this browser."""
    session.pop(CITIZEN, None)
    flash(_("You have signed out."), "success")
    return redirect(url_for("home.index"))
