"""The administrators' webhook pages: the hooks, one hook's form, and its delivery log."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from engage.core.errors import NotAllowed, ValidationFailed
from engage.core.forms import show_refusal
from engage.core.timeutil import utcnow
from engage.domain_events.models import EventType
from engage.extensions import db, login_manager
from engage.webhooks import services
from engage.webhooks.forms import HookForm

bp = Blueprint("webhooks_admin", __name__, url_prefix="/admin/webhooks")


@bp.before_request
def require_admin():
    """Anonymous visitors are sent to log in; staff who are not administrators get 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not services.can_manage_webhooks(current_user):
        raise NotAllowed()
    return None


@bp.get("/")
def index():
    """Every hook, with the answer its receiver gave last."""
    return render_template("admin/webhooks.html", hooks=services.list_hooks(actor=current_user),
                           event_types=EventType)


def _fields(form: HookForm) -> services.HookFields:
    return services.HookFields(name=form.name.data or "", url=form.url.data or "", secret=form.secret.data or "",
                               event_types=list(form.event_types.data or []), is_active=form.is_active.data)


def _form_page(form: HookForm, hook=None, status: int = 200):
    return render_template("admin/webhook_form.html", form=form, hook=hook), status


@bp.route("/new", methods=["GET", "POST"])
def new_hook():
    """Register a hook; an empty secret is made for you and shown on the hook's page."""
    form = HookForm()
    if form.validate_on_submit():
        try:
            hook = services.save_hook(None, _fields(form), actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form)
        else:
            db.session.commit()
            return redirect(url_for(".show_hook", hook_id=hook.id), code=303)
    return _form_page(form, status=422 if form.errors else 200)


@bp.route("/<int:hook_id>/edit", methods=["GET", "POST"])
def edit_hook(hook_id: int):
    """Change a hook; an empty secret keeps the one it has."""
    hook = services.get_hook(hook_id, actor=current_user)
    form = HookForm(obj=hook) if request.method == "GET" else HookForm()
    if form.validate_on_submit():
        try:
            services.save_hook(hook, _fields(form), actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form)
        else:
            db.session.commit()
            return redirect(url_for(".show_hook", hook_id=hook.id), code=303)
    return _form_page(form, hook, status=422 if form.errors else 200)


@bp.post("/<int:hook_id>/delete")
def delete_hook(hook_id: int):
    services.delete_hook(services.get_hook(hook_id, actor=current_user), actor=current_user)
    db.session.commit()
    return redirect(url_for(".index"), code=303)


@bp.get("/<int:hook_id>")
def show_hook(hook_id: int):
    """A hook, its secret, and its deliveries newest first with the receiver's last answer."""
    hook = services.get_hook(hook_id, actor=current_user)
    page = services.list_deliveries(hook, actor=current_user, page=request.args.get("page", 1, type=int))
    return render_template("admin/webhook.html", hook=hook, page=page, last_answer=services.last_answer,
                           event_types=EventType)
