"""The follow forms: shape only; what may be followed and whether the contact takes messages is the service's."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from engage.subscriptions.models import Frequency

CONTACT_MAX_LENGTH = 254


class FollowForm(FlaskForm):
    #: ``<kind>:<id>``, e.g. ``consultation:12``; the consultation page offers its department too
    target = HiddenField(validators=[DataRequired(_l("Choose what to follow."))])
    contact = StringField(
        _l("E-mail address or mobile number"),
        [DataRequired(_l("Enter an e-mail address or a mobile phone number.")), Length(max=CONTACT_MAX_LENGTH)])
    frequency = RadioField(_l("How often"), choices=Frequency.choices(), default=Frequency.IMMEDIATE.value,
                           validators=[InputRequired(_l("Choose how often you would like to hear."))])

    def parsed_target(self) -> tuple[str, int] | None:
        kind, _, number = (self.target.data or "").partition(":")
        return (kind, int(number)) if number.isdigit() else None


class CodeForm(FlaskForm):
    code = StringField(_l("Code from the SMS"), [DataRequired(_l("Enter the code we sent you.")), Length(max=12)])


class ConfirmForm(FlaskForm):
    """One button: a link opened by a mail program's scanner confirms nothing."""


class FrequencyForm(FlaskForm):
    subscription_id = IntegerField(validators=[InputRequired()])
    frequency = RadioField(_l("How often"), choices=Frequency.choices(),
                           validators=[InputRequired(_l("Choose how often you would like to hear."))])


class EndForm(FlaskForm):
    #: empty: end every subscription of this contact
    subscription_id = StringField(validators=[Length(max=12)])

    def chosen_id(self) -> int | None:
        value = (self.subscription_id.data or "").strip()
        return int(value) if value.isdigit() else None
