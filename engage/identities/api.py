"""Identities through the API under /api/v1/identities, with an administrator's personal API token.

The same services as the administrators' pages: list the first sign-ins waiting, approve one (link to an account,
or create one), refuse one, or map an identity to an account before it signs in.
"""

from engage.accounts import permissions
from engage.accounts.auth import token_user
from engage.core import api as core_api
from engage.core.errors import NotAllowed, ValidationFailed
from engage.core.schemas import request_now
from engage.identities import schemas, services

bp = core_api.api_blueprint("identities_api", __name__, "/api/v1/identities",
                            "Identities of the unified identity provider (administrators' token): first sign-ins "
                            "waiting for approval, and the accounts identities sign in as.")


def _administrators_only(**path_values) -> None:
    if not permissions.can_manage_accounts(token_user()):
        raise NotAllowed()


def _account(user_id: int):
    user = services.find_account(user_id)
    if user is None:
        raise ValidationFailed({"user_id": [services.NO_SUCH_ACCOUNT]})
    return user


@bp.route("", methods=["GET"])
@core_api.staff_endpoint(bp, 422, authorise=_administrators_only)
@bp.arguments(schemas.IdentityQuery, location="query")
@bp.response(200, schemas.IdentityPageOut)
def list_identities(args):
    """Identities, those waiting for approval first; `status` keeps one kind."""
    page = services.list_identities(status=args.get("status"), actor=token_user(), **core_api.page_args(args))
    return {"items": page.items, "page": page.page, "per_page": page.per_page, "total": page.total}


@bp.route("", methods=["POST"])
@core_api.staff_endpoint(bp, 415, 422, authorise=_administrators_only)
@bp.arguments(schemas.MapIn)
@bp.response(201, schemas.IdentityOut, description="Linked: the identity signs in as the account from now on.")
def map_identity(data):
    """Link an identity (issuer + subject) to an account, before or after its first sign-in."""
    return services.map_identity(issuer=data["issuer"], subject=data["subject"], user=_account(data["user_id"]),
                                 actor=token_user(), now=request_now())


@bp.route("/<int:identity_id>", methods=["GET"])
@core_api.staff_endpoint(bp, 404, authorise=_administrators_only)
@bp.response(200, schemas.IdentityOut)
def get_identity(identity_id: int):
    """One identity."""
    return services.get_identity(identity_id, actor=token_user())


@bp.route("/<int:identity_id>/approval", methods=["POST"])
@core_api.staff_endpoint(bp, 404, 409, 415, 422, authorise=_administrators_only)
@bp.arguments(schemas.ApproveIn)
@bp.response(200, schemas.IdentityOut)
def approve_identity(data, identity_id: int):
    """Approve an identity: link it to an existing account (`user_id`) or to a new one (`new_account`)."""
    actor, now = token_user(), request_now()
    identity = services.get_identity(identity_id, actor=actor)
    if "user_id" in data:
        return services.link_identity(identity, _account(data["user_id"]), actor=actor, now=now)
    new = data["new_account"]
    return services.link_to_new_account(identity, email=new["email"], name=new["name"], role=new["role"],
                                        department_id=new.get("department_id"), actor=actor, now=now)


@bp.route("/<int:identity_id>/refusal", methods=["POST"])
@core_api.staff_endpoint(bp, 404, 409, authorise=_administrators_only)
@bp.response(200, schemas.IdentityOut)
def reject_identity(identity_id: int):
    """Refuse an identity: it no longer signs in (a linked one loses its account, whose sessions end)."""
    return services.reject_identity(services.get_identity(identity_id, actor=token_user()), actor=token_user(),
                                    now=request_now())
