"""The supervising office's import pages: upload a session's list, follow its progress, read its problems."""

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user

from engage import jobs
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.proposals import services
from engage.proposals.importing import jobs as import_jobs
from engage.proposals.importing import rows as import_rows
from engage.proposals.importing import tasks as import_tasks
from engage.proposals.models import ImportJob, ImportState
from engage.proposals.staff_forms import ImportForm
from engage.proposals.staff_page import require_supervisor

#: nested in the staff area (``staff_area``), which requires a login and gives the /staff/proposals prefix
bp = Blueprint("importing", __name__)


@bp.route("/import", methods=["GET", "POST"])
def import_list():
    """Upload a session's list; a consumer checks and imports it while the page shows progress."""
    require_supervisor()
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        job = import_jobs.create_job(form.kind.data, form.session.data, upload.filename or "list",
                                     actor=current_user, now=utcnow(), data=upload.read())
        # A consumer reads the job from the database: it must be committed before it is queued.
        db.session.commit()
        import_tasks.enqueue(job.id)
        return redirect(url_for(".import_job", job_id=job.id))
    return render_template("proposals/staff/import.html", form=form, sessions=services.sessions()), \
        422 if form.is_submitted() else 200


def _job(job_id: int) -> ImportJob:
    return import_jobs.get_job(job_id, actor=current_user)


@bp.get("/import/<int:job_id>")
def import_job(job_id: int):
    """An import's progress; when it failed, every bad row with its line number and reason."""
    job = _job(job_id)
    return render_template("proposals/staff/import_job.html", job=job,
                           consumer_seen=job.state != ImportState.QUEUED or jobs.health()["consumer_seen"],
                           import_column_label=import_rows.column_label, import_problem=import_rows.problem_text)


@bp.get("/import/<int:job_id>/progress")
def import_progress(job_id: int):
    """The progress the import page polls (any worker answers: it is read from the job row)."""
    job = _job(job_id)
    return jsonify(state=job.state.value, total=job.total_rows, processed=job.processed_rows,
                   imported=job.imported_rows, errors=len(job.errors),
                   finished=job.state in (ImportState.DONE, ImportState.FAILED))
