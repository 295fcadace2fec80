"""marshmallow schemas of the consultations API: what clients send (``*In``) and what they get (``*Out``).

Contact details appear only in the staff schemas; every public schema leaves them out on purpose.
"""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, ValidationError, fields, post_load, validate

from engage.consultations import rules
from engage.consultations.models import Comment, CommentStatus, Consultation, ConsultationKind, ModerationMode
from engage.core.schemas import (
    MULTILINE,
    ChoiceEnum,
    CursorPageSchema,
    CursorQuerySchema,
    DepartmentOut,
    Embedded,
    PageQuerySchema,
    PageSchema,
    Schema,
    SearchText,
    StrictBoolean,
    request_now,
)
from engage.core.timeutil import CHINA_TZ
from engage.feedback import services as feedback_services


def _text(max_length: int, *, field=fields.String, **kwargs):
    message = _l("At most %(n)d characters.", n=max_length)
    return field(validate=validate.Length(max=max_length, error=message), **kwargs)


# ---- queries -------------------------------------------------------------------------------------------


class ConsultationQuery(PageQuerySchema):
    status = fields.String(
        validate=validate.OneOf(rules.PUBLIC_STATUSES, error=_l("Unknown status.")),
        metadata={"description": "Only consultations with this public status"},
    )
    department = fields.Integer(metadata={"description": "Only consultations of this department (its id)"})
    q = _text(100, field=SearchText,
              metadata={"description": "Text searched for inside titles and summaries (substring)"})


class CommentQuery(CursorQuerySchema):
    article = fields.Integer(metadata={"description": "Only comments on this article number"})
    q = SearchText(
        validate=validate.Length(min=rules.COMMENT_SEARCH_MIN_LENGTH, max=rules.COMMENT_SEARCH_MAX_LENGTH,
                                 error=_l("Enter between %(min)d and %(max)d characters to search for.",
                                          min=rules.COMMENT_SEARCH_MIN_LENGTH, max=rules.COMMENT_SEARCH_MAX_LENGTH)),
        metadata={"description": "Only comments containing these characters exactly (a substring, at least two "
                                 "characters: 垃圾 finds 生活垃圾分类)"},
    )

    @post_load
    def _strip_search(self, data, **kwargs):
        if "q" in data:
            data["q"] = data["q"].strip()
            if len(data["q"]) < rules.COMMENT_SEARCH_MIN_LENGTH:
                raise ValidationError(_("Enter between %(min)d and %(max)d characters to search for.",
                                        min=rules.COMMENT_SEARCH_MIN_LENGTH, max=rules.COMMENT_SEARCH_MAX_LENGTH),
                                      field_name="q")
        return data


class ModerationQuery(CursorQuerySchema):
    status = ChoiceEnum(CommentStatus, by_value=True, load_default=CommentStatus.PENDING,
                         metadata={"description": "Which comments to list; pending by default"})


class IdempotencyHeaders(Schema):
    class Meta:
        unknown = EXCLUDE

    idempotency_key = _text(
        100, data_key="Idempotency-Key", load_default=None,
        metadata={"description": "Any unique string (a UUID). Sending the same key again returns the first "
                                 "answer instead of storing a second comment."},
    )


# ---- public answers ------------------------------------------------------------------------------------


class PeriodOut(Schema):
    class Meta:
        model = Consultation

    opens_at = fields.DateTime(metadata={"description": "Comments are accepted from this moment (UTC)"})
    closes_at = fields.DateTime(metadata={"description": "Comments are refused from this moment on (UTC)"})
    days_left = fields.Function(
        lambda c: rules.days_left(c.closes_at, request_now()) if c.is_open(request_now()) else None,
        metadata={"type": "integer", "nullable": True, "description": "Calendar days left while open"},
    )
    short_period_reason = fields.String(metadata={"description": "Why the period is shorter than the minimum"})


class CountsOut(Schema):
    comments = fields.Integer(attribute="published_comment_count", metadata={"description": "Published comments"})
    received = fields.Integer(attribute="comment_count", metadata={"description": "All comments received"})


class ArticleOut(Schema):
    number = fields.Integer()
    label = fields.String(metadata={"description": "The heading as written, e.g. 第三条"})
    chapter = fields.String(metadata={"description": "Chapter heading starting before this article"})
    body = fields.String()
    comments = fields.Integer(attribute="published_comment_count",
                              metadata={"description": "Published comments on this article (list them with "
                                                       "comments?article=number)"})


