"""Staff login, logout, own password and personal API tokens."""

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from engage.accounts import auth, services
from engage.accounts.auth import landing_page, local_path
from engage.accounts.forms import ApiTokenForm, ChangePasswordForm, LoginForm, MessagePreferencesForm
from engage.core.errors import ValidationFailed
from engage.core.forms import show_refusal
from engage.core.timeutil import utcnow
from engage.extensions import limiter

bp = Blueprint("accounts", __name__, url_prefix="/account")


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Log in with e-mail and password; repeated failures lock the account for a while."""
    next_path = local_path(request.args.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_path or landing_page())
    form = LoginForm()
    login_error = None
    if form.validate_on_submit():
        config = current_app.config
        try:
            user = services.authenticate(
                form.email.data, form.password.data, now=utcnow(), max_failures=config["LOGIN_MAX_FAILURES"],
                lockout=timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"]),
            )
        except (services.LoginFailed, services.AccountLocked) as error:
            # Answered with 200, not 401/429, so that the request commits the counted failure and the lock.
            login_error = error.message
        else:
            session.clear()  # a fresh session (and CSRF token) for the logged-in user
            login_user(user)
            auth.start_session_clock(utcnow())
            return redirect(next_path or landing_page())
    status = 422 if form.errors else 200
    return render_template("accounts/login.html", form=form, next=next_path, login_error=login_error), status


@bp.post("/logout")
def logout():
    """Log out everywhere and forget the session."""
    if current_user.is_authenticated:
        services.log_out_everywhere(current_user, now=utcnow())
    logout_user()
    session.clear()
    flash(_("You have logged out."), "success")
    return redirect(url_for("home.index"))


def _render_tokens(form, new_token: str | None = None, status: int = 200):
    response = current_app.make_response((
        render_template("accounts/tokens.html", form=form, tokens=services.tokens_of(current_user),
                        new_token=new_token),
        status,
    ))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """List my API tokens and create one; a new token is shown on this answer only, never again."""
    form = ApiTokenForm()
    if not form.validate_on_submit():
        return _render_tokens(form, status=422 if form.errors else 200)
    _record, token = services.create_api_token(current_user, name=form.name.data, now=utcnow())
    # Rendered, not redirected: a flashed token would travel in the (signed, not encrypted) session cookie.
    return _render_tokens(ApiTokenForm(formdata=None), new_token=token)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of my API tokens; programs using it lose access at once."""
    services.revoke_api_token(token_id, actor=current_user, now=utcnow())
    flash(_("The token has been revoked."), "success")
    return redirect(url_for(".tokens"))


@bp.route("/messages", methods=["GET", "POST"])
@login_required
def messages():
    """How I am told of my cases: e-mail or SMS, at once or in one daily (supervisors: weekly) digest."""
    user = current_user._get_current_object()
    form = MessagePreferencesForm(obj=user if request.method == "GET" else None)
    if request.method == "GET":
        form.notify_by.data, form.message_timing.data = user.notify_by.value, user.message_timing.value
        form.message_language.data = user.message_language
    if form.validate_on_submit():
        try:
            services.set_message_preferences(user, phone=form.phone.data or "", notify_by=form.notify_by.data,
                                             timing=form.message_timing.data,
                                             language=form.message_language.data or None, actor=user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form)
        else:
            flash(_("Your message settings have been saved."), "success")
            return redirect(url_for(".messages"))
    return render_template("accounts/messages.html", form=form), 422 if form.errors else 200


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"])
def password():
    """Change my own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_own_password(current_user, current_password=form.current_password.data,
                                         new_password=form.new_password.data, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, rename={"password": "new_password"})
        else:
            # The new password ends every other session of this user; this one continues under the new fingerprint.
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed."), "success")
            return redirect(url_for(".tokens"))
    return render_template("accounts/password.html", form=form), 422 if form.errors else 200
