"""The organiser desk: campaigns and events (create, edit, publish, cancel) and each event's overview."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from engage.core.audit import history_of
from engage.core.charts import bar_chart
from engage.core.errors import NotAllowed, ValidationFailed
from engage.core.forms import show_refusal
from engage.core.templating import department_name
from engage.core.timeutil import utcnow
from engage.events import organiser_rules, organiser_services, permissions, rules
from engage.events.models import EventKind, EventStatus, RegistrationStatus
from engage.events.staff_forms import CampaignForm, CancelEventForm, ConfirmForm, EventForm

#: nested in ``engage.events.staff.bp``, which adds the /staff/events prefix and the guard
bp = Blueprint("events", __name__)

#: audit actions on an event as organisers read them in its history
EVENT_ACTION_LABELS = {
    "event.created": _l("Event created"),
    "event.updated": _l("Event changed"),
    "event.published": _l("Event published"),
    "event.cancelled": _l("Event cancelled"),
    "event.export_unmasked": _l("Sign-ups exported with full phone and ID numbers"),
    "event.check_in_outside_event_day": _l("Checked in outside the event's day, confirmed by the organiser"),
}


# ---- campaigns -----------------------------------------------------------------------------------------


@bp.get("/campaigns")
def campaigns():
    """Every campaign; office organisers and administrators create and publish them."""
    return render_template("events/staff/campaigns.html", campaigns=organiser_services.list_campaigns(current_user),
                           can_manage=permissions.can_manage_campaigns(current_user), confirm_form=ConfirmForm(),
                           is_publishable=organiser_rules.is_publishable)


@bp.route("/campaigns/new", methods=["GET", "POST"])
@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
def edit_campaign(campaign_id: int | None = None):
    """Create or change a campaign."""
    campaign = organiser_services.get_campaign(campaign_id, current_user) if campaign_id else None
    if not permissions.can_manage_campaigns(current_user):
        raise NotAllowed()
    form = CampaignForm(obj=campaign)
    if form.validate_on_submit():
        try:
            campaign = organiser_services.save_campaign(campaign, form.values(), actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form)
        else:
            flash(_("Campaign saved."), "success")
            return redirect(url_for(".campaigns"))
    return render_template("events/staff/campaign_form.html", form=form, campaign=campaign), (
        422 if form.is_submitted() else 200)


@bp.post("/campaigns/<int:campaign_id>/publish")
def publish_campaign(campaign_id: int):
    """Show the campaign page to the public."""
    campaign = organiser_services.get_campaign(campaign_id, current_user)
    if ConfirmForm().validate_on_submit():
        organiser_services.publish_campaign(campaign, actor=current_user, now=utcnow())
        flash(_("The campaign is published."), "success")
    return redirect(url_for(".campaigns"))


# ---- events --------------------------------------------------------------------------------------------


@bp.get("/")
def index():
    """The events I organise (administrators and office organisers: all), latest first."""
    campaign_id = request.args.get("campaign", type=int)
    page = organiser_services.list_events(current_user, campaign_id=campaign_id,
                                          page=request.args.get("page", 1, type=int) or 1)
    return render_template("events/staff/index.html", page=page, campaigns=organiser_services.list_campaigns(
        current_user), campaign_id=campaign_id, pending=organiser_services.pending_counts([e.id for e in page.items]))


def _add_rule_problems(form: EventForm) -> None:
    """Add the rules' checks (times in order, venue, seats) to the fields the form found no fault with.

    The service checks them only once the form is valid; a seat count of 0 would otherwise hide wrong dates
    until it was fixed.
    """
    for name, messages in organiser_rules.event_problems(form.values()).items():
        if not form[name].errors:
            form[name].errors = [str(m) for m in messages]


def _prepare(form: EventForm) -> EventForm:
    form.campaign_id.choices = [SelectChoice(c.id, c.title) for c in organiser_services.list_campaigns(current_user)]
    form.department_id.choices = [SelectChoice(d.id, department_name(d))
                                  for d in organiser_services.host_departments(current_user)]
    form.kind.choices = [SelectChoice(*choice) for choice in EventKind.choices()]
    return form


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Start an event as a draft."""
    form = _prepare(EventForm(campaign_id=request.args.get("campaign", type=int)))
    if not form.campaign_id.choices:
        flash(_("There is no campaign yet: an event belongs to a campaign."), "error")
        return redirect(url_for(".campaigns"))
    if form.validate_on_submit():
        try:
            event = organiser_services.create_event(form.values(), actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form)
        else:
            flash(_("Draft saved. Check it, then publish it."), "success")
            return redirect(url_for(".event", event_id=event.id))
    elif form.is_submitted():
        _add_rule_problems(form)
    return render_template("events/staff/event_form.html", form=form, event=None), 422 if form.is_submitted() else 200


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id: int):
    """Change an event; a published one keeps the seats its sign-ups hold."""
    event = organiser_services.get_event(event_id, current_user)
    form = _prepare(EventForm.for_event(event) if request.method == "GET" else EventForm())
    if form.validate_on_submit():
        try:
            organiser_services.update_event(event, form.values(), actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form)
        else:
            flash(_("Event saved."), "success")
            return redirect(url_for(".event", event_id=event.id))
    elif form.is_submitted():
        _add_rule_problems(form)
    return render_template("events/staff/event_form.html", form=form, event=event), (
        422 if form.is_submitted() else 200)


