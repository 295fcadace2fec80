"""Supervision pages: the 督办 dashboard, chasing notices and their answers, the reply review's decisions."""

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.core.errors import NotAllowed, ValidationFailed
from engage.core.forms import show_refusal
from engage.core.timeutil import china_date, utcnow
from engage.proposals import services
from engage.proposals.staff_page import render_case
from engage.proposals.supervision import chasing, permissions, review
from engage.proposals.supervision import dashboard as dashboard_data
from engage.proposals.supervision.forms import ChaseAnswerForm, ChaseForm, ConfirmForm, ReturnReplyForm, SignOffForm

#: nested in the staff area (``staff_area``), which requires a login and gives the /staff/proposals prefix
bp = Blueprint("supervision", __name__)


def _to_case(proposal_id: int, anchor: str = "supervision"):
    return redirect(url_for("proposals_staff.cases.case", proposal_id=proposal_id, _anchor=anchor))


@bp.get("/supervision")
def dashboard():
    """The 督办 dashboard: overdue by unit and lateness, replies under review, reminders, chasing notices."""
    if not permissions.can_see_dashboard(current_user):
        raise NotAllowed()
    now = utcnow()
    board = dashboard_data.build(today=china_date(now), since=now - timedelta(days=dashboard_data.RECENT_DAYS),
                                 region=getattr(current_user, "scope_region", None))
    return render_template("proposals/supervision/dashboard.html", board=board, days=dashboard_data.RECENT_DAYS)


@bp.post("/<int:proposal_id>/chasing-notices")
def chase(proposal_id: int):
    """Send a chasing notice to the case's lead unit."""
    proposal = services.get_for_staff(proposal_id, current_user, lock=True)
    form = ChaseForm()
    if form.validate_on_submit():
        try:
            chasing.send_chasing_notice(proposal, form.chase_text.data, actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, rename={"text": "chase_text"})
        else:
            flash(_("Chasing notice sent to the unit."), "success")
            return _to_case(proposal.id, "chasing")
    return render_case(proposal, chase_form=form, status=422)


@bp.post("/chasing-notices/<int:step_id>/answer")
def answer(step_id: int):
    """The chased unit answers the notice."""
    step = chasing.get_chasing_notice(step_id)
    proposal = services.get_for_staff(step.proposal_id, current_user, lock=True)
    form = ChaseAnswerForm()
    if form.validate_on_submit():
        try:
            chasing.answer_chasing_notice(step, form.answer_text.data, actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, rename={"text": "answer_text"})
        else:
            flash(_("Your answer was sent to the supervising office."), "success")
            return _to_case(proposal.id, "chasing")
    return render_case(proposal, answer_form=form, status=422)


def _draft(proposal_id: int, draft_id: int):
    proposal = services.get_for_staff(proposal_id, current_user, lock=True)
    return proposal, review.get_draft(draft_id, proposal)


@bp.post("/<int:proposal_id>/review/<int:draft_id>/approve")
def approve(proposal_id: int, draft_id: int):
    """Approve the reply under review: it is published and the proposers are told."""
    proposal, draft = _draft(proposal_id, draft_id)
    if ConfirmForm().validate_on_submit():
        review.approve(draft, actor=current_user, now=utcnow(), config=current_app.config)
        flash(_("Reply approved and published; the proposers were told."), "success")
    return _to_case(proposal.id, "replies")


@bp.post("/<int:proposal_id>/review/<int:draft_id>/return")
def return_reply(proposal_id: int, draft_id: int):
    """Return the reply under review to the lead unit, with the reason."""
    proposal, draft = _draft(proposal_id, draft_id)
    form = ReturnReplyForm()
    if form.validate_on_submit():
        review.return_reply(draft, form.return_reason.data, actor=current_user, now=utcnow())
        flash(_("Reply returned to the unit."), "success")
        return _to_case(proposal.id)
    return render_case(proposal, return_form=form, status=422)


@bp.post("/<int:proposal_id>/review/<int:draft_id>/signoff-request")
def request_signoff(proposal_id: int, draft_id: int):
    """Ask the co-units to sign off the reply before it is decided."""
    proposal, draft = _draft(proposal_id, draft_id)
    if ConfirmForm().validate_on_submit():
        review.request_signoff(draft, actor=current_user, now=utcnow())
        flash(_("The co-units were asked to sign off the reply."), "success")
    return _to_case(proposal.id)


@bp.post("/<int:proposal_id>/review/<int:draft_id>/signoff")
def sign_off(proposal_id: int, draft_id: int):
    """A co-unit signs off the reply under review."""
    proposal, draft = _draft(proposal_id, draft_id)
    form = SignOffForm()
    if form.validate_on_submit():
        review.sign_off(draft, form.signoff_note.data or "", actor=current_user, now=utcnow())
        flash(_("Signed off."), "success")
        return _to_case(proposal.id)
    return render_case(proposal, signoff_form=form, status=422)
