"""The staff case page: what it shows and which forms it offers, by what the user may do."""

from datetime import date

from flask import current_app, render_template
from flask_babel import get_locale
from flask_login import current_user

from engage.core.calendar_days import load_work_calendar
from engage.core.errors import NotAllowed
from engage.core.templating import department_name
from engage.core.timeutil import china_date, utcnow
from engage.proposals import permissions, rules, services
from engage.proposals.handling import services as handling_services
from engage.proposals.staff_forms import (
    AssignForm,
    DismissObjectionForm,
    ExtendForm,
    NoteForm,
    ObjectionForm,
    OpinionForm,
    RatingForm,
    ReassignForm,
    ReplyForm,
)
from engage.proposals.supervision import page as supervision_page
from engage.proposals.supervision import review


def require_supervisor() -> None:
    """Refuse the page to anyone but the supervising office (the services check again when they act)."""
    if not permissions.is_supervisor(current_user):
        raise NotAllowed()


def outcome_choices(kind: str) -> list[tuple[str, str]]:
    classes = current_app.config["PROPOSAL_OUTCOME_CLASSES"]
    return [(code, rules.outcome_label(classes, kind, code, str(get_locale())))
            for code in rules.outcome_codes(classes, kind)]


def reply_form(proposal, **kwargs) -> ReplyForm:
    form = ReplyForm(**kwargs)
    form.outcome.choices = outcome_choices(proposal.kind)
    if form.replied_on.data is None:
        form.replied_on.data = china_date(utcnow())
    return form


def _forms(proposal, today: date, given: dict) -> dict:
    """The forms the user may use on this case now: the ones given (with errors) or fresh ones."""
    units = services.active_units()
    user = current_user
    is_open = proposal.status in rules.OPEN_STATUSES
    fresh = {
        "assign_form": lambda: AssignForm(formdata=None, assigned_on=today).set_unit_choices(units, department_name)
        if permissions.can_assign(user, proposal) and rules.can_change(proposal.status, rules.ASSIGN) else None,
        "reassign_form": lambda: _reassign_form(proposal, units)
        if permissions.can_assign(user, proposal) and rules.can_change(proposal.status, rules.REASSIGN) else None,
        "extend_form": lambda: ExtendForm(formdata=None)
        if permissions.can_assign(user, proposal) and is_open else None,
        "rating_form": lambda: _rating_form(proposal) if permissions.can_enter_ratings(user, proposal)
        and proposal.is_awaiting_rating else None,
        "dismiss_form": lambda: DismissObjectionForm(formdata=None) if permissions.can_assign(user, proposal) else None,
        "opinion_form": lambda: OpinionForm(formdata=None)
        if permissions.can_submit_opinion(user, proposal) and is_open else None,
        "note_form": lambda: NoteForm(formdata=None, happened_on=today)
        if permissions.can_record_progress(user, proposal) and is_open else None,
        "reply_form": lambda: reply_form(proposal, formdata=None)
        if permissions.can_reply(user, proposal) and is_open and review.open_draft(proposal) is None else None,
        "objection_form": lambda: _objection_form(units) if permissions.can_object(user, proposal) else None,
    }
    return {name: given.get(name) or make() for name, make in fresh.items()}


def _reassign_form(proposal, units) -> ReassignForm:
    form = ReassignForm(formdata=None, lead_units=sorted(proposal.unit_ids(permissions.UnitRole.LEAD)),
                        co_units=sorted(proposal.unit_ids(permissions.UnitRole.CO)))
    return form.set_unit_choices(units, department_name)


def _rating_form(proposal) -> RatingForm:
    form = RatingForm(formdata=None)
    waiting = [p for p in proposal.proposers if not handling_services.has_rated_this_round(p)]
    form.proposer.choices = [(p.id, p.name) for p in waiting]
    return form


def _objection_form(units) -> ObjectionForm:
    form = ObjectionForm(formdata=None)
    form.suggested_unit.choices = [(0, "—")] + [(u.id, department_name(u)) for u in units]
    return form


def render_case(proposal, status: int = 200, new_link=None, **given_forms):
    """The staff case page; ``given_forms`` are forms that failed validation, shown with their errors."""
    today = china_date(utcnow())
    config = current_app.config
    objection_deadline = None
    if permissions.is_unit_staff(current_user) and permissions.handles(current_user, proposal):
        objection_deadline = services.objection_deadline(proposal, current_user.department_id, config,
                                                         load_work_calendar())
    return render_template(
        "proposals/staff/case.html", proposal=proposal, today=today, new_link=new_link,
        objections=services.objections_of(proposal), opinions=handling_services.opinions_of(proposal),
        missing_opinions=handling_services.missing_opinions(proposal), notes=handling_services.notes_of(proposal),
        objection_deadline=objection_deadline, outcome_label=_outcome_label(proposal),
        objection_open=rules.is_objection_open(proposal.status, today, objection_deadline),
        is_supervisor=permissions.is_supervisor(current_user),
        **supervision_page.context(proposal, given_forms),
        **_forms(proposal, today, given_forms),
    ), status


def _outcome_label(proposal):
    classes = current_app.config["PROPOSAL_OUTCOME_CLASSES"]
    locale = str(get_locale())
    return lambda code: rules.outcome_label(classes, proposal.kind, code, locale)
