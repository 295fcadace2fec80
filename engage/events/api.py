"""Public JSON API for open-government events under /api/v1: campaigns, events, signing up, cancelling.

Public endpoints need no authentication; a sign-up is read or cancelled with its cancel token (or, to read,
the phone number it was made with). Both faces call the same services as the pages.
"""

from flask import Response, url_for

from engage.core import api as core_api
from engage.core.api import api_blueprint
from engage.core.errors import NotFound
from engage.core.http_cache import public
from engage.events import documents, listings, schemas
from engage.events.limits import limit_sign_ups
from engage.events.registrations import services
from engage.regions import services as regions

campaigns_bp = api_blueprint("campaigns_api", __name__, "/api/v1/campaigns",
                             "Campaigns of open-government events, such as a district's open month.")
bp = api_blueprint("events_api", __name__, "/api/v1/events",
                   "Open-government events: seats left, registration window, and signing up.")
registrations_bp = api_blueprint("registrations_api", __name__, "/api/v1/registrations",
                                 "A sign-up, read or cancelled with its confirmation code and cancel token.")


class _CreatedRegistration:
    """A new sign-up with what is shown only once: its cancel token and private page."""

    def __init__(self, registration, token: str):
        self._registration = registration
        self.cancel_token = token
        self.private_url = url_for("events.confirmation", code=registration.code, token=token, _external=True)

    def __getattr__(self, name):
        return getattr(self._registration, name)


@campaigns_bp.route("", methods=["GET"])
@campaigns_bp.arguments(schemas.CampaignQuery, location="query")
@campaigns_bp.response(200, schemas.CampaignListOut)
@public
def list_campaigns(args):
    """Published campaigns, newest first."""
    return {"items": listings.list_public_campaigns(regions.region_filter(args.get("region"), for_api=True))}


@bp.route("", methods=["GET"])
@bp.arguments(schemas.EventQuery, location="query")
@bp.response(200, schemas.EventPageOut)
@public
def list_events(args):
    """Public events by start time (past ones latest first), filtered and searched."""
    now = schemas.request_now()
    filters = listings.EventFilters(
        campaign_id=args.get("campaign"), kind=args.get("kind"), department_id=args.get("department"),
        seats_left_only=args["seats_left"], upcoming_at=now if args["upcoming"] else None,
        past_at=now if args["past"] else None, q=args.get("q"),
        region=regions.region_filter(args.get("region"), for_api=True),
    )
    return listings.list_public_events(filters, **core_api.page_args(args))


@bp.route("/<int:event_id>", methods=["GET"])
@bp.response(200, schemas.EventOut)
@bp.alt_response(404, response="NOT_FOUND")
@public
def get_event(event_id: int):
    """One event with its capacity, seats left, registration window and status."""
    return listings.get_public_event(event_id)


@bp.route("/<int:event_id>.ics", methods=["GET"])
@bp.response(200, {"type": "string"}, content_type="text/calendar", description="An iCalendar file")
@bp.alt_response(404, response="NOT_FOUND")
@public
def event_calendar(event_id: int):
    """The event as an iCalendar file."""
    event = listings.get_public_event(event_id)
    body = documents.calendar_file(event, now=schemas.request_now(),
                                   url=url_for("events.event", event_id=event.id, _external=True))
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="event-{event.id}.ics"'})


@bp.route("/<int:event_id>/registrations", methods=["POST"])
@bp.arguments(schemas.RegistrationIn)
@bp.response(201, schemas.RegistrationCreatedOut,
             description="Signed up: confirmed, pending approval, or waitlisted. Keep the code and cancel token.")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT", description="Sign-up closed, event cancelled, full, or a duplicate phone")
@bp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
@limit_sign_ups
def register(data, event_id: int):
    """Sign up for an event; the answer carries the cancel token, given only this once."""
    registration, token = services.register(event_id, services.SignUpInput(**data), now=schemas.request_now())
    location = url_for("registrations_api.get_registration", code=registration.code)
    return _CreatedRegistration(registration, token), 201, {"Location": location}


@registrations_bp.route("/<code>", methods=["GET"])
@registrations_bp.arguments(schemas.RegistrationQuery, location="query")
@registrations_bp.response(200, schemas.RegistrationOut)
@registrations_bp.alt_response(404, response="NOT_FOUND")
def get_registration(args, code: str):
    """A sign-up's status, with the cancel token or the phone number it was made with."""
    return _find(code, args["token"], args["phone"])


@registrations_bp.route("/<code>/cancel", methods=["POST"])
@registrations_bp.arguments(schemas.CancelIn)
@registrations_bp.response(200, schemas.RegistrationOut)
@registrations_bp.alt_response(404, response="NOT_FOUND")
@registrations_bp.alt_response(409, response="CONFLICT", description="Already cancelled, or the event has started")
@registrations_bp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
def cancel_registration(data, code: str):
    """Cancel a sign-up with its token; freed seats go to the waitlist first come, first served."""
    registration = services.find_by_token(code, data["token"])
    return services.cancel(registration, now=schemas.request_now())


def _find(code: str, token: str, phone: str):
    if token:
        return services.find_by_token(code, token)
    if phone:
        return services.find_by_phone(code, phone)
    raise NotFound()
