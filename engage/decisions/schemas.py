"""marshmallow schemas of the decisions API (answers only: the API reads, staff link decisions on their pages)."""

from flask import url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from engage.core.schemas import DepartmentOut, Embedded, Schema, SearchText, request_now
from engage.core.timeutil import china_date
from engage.decisions import rules, timing
from engage.decisions.models import CatalogueChange, CatalogueEntry, ChangeKind, Decision, EntryStatus


class PlannedTimingOut(Schema):
    """A year with its quarter or its month (the other one null)."""

    year = fields.Integer()
    quarter = fields.Integer(allow_none=True, metadata={"description": "1 to 4, or null when a month is given"})
    month = fields.Integer(allow_none=True, metadata={"description": "1 to 12, or null when a quarter is given"})


def _planned(record) -> dict | None:
    return PlannedTimingOut().dump(record.planned) if record.planned.is_given else None


def _planned_words(record) -> str:
    return timing.describe(record.planned, str(get_locale()), record.planned_timing)


PLANNED_META = {"type": "object", "nullable": True,
                "description": "year with quarter or month; null for old words that could not be read"}
PLANNED_WORDS_META = {"type": "string",
                      "description": "The planned timing worded in the request's language (or the old words as typed)"}


def _file_url(stored) -> str | None:
    return url_for("decisions.decision_file", file_id=stored.id, _external=True) if stored else None


class InterpretationOut(Schema):
    class Meta:
        model = Decision

    state = fields.Function(
        lambda d: d.interpretation_state(china_date(request_now())),
        metadata={"type": "string", "enum": [rules.ON_TIME, rules.DUE, rules.LATE],
                  "description": "on_time: published by the deadline; due: not yet, deadline ahead; late: missing "
                                 "past the deadline, or published after it"},
    )
    due_on = fields.Date(attribute="interpretation_due_on",
                         metadata={"description": "Last day (China date), counted in working days"})
    published_on = fields.Date(attribute="interpreted_on", allow_none=True,
                               metadata={"description": "Null while the interpretation is not published"})
    title = fields.String(attribute="interpretation_title")
    url = fields.Function(lambda d: d.interpretation_url or None,
                          metadata={"type": "string", "nullable": True, "description": "Where it is published"})
    file_url = fields.Function(lambda d: _file_url(d.interpretation_file),
                               metadata={"type": "string", "nullable": True, "description": "The uploaded document"})


class DecisionOut(Schema):
    class Meta:
        model = Decision

    consultation_id = fields.Integer()
    title = fields.String()
    document_number = fields.String(metadata={"description": "文号"})
    published_on = fields.Date(metadata={"description": "Publication date (China date)"})
    url = fields.Function(lambda d: d.url or None,
                          metadata={"type": "string", "nullable": True, "description": "Where it is published"})
    file_url = fields.Function(lambda d: _file_url(d.file),
                               metadata={"type": "string", "nullable": True, "description": "The uploaded document"})
    interpretation = Embedded(InterpretationOut, metadata={"description": "The policy interpretation (政策解读)"})


class CatalogueChangeOut(Schema):
    class Meta:
        model = CatalogueChange

    change = fields.Enum(ChangeKind, by_value=True)
    reason = fields.String(metadata={"description": "Published with the change"})
    planned = fields.Function(_planned, metadata={**PLANNED_META, "description": "The planned timing once the change "
                                                  "was made: " + PLANNED_META["description"]})
    planned_timing = fields.Function(_planned_words, metadata=PLANNED_WORDS_META)
    at = fields.DateTime(attribute="created_at")


class DeliberationOut(Schema):
    class Meta:
        model = CatalogueEntry

    meeting = fields.String()
    date = fields.Date(attribute="deliberated_on")
    outcome = fields.String(attribute="deliberation_outcome")


def _consultation_url(row) -> str | None:
    if row.consultation is None:
        return None
    return url_for("consultations.detail", consultation_id=row.consultation.id, _external=True)


def _report_url(row) -> str | None:
    return url_for("feedback.report", consultation_id=row.consultation.id, _external=True) if row.has_report else None


class CatalogueEntryOut(Schema):
    """One entry with its progress (made from a ``catalogue.EntryProgress``)."""

    id = fields.Integer(attribute="entry.id")
    name = fields.String(attribute="entry.name")
    department = fields.Nested(DepartmentOut, attribute="entry.department")
    planned = fields.Function(lambda row: _planned(row.entry), metadata=PLANNED_META)
    planned_timing = fields.Function(lambda row: _planned_words(row.entry), metadata=PLANNED_WORDS_META)
    status = fields.Enum(EntryStatus, by_value=True, attribute="entry.status")
    consultation_url = fields.Function(_consultation_url, metadata={
        "type": "string", "nullable": True, "description": "The draft put out for comment, once published"})
    feedback_report_url = fields.Function(_report_url, metadata={
        "type": "string", "nullable": True, "description": "Its feedback report, once published"})
    deliberation = fields.Function(
        lambda row: DeliberationOut().dump(row.entry) if row.entry.deliberated_on else None,
        metadata={"type": "object", "nullable": True, "description": "meeting, date and outcome"})
    decision = fields.Nested(DecisionOut, allow_none=True, metadata={"description": "The final decision, once linked"})
    changes = fields.List(fields.Nested(CatalogueChangeOut), attribute="entry.changes",
                          metadata={"description": "Every change with its reason, oldest first"})


class CatalogueQuery(Schema):
    region = SearchText(validate=validate.Length(max=40, error=_l("At most %(n)d characters.", n=40)), metadata={
        "description": "Only the entries of departments of this region (its short name, see /api/v1/regions) and "
                       "every region below it"})


class CatalogueOut(Schema):
    year = fields.Integer()
    entries = fields.List(fields.Nested(CatalogueEntryOut))
