"""The administrators' identity pages: first sign-ins waiting for approval, links to accounts, refusals."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts import permissions
from engage.accounts import services as accounts
from engage.accounts.models import Role
from engage.core.errors import NotAllowed, RuleViolation, ValidationFailed
from engage.core.forms import show_refusal
from engage.core.timeutil import utcnow
from engage.extensions import login_manager
from engage.identities import services
from engage.identities.forms import LinkIdentityForm, MapIdentityForm, NewAccountForm
from engage.identities.models import IdentityStatus

bp = Blueprint("identities_admin", __name__, url_prefix="/admin/identities")

@bp.before_request
def require_admin():
    """Anonymous visitors are sent to log in; staff who are not administrators get 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not permissions.can_manage_accounts(current_user):
        raise NotAllowed()
    return None


def _status_filter() -> IdentityStatus | None:
    try:
        return IdentityStatus(request.args.get("status", ""))
    except ValueError:
        return None


@bp.get("/")
def index():
    """Identities, those waiting for approval first."""
    status = _status_filter()
    page = services.list_identities(status=status, page=request.args.get("page", 1, type=int), actor=current_user)
    return render_template("admin/identities.html", page=page, status=status, statuses=IdentityStatus)


def _new_account_form(identity):
    form = NewAccountForm(prefix="new", data=None if request.method == "POST" else {
        "email": identity.email, "name": identity.name, "role": Role.DEPARTMENT_STAFF.value})
    form.set_department_choices(accounts.list_departments(active_only=True), str(get_locale()))
    return form


def _identity_page(identity, link_form, new_form, status: int = 200):
    suggested = accounts.find_user_by_email(identity.email) if identity.email else None
    return render_template("admin/identity.html", identity=identity, link_form=link_form, new_form=new_form,
                           suggested=suggested, statuses=IdentityStatus), status


@bp.get("/<int:identity_id>")
def show(identity_id: int):
    """One identity: what the provider said, and the forms to link or refuse it."""
    identity = services.get_identity(identity_id, actor=current_user)
    suggested = accounts.find_user_by_email(identity.email) if identity.email else None
    link_form = LinkIdentityForm(prefix="link", data={"user_email": suggested.email if suggested else ""})
    return _identity_page(identity, link_form, _new_account_form(identity))


def _refused(error, form, identity, link_form, new_form):
    if isinstance(error, ValidationFailed):
        show_refusal(error, form)
        return _identity_page(identity, link_form, new_form, 422)
    flash(error.message, "error")
    return _identity_page(identity, link_form, new_form, error.status_code)


@bp.post("/<int:identity_id>/link")
def link(identity_id: int):
    """Link the identity to an existing account."""
    identity = services.get_identity(identity_id, actor=current_user)
    link_form, new_form = LinkIdentityForm(prefix="link"), _new_account_form(identity)
    if not link_form.validate_on_submit():
        return _identity_page(identity, link_form, new_form, 422)
    user = accounts.find_user_by_email(link_form.user_email.data)
    try:
        if user is None:
            raise ValidationFailed({"user_email": [services.NO_SUCH_ACCOUNT]})
        services.link_identity(identity, user, actor=current_user, now=utcnow())
    except (ValidationFailed, RuleViolation) as error:
        return _refused(error, link_form, identity, link_form, new_form)
    flash(_("The identity now signs in as %(email)s.", email=user.email), "success")
    return redirect(url_for(".index"))


@bp.post("/<int:identity_id>/new-account")
def new_account(identity_id: int):
    """Approve the identity with a new account of the role chosen."""
    identity = services.get_identity(identity_id, actor=current_user)
    link_form, new_form = LinkIdentityForm(prefix="link"), _new_account_form(identity)
    if not new_form.validate_on_submit():
        return _identity_page(identity, link_form, new_form, 422)
    try:
        services.link_to_new_account(identity, email=new_form.email.data, name=new_form.name.data,
                                     role=Role(new_form.role.data), department_id=new_form.department_id.data,
                                     actor=current_user, now=utcnow())
    except (ValidationFailed, RuleViolation) as error:
        return _refused(error, new_form, identity, link_form, new_form)
    flash(_("The account %(email)s has been created for this identity.", email=identity.user.email), "success")
    return redirect(url_for(".index"))


@bp.post("/<int:identity_id>/reject")
def reject(identity_id: int):
    """Refuse the identity: it no longer signs in."""
    identity = services.get_identity(identity_id, actor=current_user)
    try:
        services.reject_identity(identity, actor=current_user, now=utcnow())
    except RuleViolation as error:
        flash(error.message, "error")
        return redirect(url_for(".show", identity_id=identity.id))
    flash(_("The identity has been refused."), "success")
    return redirect(url_for(".index"))


@bp.route("/map", methods=["GET", "POST"])
def map_identity():
    """Link an identity to an account before its first sign-in."""
    form = MapIdentityForm(data=None if request.method == "POST" else
                           {"issuer": current_app.config.get("OIDC_ISSUER") or ""})
    if form.validate_on_submit():
        user = accounts.find_user_by_email(form.user_email.data)
        try:
            if user is None:
                raise ValidationFailed({"user_email": [services.NO_SUCH_ACCOUNT]})
            services.map_identity(issuer=form.issuer.data, subject=form.subject.data, user=user,
                                  actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form)
        else:
            flash(_("The identity now signs in as %(email)s.", email=user.email), "success")
            return redirect(url_for(".index"))
    return render_template("admin/identity_map.html", form=form), 422 if form.errors else 200
