"""Forms of the organiser's sign-up desk: the registration list, approval, check-in."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from engage.core.forms import FlaskForm, strip_control_characters


class RegistrationFilterForm(FlaskForm):
    """Search and filter of the registration list (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name, phone or code"), validators=[Optional(), Length(max=50)],
                    filters=[strip_control_characters])
    status = SelectField(_l("Status"), validators=[Optional()])


class DecisionForm(FlaskForm):
    """Approve or reject one pending sign-up; a rejection needs a reason the person will see."""

    decision = StringField(validators=[AnyOf(["approve", "reject"], message=_l("Choose approve or reject."))])
    reason = TextAreaField(_l("Reason for rejecting"), validators=[Length(max=1000)])


class CheckInForm(FlaskForm):
    """The code typed by the organiser, or by a hardware scanner that types it and presses Enter."""

    code = StringField(_l("Confirmation code"), validators=[DataRequired(_l("Type or scan a confirmation code.")),
                                                             Length(max=40)])
    #: ticked by the organiser to let someone in on another day than the event's; recorded in its history
    override_day = BooleanField(_l("Check this person in although the event is not today (recorded in the history)"))
