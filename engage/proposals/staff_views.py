"""Staff pages of the proposal tracker: the case list, the case page, and the supervising office's work."""

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engage.core.db import utcnow
from engage.core.errors import NotAllowed, NotFound, ValidationFailed
from engage.core.templating import department_name
from engage.core.timeutil import china_date
from engage.extensions import db
from engage.proposals import permissions, queues, rules, services
from engage.proposals.handling import services as handling_services
from engage.proposals.importing import jobs as import_jobs
from engage.proposals.importing import rows as import_rows
from engage.proposals.models import ImportJob, ImportState, Objection
from engage.proposals.staff_forms import (
    AssignForm,
    CaseForm,
    DismissObjectionForm,
    ExtendForm,
    ImportForm,
    RatingForm,
    ReassignForm,
)
from engage.proposals.staff_page import attach_errors, render_case

bp = Blueprint("proposals_staff", __name__, url_prefix="/staff/proposals")


@bp.before_request
@login_required
def require_login():
    """Every staff page needs a logged-in user; anonymous visitors are sent to the login page."""


def _require_supervisor():
    if not permissions.is_supervisor(current_user):
        raise NotAllowed()


def _units_form(form_class, **kwargs):
    return form_class(**kwargs).set_unit_choices(services.active_units(), department_name)


# ---- lists ---------------------------------------------------------------------------------------------


@bp.get("/")
def index():
    """Supervisors: every case, filtered; department staff: their unit's queue and its cases."""
    if not permissions.can_see_queue(current_user):
        raise NotAllowed()
    today = china_date(utcnow())
    filters = queues.StaffFilters(
        session_id=request.args.get("session", type=int), kind=request.args.get("kind"),
        status=request.args.get("status"), unit_id=request.args.get("unit", type=int),
        overdue_only=request.args.get("overdue") == "1", q=request.args.get("q", ""),
    )
    page = queues.list_for_staff(current_user, filters, today, page=request.args.get("page", 1, type=int) or 1)
    queue = None
    if permissions.is_unit_staff(current_user):
        queue = queues.unit_queue(current_user.department_id, today, current_app.config["PROPOSAL_DUE_SOON_DAYS"])
    return render_template(
        "proposals/staff/index.html", page=page, queue=queue, today=today, filters=filters,
        sessions=services.sessions(), units=services.active_units(), statuses=rules.STATUS_LABELS,
        is_supervisor=permissions.is_supervisor(current_user),
        objections=queues.pending_objections_all() if permissions.is_supervisor(current_user) else [],
    )


# ---- registering and importing -------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Register one case."""
    _require_supervisor()
    form = CaseForm()
    if form.validate_on_submit():
        try:
            proposal = services.register_case(form.case_fields(), actor=current_user, now=utcnow())
        except ValidationFailed as error:
            db.session.rollback()
            attach_errors(form, error.errors)
        else:
            flash(_("Case %(number)s registered. Assign it to its units now.", number=proposal.number), "success")
            return redirect(url_for(".case", proposal_id=proposal.id, _anchor="assign"))
    return render_template("proposals/staff/new.html", form=form, sessions=services.sessions()), \
        422 if form.is_submitted() else 200


@bp.route("/import", methods=["GET", "POST"])
def import_list():
    """Upload a session's list; it is checked and imported in the background while the page shows progress."""
    _require_supervisor()
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        job = import_jobs.create_job(form.kind.data, form.session.data, upload.filename or "list",
                                     actor=current_user, now=utcnow())
        data = upload.read()
        # The worker thread reads the job with its own session: it must be stored before the thread starts.
        db.session.commit()
        import_jobs.start_in_background(current_app._get_current_object(), job.id, data, current_user.id,
                                        str(get_locale()))
        return redirect(url_for(".import_job", job_id=job.id))
    return render_template("proposals/staff/import.html", form=form, sessions=services.sessions()), \
        422 if form.is_submitted() else 200


def _job(job_id: int) -> ImportJob:
    _require_supervisor()
    job = db.session.get(ImportJob, job_id)
    if job is None:
        raise NotFound()
    return import_jobs.settle_if_stale(job, utcnow())


@bp.get("/import/<int:job_id>")
def import_job(job_id: int):
    """An import's progress; when it failed, every bad row with its line number and reason."""
    return render_template("proposals/staff/import_job.html", job=_job(job_id),
                           import_column_label=import_rows.column_label, import_problem=import_rows.problem_text)


@bp.get("/import/<int:job_id>/progress")
def import_progress(job_id: int):
    """The progress the import page polls (any worker answers: it is read from the job row)."""
    job = _job(job_id)
    return jsonify(state=job.state.value, total=job.total_rows, processed=job.processed_rows,
                   imported=job.imported_rows, errors=len(job.errors),
                   finished=job.state in (ImportState.DONE, ImportState.FAILED))


