"""The outbox through the API under /api/v1/outbox, with an administrator's personal API token.

The same staff services as the outbox page. A token of staff who are not administrators gets 403; retrying a
message that is neither failed nor withheld, or withholding one no longer waiting, gets 409.
"""

from engage.accounts.auth import token_user
from engage.core import api as core_api
from engage.core.schemas import request_now
from engage.notifications import admin_services, staff_schemas
from engage.notifications.models import Channel, MessageStatus

bp = core_api.api_blueprint("outbox_staff_api", __name__, "/api/v1/outbox",
                            "The outbox (administrators' token): every e-mail and SMS, retrying and withholding.")


def _administrators_only(**path_values) -> None:
    admin_services.require_manager(token_user())


def _filters(args: dict) -> admin_services.OutboxFilters:
    return admin_services.OutboxFilters(
        status=MessageStatus(args["status"]) if args.get("status") else None,
        channel=Channel(args["channel"]) if args.get("channel") else None,
        template=args.get("template", ""), created_from=args.get("created_from"),
        created_to=args.get("created_to"), recipient=args.get("recipient", ""))


@bp.route("/messages", methods=["GET"])
@core_api.staff_endpoint(bp, 422, authorise=_administrators_only)
@bp.arguments(staff_schemas.OutboxQuery, location="query")
@bp.response(200, staff_schemas.MessagePageOut)
def list_messages(args):
    """Messages newest first, filtered, with the number in each status."""
    actor, filters = token_user(), _filters(args)
    page = admin_services.list_messages(filters, actor=actor, **core_api.page_args(args))
    counts = admin_services.count_by_status(filters, actor=actor)
    return {"items": page.items, "page": page.page, "per_page": page.per_page, "total": page.total,
            "counts": {status.value: number for status, number in counts.items()}}


@bp.route("/messages/<int:message_id>", methods=["GET"])
@core_api.staff_endpoint(bp, 404, authorise=_administrators_only)
@bp.response(200, staff_schemas.MessageDetailOut)
def get_message(message_id: int):
    """One message with its text and history (tries, and who retried or withheld it)."""
    return admin_services.get_message(message_id, actor=token_user())


@bp.route("/messages/<int:message_id>/retry", methods=["POST"])
@core_api.staff_endpoint(bp, 404, 409, authorise=_administrators_only)
@bp.response(200, staff_schemas.MessageDetailOut, description="Queued again; it goes out shortly.")
def retry_message(message_id: int):
    """Send a failed or withheld message again (limits and unsubscribing do not apply to a staff decision)."""
    return admin_services.retry_message(message_id, actor=token_user(), now=request_now())


@bp.route("/messages/<int:message_id>/withhold", methods=["POST"])
@core_api.staff_endpoint(bp, 404, 409, authorise=_administrators_only)
@bp.response(200, staff_schemas.MessageDetailOut, description="Withheld; it will not be sent.")
def withhold_message(message_id: int):
    """Keep a message that is still waiting (queued or awaiting retry) from being sent."""
    return admin_services.withhold_message(message_id, actor=token_user(), now=request_now())
