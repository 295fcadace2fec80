"""marshmallow schemas of the staff API: what registering, assigning, replying and rating take and answer."""

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from engage.core.schemas import MULTILINE, Schema, StrictBoolean
from engage.proposals import rules
from engage.proposals.models import Proposal, ProposalUnit, Proposer, Rating, Reply

# marshmallow's own messages for these are English only; API clients get them in the request's language.
UNIT_LIST_ERRORS = {"invalid": _l("Give a list of department ids, e.g. [3, 5].")}


class ProposerIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    affiliation = fields.String(load_default="", validate=validate.Length(max=100),
                                metadata={"description": "Delegation or sector (代表团 / 界别)"})
    phone = fields.String(load_default="", validate=validate.Length(max=40), metadata={"description": "Private"})
    email = fields.String(load_default="", validate=validate.Length(max=254), metadata={"description": "Private"})
    address = fields.String(load_default="", validate=validate.Length(max=300), metadata={"description": "Private"})


class CaseIn(Schema):
    """A case to register."""

    kind = fields.String(required=True, validate=validate.OneOf(rules.KINDS),
                         metadata={"description": "suggestion (人大代表建议) or proposal (政协委员提案)"})
    session = fields.String(required=True, validate=validate.Length(min=1, max=100),
                            metadata={"description": "Session name, e.g. 第十八届人大第三次会议"})
    number = fields.String(required=True, validate=validate.Length(min=1, max=30))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    body = fields.String(load_default="", validate=validate.Length(max=50000), metadata=MULTILINE)
    category = fields.String(load_default="", validate=validate.Length(max=100))
    proposers = fields.List(fields.Nested(ProposerIn), required=True, validate=validate.Length(min=1),
                            error_messages={"invalid": _l("Give a list of proposers, the lead proposer first.")},
                            metadata={"description": "The lead proposer first, then co-signers"})


class AssignIn(Schema):
    lead_units = fields.List(fields.Integer(), required=True, validate=validate.Length(min=1),
                             error_messages=UNIT_LIST_ERRORS,
                             metadata={"description": "Department ids of the lead unit(s)"})
    co_units = fields.List(fields.Integer(), load_default=list, error_messages=UNIT_LIST_ERRORS,
                           metadata={"description": "Department ids"})
    assigned_on = fields.Date(load_default=None,
                              metadata={"description": "Assignment date, not in the future; default today"})


class ReplyIn(Schema):
    body = fields.String(required=True, validate=validate.Length(min=1, max=20000), metadata=MULTILINE)
    replied_on = fields.Date(load_default=None,
                             metadata={"description": "Default today; not before the current round began"})
    outcome = fields.String(required=True, metadata={"description": "Outcome class code (configured per kind)"})
    published = StrictBoolean(load_default=True)
    unpublished_reason = fields.String(load_default="", validate=validate.Length(max=2000),
                                       metadata={"description": "Required when not published", **MULTILINE})


class RatingIn(Schema):
    proposer = fields.Integer(required=True, metadata={"description": "Proposer id"})
    satisfaction = fields.String(required=True, validate=validate.OneOf(rules.SATISFACTIONS))
    comments = fields.String(load_default="", validate=validate.Length(max=5000),
                             metadata={"description": "Required when unsatisfied", **MULTILINE})


class StaffUnitOut(Schema):
    class Meta:
        model = ProposalUnit

    id = fields.Integer(attribute="department_id")
    name = fields.Function(lambda unit: unit.department.name)
    role = fields.String()
    opinion_due_on = fields.Date()


class StaffProposerOut(Schema):
    class Meta:
        model = Proposer

    id = fields.Integer()
    name = fields.String()
    is_lead = fields.Boolean()
    affiliation = fields.String()
    phone = fields.String()
    email = fields.String()
    address = fields.String()


class StaffReplyOut(Schema):
    class Meta:
        model = Reply

    id = fields.Integer()
    round = fields.Integer(attribute="round_number")
    body = fields.String()
    replied_on = fields.Date()
    signing_unit = fields.Function(lambda reply: reply.signing_unit.name)
    outcome = fields.String()
    published = fields.Boolean(attribute="is_published")
    unpublished_reason = fields.String()


class StaffRatingOut(Schema):
    class Meta:
        model = Rating

    id = fields.Integer()
    proposer = fields.Integer(attribute="proposer_id")
    round = fields.Integer(attribute="round_number")
    satisfaction = fields.String()
    comments = fields.String()
    rated_at = fields.DateTime()


class StaffCaseOut(Schema):
    """A case as its handling units and the supervising office see it, contact details included."""

    class Meta:
        model = Proposal

    id = fields.Integer()
    kind = fields.String()
    session = fields.Function(lambda case: case.session.name)
    number = fields.String()
    title = fields.String()
    body = fields.String()
    category = fields.String()
    status = fields.String()
    round = fields.Integer(attribute="round_number")
    assigned_on = fields.Date()
    due_on = fields.Date()
    extension_reason = fields.String()
    units = fields.List(fields.Nested(StaffUnitOut))
    proposers = fields.List(fields.Nested(StaffProposerOut))
    replies = fields.List(fields.Nested(StaffReplyOut))
    ratings = fields.List(fields.Nested(StaffRatingOut))
