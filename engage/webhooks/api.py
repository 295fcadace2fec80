"""Webhooks through the API under /api/v1/webhooks, with an administrator's personal API token.

The same services as the administrators' pages. A token of staff who are not administrators gets 403. A hook is
switched off with ``PATCH {"is_active": false}``; removing one is done on its page (the log stays either way).
"""

from engage.accounts.auth import token_user
from engage.core import api as core_api
from engage.core.schemas import request_now
from engage.webhooks import schemas, services

bp = core_api.api_blueprint("webhooks_api", __name__, "/api/v1/webhooks",
                            "Webhooks (administrators' token): addresses that receive Engage's events, signed, "
                            "and their deliveries.")


def _administrators_only(**path_values) -> None:
    services.require_manager(token_user())


def _fields(data: dict, hook=None) -> services.HookFields:
    def current(name, default):
        return data[name] if name in data else (getattr(hook, name) if hook else default)

    return services.HookFields(name=current("name", ""), url=current("url", ""), secret=data.get("secret", ""),
                               event_types=[str(t) for t in current("event_types", [])],
                               is_active=current("is_active", True))


@bp.route("", methods=["GET"])
@core_api.staff_endpoint(bp, authorise=_administrators_only)
@bp.response(200, schemas.HookOut(many=True))
def list_hooks():
    """Every registered hook."""
    return services.list_hooks(actor=token_user())


@bp.route("", methods=["POST"])
@core_api.staff_endpoint(bp, 415, 422, authorise=_administrators_only)
@bp.arguments(schemas.HookIn)
@bp.response(201, schemas.HookOut, description="Registered; matching events are delivered from now on.")
def create_hook(data):
    """Register a hook for some event types; without a secret, one is made and returned."""
    return services.save_hook(None, _fields(data), actor=token_user(), now=request_now())


@bp.route("/<int:hook_id>", methods=["GET"])
@core_api.staff_endpoint(bp, 404, authorise=_administrators_only)
@bp.response(200, schemas.HookOut)
def get_hook(hook_id: int):
    """One hook."""
    return services.get_hook(hook_id, actor=token_user())


@bp.route("/<int:hook_id>", methods=["PATCH"])
@core_api.staff_endpoint(bp, 404, 415, 422, authorise=_administrators_only)
@bp.arguments(schemas.HookPatchIn, required=False)  # no body: nothing changes
@bp.response(200, schemas.HookOut)
def update_hook(data, hook_id: int):
    """Change a hook; only the fields sent change (a secret sent replaces the current one)."""
    hook = services.get_hook(hook_id, actor=token_user())
    return services.save_hook(hook, _fields(data, hook), actor=token_user(), now=request_now())


@bp.route("/<int:hook_id>/deliveries", methods=["GET"])
@core_api.staff_endpoint(bp, 404, 422, authorise=_administrators_only)
@bp.arguments(schemas.DeliveryQuery, location="query")
@bp.response(200, schemas.DeliveryPageOut)
def list_deliveries(args, hook_id: int):
    """The hook's deliveries newest first, each with its status, tries and the receiver's last answer."""
    actor = token_user()
    page = services.list_deliveries(services.get_hook(hook_id, actor=actor), actor=actor,
                                    **core_api.page_args(args))
    return {"items": page.items, "page": page.page, "per_page": page.per_page, "total": page.total}
