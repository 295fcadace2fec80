"""marshmallow schemas of the public proposals API: the queries clients send and the answers they get.

Public answers never carry a proposer's contact details (phone, e-mail, address): ``PublicProposerOut`` lists the
public fields only, and a reply that was not published gives neither its text nor its outcome class.
"""

from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from engage.core.schemas import PageQuerySchema, PageSchema, Schema, SearchText, request_now
from engage.core.timeutil import china_date
from engage.proposals import rules
from engage.proposals.models import Proposal, Reply
from engage.proposals.public_services import QUERY_MAX


def _today():
    return china_date(request_now())


# ---- queries -------------------------------------------------------------------------------------------


class ProposalQuery(PageQuerySchema):
    kind = fields.String(
        validate=validate.OneOf(rules.KINDS, error=_l("Unknown kind: use suggestion or proposal.")),
        metadata={"description": "suggestion (人大代表建议) or proposal (政协委员提案)"},
    )
    session = fields.Integer(metadata={"description": "Only cases of this session (its id)"})
    unit = fields.Integer(metadata={"description": "Only cases this unit handles, as lead unit or co-unit (its id)"})
    region = SearchText(validate=validate.Length(max=40, error=_l("At most %(n)d characters.", n=40)), metadata={
        "description": "Only cases of sessions held at this region (its short name, see /api/v1/regions) or any "
                       "region below it"})
    status = fields.String(validate=validate.OneOf(rules.STATUSES, error=_l("Unknown status.")),
                           metadata={"description": "Only cases with this status"})
    outcome = fields.String(validate=validate.Length(max=20),
                            metadata={"description": "Only cases whose published reply has this outcome class code"})
    q = SearchText(
        validate=validate.Length(max=QUERY_MAX, error=_l("At most %(n)d characters.", n=QUERY_MAX)),
        metadata={"description": "Text searched for in titles, numbers, lead proposers and categories (substring)"},
    )


class StatsQuery(Schema):
    session = fields.Integer(metadata={"description": "The session (its id); the latest when left out"})
    kind = fields.String(
        validate=validate.OneOf(rules.KINDS, error=_l("Unknown kind: use suggestion or proposal.")),
        metadata={"description": "Only this kind of case; both when left out"},
    )


# ---- answers -------------------------------------------------------------------------------------------


class PublicUnitOut(Schema):
    id = fields.Integer()
    name = fields.String()
    name_en = fields.String()


class HandlingUnitOut(Schema):
    unit = fields.Nested(PublicUnitOut, attribute="department")
    role = fields.String(metadata={"description": "lead (主办单位) or co (协办单位)"})


class ProposalSessionOut(Schema):
    id = fields.Integer()
    name = fields.String()


class PublicProposerOut(Schema):
    """A proposer's public side: never contact details."""

    name = fields.String()
    affiliation = fields.String(metadata={"description": "Delegation or sector (代表团 / 界别)"})
    is_lead = fields.Boolean()


class ProposalSummaryOut(Schema):
    class Meta:
        model = Proposal

    id = fields.Integer()
    kind = fields.String()
    session = fields.Nested(ProposalSessionOut)
    number = fields.String()
    title = fields.String()
    category = fields.String()
    status = fields.String()
    lead_proposer = fields.String(attribute="lead_proposer_name")
    units = fields.List(fields.Nested(HandlingUnitOut))
    assigned_on = fields.Date(allow_none=True)
    due_on = fields.Date(allow_none=True, metadata={"description": "Due date of the current round"})
    overdue = fields.Function(lambda p: p.is_overdue(_today()),
                              metadata={"description": "Still owed a reply and past its due date (China date)"})
    round = fields.Integer(attribute="round_number")
    replied_on = fields.Date(allow_none=True, metadata={"description": "Date of the latest reply"})
    outcome = fields.Function(lambda p: p.outcome if p.reply_published else None,
                              metadata={"description": "Outcome class of the latest reply, when it is published"})
    satisfaction = fields.Function(lambda p: p.satisfaction.value if p.satisfaction else None,
                                   metadata={"description": "The least satisfied rating of the current round"})


class ProposalPageOut(PageSchema):
    items = fields.List(fields.Nested(ProposalSummaryOut))


class PublicReplyOut(Schema):
    class Meta:
        model = Reply

    round = fields.Integer(attribute="round_number")
    replied_on = fields.Date()
    signing_unit = fields.Nested(PublicUnitOut)
    published = fields.Boolean(attribute="is_published")
    outcome = fields.Function(lambda r: r.outcome if r.is_published else None)
    body = fields.Function(lambda r: r.body if r.is_published else None,
                           metadata={"description": "The full text; null when the reply is not published"})
    unpublished_reason = fields.Function(lambda r: None if r.is_published else r.unpublished_reason,
                                         metadata={"description": "Why the reply is not published"})
    pdf_url = fields.Function(
        lambda r: url_for("proposals.reply_pdf", reply_id=r.id) if r.is_published and r.pdf_stored_name else None,
        metadata={"description": "The signed reply as PDF, when one is attached to a published reply"},
    )


class ProposalTimelineEntryOut(Schema):
    at = fields.Function(lambda e: e.at.isoformat(),
                         metadata={"description": "A moment (UTC) for status changes and ratings, a day otherwise; "
                                                "the assignment is dated by its assignment date (交办日期)"})
    kind = fields.String(metadata={"description": "status, round (re-handling began), reply or rating"})
    round = fields.Integer(attribute="round_number")
    status = fields.String(allow_none=True)
    action = fields.String(metadata={"description": "For status entries: register, assign, reassign or start"})
    due_on = fields.Date(allow_none=True)
    satisfaction = fields.String(allow_none=True)
    proposer = fields.String(attribute="proposer_name")
    reply_published = fields.Function(lambda e: e.reply.is_published if e.reply else None)


class ProposalOut(ProposalSummaryOut):
    body = fields.String()
    proposers = fields.List(fields.Nested(PublicProposerOut))
    extension_reason = fields.String(metadata={"description": "Why the current round was given more time"})
    reply = fields.Nested(PublicReplyOut, attribute="published_reply", allow_none=True,
                          metadata={"description": "The latest published reply in full"})
    replies = fields.List(fields.Nested(PublicReplyOut), metadata={"description": "Every reply, oldest first"})
    timeline = fields.List(fields.Nested(ProposalTimelineEntryOut))


class ProposalFiguresOut(Schema):
    unit = fields.Nested(PublicUnitOut, allow_none=True)
    assigned = fields.Integer(metadata={"description": "Cases led (the totals count each case once)"})
    co_handled = fields.Integer()
    replied = fields.Integer()
    on_time = fields.Integer()
    late = fields.Integer()
    overdue = fields.Integer(metadata={"description": "Still owed a reply and past the due date today"})
    outcomes = fields.Dict(keys=fields.String(), values=fields.Integer(),
                           metadata={"description": "Outcome class code -> cases"})
    ratings = fields.Dict(keys=fields.String(), values=fields.Integer(),
                          metadata={"description": "satisfied / basically_satisfied / unsatisfied -> ratings"})
    satisfaction_rate = fields.Float(allow_none=True,
                                     metadata={"description": "Share of ratings satisfied or basically satisfied"})


class ProposalStatsOut(Schema):
    session = fields.Nested(ProposalSessionOut)
    kind = fields.String(allow_none=True)
    date = fields.Date(metadata={"description": "The China date the figures are counted on"})
    units = fields.List(fields.Nested(ProposalFiguresOut))
    total = fields.Nested(ProposalFiguresOut)
