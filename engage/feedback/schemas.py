"""marshmallow schemas of the feedback API: what staff send (``*In``) and what clients get (``*Out``).

No public schema carries contact details.
"""

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from engage.core.answers import REASON_MAX_LENGTH, AnswerOutcome
from engage.core.schemas import PageQuerySchema, PageSchema
from engage.feedback.models import GroupStatus

_OUTCOME = fields.Enum(AnswerOutcome, by_value=True, metadata={"description": "How the opinion was handled"})


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
    comment_ids = fields.List(fields.Integer(), required=True, validate=validate.Length(min=1, max=100000))


class GroupOut(Schema):
    id = fields.Integer()
    consultation_id = fields.Integer()
    title = fields.String()
    status = fields.Enum(GroupStatus, by_value=True)
    size = fields.Integer()
    representative_id = fields.Integer(allow_none=True)
    outcome = fields.Enum(AnswerOutcome, by_value=True, allow_none=True)
    reason = fields.String()


class GroupPageOut(PageSchema):
    items = fields.List(fields.Nested(GroupOut))


class GroupQuery(PageQuerySchema):
    status = fields.Enum(GroupStatus, by_value=True, metadata={"description": "Only groups of this status"})


class GroupingProposalOut(Schema):
    proposed = fields.Integer(metadata={"description": "Groups proposed"})
    grouped_comments = fields.Integer()


class AnswerIn(Schema):
    outcome = _OUTCOME
    reason = fields.String(load_default="", validate=validate.Length(max=REASON_MAX_LENGTH))


class CommentAnswerIn(AnswerIn):
    comment_ids = fields.List(fields.Integer(), required=True, validate=validate.Length(min=1, max=1000))


class AnsweredOut(Schema):
    answered = fields.Integer()


class PublishIn(Schema):
    explanation = fields.String(metadata={"description": "Replaces the drafted overall explanation if given"})
    reason = fields.String(load_default="", metadata={"description": "Required for a correction"})
