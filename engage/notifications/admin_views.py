"""The administrators' outbox page: every message with its status, one message's history, retry and withhold."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.core.errors import NotAllowed, RuleViolation, ValidationFailed
from engage.core.forms import show_refusal
from engage.core.timeutil import utcnow
from engage.extensions import login_manager
from engage.notifications import admin_services, permissions
from engage.notifications.forms import OutboxActionForm, OutboxFilterForm
from engage.notifications.models import OUTCOME_LABELS
from engage.notifications.services import WITHHELD_REASONS

bp = Blueprint("outbox_admin", __name__, url_prefix="/admin/outbox")


@bp.before_request
def require_admin():
    """Anonymous visitors are sent to log in; staff who are not administrators get 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not permissions.can_manage_outbox(current_user):
        raise NotAllowed()
    return None


@bp.get("/")
def index():
    """Messages newest first, filtered by status, channel, message, dates and recipient, with counts per status."""
    form = OutboxFilterForm(request.args)
    form.set_templates(admin_services.list_templates(actor=current_user))
    form.validate()
    filters = form.filters()
    try:
        page = admin_services.list_messages(filters, actor=current_user, page=request.args.get("page", 1, type=int),
                                            per_page=admin_services.PER_PAGE)
        counts = admin_services.count_by_status(filters, actor=current_user)
    except ValidationFailed as error:
        show_refusal(error, form)
        page, counts = None, None
    return render_template("admin/outbox.html", form=form, page=page, counts=counts, filters=filters,
                           reasons=WITHHELD_REASONS), 422 if form.errors else 200


def _message_page(message_id: int, form: OutboxActionForm, status: int = 200):
    message = admin_services.get_message(message_id, actor=current_user)
    return render_template("admin/outbox_message.html", message=message, form=form,
                           reasons=WITHHELD_REASONS, outcome_labels=OUTCOME_LABELS), status


@bp.get("/<int:message_id>")
def message(message_id: int):
    """One message: what it says, where it goes, and every attempt and staff action on it."""
    return _message_page(message_id, OutboxActionForm())


def _act(message_id: int, action, done: str):
    form = OutboxActionForm()
    if not form.validate_on_submit():
        return _message_page(message_id, form, 400)
    try:
        action(message_id, actor=current_user, now=utcnow())
    except RuleViolation as error:
        show_refusal(error, form)
        return _message_page(message_id, OutboxActionForm(), error.status_code)
    flash(done, "success")
    return redirect(url_for(".message", message_id=message_id))


@bp.post("/<int:message_id>/retry")
def retry(message_id: int):
    """Send a failed or withheld message again."""
    return _act(message_id, admin_services.retry_message, _("The message will be sent again."))


@bp.post("/<int:message_id>/withhold")
def withhold(message_id: int):
    """Keep a waiting message from being sent."""
    return _act(message_id, admin_services.withhold_message, _("The message has been withheld."))
