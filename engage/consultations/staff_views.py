"""Department staff: drafting, publishing and moderating consultations."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from wtforms import SelectChoice

from engage.accounts import permissions
from engage.consultations import campaigns, comment_services, rules, services
from engage.consultations.models import CommentStatus, ConsultationKind, Stage
from engage.consultations.staff_forms import (
    MODERATION_TABS,
    AttachmentForm,
    ConfirmForm,
    ConsultationForm,
    ModerationForm,
)
from engage.core.calendar_days import load_work_calendar
from engage.core.errors import NotAllowed, NotFound, ValidationFailed
from engage.core.forms import show_refusal
from engage.core.pagination import cursors_from
from engage.core.templating import department_name
from engage.core.timeutil import utcnow

bp = Blueprint("consultations_staff", __name__, url_prefix="/staff/consultations")

#: audit actions as staff read them in a history
ACTION_LABELS = {
    "consultation.created": _l("Draft created"),
    "consultation.updated": _l("Draft changed"),
    "consultation.published": _l("Consultation published"),
    "attachment.added": _l("Attachment added"),
    "attachment.removed": _l("Attachment removed"),
    "comment.published": _l("Comment approved"),
    "comment.rejected": _l("Comment rejected"),
    "decision.linked": _l("Final decision linked"),
    "interpretation.linked": _l("Policy interpretation linked"),
    "feedback.published": _l("Feedback report published"),
    "feedback.corrected": _l("Feedback report corrected"),
    "feedback.groups_proposed": _l("Opinion groups proposed"),
    "feedback.contacts_downloaded": _l("Comments with contact details downloaded"),
    "feedback.comment_answered": _l("Comment answered"),
    "feedback.comment_answer_cleared": _l("Comment's own answer removed"),
    "feedback.offline_opinion": _l("Offline opinion recorded"),
}


@bp.context_processor
def staff_labels():
    return {"action_labels": ACTION_LABELS}


@bp.before_request
@login_required
def require_login():
    """Every staff page needs a logged-in user; anonymous visitors are sent to the login page."""


# ---- helpers -------------------------------------------------------------------------------------------


def _page_number() -> int:
    return request.args.get("page", 1, type=int) or 1


def _minimum_periods():
    """The configured minimum period for each kind, to tell staff before they choose the dates."""
    return {kind: services.minimum_period(kind, current_app.config) for kind in ConsultationKind}


def _prepare_form(form: ConsultationForm):
    """Only administrators choose the department; staff always draft for their own."""
    if permissions.is_admin(current_user):
        form.department.choices = [SelectChoice(d.id, department_name(d)) for d in services.active_departments()]
    else:
        del form.department
    return form


def _department_id(form: ConsultationForm) -> int | None:
    return form.department.data if "department" in form else current_user.department_id


def _next_page() -> str:
    """Where a saved draft goes: back to editing, or to its preview when staff chose "Save and preview"."""
    return ".preview" if request.form.get("next") == "preview" else ".edit"


def _render_edit(consultation, form, upload_form=None, status: int = 200):
    return render_template(
        "consultations/staff/edit.html", consultation=consultation, form=form,
        upload_form=upload_form or AttachmentForm(), confirm_form=ConfirmForm(),
        minimum_periods=_minimum_periods(),
    ), status


def _publish_problems(consultation) -> dict:
    if consultation.stage != Stage.DRAFT:
        return {}
    return services.publish_problems(consultation, now=utcnow(), config=current_app.config,
                                     calendar=load_work_calendar())


def _render_preview(consultation, problems: dict, status: int = 200):
    calendar = load_work_calendar()
    minimum = services.minimum_period(consultation.kind, current_app.config)
    earliest = (
        rules.earliest_close(max(consultation.opens_at, utcnow()), minimum, calendar) if consultation.opens_at else None
    )
    return render_template(
        "consultations/staff/preview.html", consultation=consultation, problems=problems, minimum=minimum,
        earliest_close=earliest, confirm_form=ConfirmForm(), public_status=consultation.status(utcnow()),
    ), status


# ---- list and drafting ---------------------------------------------------------------------------------


@bp.get("/")
def index():
    """The consultations of my department (administrators: all), drafts included."""
    page = services.list_for_staff(current_user, page=_page_number())
    return render_template(
        "consultations/staff/index.html", page=page, now=utcnow(),
        pending=comment_services.pending_counts([c.id for c in page.items]),
        can_create=permissions.can_create_consultation(current_user),
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Start a draft consultation."""
    if not permissions.can_create_consultation(current_user):
        raise NotAllowed()
    form = _prepare_form(ConsultationForm())
    if form.validate_on_submit():
        try:
            consultation = services.create_draft(form.draft_fields(), department_id=_department_id(form),
                                                 actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, rename={"department_id": "department"})
        else:
            flash(_("Draft saved. You can now add attachments, then preview and publish it."), "success")
            return redirect(url_for(_next_page(), consultation_id=consultation.id))
    status = 422 if form.is_submitted() else 200
    return render_template("consultations/staff/new.html", form=form, minimum_periods=_minimum_periods()), status


