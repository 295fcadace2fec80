"""Forms of the staff pages: drafting a consultation, attaching files, publishing, moderating comments."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateTimeLocalField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional

from engage.consultations.models import CommentStatus, ConsultationKind, ModerationMode
from engage.consultations.services import DraftFields
from engage.core.forms import FlaskForm
from engage.core.timeutil import from_china, to_china

#: what a ``datetime-local`` input sends (browsers omit the seconds), and what it is given back
DATETIME_LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]

MODERATION_CHOICES = [
    SelectChoice(ModerationMode.IMMEDIATE.value, _l("Publish comments at once")),
    SelectChoice(ModerationMode.REVIEW.value, _l("Publish comments after review")),
]

#: the fields a consultation form shares with ``DraftFields``, in form order
DRAFT_FIELD_NAMES = ("title", "kind", "summary", "draft_text", "basis", "explanation", "contact_channels",
                     "opens_at", "closes_at", "short_period_reason", "moderation")


class ConsultationForm(FlaskForm):
    """A consultation's draft. Times are typed in China time; the service checks the period rules."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind of document"), validators=[InputRequired()],
                       choices=[SelectChoice(*choice) for choice in ConsultationKind.choices()])
    department = SelectField(_l("Department"), coerce=int, validators=[InputRequired()])
    summary = TextAreaField(_l("Summary"), validators=[Length(max=2000)])
    draft_text = TextAreaField(_l("Draft text"), render_kw={"rows": 20})
    basis = TextAreaField(_l("Basis for the decision"), validators=[Length(max=20000)])
    explanation = TextAreaField(_l("Drafting explanation"), validators=[Length(max=50000)])
    contact_channels = TextAreaField(_l("How to send comments (channels)"), validators=[Length(max=2000)])
    opens_at = DateTimeLocalField(_l("Comment period opens"), format=DATETIME_LOCAL_FORMATS,
                                  validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Comment period closes"), format=DATETIME_LOCAL_FORMATS,
                                   validators=[Optional()])
    short_period_reason = TextAreaField(_l("Reason for a shorter period"), validators=[Length(max=2000)])
    moderation = RadioField(_l("Publishing of comments"), choices=MODERATION_CHOICES,
                            default=ModerationMode.IMMEDIATE.value, validators=[InputRequired()])

    @classmethod
    def for_consultation(cls, consultation, **kwargs):
        """The form filled from a stored consultation, its times shown back in China time."""
        data = {name: getattr(consultation, name) for name in DRAFT_FIELD_NAMES}
        for name in ("opens_at", "closes_at"):
            data[name] = to_china(data[name]).replace(tzinfo=None) if data[name] else None
        data["kind"] = str(consultation.kind)
        data["moderation"] = str(consultation.moderation)
        data["department"] = consultation.department_id
        return cls(data=data, **kwargs)

    def draft_fields(self) -> DraftFields:
        values = {name: self[name].data for name in DRAFT_FIELD_NAMES}
        for name in ("opens_at", "closes_at"):
            values[name] = from_china(values[name]) if values[name] else None
        for name in ("summary", "draft_text", "basis", "explanation", "contact_channels", "short_period_reason"):
            values[name] = (values[name] or "").strip()
        values["title"] = values["title"].strip()
        return DraftFields(**values)


class AttachmentForm(FlaskForm):
    """One file; its type and size are checked by content in the service."""

    file = FileField(_l("File to attach"), validators=[FileRequired(_l("Choose a file to upload."))])


class ConfirmForm(FlaskForm):
    """A button that changes something (publish, remove): only the CSRF token to check."""


class ModerationForm(FlaskForm):
    """Approve or reject one or many comments; a rejection needs a reason the authors will see."""

    comment_ids = SelectMultipleField(
        _l("Selected comments"), coerce=int, validate_choice=False,
        validators=[DataRequired(_l("Select at least one comment."))],
    )
    action = StringField(validators=[AnyOf(["approve", "reject"], message=_l("Choose approve or reject."))])
    reason = TextAreaField(_l("Reason for not publishing"), validators=[Length(max=2000)])


MODERATION_TABS = (CommentStatus.PENDING, CommentStatus.PUBLISHED, CommentStatus.REJECTED)