class AttachmentOut(Schema):
    name = fields.String(attribute="original_name")
    url = fields.Function(lambda a: url_for("consultations.attachment", attachment_id=a.id, _external=True))
    type = fields.String(attribute="content_type")
    size = fields.Integer(metadata={"description": "Bytes"})


_STATUS = fields.Function(
    lambda c: c.status(request_now()),
    metadata={"type": "string", "enum": [rules.DRAFT, *rules.PUBLIC_STATUSES],
              "description": "Public status; draft only in staff answers"},
)


class ConsultationSummaryOut(Schema):
    class Meta:
        model = Consultation

    id = fields.Integer()
    title = fields.String()
    summary = fields.String()
    kind = fields.Enum(ConsultationKind, by_value=True)
    status = _STATUS
    department = fields.Nested(DepartmentOut)
    period = Embedded(PeriodOut)
    counts = Embedded(CountsOut)
    url = fields.Function(lambda c: url_for("consultations.detail", consultation_id=c.id, _external=True),
                          metadata={"description": "The consultation's page"})


class ConsultationOut(ConsultationSummaryOut):
    preamble = fields.String(metadata={"description": "Text before the first article"})
    articles = fields.List(fields.Nested(ArticleOut))
    basis = fields.String(metadata={"description": "Basis for the decision (决策依据)"})
    explanation = fields.String(metadata={"description": "Drafting explanation (起草说明)"})
    contact_channels = fields.String(metadata={"description": "Other ways to send comments"})
    attachments = fields.List(fields.Nested(AttachmentOut))
    moderation = fields.Enum(ModerationMode, by_value=True,
                             metadata={"description": "immediate: comments appear at once; review: after review"})


class ConsultationPageOut(PageSchema):
    items = fields.List(fields.Nested(ConsultationSummaryOut))


class CommentOut(Schema):
    class Meta:
        model = Comment

    id = fields.Integer()
    body = fields.String(metadata={"description": "Exactly as typed; plain text, never HTML"})
    name = fields.Function(lambda c: c.display_name or None,
                           metadata={"type": "string", "nullable": True, "description": "null when anonymous"})
    article = fields.Function(lambda c: c.article.number if c.article else None,
                              metadata={"type": "integer", "nullable": True,
                                        "description": "Article number; null for the whole draft"})
    created_at = fields.DateTime()


class CommentPageOut(CursorPageSchema):
    items = fields.List(fields.Nested(CommentOut))


class ConsultationRefOut(Schema):
    id = fields.Integer()
    title = fields.String()


class SubmittedCommentOut(Schema):
    receipt_number = fields.String(metadata={"description": "Keep it: it shows the comment's status later"})
    status = fields.Enum(CommentStatus, by_value=True, metadata={"description": "published or pending"})
    consultation = fields.Nested(ConsultationRefOut)


class AnswerGroupOut(Schema):
    id = fields.Integer()
    title = fields.String()
    url = fields.Function(lambda g: url_for("feedback.report", consultation_id=g["consultation_id"],
                                            page=g["page"] if g["page"] > 1 else None, _anchor=f"group-{g['id']}",
                                            _external=True),
                          metadata={"description": "The group in the report: the page it is on, and its anchor"})


def _published_group(comment):
    group = feedback_services.published_group_of(comment)
    return AnswerGroupOut().dump(dict(group, consultation_id=comment.consultation_id)) if group else None


class AnswerOut(Schema):
    outcome = fields.String(attribute="published_outcome", metadata={
        "enum": ["adopted", "partly_adopted", "not_adopted", "out_of_scope"]})
    reason = fields.String(attribute="published_reason", metadata={
        "description": "Why, for anything short of adoption; how it was taken up, for an adoption (may be empty)"})
    group = fields.Function(_published_group, metadata={
        "type": "object", "nullable": True,
        "description": "The opinion group (id, title, url) it was merged into, as the report lists it"})
    report_url = fields.Function(lambda c: url_for("feedback.report", consultation_id=c.consultation_id,
                                                   _external=True))


def published_answer(comment):
    """The answer its author may see: only once the feedback report is published."""
    published = comment.consultation.stage in ("feedback_published", "decided")
    return AnswerOut().dump(comment) if published and comment.published_outcome else None


