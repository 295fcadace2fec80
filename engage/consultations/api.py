"""JSON API for consultations, comments and receipts under /api/v1.

Public endpoints need no authentication. Staff endpoints take a personal API token (``Authorization: Bearer``)
and nothing else: cookies never authenticate an API call.
"""

from dataclasses import fields as dataclass_fields

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from engage.accounts import permissions
from engage.accounts.auth import token_user
from engage.consultations import campaigns, comment_services, schemas, services
from engage.consultations.limits import limit_comments
from engage.core import api as core_api
from engage.core.api import api_blueprint
from engage.core.calendar_days import load_work_calendar
from engage.core.errors import NotAllowed, ValidationFailed
from engage.core.http_cache import public

bp = api_blueprint(
    "consultations_api", __name__, "/api/v1/consultations",
    "Draft decisions open for public comment, their comments, and the staff side.",
)
receipts_bp = api_blueprint(
    "receipts_api", __name__, "/api/v1/receipts",
    "A comment's status, looked up by the receipt number its author was given.",
)


def staff_endpoint(*error_statuses: int, authorise=None):
    return core_api.staff_endpoint(bp, *error_statuses, authorise=authorise or _acts_for_consultation)


def _acts_for_consultation(consultation_id: int) -> None:
    """Staff of the consultation's department (who edit, moderate and publish it) and administrators."""
    services.get_for_staff(consultation_id, token_user())


def _may_create_drafts() -> None:
    if not permissions.can_create_consultation(token_user()):
        raise NotAllowed()


_page_args = core_api.page_args


# ---- public --------------------------------------------------------------------------------------------


@bp.route("", methods=["GET"])
@bp.arguments(schemas.ConsultationQuery, location="query")
@bp.response(200, schemas.ConsultationPageOut)
@public
def list_consultations(args):
    """List published consultations, newest period first (never drafts)."""
    return services.list_public(
        schemas.request_now(), status=args.get("status"), department_id=args.get("department"), q=args.get("q"),
        **_page_args(args),
    )


@bp.route("/<int:consultation_id>", methods=["GET"])
@bp.response(200, schemas.ConsultationOut)
@bp.alt_response(404, response="NOT_FOUND")
@public
def get_consultation(consultation_id: int):
    """One published consultation with its articles and attachments."""
    return services.get_public(consultation_id)


@bp.route("/<int:consultation_id>/comments", methods=["GET"])
@bp.arguments(schemas.CommentQuery, location="query")
@bp.response(200, schemas.CommentPageOut)
@bp.alt_response(404, response="NOT_FOUND")
@public
def list_comments(args, consultation_id: int):
    """Published comments, newest first; ``article`` keeps those on one article, ``q`` those containing it."""
    consultation = services.get_public(consultation_id)
    article_id = None
    if args.get("article") is not None:
        article = next((a for a in consultation.articles if a.number == args["article"]), None)
        if article is None:
            raise ValidationFailed({"article": [_l("This draft has no such article.")]})
        article_id = article.id
    return comment_services.list_published_comments(consultation, article_id=article_id, q=args.get("q"),
                                                    **core_api.cursor_args(args))


@bp.route("/<int:consultation_id>/comments", methods=["POST"])
@bp.arguments(schemas.IdempotencyHeaders, location="headers")
@bp.arguments(schemas.CommentIn)
@bp.response(201, schemas.SubmittedCommentOut, description="The comment was stored; keep its receipt number.")
@bp.alt_response(200, schema=schemas.SubmittedCommentOut, success=True,
                 description="A retry with an Idempotency-Key already used: the first comment's answer, unchanged.")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
@bp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
@limit_comments
def submit_comment(headers, data, consultation_id: int):
    """Send a comment while the period is open (409 otherwise). Contact details are never published."""
    comment, created = comment_services.submit_comment(
        consultation_id,
        comment_services.CommentInput(body=data["body"], article_number=data["article"], display_name=data["name"],
                              contact=data["contact"], consent=data["consent"],
                              idempotency_key=headers["idempotency_key"], send_receipt=data["send_receipt"],
                              source_key=campaigns.request_source_key()),
        now=schemas.request_now(),
    )
    location = url_for("receipts_api.get_receipt", receipt_number=comment.receipt_number)
    return comment, 201 if created else 200, {"Location": location}


