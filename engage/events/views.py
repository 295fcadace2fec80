"""Public event pages: campaigns and their agenda, an event with its sign-up form, the confirmation page
(the private link), the calendar file and QR code, and looking up or cancelling a sign-up.
"""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from engage.core.errors import NotFound, RuleViolation, ValidationFailed
from engage.core.forms import ask_to_confirm, blank_form, lacks_valid_token, show_refusal
from engage.core.http_cache import PRIVATE, public
from engage.core.templating import china_time
from engage.core.timeutil import utcnow
from engage.events import documents, listings, rules
from engage.events.forms import AgendaFilterForm, CancelForm, LookupForm, SignUpForm
from engage.events.limits import limit_sign_ups
from engage.events.registrations import services
from engage.events.registrations.services import SignUpInput
from engage.extensions import csrf
from engage.regions import services as regions

bp = Blueprint("events", __name__, url_prefix="/events")

#: One bucket per address for sign-ups by the page and by the API, so neither is a way around the other.


#: the private pages carry the cancel token in their address: it must not leak to other sites
PRIVATE_HEADERS = {"Referrer-Policy": "no-referrer", "Cache-Control": PRIVATE}


@bp.app_template_filter()
def event_time_range(found) -> str:
    """2026-08-01 09:00–11:30, with the end's date only when it ends on another day."""
    start, end = china_time(found.starts_at, "short"), china_time(found.ends_at, "short")
    return f"{start}–{end[11:] if end[:10] == start[:10] else end}"


@bp.get("/")
@public
def index():
    """The published campaigns (e.g. this year's open month)."""
    region = regions.region_filter(request.args.get("region"))
    return render_template("events/index.html", campaigns=listings.list_public_campaigns(region), region=region)


@bp.get("/campaigns/<int:campaign_id>")
@public
def campaign(campaign_id: int):
    """A campaign's coming events as an agenda by day, the past ones apart; searched and filtered."""
    found = listings.get_public_campaign(campaign_id)
    form = AgendaFilterForm(request.args)
    form.set_choices(listings.host_departments(found.id), str(get_locale()))
    filters = listings.EventFilters(campaign_id=found.id, kind=form.chosen_kind(), q=form.search_text(),
                                    department_id=form.chosen_department(), seats_left_only=bool(form.seats_left.data),
                                    region=regions.region_filter(request.args.get("region")))
    now = utcnow()
    days, past = listings.upcoming_and_past(filters, now)
    return render_template("events/campaign.html", campaign=found, form=form, days=days, past=past, now=now,
                           filtered=bool(filters.kind or filters.department_id or filters.seats_left_only or filters.q
                                         or filters.region))


@bp.get("/<int:event_id>")
@public
def event(event_id: int):
    """An event: what, where and when, the seats left and the sign-up form (its token fetched by the page)."""
    return _event_page(listings.get_public_event(event_id), blank_form(SignUpForm))


def _event_page(found, form, *, status=200, refusal=None, confirm=False):
    now = utcnow()
    html = render_template("events/event.html", event=found, form=form.for_event(found), now=now, refusal=refusal,
                           closed_message=services.refusal_message(found, now), confirm=confirm)
    return html, status


@bp.post("/<int:event_id>/sign-up")
@csrf.exempt  # the form checks its token itself, so that one sent without it can be shown back to confirm
@limit_sign_ups
def sign_up(event_id: int):
    """Sign up and go to the confirmation page (Post/Redirect/Get); refusals come back on the form."""
    found = listings.get_public_event(event_id)
    form = SignUpForm()
    if not form.validate_on_submit():
        _add_sign_up_problems(form, found)
        if lacks_valid_token(form):
            ask_to_confirm(form)
            return _event_page(found, form, status=400, confirm=True)
        return _event_page(found, form, status=422)
    try:
        registration, token = services.register(found.id, _sign_up_input(form), now=utcnow())
    except ValidationFailed as error:
        show_refusal(error, form)
        return _event_page(found, form, status=422)
    except RuleViolation as error:
        # Shown above the form, which keeps what they typed.
        return _event_page(found, form, status=409, refusal=error.message)
    return redirect(url_for(".confirmation", code=registration.code, token=token), code=303)


def _sign_up_input(form: SignUpForm) -> SignUpInput:
    return SignUpInput(name=form.name.data or "", phone=form.phone.data or "", party_size=form.party_size.data,
                       id_number=form.id_number.data or "")


