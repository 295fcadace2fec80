"""Public forms: filtering a campaign's agenda, signing up, looking up a sign-up by phone and code."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SearchField, SelectField, StringField, TelField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from engage.core.forms import FlaskForm, Form, strip_control_characters
from engage.events.models import EventKind


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class AgendaFilterForm(Form):
    """The GET form above a campaign's agenda; no CSRF token, since it changes nothing."""

    q = SearchField(_l("Search events"), [Optional(), Length(max=100)], filters=[strip_control_characters],
                    description=_l("Words in the title, description or place, e.g. 垃圾 or 图书馆."))
    kind = SelectField(_l("Kind of event"), [Optional()], choices=[])
    department = SelectField(_l("Host department"), [Optional()], choices=[], coerce=_int_or_none)
    seats_left = BooleanField(_l("Only events with seats left"))

    def search_text(self) -> str | None:
        return (self.q.data or "").strip()[:100] or None

    def set_choices(self, departments, locale: str) -> None:
        self.kind.choices = [("", _l("All kinds"))] + EventKind.choices()
        self.department.choices = [("", _l("All departments"))] + [(d.id, d.display_name(locale)) for d in departments]

    def chosen_kind(self) -> str | None:
        return self.kind.data if self.kind.data in {k.value for k in EventKind} else None

    def chosen_department(self) -> int | None:
        valid = {value for value, _label in self.department.choices if value != ""}
        return self.department.data if self.department.data in valid else None


class _PeopleField(IntegerField):
    """A number of people as typed: anything but a whole number is left empty, for the service to explain."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None


class SignUpForm(FlaskForm):
    """A citizen's sign-up. Shape only: the phone, party size and ID checks are the service's."""

    phone = TelField(_l("Mobile phone number"), [DataRequired(_l("Please enter your mobile phone number.")),
                                                  Length(max=20)])
    name = StringField(_l("Name"), [DataRequired(_l("Please enter your name.")), Length(max=50)])
    # The allowed range depends on the event: the service says it, for a wrong number and for a non-number alike.
    party_size = _PeopleField(_l("Number of people, including you"),
                              [InputRequired(_l("Enter how many people are coming."))], default=1)
    id_number = StringField(_l("Resident ID card number"), [Optional(), Length(max=30)])

    def for_event(self, event) -> "SignUpForm":
        """Mark the ID number required where the event asks for it (the service checks it either way)."""
        self.id_number.flags.required = bool(event.requires_id_number)
        return self


class LookupForm(FlaskForm):
    """Looking up one's sign-up with the confirmation code and the phone it was made with."""

    code = StringField(_l("Confirmation code"), [DataRequired(_l("Enter the confirmation code you were given.")),
                                                 Length(max=20)], filters=[strip_control_characters])
    phone = TelField(_l("Mobile phone number"), [DataRequired(_l("Please enter your mobile phone number.")),
                                                  Length(max=20)], filters=[strip_control_characters])


class CancelForm(FlaskForm):
    """The cancel button: by the private link (token) or after a lookup (phone)."""

    token = HiddenField(filters=[strip_control_characters])
    phone = HiddenField(filters=[strip_control_characters])
    #: "yes" once the citizen confirmed on the second page: one tap alone never cancels
    confirmed = HiddenField()

    def is_confirmed(self) -> bool:
        return self.confirmed.data == "yes"
