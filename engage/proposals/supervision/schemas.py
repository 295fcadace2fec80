"""marshmallow schemas of the supervision staff API: chasing notices, the reply review, the dashboard."""

from marshmallow import fields, validate

from engage.core.schemas import MULTILINE, Schema
from engage.proposals.supervision.models import ReplyDraft, ReplySignoff, SupervisionStep


class ChaseIn(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                         metadata={"description": "What the unit must do and by when", **MULTILINE})


class ChaseAnswerIn(Schema):
    notice = fields.Integer(required=True, metadata={"description": "Id of the chasing notice answered"})
    text = fields.String(required=True, validate=validate.Length(min=1, max=2000), metadata=MULTILINE)


class ReturnIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                           metadata={"description": "What the unit must change", **MULTILINE})


class SignOffIn(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=2000), metadata=MULTILINE)


class StepOut(Schema):
    class Meta:
        model = SupervisionStep

    id = fields.Integer()
    kind = fields.String()
    round = fields.Integer(attribute="round_number")
    unit = fields.Integer(attribute="department_id")
    text = fields.String()
    at = fields.DateTime()


class ChasingNoticeOut(Schema):
    notice = fields.Nested(StepOut, required=True)
    answer = fields.Nested(StepOut, required=True, allow_none=True)


class SignoffOut(Schema):
    class Meta:
        model = ReplySignoff

    unit = fields.Integer(attribute="department_id")
    requested_at = fields.DateTime()
    signed_at = fields.DateTime()
    note = fields.String()


class ReviewOut(Schema):
    class Meta:
        model = ReplyDraft

    id = fields.Integer()
    round = fields.Integer(attribute="round_number")
    state = fields.String(metadata={"description": "signoff, pending, approved or returned"})
    body = fields.String()
    replied_on = fields.Date()
    outcome = fields.String()
    published = fields.Boolean(attribute="is_published")
    unpublished_reason = fields.String()
    submitted_at = fields.DateTime()
    return_reason = fields.String()
    decided_at = fields.DateTime()
    reply_id = fields.Integer(metadata={"description": "The case's reply made from it when approved"})
    signoffs = fields.List(fields.Nested(SignoffOut))


class SupervisionOut(Schema):
    """A case's supervision: its review (the open one, else the latest), chasing notices, every 督办 step."""

    case = fields.Integer(required=True)
    review_required = fields.Boolean(required=True)
    review = fields.Nested(ReviewOut, required=True, allow_none=True)
    chasing_notices = fields.List(fields.Nested(ChasingNoticeOut), required=True)
    steps = fields.List(fields.Nested(StepOut), required=True)


class UnitFiguresOut(Schema):
    unit = fields.Integer(required=True)
    name = fields.String(required=True)
    overdue = fields.Integer(required=True)
    overdue_by_days = fields.List(fields.Integer(), required=True,
                                  metadata={"description": "Overdue cases by lateness: 1–7, 8–30, 31–90, over 90 "
                                                           "days"})
    due_soon = fields.Integer(required=True)
    review = fields.Integer(required=True)
    ratings = fields.Integer(required=True)
    reminders = fields.Integer(required=True, metadata={"description": "Reminders sent in the last 30 days"})


class DashboardOut(Schema):
    units = fields.List(fields.Nested(UnitFiguresOut), required=True)
    under_review = fields.List(fields.Integer(), required=True, metadata={"description": "Case ids"})
    notices = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                          metadata={"description": "Notices to units in the last 30 days, by kind"})
    chasing_notices = fields.List(fields.Nested(ChasingNoticeOut), required=True)