def _add_sign_up_problems(form: SignUpForm, found) -> None:
    """Add the service's checks to the fields the form found no fault with, so that every problem shows at once."""
    errors, _clean = services.validate_sign_up(_sign_up_input(form), found)
    for name, messages in errors.items():
        if not form[name].errors:
            form[name].errors = [str(m) for m in messages]


@bp.get("/sign-ups/<code>/<token>")
def confirmation(code: str, token: str):
    """The private page of a sign-up: code, QR code, status or waitlist place, calendar file, cancel."""
    registration = services.find_by_token(code, token)
    form = CancelForm(token=token)
    html = render_template("events/sign_up.html", registration=registration, token=token, cancel_form=form,
                           position=services.waitlist_position(registration), now=utcnow(), private=True)
    return html, 200, PRIVATE_HEADERS


@bp.post("/sign-ups/<code>/<token>/cancel")
def cancel(code: str, token: str):
    """Cancel by the private link; the seats go to the waitlist."""
    registration = services.find_by_token(code, token)
    form = CancelForm()
    if not form.validate_on_submit():
        flash(_l("The form has expired. Please try again."), "error")
    elif not form.is_confirmed():
        return render_template("events/cancel_confirm.html", registration=registration, token=token, form=form,
                               private=True), 200, PRIVATE_HEADERS
    else:
        _cancel(registration)
    return redirect(url_for(".confirmation", code=registration.code, token=token), code=303)


def _cancel(registration) -> None:
    was_waitlisted = registration.status == rules.WAITLISTED
    try:
        services.cancel(registration, now=utcnow())
    except RuleViolation as error:  # already cancelled, or the event has started
        flash(error.message, "error")
    else:
        flash(_l("You have left the waitlist. Thank you for letting us know.") if was_waitlisted
              else _l("Your sign-up is cancelled. Thank you for letting us know."), "success")


@bp.get("/sign-ups/<code>/<token>/calendar.ics")
def sign_up_calendar(code: str, token: str):
    """The event in a calendar file, with the confirmation code in its notes."""
    registration = services.find_by_token(code, token)
    return _calendar_response(registration.event, registration)


@bp.get("/<int:event_id>/calendar.ics")
@public
def event_calendar(event_id: int):
    return _calendar_response(listings.get_public_event(event_id))


def _calendar_response(found, registration=None) -> Response:
    url = url_for("events.event", event_id=found.id, _external=True)
    body = documents.calendar_file(found, now=utcnow(), url=url, registration=registration)
    headers = {"Content-Disposition": f'attachment; filename="event-{found.id}.ics"'}
    if registration is not None:
        headers.update(PRIVATE_HEADERS)
    return Response(body, mimetype="text/calendar", headers=headers)


@bp.get("/qr/<code>.svg")
@public
def qr_code(code: str):
    """The QR code of a confirmation code, for the door; it shows only the code, so it needs no token."""
    code = rules.normalize_code(code)
    if len(code) != rules.CODE_LENGTH or set(code) - set(rules.CODE_ALPHABET):
        raise NotFound()
    return Response(documents.qr_svg(code), mimetype="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})


@bp.route("/lookup", methods=["GET", "POST"])
def lookup():
    """Find one's sign-up with the confirmation code and phone number (POST keeps the phone out of logs)."""
    form = LookupForm()
    if not form.validate_on_submit():
        return render_template("events/lookup.html", form=form), 422 if form.is_submitted() else 200
    try:
        registration = services.find_by_phone(form.code.data, form.phone.data)
    except NotFound as error:
        return render_template("events/lookup.html", form=form, not_found=error.message), 404
    return _lookup_result(registration, form.phone.data)


def _lookup_result(registration, phone):
    form = CancelForm(phone=rules.normalize_phone(phone))
    html = render_template("events/sign_up.html", registration=registration, cancel_form=form,
                           position=services.waitlist_position(registration), now=utcnow(), private=False)
    return html, 200, PRIVATE_HEADERS


@bp.post("/lookup/<code>/cancel")
def lookup_cancel(code: str):
    """Cancel after a lookup, proven again by the phone number."""
    form = CancelForm()
    registration = services.find_by_phone(code, form.phone.data or "")
    if form.validate_on_submit() and not form.is_confirmed():
        return render_template("events/cancel_confirm.html", registration=registration, form=form,
                               private=False), 200, PRIVATE_HEADERS
    if form.validate_on_submit():
        _cancel(registration)
    return _lookup_result(registration, registration.phone)
