"""JSON API of feedback reports under /api/v1/consultations/{id}/feedback.

The report, its revisions and the chain check are public; groups, answers and publishing need a staff token.
"""

from flask import current_app, url_for

from engage.accounts.auth import token_user
from engage.consultations import services as consultation_services
from engage.consultations.models import CommentStatus
from engage.core import api as core_api
from engage.core import page_cache
from engage.core.api import api_blueprint
from engage.core.errors import NotFound
from engage.core.http_cache import public
from engage.core.schemas import request_now
from engage.extensions import cache, db
from engage.feedback import answer_services, grouping_runs, schemas, services
from engage.feedback import jobs as feedback_jobs
from engage.feedback.models import GroupKind

bp = api_blueprint(
    "feedback_api", __name__, "/api/v1/consultations",
    "Adoption feedback: the published report, its revision history and hash chain; staff grouping and answers.",
)


def staff_endpoint(*error_statuses: int):
    return core_api.staff_endpoint(bp, *error_statuses, authorise=_answers_for_consultation)


def _answers_for_consultation(consultation_id: int, **_other_ids) -> None:
    """Staff of the consultation's department, who answer its comments and publish its report."""
    services.staff_consultation(consultation_id, token_user())


# ---- public --------------------------------------------------------------------------------------------


@bp.route("/<int:consultation_id>/feedback", methods=["GET"])
@bp.response(200, schemas.ReportOut)
@bp.alt_response(404, response="NOT_FOUND")
@public
def get_feedback(consultation_id: int):
    """The current revision of the published feedback report: counts, opinion groups with answers."""
    # A revision never changes, and publishing raises the consultation's public version: the answer is cached
    # under that version, so a report of 100,000 comments costs what one of 100 does.
    _stage, _opens, _closes, version = page_cache.remembered(
        f"consultation:{consultation_id}", lambda: consultation_services.public_page_state(consultation_id)
    )
    key = f"feedback-api:{consultation_id}:{version}"
    body = cache.get(key)
    if body is None:
        revision = services.current_revision(consultation_id)
        if revision is None:
            raise NotFound()
        body = current_app.json.dumps(schemas.ReportOut().dump(revision)).encode()  # sent as is, not re-encoded
        cache.set(key, body)
    return current_app.response_class(body, mimetype="application/json")


@bp.route("/<int:consultation_id>/feedback/revisions", methods=["GET"])
@bp.response(200, schemas.RevisionListOut)
@bp.alt_response(404, response="NOT_FOUND")
@public
def list_feedback_revisions(consultation_id: int):
    """Every published revision, newest first, with the reason for each correction and what changed."""
    consultation = services.get_public_consultation(consultation_id)
    return {"consultation_id": consultation.id, "revisions": services.list_revisions(consultation.id)}


@bp.route("/<int:consultation_id>/feedback/verify", methods=["GET"])
@bp.response(200, schemas.VerifyOut)
@bp.alt_response(404, response="NOT_FOUND")
@public
def verify_feedback(consultation_id: int):
    """Recompute the revisions' SHA-256 chain and the digest of the published answers: does the record hold?"""
    consultation = services.get_public_consultation(consultation_id)
    check = services.verify(consultation.id)
    return {"consultation_id": consultation.id, "valid": check.valid, "checked": check.checked,
            "broken_at": check.broken_at, "problem": check.problem}


# ---- staff ---------------------------------------------------------------------------------------------


@bp.route("/<int:consultation_id>/feedback/comments", methods=["GET"])
@bp.arguments(schemas.FeedbackCommentQuery, location="query")
@bp.response(200, schemas.FeedbackCommentPageOut)
@staff_endpoint(404, 422)
def list_comments(args, consultation_id: int):
    """The comments to answer, online and offline, searched by words and filtered as in the work view, oldest or
    newest first (no contact data). The total is counted up to 10,000 (`total_capped` beyond)."""
    actor = token_user()
    consultation = services.staff_consultation(consultation_id, actor)
    filters = answer_services.CommentFilter(
        article_id=answer_services.article_id_of(consultation, args.get("article")), answered=args.get("answered"),
        text=args.get("q", ""), group_id=args.get("group"), ungrouped=args["ungrouped"],
        channel=args.get("channel"), status=CommentStatus(args["status"]) if args.get("status") else None,
        outcome=args.get("outcome"), received_from=args.get("received_from"), received_to=args.get("received_to"),
        sort=args["sort"],
    )
    return answer_services.list_comments(consultation, filters, actor=actor, **core_api.cursor_args(args))