@bp.route("/<int:consultation_id>/edit", methods=["GET", "POST"])
def edit(consultation_id: int):
    """Change a draft and manage its attachments; published consultations are no longer editable."""
    consultation = services.get_for_staff(consultation_id, current_user)
    if consultation.stage != Stage.DRAFT and request.method == "GET":
        flash(_("This consultation is published; its text can no longer be changed."), "info")
        return redirect(url_for(".preview", consultation_id=consultation.id))
    form = _prepare_form(ConsultationForm.for_consultation(consultation) if request.method == "GET"
                         else ConsultationForm())
    if form.validate_on_submit():
        try:
            services.update_draft(consultation, form.draft_fields(), actor=current_user, now=utcnow(),
                                  department_id=_department_id(form))
        except ValidationFailed as error:
            show_refusal(error, form, rename={"department_id": "department"})
        else:
            flash(_("Draft saved."), "success")
            return redirect(url_for(_next_page(), consultation_id=consultation.id))
    return _render_edit(consultation, form, status=422 if form.is_submitted() else 200)


# ---- attachments ---------------------------------------------------------------------------------------


@bp.post("/<int:consultation_id>/attachments")
def upload_attachment(consultation_id: int):
    """Attach a file to a draft; the service checks its type by content and its size."""
    consultation = services.get_for_staff(consultation_id, current_user)
    upload_form = AttachmentForm()
    if upload_form.validate_on_submit():
        upload = upload_form.file.data
        try:
            services.add_attachment(
                consultation, upload.stream, upload.filename or "", actor=current_user, now=utcnow(),
                folder=current_app.config["UPLOAD_FOLDER"], max_bytes=current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024,
            )
        except ValidationFailed as error:
            show_refusal(error, upload_form, rename={"department_id": "department"})
        else:
            flash(_("Attachment “%(name)s” added.", name=upload.filename), "success")
            return redirect(url_for(".edit", consultation_id=consultation.id, _anchor="attachments"))
    form = _prepare_form(ConsultationForm.for_consultation(consultation, formdata=None))
    return _render_edit(consultation, form, upload_form, status=422)


@bp.post("/<int:consultation_id>/attachments/<int:attachment_id>/remove")
def remove_attachment(consultation_id: int, attachment_id: int):
    """Remove an attachment from a draft."""
    consultation = services.get_for_staff(consultation_id, current_user)
    attachment = services.get_attachment_of(consultation, attachment_id)
    name = attachment.original_name
    services.remove_attachment(attachment, actor=current_user, now=utcnow(), folder=current_app.config["UPLOAD_FOLDER"])
    flash(_("Attachment “%(name)s” removed.", name=name), "success")
    return redirect(url_for(".edit", consultation_id=consultation.id, _anchor="attachments"))


@bp.get("/<int:consultation_id>/attachments/<int:attachment_id>")
def download_attachment(consultation_id: int, attachment_id: int):
    """Staff may open the attachments of their drafts before the public can."""
    consultation = services.get_for_staff(consultation_id, current_user)
    attachment = services.get_attachment_of(consultation, attachment_id)
    return send_from_directory(
        current_app.config["UPLOAD_FOLDER"], attachment.stored_name, mimetype=attachment.content_type,
        as_attachment=True, download_name=attachment.original_name,
    )


