"""The staff page of prepared downloads: ask for the file, follow its progress, download it."""

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from engage import jobs
from engage.core.errors import RuleViolation, ValidationFailed
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.feedback import downloads
from engage.feedback import services as feedback
from engage.feedback.exports import jobs as export_jobs
from engage.feedback.exports import services

bp = Blueprint("feedback_exports", __name__,
               url_prefix="/staff/consultations/<int:consultation_id>/feedback/exports")


@bp.before_request
@login_required
def require_login():
    """Every staff page needs a logged-in user."""


@bp.get("/")
def index(consultation_id: int):
    """The consultation's prepared downloads and their progress, and a form to ask for another."""
    consultation = feedback.staff_consultation(consultation_id, current_user)
    exports = services.exports_of(consultation, actor=current_user)
    return render_template("feedback/staff/exports.html", consultation=consultation, exports=exports,
                           form=FlaskForm(), comments=downloads.row_count(consultation.id),
                           chosen=request.args.get("format", ""), error_message=services.error_message,
                           consumer_seen=jobs.health()["consumer_seen"])


@bp.post("/")
def ask(consultation_id: int):
    consultation = feedback.staff_consultation(consultation_id, current_user)
    form = FlaskForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for(".index", consultation_id=consultation.id))
    try:
        export = services.request_export(consultation, request.form.get("extension", ""), actor=current_user,
                                         now=utcnow())
    except ValidationFailed as error:
        flash(" ".join(str(m) for messages in error.errors.values() for m in messages), "error")
        return redirect(url_for(".index", consultation_id=consultation.id))
    # The consumer reads the export from the database: committed before it is queued.
    db.session.commit()
    export_jobs.enqueue(export.id)
    flash(_("The file is being written. This page shows how far it is; you will also get an e-mail when it "
            "is ready."), "success")
    return redirect(url_for(".index", consultation_id=consultation.id))


@bp.get("/<int:export_id>/file")
def download(consultation_id: int, export_id: int):
    """The prepared file, sent from disk a block at a time; every download is audited."""
    consultation = feedback.staff_consultation(consultation_id, current_user)
    export = services.get_export(consultation, export_id, actor=current_user)
    try:
        path = services.file_to_send(consultation, export, actor=current_user, now=utcnow())
    except RuleViolation as error:
        flash(str(error.message), "error")
        return redirect(url_for(".index", consultation_id=consultation.id))
    return send_file(path, as_attachment=True, download_name=downloads.file_name(consultation, export.extension),
                     max_age=0)
