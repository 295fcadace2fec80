"""Staff pages of the proposal tracker: the case list, the case page, and the supervising office's work."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.core.errors import NotAllowed, ValidationFailed
from engage.core.forms import show_refusal, strip_control_characters
from engage.core.templating import department_name
from engage.core.timeutil import china_date, utcnow
from engage.proposals import permissions, queues, rules, services
from engage.proposals.staff_forms import (
    AssignForm,
    CaseForm,
    DismissObjectionForm,
    ExtendForm,
    ReassignForm,
)
from engage.proposals.staff_page import render_case, require_supervisor

#: nested in the staff area (``staff_area``), which requires a login and gives the /staff/proposals prefix
bp = Blueprint("cases", __name__)


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
        overdue_only=request.args.get("overdue") == "1", q=strip_control_characters(request.args.get("q", "")),
    )
    page = queues.list_for_staff(current_user, filters, today, page=request.args.get("page", 1, type=int) or 1)
    queue = None
    if permissions.is_unit_staff(current_user):
        queue = queues.unit_queue(current_user.department_id, today, current_app.config["PROPOSAL_DUE_SOON_DAYS"])
    return render_template(
        "proposals/staff/index.html", page=page, queue=queue, today=today, filters=filters,
        sessions=services.sessions(), units=services.active_units(), statuses=rules.ProposalStatus.choices(),
        is_supervisor=permissions.is_supervisor(current_user),
        objections=queues.pending_objections_all(getattr(current_user, "scope_region", None))
        if permissions.is_supervisor(current_user) else [],
    )


# ---- registering ---------------------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Register one case."""
    require_supervisor()
    form = CaseForm()
    if form.validate_on_submit():
        try:
            proposal = services.register_case(form.case_fields(), actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, rename={"proposers": "lead_proposer"})
        else:
            flash(_("Case %(number)s registered. Assign it to its units now.", number=proposal.number), "success")
            return redirect(url_for(".case", proposal_id=proposal.id, _anchor="assign"))
    return render_template("proposals/staff/new.html", form=form, sessions=services.sessions()), \
        422 if form.is_submitted() else 200


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
            show_refusal(error, form, rename={"proposers": "lead_proposer"})
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
            show_refusal(error, form, rename={"reason": "reassign_reason"})
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
            show_refusal(error, form, rename={"reason": "extension_reason"})
        else:
            flash(_("The reply is now due on %(day)s.", day=proposal.due_on.isoformat()), "success")
            return redirect(url_for(".case", proposal_id=proposal.id))
    return render_case(proposal, extend_form=form, status=422)


@bp.post("/objections/<int:objection_id>/dismiss")
def dismiss_objection(objection_id: int):
    """Keep the assignment despite the unit's objection."""
    objection = services.get_objection(objection_id)
    form = DismissObjectionForm()
    if form.validate_on_submit():
        services.dismiss_objection(objection, form.note.data, actor=current_user, now=utcnow())
        flash(_("Objection dismissed; the unit keeps the case."), "success")
        return redirect(url_for(".case", proposal_id=objection.proposal_id))
    return render_case(services.get_for_staff(objection.proposal_id, current_user, lock=True), dismiss_form=form,
                       status=422)
