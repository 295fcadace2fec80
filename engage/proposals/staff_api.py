"""Staff API of the proposal tracker (token required): register, assign, reply, rate."""

from flask import current_app

from engage.accounts.auth import token_user
from engage.core import api as core_api
from engage.core.errors import NotAllowed
from engage.core.schemas import request_now
from engage.core.timeutil import china_date
from engage.proposals import permissions, services
from engage.proposals import staff_schemas as schemas
from engage.proposals.handling import services as handling_services
from engage.proposals.supervision import review

bp = core_api.api_blueprint("proposals_staff_api", __name__, url_prefix="/api/v1/proposals",
                            description="Suggestions and proposals: registering, assigning, replying, rating "
                                        "(staff token required).")


def staff_endpoint(*error_statuses: int, authorise):
    return core_api.staff_endpoint(bp, *error_statuses, authorise=authorise)


def _supervises() -> None:
    """The supervising office (and administrators): registers, assigns, enters ratings."""
    if not permissions.is_supervisor(token_user()):
        raise NotAllowed()


def _sees_case(proposal_id: int) -> None:
    """Supervisors, and the units the case is assigned to."""
    services.get_for_staff(proposal_id, token_user())


def _supervises_case(proposal_id: int) -> None:
    _supervises()
    _sees_case(proposal_id)


def _replies_to_case(proposal_id: int) -> None:
    """The lead unit (administrators may act for it)."""
    if not permissions.can_reply(token_user(), services.get_for_staff(proposal_id, token_user())):
        raise NotAllowed()


@bp.route("", methods=["POST"])
@staff_endpoint(415, 422, authorise=_supervises)
@bp.arguments(schemas.CaseIn)
@bp.response(201, schemas.StaffCaseOut)
def register_case(data):
    """Register a case (supervisors); the number must be new in its session for its kind."""
    proposers = [services.ProposerFields(**person) for person in data.pop("proposers")]
    fields = services.CaseFields(session_name=data.pop("session"), proposers=proposers, **data)
    return services.register_case(fields, actor=token_user(), now=request_now())


@bp.route("/<int:proposal_id>/staff", methods=["GET"])
@staff_endpoint(404, authorise=_sees_case)
@bp.response(200, schemas.StaffCaseOut)
def get_case(proposal_id: int):
    """A case with its units, proposers (contact details included), replies and ratings."""
    return services.get_for_staff(proposal_id, token_user())


@bp.route("/<int:proposal_id>/assignment", methods=["POST"])
@staff_endpoint(404, 409, 415, 422, authorise=_supervises_case)
@bp.arguments(schemas.AssignIn)
@bp.response(200, schemas.StaffCaseOut)
def assign_case(data, proposal_id: int):
    """Assign a registered case to its lead unit(s) and co-units (supervisors); the due date is computed."""
    actor = token_user()
    proposal = services.get_for_staff(proposal_id, actor, lock=True)
    now = request_now()
    return services.assign(proposal, data["lead_units"], data["co_units"],
                           assigned_on=data["assigned_on"] or china_date(now), actor=actor, now=now,
                           config=current_app.config)


@bp.route("/<int:proposal_id>/replies", methods=["POST"])
@staff_endpoint(404, 409, 415, 422, authorise=_replies_to_case)
@bp.arguments(schemas.ReplyIn)
@bp.response(201, schemas.StaffCaseOut)
def reply_to_case(data, proposal_id: int):
    """The lead unit's reply for the current round (signed by the token owner's unit).

    In a session whose replies are reviewed, the reply waits for the supervising office instead (see
    ``/api/v1/proposals/{proposal_id}/supervision``) and the case stays in progress until it is approved."""
    actor = token_user()
    proposal = services.get_for_staff(proposal_id, actor, lock=True)
    now = request_now()
    fields = handling_services.ReplyFields(body=data["body"], replied_on=data["replied_on"] or china_date(now),
                                           outcome=data["outcome"], is_published=data["published"],
                                           unpublished_reason=data["unpublished_reason"])
    review.submit_reply(proposal, fields, actor=actor, now=now, config=current_app.config)
    return proposal


@bp.route("/<int:proposal_id>/ratings", methods=["POST"])
@staff_endpoint(404, 409, 415, 422, authorise=_supervises_case)
@bp.arguments(schemas.RatingIn)
@bp.response(201, schemas.StaffCaseOut)
def rate_case(data, proposal_id: int):
    """A proposer's rating entered by the supervising office; unsatisfied reopens the case."""
    actor = token_user()
    proposal = services.get_for_staff(proposal_id, actor, lock=True)
    proposer = handling_services.proposer_of(proposal, data["proposer"])
    handling_services.rate(proposer, data["satisfaction"], data["comments"], actor=actor, now=request_now(),
                           config=current_app.config)
    return proposal