# ---- preview and publishing ----------------------------------------------------------------------------


@bp.get("/<int:consultation_id>/preview")
def preview(consultation_id: int):
    """The consultation as the public will see it, with what still stops it from being published."""
    consultation = services.get_for_staff(consultation_id, current_user)
    return _render_preview(consultation, _publish_problems(consultation))


@bp.post("/<int:consultation_id>/publish")
def publish(consultation_id: int):
    """Publish a draft; what stops it is listed on the preview with links to fix it."""
    consultation = services.get_for_staff(consultation_id, current_user)
    try:
        services.publish(consultation, actor=current_user, now=utcnow(), config=current_app.config,
                         calendar=load_work_calendar())
    except ValidationFailed as error:
        return _render_preview(consultation, error.errors, status=422)
    flash(_("The consultation is published."), "success")
    return redirect(url_for(".preview", consultation_id=consultation.id))


# ---- moderation and history ----------------------------------------------------------------------------


def _queue_status() -> CommentStatus:
    try:
        return CommentStatus(request.args.get("status", CommentStatus.PENDING.value))
    except ValueError:
        raise NotFound() from None


def _render_moderation(consultation, form, status: int = 200, failed_ids=()):
    queue_status = _queue_status()
    cursors = cursors_from(request.args)
    page = comment_services.moderation_queue(consultation, actor=current_user, status=queue_status, **cursors)
    return render_template(
        "consultations/staff/moderation.html", consultation=consultation, page=page, form=form,
        queue_status=queue_status, tabs=MODERATION_TABS, pending=comment_services.pending_count(consultation),
        failed_ids=set(failed_ids), cursors=cursors,
    ), status


@bp.get("/<int:consultation_id>/campaigns")
def campaigns_page(consultation_id: int):
    """Texts received many times (suspected campaigns): how often, from how many sources, over what time."""
    consultation = services.get_for_staff(consultation_id, current_user)
    found = campaigns.campaigns_for_staff(consultation, actor=current_user)
    return render_template("consultations/staff/campaigns.html", consultation=consultation, campaigns=found,
                           min_copies=current_app.config["CAMPAIGN_MIN_COPIES"])


@bp.get("/<int:consultation_id>/moderation")
def moderation(consultation_id: int):
    """The moderation queue of one consultation, oldest first."""
    consultation = services.get_for_staff(consultation_id, current_user)
    return _render_moderation(consultation, ModerationForm(formdata=None))


@bp.post("/<int:consultation_id>/moderation")
def moderate(consultation_id: int):
    """Approve or reject the selected comments."""
    consultation = services.get_for_staff(consultation_id, current_user)
    form = ModerationForm()
    if form.validate():
        approve = form.action.data == "approve"
        try:
            done = comment_services.moderate(consultation, form.comment_ids.data, approve=approve,
                                     reason=form.reason.data or "", actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, rename={"department_id": "department"})
        else:
            message = (ngettext("%(num)d comment approved and published.", "%(num)d comments approved and published.",
                                len(done)) if approve
                       else ngettext("%(num)d comment rejected.", "%(num)d comments rejected.", len(done)))
            flash(message, "success")
            return redirect(url_for(".moderation", consultation_id=consultation.id,
                                    status=request.args.get("status"), **cursors_from(request.args)))
    return _render_moderation(consultation, form, status=422, failed_ids=form.comment_ids.data or ())


@bp.get("/<int:consultation_id>/history")
def history(consultation_id: int):
    """Who did what to this consultation and its comments, and when."""
    consultation = services.get_for_staff(consultation_id, current_user)
    page = comment_services.staff_history(consultation, actor=current_user, page=_page_number())
    comment_ids = [e.subject_id for e in page.items if e.subject_type == "comments"]
    return render_template("consultations/staff/history.html", consultation=consultation, page=page,
                           receipts=comment_services.receipt_numbers(comment_ids))
