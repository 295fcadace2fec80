"""Staff API of supervision (token required): chasing notices and answers, the reply review, the dashboard."""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from engage.accounts.auth import token_user
from engage.core import api as core_api
from engage.core.errors import NotAllowed, NotFound, RuleViolation
from engage.core.schemas import request_now
from engage.core.timeutil import china_date
from engage.proposals import services
from engage.proposals.supervision import chasing, dashboard, permissions, review
from engage.proposals.supervision import schemas as schemas

bp = core_api.api_blueprint("proposals_supervision_api", __name__, url_prefix="/api/v1/proposals",
                            description="Supervision (督办) of suggestions and proposals: chasing notices, reply "
                                        "review, the dashboard (staff token required).")


def staff_endpoint(*error_statuses: int, authorise):
    return core_api.staff_endpoint(bp, *error_statuses, authorise=authorise)


def _supervises(**_values) -> None:
    if not permissions.can_chase(token_user()):
        raise NotAllowed()


def _sees_case(proposal_id: int) -> None:
    services.get_for_staff(proposal_id, token_user())


def _supervises_case(proposal_id: int) -> None:
    _supervises()
    _sees_case(proposal_id)


def supervision_of(proposal) -> dict:
    drafts = review.drafts_of(proposal)
    return {"case": proposal.id, "review_required": review.is_review_required(proposal),
            "review": review.open_draft(proposal) or (drafts[-1] if drafts else None),
            "chasing_notices": [{"notice": n, "answer": a} for n, a in chasing.chasing_notices(proposal.id)],
            "steps": chasing.steps_of(proposal.id)}


def _open_draft(proposal):
    draft = review.open_draft(proposal)
    if draft is None:
        raise RuleViolation(_l("No reply of this case is waiting for review."))
    return draft


@bp.route("/supervision", methods=["GET"])
@staff_endpoint(authorise=_supervises)
@bp.response(200, schemas.DashboardOut)
def get_dashboard():
    """The 督办 dashboard (supervisors): overdue by unit and lateness, replies under review, recent notices."""
    now = request_now()
    board = dashboard.build(today=china_date(now), since=now - timedelta(days=dashboard.RECENT_DAYS))
    return {"units": [{"unit": row.department.id, "name": row.department.name, "overdue": row.overview.overdue,
                       "overdue_by_days": row.overview.overdue_bands, "due_soon": row.overview.due_soon,
                       "review": row.overview.review, "ratings": row.overview.ratings, "reminders": row.reminders}
                      for row in board.units],
            "under_review": [draft.proposal_id for draft in board.under_review],
            "notices": {str(kind): count for kind, count in board.notices_by_kind},
            "chasing_notices": [{"notice": n, "answer": a} for n, a in board.chasing]}


@bp.route("/<int:proposal_id>/supervision", methods=["GET"])
@staff_endpoint(404, authorise=_sees_case)
@bp.response(200, schemas.SupervisionOut)
def get_supervision(proposal_id: int):
    """A case's review, chasing notices and 督办 steps (supervisors and the case's units)."""
    return supervision_of(services.get_for_staff(proposal_id, token_user()))


@bp.route("/<int:proposal_id>/chasing-notices", methods=["POST"])
@staff_endpoint(404, 409, 415, 422, authorise=_supervises_case)
@bp.arguments(schemas.ChaseIn)
@bp.response(201, schemas.SupervisionOut)
def chase_case(data, proposal_id: int):
    """Send a chasing notice (催办通知) to the case's lead unit(s) (supervisors)."""
    proposal = services.get_for_staff(proposal_id, token_user(), lock=True)
    chasing.send_chasing_notice(proposal, data["text"], actor=token_user(), now=request_now())
    return supervision_of(proposal)


@bp.route("/<int:proposal_id>/chasing-notices/answer", methods=["POST"])
@staff_endpoint(404, 409, 415, 422, authorise=_sees_case)
@bp.arguments(schemas.ChaseAnswerIn)
@bp.response(201, schemas.SupervisionOut)
def answer_chasing_notice(data, proposal_id: int):
    """The chased unit answers a chasing notice of this case (once)."""
    proposal = services.get_for_staff(proposal_id, token_user(), lock=True)
    step = chasing.get_chasing_notice(data["notice"])
    if step.proposal_id != proposal.id:
        raise NotFound()
    chasing.answer_chasing_notice(step, data["text"], actor=token_user(), now=request_now())
    return supervision_of(proposal)


@bp.route("/<int:proposal_id>/review/approval", methods=["POST"])
@staff_endpoint(404, 409, authorise=_supervises_case)
@bp.response(200, schemas.SupervisionOut)
def approve_reply(proposal_id: int):
    """Approve the reply under review (supervisors): it becomes the case's reply, published, proposers told."""
    proposal = services.get_for_staff(proposal_id, token_user(), lock=True)
    review.approve(_open_draft(proposal), actor=token_user(), now=request_now(), config=current_app.config)
    return supervision_of(proposal)


@bp.route("/<int:proposal_id>/review/return", methods=["POST"])
@staff_endpoint(404, 409, 415, 422, authorise=_supervises_case)
@bp.arguments(schemas.ReturnIn)
@bp.response(200, schemas.SupervisionOut)
def return_reply(data, proposal_id: int):
    """Return the reply under review to the lead unit with the reason (supervisors)."""
    proposal = services.get_for_staff(proposal_id, token_user(), lock=True)
    review.return_reply(_open_draft(proposal), data["reason"], actor=token_user(), now=request_now())
    return supervision_of(proposal)


@bp.route("/<int:proposal_id>/review/signoff-request", methods=["POST"])
@staff_endpoint(404, 409, authorise=_supervises_case)
@bp.response(200, schemas.SupervisionOut)
def request_signoff(proposal_id: int):
    """Ask the case's co-units to sign off (会签) the reply under review (supervisors)."""
    proposal = services.get_for_staff(proposal_id, token_user(), lock=True)
    review.request_signoff(_open_draft(proposal), actor=token_user(), now=request_now())
    return supervision_of(proposal)


@bp.route("/<int:proposal_id>/review/signoff", methods=["POST"])
@staff_endpoint(404, 409, 415, 422, authorise=_sees_case)
@bp.arguments(schemas.SignOffIn)
@bp.response(200, schemas.SupervisionOut)
def sign_off(data, proposal_id: int):
    """A co-unit signs off the reply under review."""
    proposal = services.get_for_staff(proposal_id, token_user(), lock=True)
    review.sign_off(_open_draft(proposal), data["note"], actor=token_user(), now=request_now())
    return supervision_of(proposal)