@bp.route("/<int:consultation_id>/feedback/groups", methods=["GET"])
@bp.arguments(schemas.GroupQuery, location="query")
@bp.response(200, schemas.GroupPageOut)
@staff_endpoint(404)
def list_groups(args, consultation_id: int):
    """The consultation's opinion groups, largest first."""
    consultation = services.staff_consultation(consultation_id, token_user())
    return answer_services.list_groups(consultation, status=args.get("status"), **core_api.page_args(args))


@bp.route("/<int:consultation_id>/feedback/groups", methods=["POST"])
@bp.arguments(schemas.GroupIn)
@bp.response(201, schemas.GroupOut)
@staff_endpoint(404, 409, 422)
def create_group(data, consultation_id: int):
    """Group comments into an accepted opinion group (comments leave the groups they were in)."""
    consultation = services.staff_consultation(consultation_id, token_user())
    return answer_services.create_group(consultation, data["comment_ids"], data["title"], actor=token_user(),
                                        now=request_now())


@bp.route("/<int:consultation_id>/feedback/groups/proposals", methods=["POST"])
@bp.response(202, schemas.GroupingRunOut, description="The search is queued; follow Location for its progress.")
@staff_endpoint(404, 409)
def propose_groups(consultation_id: int):
    """Start the search for identical and near-identical comments (its proposals replace earlier ones); the job
    queue runs it. 409 while an earlier search is still under way."""
    return _start_run(consultation_id, GroupKind.COPIES)


@bp.route("/<int:consultation_id>/feedback/themes/proposals", methods=["POST"])
@bp.response(202, schemas.GroupingRunOut, description="The search is queued; follow Location for its progress.")
@staff_endpoint(404, 409)
def propose_themes(consultation_id: int):
    """Start the search for themes: comments in no group making the same point in other words, article by article
    (its proposals replace earlier theme proposals); the job queue runs it. 409 while a search is under way."""
    return _start_run(consultation_id, GroupKind.THEME)


def _start_run(consultation_id: int, kind: GroupKind):
    consultation = services.staff_consultation(consultation_id, token_user())
    run = grouping_runs.request_run(consultation, actor=token_user(), now=request_now(), kind=kind)
    db.session.commit()  # a consumer reads the run from the database: committed before it is queued
    feedback_jobs.enqueue(run.id)
    location = url_for("feedback_api.get_grouping_run", consultation_id=consultation.id, run_id=run.id)
    return run, 202, {"Location": location}


@bp.route("/<int:consultation_id>/feedback/grouping-runs/<int:run_id>", methods=["GET"])
@bp.response(200, schemas.GroupingRunOut)
@staff_endpoint(404)
def get_grouping_run(consultation_id: int, run_id: int):
    """A search for similar comments: its state, and once done how many groups it proposed."""
    consultation = services.staff_consultation(consultation_id, token_user())
    return grouping_runs.get_run(consultation, run_id)


@bp.route("/<int:consultation_id>/feedback/groups/<int:group_id>/answer", methods=["PUT"])
@bp.arguments(schemas.AnswerIn)
@bp.response(200, schemas.GroupOut)
@staff_endpoint(404, 409, 422)
def answer_group(data, consultation_id: int, group_id: int):
    """Answer an opinion group (accepting it if it was only proposed); every member shares the answer."""
    consultation = services.staff_consultation(consultation_id, token_user())
    group = answer_services.get_group(consultation, group_id)
    return answer_services.answer_group(group, data["outcome"], data["reason"], actor=token_user(),
                                        now=request_now())


@bp.route("/<int:consultation_id>/feedback/answers", methods=["POST"])
@bp.arguments(schemas.CommentAnswerIn)
@bp.response(200, schemas.AnsweredOut)
@staff_endpoint(404, 409, 422)
def answer_comments(data, consultation_id: int):
    """Give the same answer to each of the listed comments, on their own (not through a group)."""
    consultation = services.staff_consultation(consultation_id, token_user())
    answered = answer_services.answer_comments(consultation, data["comment_ids"], data["outcome"], data["reason"],
                                               actor=token_user(), now=request_now())
    return {"answered": len(answered)}


@bp.route("/<int:consultation_id>/feedback/publish", methods=["POST"])
@bp.arguments(schemas.PublishIn)
@bp.response(201, schemas.ReportOut)
@staff_endpoint(404, 409, 422)
def publish_feedback(data, consultation_id: int):
    """Publish the report, or a correction (a new revision, with its reason). Refused while answers are missing."""
    actor, now = token_user(), request_now()
    consultation = services.staff_consultation(consultation_id, actor)
    if "explanation" in data:
        services.save_explanation(consultation, data["explanation"], actor=actor, now=now)
    return services.publish(consultation, reason=data["reason"], actor=actor, now=now)
