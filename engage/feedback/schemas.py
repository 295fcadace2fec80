"""marshmallow schemas of the feedback API: what staff send (``*In``) and what clients get (``*Out``).

No public schema carries contact details.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from engage.consultations.models import Channel, Comment
from engage.core.answers import REASON_MAX_LENGTH, AnswerOutcome
from engage.core.inputs import DB_INT_MAX
from engage.core.schemas import (
    MULTILINE,
    ChoiceEnum,
    CursorPageSchema,
    CursorQuerySchema,
    PageQuerySchema,
    PageSchema,
    QueryFlag,
    Schema,
    SearchText,
)
from engage.feedback import grouping_runs
from engage.feedback.models import FeedbackRevision, GroupingRun, GroupKind, GroupStatus, OpinionGroup, RunState
from engage.feedback.services import ANSWERABLE

_SELECTION = _l("Select between {min} and {max} comments.")


# ---- public --------------------------------------------------------------------------------------------


class ReportGroupOut(Schema):
    id = fields.Integer()
    title = fields.String()
    size = fields.Integer(metadata={"description": "Comments in the group"})
    representative = fields.String(metadata={"description": "A comment's text that stands for the group"})
    outcome = fields.String(allow_none=True, metadata={"enum": [o.value for o in AnswerOutcome]})
    reason = fields.String()


class ReportContentOut(Schema):
    title = fields.String()
    total = fields.Integer(metadata={"description": "Comments received (online and offline) that were answered"})
    channels = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={"description": "By channel"})
    outcomes = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={"description": "By answer"})
    individually_answered = fields.Integer(metadata={"description": "Comments answered on their own"})
    explanation = fields.String(metadata={"description": "The department's overall explanation"})
    groups = fields.List(fields.Nested(ReportGroupOut))
    answers_digest = fields.String(metadata={"description": "SHA-256 over every comment's published answer"})


class RevisionOut(Schema):
    class Meta:
        model = FeedbackRevision

    number = fields.Integer()
    published_at = fields.DateTime()
    published_by = fields.String(attribute="published_by_name")
    reason = fields.String(metadata={"description": "Why this correction was made; empty for the first"})
    changes = fields.List(fields.Dict(), metadata={"description": "What changed from the previous revision"})
    previous_hash = fields.String()
    content_hash = fields.String(metadata={"description": "SHA-256 of this revision chained to the previous"})


class ReportOut(RevisionOut):
    consultation_id = fields.Integer()
    content = fields.Nested(ReportContentOut)


class RevisionListOut(Schema):
    consultation_id = fields.Integer()
    revisions = fields.List(fields.Nested(RevisionOut), metadata={"description": "Newest first"})


class VerifyOut(Schema):
    consultation_id = fields.Integer()
    valid = fields.Boolean(metadata={"description": "Whether every stored revision matches its hash chain"})
    revisions_checked = fields.Integer(attribute="checked")
    broken_at = fields.Integer(allow_none=True, metadata={"description": "First revision that does not match"})
    problem = fields.String(metadata={"description": "content, link, missing or answers; empty when valid"})


# ---- staff ---------------------------------------------------------------------------------------------


class GroupIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200,
                                                                  error=_l("Between 1 and 200 characters.")))
    comment_ids = fields.List(fields.Integer(), required=True,
                              validate=validate.Length(min=1, max=100000, error=_SELECTION))


class GroupOut(Schema):
    class Meta:
        model = OpinionGroup

    id = fields.Integer()
    consultation_id = fields.Integer()
    title = fields.String()
    status = fields.Enum(GroupStatus, by_value=True)
    kind = fields.Enum(GroupKind, by_value=True, metadata={"description": "copies (near-identical texts) or theme"})
    keywords = fields.List(fields.String(), metadata={"description": "A theme's top words"})
    size = fields.Integer()
    representative_id = fields.Integer(allow_none=True)
    outcome = fields.Enum(AnswerOutcome, by_value=True, allow_none=True)
    reason = fields.String()


class GroupPageOut(PageSchema):
    items = fields.List(fields.Nested(GroupOut))


class GroupQuery(PageQuerySchema):
    status = ChoiceEnum(GroupStatus, by_value=True, metadata={"description": "Only groups of this status"})


class GroupingRunOut(Schema):
    """A search for similar comments, run by the job queue; ask for it again until its state is done or failed."""

    class Meta:
        model = GroupingRun

    id = fields.Integer()
    kind = fields.Enum(GroupKind, by_value=True, metadata={"description": "What it looks for: copies or themes"})
    state = fields.Enum(RunState, by_value=True,
                        metadata={"description": "queued, running, then done or failed"})
    requested_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    groups_proposed = fields.Integer(allow_none=True, metadata={"description": "Once done: groups proposed"})
    comments_grouped = fields.Integer(allow_none=True, metadata={"description": "Once done: comments in them"})
    error = fields.Function(lambda run: grouping_runs.error_message(run) or None, allow_none=True,
                            metadata={"description": "Once failed: why, in the caller's language"})


class AnswerIn(Schema):
    # Missing or null is left to the answer rule, which says in the request's language to choose an answer.
    outcome = ChoiceEnum(AnswerOutcome, by_value=True, load_default=None, allow_none=True,
                         metadata={"description": "How the opinion was handled"})
    reason = fields.String(load_default="", validate=validate.Length(max=REASON_MAX_LENGTH), metadata=MULTILINE)


class CommentAnswerIn(AnswerIn):
    comment_ids = fields.List(fields.Integer(), required=True,
                              validate=validate.Length(min=1, max=1000, error=_SELECTION))


class AnsweredOut(Schema):
    answered = fields.Integer()


class PublishIn(Schema):
    explanation = fields.String(metadata={"description": "Replaces the drafted overall explanation if given",
                                          **MULTILINE})
    reason = fields.String(load_default="", metadata={"description": "Required for a correction", **MULTILINE})


class FeedbackCommentQuery(CursorQuerySchema):
    article = fields.Integer(validate=validate.Range(min=0, error=_l("Must be at least {min}.")),
                             metadata={"description": "Article number; 0 for comments on the whole draft"})
    answered = fields.String(validate=validate.OneOf(("answered", "unanswered")),
                            metadata={"enum": ["answered", "unanswered"],
                                      "description": "Answered (directly or through the group) or not yet"})
    q = SearchText(validate=validate.Length(max=100, error=_l("At most %(n)d characters.", n=100)),
                   metadata={"description": "Words the comment holds, all of them (segmented by jieba; at least one "
                                            "of two characters or more, else 422). New comments are found a few "
                                            "seconds after they arrive."})
    group = fields.Integer(validate=validate.Range(min=1, max=DB_INT_MAX, error=_l("Must be between {min} and {max}.")),
                           metadata={"description": "Only comments of this opinion group"})
    ungrouped = QueryFlag(load_default=False, metadata={"description": "Only comments in no group"})
    outcome = ChoiceEnum(AnswerOutcome, by_value=True,
                         metadata={"description": "Only comments with this answer, their own or their group's"})
    channel = ChoiceEnum(Channel, by_value=True, metadata={"description": "Only comments received this way"})
    status = fields.String(validate=validate.OneOf([status.value for status in ANSWERABLE],
                                                   error=_l("Must be one of: {choices}.")),
                           metadata={"enum": [status.value for status in ANSWERABLE],
                                     "description": "published, or recorded (offline, not published)"})
    received_from = fields.Date(metadata={"description": "Received on or after this China date (an offline "
                                                         "opinion by the day it reached the department)"})
    received_to = fields.Date(metadata={"description": "Received on or before this China date"})
    sort = fields.String(load_default="oldest", validate=validate.OneOf(("oldest", "newest"),
                                                                        error=_l("Must be one of: {choices}.")),
                         metadata={"enum": ["oldest", "newest"], "description": "Order of arrival, or newest first"})

    @validates_schema
    def _dates_in_order(self, data, **kwargs):
        if data.get("received_from") and data.get("received_to") and data["received_to"] < data["received_from"]:
            raise ValidationError(_("The last day comes before the first."), "received_to")


class FeedbackCommentOut(Schema):
    """A comment to answer as staff see it: no contact details (those are only in the audited download)."""

    class Meta:
        model = Comment

    id = fields.Integer()
    receipt_number = fields.String()
    status = fields.String(attribute="status.value", metadata={"description": "published or recorded (offline)"})
    channel = fields.String(attribute="channel.value")
    received_on = fields.Date(allow_none=True, metadata={"description": "For offline opinions"})
    created_at = fields.DateTime()
    # A dotted attribute would leave the key out for a comment on the whole draft: null says so instead.
    article = fields.Function(lambda c: c.article.number if c.article else None,
                              metadata={"type": "integer", "nullable": True,
                                        "description": "Article number; null for the whole draft"})
    name = fields.String(attribute="display_name")
    body = fields.String()
    group_id = fields.Integer(attribute="opinion_group_id", allow_none=True)
    outcome = fields.Enum(AnswerOutcome, by_value=True, attribute="answer_outcome", allow_none=True,
                          metadata={"description": "The comment's own answer (a group's answer applies otherwise)"})
    reason = fields.String(attribute="answer_reason")
    published_outcome = fields.Enum(AnswerOutcome, by_value=True, allow_none=True,
                                    metadata={"description": "What its author sees since the last publication"})


class FeedbackCommentPageOut(CursorPageSchema):
    items = fields.List(fields.Nested(FeedbackCommentOut))
    total_capped = fields.Boolean(metadata={
        "description": "True when `total` is a lower bound: counting stops at 10,000 matches, or, with filters "
                       "checked row by row, after the first 20,000 comments holding the words"})
