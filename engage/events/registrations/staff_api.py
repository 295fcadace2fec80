"""The organiser API under /api/v1/events: an event's registration list, check-in and the venue's access, with a
personal API token.

The same services as the organiser desk, so the door app and the pages never disagree. Refusals at the door
come back as 409 with the reason in ``message`` (already checked in, cancelled, another event's code); an
unknown code is 404.
"""

from engage.accounts.auth import token_user
from engage.core import api as core_api
from engage.core.api import api_blueprint
from engage.core.schemas import request_now
from engage.events import organiser_services
from engage.events.registrations import services, staff_schemas
from engage.events.schemas import AccessibilityOut

bp = api_blueprint(
    "events_staff_api", __name__, "/api/v1/events",
    "Organisers (API token): an event's sign-ups, and checking people in at the door.",
)


def _manages_event(event_id: int) -> None:
    """The event's organisers (its department's, the open month office's) and administrators."""
    organiser_services.get_event(event_id, token_user())


@bp.route("/<int:event_id>/registrations", methods=["GET"])
@core_api.staff_endpoint(bp, 404, 422, authorise=_manages_event)
@bp.arguments(staff_schemas.StaffRegistrationQuery, location="query")
@bp.response(200, staff_schemas.StaffRegistrationPageOut)
def list_registrations(args, event_id: int):
    """Sign-ups of an event the token owner organises, in sign-up order; search with ``q``, filter by ``status``."""
    actor = token_user()
    event = organiser_services.get_event(event_id, actor)
    status = args.get("status")
    return organiser_services.list_registrations(event, actor, q=args.get("q", ""),
                                                 status=status.value if status else None,
                                                 **core_api.page_args(args))


@bp.route("/<int:event_id>/check-ins", methods=["POST"])
@core_api.staff_endpoint(bp, 404, 409, 415, 422, authorise=_manages_event)
@bp.arguments(staff_schemas.CheckInIn)
@bp.response(200, staff_schemas.StaffRegistrationOut, description="Checked in: the person and the party size.")
def check_in(data, event_id: int):
    """Check a confirmed sign-up in by its code; 409 when it is already in, cancelled, for another event, or
    today is not the event's day and ``override_day`` is not set."""
    actor = token_user()
    event = organiser_services.get_event(event_id, actor)
    return services.check_in(event, data["code"], actor=actor, now=request_now(), override_day=data["override_day"])


@bp.route("/<int:event_id>/accessibility", methods=["PATCH"])
@core_api.staff_endpoint(bp, 404, 409, 415, 422, authorise=_manages_event)
@bp.arguments(staff_schemas.AccessibilityIn, required=False)
@bp.response(200, AccessibilityOut)
def update_accessibility(data, event_id: int):
    """State what the venue offers visitors with a disability; shown on the event's page and in its answer."""
    actor = token_user()
    event = organiser_services.get_event(event_id, actor)
    if "accessibility_notes" in data:
        data["accessibility_notes"] = data["accessibility_notes"].strip()
    return organiser_services.update_accessibility(event, data, actor=actor, now=request_now())
