"""marshmallow schemas of publishing a session's handling figures (staff API)."""

from marshmallow import fields, validate

from engage.core.schemas import MULTILINE, Schema
from engage.proposals.publication.models import FiguresPublication
from engage.proposals.publication.services import NOTE_MAX

_COUNT_DICT = {"keys": fields.String(), "values": fields.Integer()}


class PublishFiguresIn(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=NOTE_MAX),
                         metadata={"description": "The office's summary of the handling, shown with the figures",
                                   **MULTILINE})


class PublishedCountsOut(Schema):
    assigned = fields.Integer(required=True, metadata={"description": "Cases led (the total counts each case once)"})
    co_handled = fields.Integer(required=True)
    replied = fields.Integer(required=True)
    on_time = fields.Integer(required=True)
    overdue = fields.Integer(required=True, metadata={"description": "Owed a reply and past the due date that day"})
    outcomes = fields.Dict(required=True, **_COUNT_DICT, metadata={"description": "Outcome class code -> cases"})
    ratings = fields.Dict(required=True, **_COUNT_DICT,
                          metadata={"description": "satisfied / basically_satisfied / unsatisfied -> ratings"})


class PublishedUnitCountsOut(PublishedCountsOut):
    unit_id = fields.Integer(required=True)
    name = fields.String(required=True, metadata={"description": "The unit's name on the day of publication"})
    name_en = fields.String(required=True)


class PublishedFiguresOut(Schema):
    kinds = fields.List(fields.String(), required=True)
    total = fields.Nested(PublishedCountsOut, required=True)
    units = fields.List(fields.Nested(PublishedUnitCountsOut), required=True)


class FiguresPublicationOut(Schema):
    class Meta:
        model = FiguresPublication

    id = fields.Integer()
    session = fields.Integer(attribute="session_id")
    published_on = fields.Date(metadata={"description": "The China date the statement is dated and counted on"})
    published_at = fields.DateTime()
    note = fields.String()
    figures = fields.Nested(PublishedFiguresOut)


class FiguresPublicationListOut(Schema):
    items = fields.List(fields.Nested(FiguresPublicationOut), required=True,
                        metadata={"description": "Every publication of the session, the latest first"})