# ---- the case page and the supervisor's actions --------------------------------------------------------


@bp.get("/<int:proposal_id>")
def case(proposal_id: int):
    """Everything about a case for those who handle or supervise it, with the forms they may use."""
    return render_case(services.get_for_staff(proposal_id, current_user))


@bp.post("/<int:proposal_id>/assign")
def assign(proposal_id: int):
    """Assign a registered case; the due date is computed from the assignment date."""
    proposal = services.get_for_staff(proposal_id, current_user, lock=True)
    form = _units_form(AssignForm)
    if form.validate_on_submit():
        try:
            services.assign(proposal, form.lead_units.data, form.co_units.data or [],
                            assigned_on=form.assigned_on.data, actor=current_user, now=utcnow(),
                            config=current_app.config)
        except ValidationFailed as error:
            db.session.rollback()
            attach_errors(form, error.errors)
        else:
            flash(_("Assigned. The reply is due on %(day)s.", day=proposal.due_on.isoformat()), "success")
            return redirect(url_for(".case", proposal_id=proposal.id))
    return render_case(proposal, assign_form=form, status=422)


@bp.post("/<int:proposal_id>/reassign")
def reassign(proposal_id: int):
    """Give the case to other units (after an objection)."""
    proposal = services.get_for_staff(proposal_id, current_user, lock=True)
    form = _units_form(ReassignForm)
    if form.validate_on_submit():
        try:
            services.reassign(proposal, form.lead_units.data, form.co_units.data or [],
                              reason=form.reassign_reason.data, actor=current_user, now=utcnow(),
                              config=current_app.config)
        except ValidationFailed as error:
            db.session.rollback()
            attach_errors(form, error.errors, reason="reassign_reason")
        else:
            flash(_("Reassigned. The reply is due on %(day)s.", day=proposal.due_on.isoformat()), "success")
            return redirect(url_for(".case", proposal_id=proposal.id))
    return render_case(proposal, reassign_form=form, status=422)


@bp.post("/<int:proposal_id>/extend")
def extend(proposal_id: int):
    """Give the reply more time, with the reason."""
    proposal = services.get_for_staff(proposal_id, current_user, lock=True)
    form = ExtendForm()
    if form.validate_on_submit():
        try:
            services.extend(proposal, form.due_on.data, reason=form.extension_reason.data, actor=current_user,
                            now=utcnow(), config=current_app.config)
        except ValidationFailed as error:
            attach_errors(form, error.errors, reason="extension_reason")
        else:
            flash(_("The reply is now due on %(day)s.", day=proposal.due_on.isoformat()), "success")
            return redirect(url_for(".case", proposal_id=proposal.id))
    return render_case(proposal, extend_form=form, status=422)


@bp.post("/objections/<int:objection_id>/dismiss")
def dismiss_objection(objection_id: int):
    """Keep the assignment despite the unit's objection."""
    objection = db.session.get(Objection, objection_id)
    if objection is None:
        raise NotFound()
    form = DismissObjectionForm()
    if form.validate_on_submit():
        services.dismiss_objection(objection, form.note.data, actor=current_user, now=utcnow())
        flash(_("Objection dismissed; the unit keeps the case."), "success")
        return redirect(url_for(".case", proposal_id=objection.proposal_id))
    return render_case(services.get_for_staff(objection.proposal_id, current_user, lock=True), dismiss_form=form,
                       status=422)


@bp.post("/<int:proposal_id>/ratings")
def enter_rating(proposal_id: int):
    """The supervisor types in a proposer's rating from the returned form."""
    proposal = services.get_for_staff(proposal_id, current_user, lock=True)
    form = RatingForm()
    form.proposer.choices = [(p.id, p.name) for p in proposal.proposers]
    if form.validate_on_submit():
        proposer = next(p for p in proposal.proposers if p.id == form.proposer.data)
        try:
            handling_services.rate(proposer, form.satisfaction.data, form.comments.data or "", actor=current_user,
                                   now=utcnow(), config=current_app.config)
        except ValidationFailed as error:
            db.session.rollback()
            attach_errors(form, error.errors)
        else:
            flash(_("Rating recorded."), "success")
            return redirect(url_for(".case", proposal_id=proposal.id))
    return render_case(proposal, rating_form=form, status=422)


@bp.post("/<int:proposal_id>/proposers/<int:proposer_id>/rating-link")
def rating_link(proposal_id: int, proposer_id: int):
    """A new private rating link for one proposer, shown once."""
    proposal = services.get_for_staff(proposal_id, current_user, lock=True)
    proposer = next((p for p in proposal.proposers if p.id == proposer_id), None)
    if proposer is None:
        raise NotFound()
    token = handling_services.issue_rating_link(proposer, actor=current_user, now=utcnow())
    link = url_for("proposal_rating.rate", token=token, _external=True)
    return render_case(proposal, new_link=(proposer, link))
