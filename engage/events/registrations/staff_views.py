"""The organiser's pages about sign-ups: the list (search, filter, approve, reject), exports, check-in, no-shows."""

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from engage.core.errors import DomainError
from engage.core.forms import show_refusal
from engage.core.security_headers import allow_camera
from engage.core.timeutil import utcnow
from engage.events import organiser_services, rules
from engage.events.models import RegistrationStatus
from engage.events.registrations import exports, services
from engage.events.registrations.forms import CheckInForm, DecisionForm, RegistrationFilterForm
from engage.events.staff_forms import ConfirmForm

#: nested in ``engage.events.staff.bp`` (prefix, guard, labels)
bp = Blueprint("registrations", __name__)


def _filters() -> RegistrationFilterForm:
    form = RegistrationFilterForm(request.args)
    form.status.choices = [SelectChoice("", _("All statuses"))] + [
        SelectChoice(*choice) for choice in RegistrationStatus.choices()]
    if not form.validate():
        form.status.data, form.q.data = "", ""
    return form


# ---- the list ------------------------------------------------------------------------------------------


@bp.get("/<int:event_id>/registrations")
def registrations(event_id: int):
    """Sign-ups in order, found by name, phone or code and filtered by status; pending ones approved here."""
    event = organiser_services.get_event(event_id, current_user)
    filters = _filters()
    page = organiser_services.list_registrations(
        event, current_user, q=filters.q.data or "", status=filters.status.data or None,
        page=request.args.get("page", 1, type=int) or 1)
    return render_template("events/staff/registrations.html", event=event, page=page, filters=filters,
                           decision_form=DecisionForm(formdata=None), confirm_form=ConfirmForm())


@bp.post("/<int:event_id>/registrations/<int:registration_id>/decision")
def decide(event_id: int, registration_id: int):
    """Approve a pending sign-up, or reject it (pending or waitlisted) with a reason the person sees."""
    event = organiser_services.get_event(event_id, current_user)
    registration = services.registration_of(event, registration_id)
    form = DecisionForm()
    if form.validate():
        try:
            if form.decision.data == "approve":
                services.approve(registration, actor=current_user, now=utcnow())
                flash(_("%(name)s's sign-up is confirmed.", name=registration.name), "success")
            else:
                services.reject(registration, form.reason.data or "", actor=current_user, now=utcnow())
                flash(_("%(name)s's sign-up is rejected.", name=registration.name), "success")
        except DomainError as error:
            show_refusal(error)
    else:
        for messages in form.errors.values():
            for message in messages:
                flash(str(message), "error")
    listing = url_for(".registrations", event_id=event_id)
    back = request.form.get("back", "")
    # Back to the same search and page, but never to another site.
    return redirect(back if back.startswith(listing + "?") else listing)


# ---- exports -------------------------------------------------------------------------------------------


@bp.get("/<int:event_id>/registrations.<any(csv, xlsx):fmt>")
def export(event_id: int, fmt: str):
    """The (filtered) list with phone and ID numbers masked."""
    event = organiser_services.get_event(event_id, current_user)
    filters = _filters()
    return exports.export_registrations(event, fmt, actor=current_user, now=utcnow(), q=filters.q.data or "",
                                        status=filters.status.data or None)


@bp.post("/<int:event_id>/registrations/full.<any(csv, xlsx):fmt>")
def export_unmasked(event_id: int, fmt: str):
    """The list with full phone and ID numbers: a separate action, recorded in the event's history."""
    event = organiser_services.get_event(event_id, current_user)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form has expired. Please send it again."), "error")
        return redirect(url_for(".registrations", event_id=event_id))
    return exports.export_registrations(event, fmt, actor=current_user, now=utcnow(), unmasked=True)


# ---- at the door ---------------------------------------------------------------------------------------


def _render_check_in(event, form, *, candidate=None, refusal=None, done=None, status=200):
    now = utcnow()
    html = render_template("events/staff/check_in.html", event=event, form=form, candidate=candidate,
                           refusal=refusal, done=done, confirm_form=ConfirmForm(), now=now,
                           is_event_day=rules.is_event_day(event.starts_at, event.ends_at, now),
                           figures=organiser_services.attendance(event))
    return allow_camera(make_response(html, status))


@bp.get("/<int:event_id>/check-in")
def check_in(event_id: int):
    """One big field for the code: typed, or typed by a hardware scanner that ends with Enter."""
    event = organiser_services.get_event(event_id, current_user)
    form = CheckInForm(formdata=None)
    done_id = request.args.get("done", type=int)
    done = services.registration_of(event, done_id) if done_id else None
    return _render_check_in(event, form, done=done)


@bp.post("/<int:event_id>/check-in")
def find_for_check_in(event_id: int):
    """Show who the code belongs to and how many come, or why it cannot be let in; confirm is a second step."""
    event = organiser_services.get_event(event_id, current_user)
    form = CheckInForm()
    if not form.validate():
        return _render_check_in(event, form, status=422)
    try:
        candidate = organiser_services.check_in_candidate(event, form.code.data, current_user)
    except DomainError as error:
        return _render_check_in(event, CheckInForm(formdata=None), refusal=error.message, status=409)
    return _render_check_in(event, CheckInForm(formdata=None), candidate=candidate)


@bp.post("/<int:event_id>/check-in/confirm")
def confirm_check_in(event_id: int):
    """Let the person in; the code is checked again, so a double tap or a second desk cannot admit twice."""
    event = organiser_services.get_event(event_id, current_user)
    form = CheckInForm()
    if not form.validate():
        return _render_check_in(event, CheckInForm(formdata=None), status=422)
    try:
        registration = services.check_in(event, form.code.data, actor=current_user, now=utcnow(),
                                         override_day=form.override_day.data)
    except DomainError as error:
        return _render_check_in(event, CheckInForm(formdata=None), refusal=error.message, status=409)
    return redirect(url_for(".check_in", event_id=event_id, done=registration.id))


@bp.post("/<int:event_id>/no-shows")
def mark_no_shows(event_id: int):
    """After the event has started: every confirmed sign-up not checked in becomes a no-show."""
    event = organiser_services.get_event(event_id, current_user)
    if ConfirmForm().validate_on_submit():
        try:
            count = services.mark_no_shows(event, actor=current_user, now=utcnow())
        except DomainError as error:
            show_refusal(error)
        else:
            flash(ngettext("%(num)d sign-up marked as no-show.", "%(num)d sign-ups marked as no-show.", count),
                  "success")
    return redirect(url_for("events_staff.events.event", event_id=event_id))