@receipts_bp.route("/<receipt_number>", methods=["GET"])
@receipts_bp.response(200, schemas.ReceiptOut)
@receipts_bp.alt_response(404, response="NOT_FOUND")
def get_receipt(receipt_number: str):
    """A comment's status by its receipt number; the reason is given when it was not published."""
    return comment_services.find_by_receipt(receipt_number)


# ---- staff (API token) ---------------------------------------------------------------------------------

_DRAFT_FIELD_NAMES = [f.name for f in dataclass_fields(services.DraftFields)]


@bp.route("", methods=["POST"])
@staff_endpoint(415, 422, authorise=_may_create_drafts)
@bp.arguments(schemas.DraftIn)
@bp.response(201, schemas.StaffConsultationOut)
def create_consultation(data):
    """Create a draft consultation for the token owner's department (administrators name one)."""
    actor = token_user()
    department_id = data.pop("department", None) or actor.department_id
    if department_id is None:
        raise ValidationFailed({"department": [_l("Say which department this consultation belongs to.")]})
    return services.create_draft(services.DraftFields(**data), department_id=department_id, actor=actor,
                                 now=schemas.request_now())


@bp.route("/<int:consultation_id>", methods=["PATCH"])
@staff_endpoint(404, 409, 415)
@bp.arguments(schemas.DraftPatchIn)
@bp.response(200, schemas.StaffConsultationOut)
def update_consultation(data, consultation_id: int):
    """Change a draft; only the fields sent change. A published consultation can no longer be edited (409)."""
    actor = token_user()
    consultation = services.get_for_staff(consultation_id, actor)
    current = {name: getattr(consultation, name) for name in _DRAFT_FIELD_NAMES}
    fields = services.DraftFields(**{**current, **data})
    return services.update_draft(consultation, fields, actor=actor, now=schemas.request_now())


@bp.route("/<int:consultation_id>/publish", methods=["POST"])
@staff_endpoint(404, 409, 422)
@bp.response(200, schemas.StaffConsultationOut)
def publish_consultation(consultation_id: int):
    """Publish a draft; its period must be long enough for its kind or carry a reason (422 otherwise)."""
    actor = token_user()
    consultation = services.get_for_staff(consultation_id, actor)
    return services.publish(consultation, actor=actor, now=schemas.request_now(), config=current_app.config,
                            calendar=load_work_calendar())


@bp.route("/<int:consultation_id>/moderation", methods=["GET"])
@staff_endpoint(404)
@bp.arguments(schemas.ModerationQuery, location="query")
@bp.response(200, schemas.StaffCommentPageOut)
def moderation_queue(args, consultation_id: int):
    """Comments of one moderation status (pending by default), oldest first, with contact details."""
    actor = token_user()
    consultation = services.get_for_staff(consultation_id, actor)
    return comment_services.moderation_queue(consultation, actor=actor, status=args["status"],
                                             **core_api.cursor_args(args))


@bp.route("/<int:consultation_id>/campaigns", methods=["GET"])
@staff_endpoint(404)
@bp.response(200, schemas.SuspectedCampaignListOut)
def suspected_campaigns(consultation_id: int):
    """Texts received at least CAMPAIGN_MIN_COPIES times (suspected campaigns), most copies first: how many
    copies, from how many distinct sources, first and last received, and one copy. Every copy is stored."""
    actor = token_user()
    consultation = services.get_for_staff(consultation_id, actor)
    return {"items": campaigns.campaigns_for_staff(consultation, actor=actor)}


@bp.route("/<int:consultation_id>/moderation", methods=["POST"])
@staff_endpoint(404, 415)
@bp.arguments(schemas.ModerationIn)
@bp.response(200, schemas.ModerationOut)
def moderate_comments(data, consultation_id: int):
    """Approve or reject comments in bulk; a rejection needs the reason its authors will see."""
    actor = token_user()
    consultation = services.get_for_staff(consultation_id, actor)
    comments = comment_services.moderate(consultation, data["comment_ids"], approve=data["decision"] == "approve",
                                 reason=data["reason"], actor=actor, now=schemas.request_now())
    return {"items": comments}