class ReceiptOut(CommentOut):
    receipt_number = fields.String()
    status = fields.Enum(CommentStatus, by_value=True)
    consultation = fields.Nested(ConsultationRefOut)
    rejection_reason = fields.Function(
        lambda c: c.rejection_reason if c.status == CommentStatus.REJECTED else None,
        metadata={"type": "string", "nullable": True, "description": "Why it was not published"},
    )
    answer = fields.Function(published_answer, metadata={
        "type": "object", "nullable": True,
        "description": "The department's answer (outcome, reason, group, report_url), once its feedback report is "
                       "published",
    })


# ---- comments sent by the public -----------------------------------------------------------------------


class CommentIn(Schema):
    body = fields.String(
        required=True,
        validate=validate.Length(min=1, max=rules.COMMENT_MAX_LENGTH,
                                 error=_l("Between %(min)d and %(max)d characters.",
                                          min=1, max=rules.COMMENT_MAX_LENGTH)),
        metadata=MULTILINE,
    )
    article = fields.Integer(allow_none=True, load_default=None,
                             metadata={"description": "Article number; omit for the whole draft"})
    name = _text(50, load_default="", metadata={"description": "Name to show; empty for anonymous"})
    contact = _text(254, load_default="", metadata={"description": "Phone or e-mail; never shown publicly"})
    consent = StrictBoolean(load_default=False, metadata={
        "description": "Required with a contact: it is kept only to tell the author about this comment (the receipt "
                       "when asked for, why it was not published, its answer, the final decision), never shown"
    })
    send_receipt = StrictBoolean(load_default=False, metadata={
        "description": "Send the receipt number to the contact (a mobile number or an e-mail address) as well"
    })


# ---- staff ---------------------------------------------------------------------------------------------


class DraftPatchIn(Schema):
    """Changes to a draft: only the fields sent are changed. Times without a zone are China time."""

    title = fields.String(validate=validate.Length(min=1, max=200))
    kind = ChoiceEnum(ConsultationKind, by_value=True)
    summary = fields.String(metadata=MULTILINE)
    draft_text = fields.String(metadata={"description": "The draft; split into articles (第X条) on save", **MULTILINE})
    basis = fields.String(metadata=MULTILINE)
    explanation = fields.String(metadata=MULTILINE)
    contact_channels = fields.String(metadata=MULTILINE)
    opens_at = fields.AwareDateTime(default_timezone=CHINA_TZ, allow_none=True)
    closes_at = fields.AwareDateTime(default_timezone=CHINA_TZ, allow_none=True)
    short_period_reason = fields.String(metadata={"description": "Needed when the period is below the minimum",
                                                  **MULTILINE})
    moderation = ChoiceEnum(ModerationMode, by_value=True)


class DraftIn(DraftPatchIn):
    """A new draft consultation."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = ChoiceEnum(ConsultationKind, by_value=True, required=True)
    department = fields.Integer(metadata={"description": "Department id; defaults to the token owner's"})


class StaffConsultationOut(ConsultationOut):
    stage = fields.String()
    draft_text = fields.String()
    published_at = fields.DateTime()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class StaffCommentOut(CommentOut):
    receipt_number = fields.String()
    status = fields.Enum(CommentStatus, by_value=True)
    contact = fields.String(metadata={"description": "Given with consent; for replying only"})
    consented_at = fields.DateTime()
    rejection_reason = fields.String()
    moderated_at = fields.DateTime()
    channel = fields.String()


class StaffCommentPageOut(CursorPageSchema):
    items = fields.List(fields.Nested(StaffCommentOut))


class SuspectedCampaignOut(Schema):
    fingerprint = fields.String(metadata={"description": "The text's fingerprint (spacing and punctuation left out)"})
    copies = fields.Integer()
    sources = fields.Integer(metadata={"description": "Distinct addresses the copies came from"})
    first_at = fields.DateTime()
    last_at = fields.DateTime()
    sample = fields.String(metadata={"description": "The first copy's text (up to 300 characters)"})
    receipt_number = fields.String(metadata={"description": "The first copy's receipt number"})


class SuspectedCampaignListOut(Schema):
    items = fields.List(fields.Nested(SuspectedCampaignOut))


class ModerationIn(Schema):
    comment_ids = fields.List(fields.Integer(), required=True, validate=validate.Length(min=1, max=500))
    decision = fields.String(required=True, validate=validate.OneOf(["approve", "reject"]))
    reason = _text(2000, load_default="",
                   metadata={"description": "Required to reject; shown to the authors", **MULTILINE})


class ModerationOut(Schema):
    items = fields.List(fields.Nested(StaffCommentOut))
