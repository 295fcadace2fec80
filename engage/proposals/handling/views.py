"""Pages of the handling units and the supervising office: objections, co-unit opinions, notes, the reply, ratings."""

from flask import Blueprint, current_app, flash, redirect, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.core.calendar_days import load_work_calendar
from engage.core.errors import NotAllowed, ValidationFailed
from engage.core.forms import show_refusal
from engage.core.timeutil import utcnow
from engage.proposals import permissions, services
from engage.proposals.handling import services as handling_services
from engage.proposals.handling.services import ReplyFields
from engage.proposals.staff_forms import NoteForm, ObjectionForm, OpinionForm, RatingForm
from engage.proposals.staff_page import render_case, reply_form
from engage.proposals.supervision import review
from engage.proposals.supervision.models import ReplyDraft

#: nested in the staff area (``staff_area``), which requires a login and gives the /staff/proposals prefix
bp = Blueprint("handling", __name__)


@bp.post("/<int:proposal_id>/objection")
def raise_objection(proposal_id: int):
    """A unit objects to its assignment, within the working days allowed."""
    proposal = services.get_for_staff(proposal_id, current_user, lock=True)
    form = ObjectionForm()
    form.suggested_unit.choices = [(0, "—")] + [(u.id, u.name) for u in services.active_units()]
    if form.validate_on_submit():
        try:
            services.raise_objection(proposal, form.reason.data, actor=current_user, now=utcnow(),
                                     config=current_app.config, calendar=load_work_calendar(),
                                     suggested_department_id=form.suggested_unit.data or None)
        except ValidationFailed as error:
            show_refusal(error, form)
        else:
            flash(_("Objection sent to the supervising office."), "success")
            return redirect(url_for("proposals_staff.cases.case", proposal_id=proposal.id))
    return render_case(proposal, objection_form=form, status=422)


@bp.post("/<int:proposal_id>/opinions")
def submit_opinion(proposal_id: int):
    """A co-unit sends its opinion to the lead unit."""
    proposal = services.get_for_staff(proposal_id, current_user, lock=True)
    form = OpinionForm()
    if form.validate_on_submit():
        try:
            handling_services.submit_opinion(proposal, form.opinion.data, actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, rename={"body": "opinion"})
        else:
            flash(_("Your opinion was sent to the lead unit."), "success")
            return redirect(url_for("proposals_staff.cases.case", proposal_id=proposal.id))
    return render_case(proposal, opinion_form=form, status=422)


@bp.post("/<int:proposal_id>/notes")
def add_note(proposal_id: int):
    """The lead unit records progress or a contact with the proposer."""
    proposal = services.get_for_staff(proposal_id, current_user, lock=True)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            handling_services.add_note(proposal, form.kind.data, form.note_text.data,
                                       happened_on=form.happened_on.data, contact_method=form.contact_method.data or "",
                                       actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, rename={"body": "note_text"})
        else:
            flash(_("Record added."), "success")
            return redirect(url_for("proposals_staff.cases.case", proposal_id=proposal.id, _anchor="notes"))
    return render_case(proposal, note_form=form, status=422)


@bp.post("/<int:proposal_id>/reply")
def reply(proposal_id: int):
    """The lead unit's reply: full text, date, outcome class, publication, an optional signed PDF."""
    proposal = services.get_for_staff(proposal_id, current_user, lock=True)
    form = reply_form(proposal)
    if form.validate_on_submit():
        upload = form.pdf.data if form.pdf.data and form.pdf.data.filename else None
        fields = ReplyFields(body=form.body.data, replied_on=form.replied_on.data, outcome=form.outcome.data,
                             is_published=form.publish.data == "yes",
                             unpublished_reason=form.unpublished_reason.data or "")
        try:
            recorded = review.submit_reply(proposal, fields, actor=current_user, now=utcnow(),
                                           config=current_app.config, pdf=upload.stream if upload else None,
                                           pdf_filename=upload.filename if upload else "")
        except ValidationFailed as error:
            show_refusal(error, form)
        else:
            flash(_("Reply sent to the supervising office for review.") if isinstance(recorded, ReplyDraft)
                  else _("Reply recorded. The proposer can now rate it."), "success")
            return redirect(url_for("proposals_staff.cases.case", proposal_id=proposal.id))
    return render_case(proposal, reply_form=form, status=422)


@bp.get("/<int:proposal_id>/replies/<int:reply_id>/pdf")
def reply_pdf(proposal_id: int, reply_id: int):
    """The signed reply as PDF, for those who handle or supervise the case (published or not)."""
    proposal = services.get_for_staff(proposal_id, current_user)
    if not permissions.can_view_staff_side(current_user, proposal):
        raise NotAllowed()
    found = handling_services.reply_with_pdf(proposal, reply_id)
    return send_from_directory(current_app.config["UPLOAD_FOLDER"], found.pdf_stored_name,
                               mimetype="application/pdf", as_attachment=True,
                               download_name=found.pdf_filename or "reply.pdf")


@bp.post("/<int:proposal_id>/ratings")
def enter_rating(proposal_id: int):
    """The supervisor types in a proposer's rating from the returned form."""
    proposal = services.get_for_staff(proposal_id, current_user, lock=True)
    form = RatingForm()
    form.proposer.choices = [(p.id, p.name) for p in proposal.proposers]
    if form.validate_on_submit():
        proposer = handling_services.proposer_of(proposal, form.proposer.data)
        try:
            handling_services.rate(proposer, form.satisfaction.data, form.comments.data or "", actor=current_user,
                                   now=utcnow(), config=current_app.config)
        except ValidationFailed as error:
            show_refusal(error, form)
        else:
            flash(_("Rating recorded."), "success")
            return redirect(url_for("proposals_staff.cases.case", proposal_id=proposal.id))
    return render_case(proposal, rating_form=form, status=422)


@bp.post("/<int:proposal_id>/proposers/<int:proposer_id>/rating-link")
def rating_link(proposal_id: int, proposer_id: int):
    """A new private rating link for one proposer, shown once."""
    proposal = services.get_for_staff(proposal_id, current_user, lock=True)
    proposer = handling_services.proposer_of(proposal, proposer_id)
    token = handling_services.issue_rating_link(proposer, actor=current_user, now=utcnow())
    link = url_for("proposal_rating.rate", token=token, _external=True)
    return render_case(proposal, new_link=(proposer, link))
