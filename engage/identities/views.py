"""Signing in through the unified identity provider: staff to their account, citizens to their own records."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from engage.accounts import auth
from engage.accounts.auth import landing_page, local_path
from engage.core.timeutil import utcnow
from engage.extensions import db, limiter
from engage.identities import citizens, client, rules, services
from engage.identities.models import SignInPurpose

bp = Blueprint("identities", __name__)

#: session key: the state digests of the sign-ins this browser started (the answer must bring one back)
STARTED = "_engage_sign_in_started"
#: sign-ins one browser may have under way at once (several tabs); an older one is then refused
STARTED_AT_MOST = 3


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _refused(refusal: client.SignInRefused, purpose: SignInPurpose | None):
    return render_template("identities/refused.html", message=refusal.message, purpose=purpose,
                           awaiting=isinstance(refusal, services.AwaitingApproval)), refusal.status_code


def _start(purpose: SignInPurpose, next_path: str | None):
    redirect_uri = url_for("identities.callback", _external=True)
    try:
        authorization = client.authorization(redirect_uri)
    except client.SignInRefused as refusal:
        return _refused(refusal, purpose)
    started = services.start_sign_in(authorization, purpose=purpose, redirect_uri=redirect_uri,
                                     next_path=next_path or "", now=utcnow())
    session[STARTED] = [*session.get(STARTED, [])[-(STARTED_AT_MOST - 1):], started.state_hash]
    return redirect(authorization["url"])


@bp.get("/account/sign-in")
@limiter.limit(_login_limit)
def staff_sign_in():
    """Send a staff member to the unified identity provider (统一身份认证)."""
    if not client.is_enabled(current_app.config):
        abort(404)
    next_path = local_path(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_path or landing_page())
    return _start(SignInPurpose.STAFF, next_path)


@bp.get("/me/sign-in")
@limiter.limit(_login_limit)
def citizen_sign_in():
    """Send a citizen to the unified identity provider, to come back to their own comments and sign-ups."""
    if not client.is_enabled_for_citizens(current_app.config):
        abort(404)
    return _start(SignInPurpose.CITIZEN, url_for("citizens.participation"))


@bp.get("/account/sign-in/callback")
@limiter.limit(_login_limit)
def callback():
    """The provider's answer: checked (state once, PKCE, ID token's signature, issuer, audience, expiry, nonce)."""
    if not client.is_enabled(current_app.config):
        abort(404)
    now, purpose = utcnow(), None
    try:
        state = request.args.get("state", "")
        started_here = session.get(STARTED, [])
        session[STARTED] = [digest for digest in started_here if digest != services.state_digest(state)]
        started = services.take_sign_in_request(state, started_here=started_here, now=now)
        purpose = started.purpose
        if request.args.get("error"):
            raise client.SignInRefused(client.provider_error(request.args))
        claims = client.verified_claims(code=request.args.get("code", ""), redirect_uri=started.redirect_uri,
                                        code_verifier=started.code_verifier, nonce=started.nonce)
        person = rules.person_from_claims(claims)
        if purpose == SignInPurpose.CITIZEN:
            if not client.is_enabled_for_citizens(current_app.config):
                abort(404)
            citizens.start_session(claims["iss"], person, now=now)
            return redirect(started.next_path or url_for("citizens.participation"))
        user = services.sign_in_staff(claims["iss"], person, now=now)
    except client.SignInRefused as refusal:
        # Kept even though the answer is a refusal: the used sign-in stays used, a first sign-in stays waiting.
        db.session.commit()
        return _refused(refusal, purpose)
    session.clear()  # a fresh session (and CSRF token) for the signed-in user, as the password login does
    login_user(user)
    auth.start_session_clock(now)
    return redirect(local_path(started.next_path) or landing_page())
