"""Forms of the organiser desk: campaigns, events, confirming and cancelling."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from engage.core.forms import FlaskForm
from engage.core.timeutil import from_china, to_china
from engage.events import organiser_rules
from engage.events.models import AccessFeature

#: what a ``datetime-local`` input sends (browsers omit the seconds)
DATETIME_LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
ACCESS_FIELD_NAMES = (*(feature.value for feature in AccessFeature), "accessibility_notes")
#: the event columns an event form edits, in form order (times are converted from China time)
EVENT_FIELD_NAMES = (
    "title", "campaign_id", "department_id", "kind", "description", "venue", "online_link", "starts_at", "ends_at",
    "registration_opens_at", "registration_closes_at", "capacity", "max_party_size", "requires_id_number",
    "requires_approval", "waitlist_enabled", *ACCESS_FIELD_NAMES,
)
TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


def _china_local(moment):
    return to_china(moment).replace(tzinfo=None) if moment else None


class CampaignForm(FlaskForm):
    """A campaign such as 2026年政府开放月, which groups events on one public page."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])

    def values(self) -> dict:
        return {"title": self.title.data.strip(), "description": (self.description.data or "").strip()}


class EventForm(FlaskForm):
    """An event. Times are typed in China time; the service checks how they fit together."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    campaign_id = SelectField(_l("Campaign"), coerce=int, validators=[InputRequired()])
    department_id = SelectField(_l("Host department"), coerce=int, validators=[InputRequired()])
    kind = SelectField(_l("Kind of event"), validators=[InputRequired()])
    description = TextAreaField(_l("Description"), validators=[Length(max=10000)])
    venue = StringField(_l("Venue"), validators=[Length(max=300)])
    online_link = URLField(_l("Online link"), validators=[Optional(), URL(message=_l("Enter a full web address.")),
                                                         Length(max=500)])
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_LOCAL_FORMATS, validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_LOCAL_FORMATS, validators=[InputRequired()])
    registration_opens_at = DateTimeLocalField(_l("Sign-up opens"), format=DATETIME_LOCAL_FORMATS,
                                               validators=[InputRequired()])
    registration_closes_at = DateTimeLocalField(_l("Sign-up closes"), format=DATETIME_LOCAL_FORMATS,
                                                validators=[InputRequired()])
    capacity = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(min=1, max=100000)])
    max_party_size = IntegerField(_l("Largest party per sign-up"), default=1,
                                  validators=[InputRequired(), NumberRange(min=1, max=20)])
    requires_id_number = BooleanField(_l("Ask for a resident ID number (only if the venue requires it)"))
    requires_approval = BooleanField(_l("Sign-ups need the organiser's approval"))
    waitlist_enabled = BooleanField(_l("Keep a waitlist when the event is full"), default=True)
    step_free_access = BooleanField(AccessFeature.STEP_FREE_ACCESS.label)
    hearing_loop = BooleanField(AccessFeature.HEARING_LOOP.label)
    accessible_toilet = BooleanField(AccessFeature.ACCESSIBLE_TOILET.label)
    sign_language = BooleanField(AccessFeature.SIGN_LANGUAGE.label)
    accessibility_notes = TextAreaField(_l("Other notes on access"),
                                        validators=[Length(max=organiser_rules.ACCESSIBILITY_NOTES_MAX_LENGTH)])

    @classmethod
    def for_event(cls, event, **kwargs):
        data = {name: getattr(event, name) for name in EVENT_FIELD_NAMES}
        for name in TIME_FIELDS:
            data[name] = _china_local(data[name])
        data["kind"] = str(event.kind)
        return cls(data=data, **kwargs)

    def values(self) -> dict:
        values = {name: self[name].data for name in EVENT_FIELD_NAMES}
        for name in TIME_FIELDS:
            values[name] = from_china(values[name]) if values[name] else None
        for name in ("title", "description", "venue", "online_link", "accessibility_notes"):
            values[name] = (values[name] or "").strip()
        return values


class ConfirmForm(FlaskForm):
    """A button that changes something (publish, mark no-shows): only the CSRF token to check."""


class CancelEventForm(FlaskForm):
    reason = TextAreaField(_l("Reason for cancelling (shown to everyone who signed up)"),
                           validators=[DataRequired(), Length(max=1000)])