def attendance_chart(figures):
    """Registered, confirmed, attended, no-show and cancelled, in people and in sign-ups."""
    shown = (rules.PENDING, rules.CONFIRMED, rules.WAITLISTED, rules.ATTENDED, rules.NO_SHOW, rules.CANCELLED,
             rules.REJECTED)
    people = bar_chart(_("People by status"), [(RegistrationStatus(s).label, figures.people[s]) for s in shown],
                       value_heading=_("People"))
    sign_ups = bar_chart(_("Sign-ups by status"), [(RegistrationStatus(s).label, figures.sign_ups[s])
                                                    for s in shown], value_heading=_("Sign-ups"))
    return people, sign_ups


@bp.get("/<int:event_id>")
def event(event_id: int):
    """An event's state, seats and attendance, and what the organiser can do next."""
    event = organiser_services.get_event(event_id, current_user)
    figures = organiser_services.attendance(event)
    people_chart, sign_up_chart = attendance_chart(figures)
    return render_template("events/staff/event.html", event=event, figures=figures, people_chart=people_chart,
                           sign_up_chart=sign_up_chart, confirm_form=ConfirmForm(), now=utcnow(),
                           publish_problems=_publish_problems(event), is_publishable=organiser_rules.is_publishable)


def _publish_problems(event) -> list[str]:
    if event.status != EventStatus.DRAFT:
        return []
    problems = organiser_services.publish_problems(event, utcnow())
    return [str(message) for messages in problems.values() for message in messages]


@bp.post("/<int:event_id>/publish")
def publish(event_id: int):
    """Make a draft event public."""
    event = organiser_services.get_event(event_id, current_user)
    if ConfirmForm().validate_on_submit():
        try:
            organiser_services.publish_event(event, actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, ConfirmForm())
        else:
            flash(_("The event is published: citizens can sign up while its sign-up window is open."), "success")
    return redirect(url_for(".event", event_id=event_id))


@bp.route("/<int:event_id>/cancel", methods=["GET", "POST"])
def cancel(event_id: int):
    """Cancel an event; every sign-up is cancelled with the reason, which people see when they look it up."""
    event = organiser_services.get_event(event_id, current_user)
    form = CancelEventForm()
    if form.validate_on_submit():
        try:
            count = organiser_services.cancel_event(event, form.reason.data, actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form)
        else:
            flash(ngettext("The event is cancelled, with %(num)d sign-up.",
                           "The event is cancelled, with its %(num)d sign-ups.", count), "success")
            return redirect(url_for(".event", event_id=event_id))
    return render_template("events/staff/cancel.html", event=event, form=form), 422 if form.is_submitted() else 200


@bp.get("/<int:event_id>/history")
def history(event_id: int):
    """Who did what to the event, and every export of unmasked personal data."""
    event = organiser_services.get_event(event_id, current_user)
    return render_template("events/staff/history.html", event=event, entries=history_of(event),
                           action_labels=EVENT_ACTION_LABELS)
