"""The administrators' webhook form: shape only; the service checks the address, the types and the secret."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from engage.domain_events.models import EventType


class HookForm(FlaskForm):
    name = StringField(_l("Name"), [DataRequired(_l("Give the hook a name, e.g. the receiving system's.")),
                                    Length(max=100)])
    url = StringField(_l("Receiver's address"), [DataRequired(_l("Enter the receiver's address.")),
                                                 Length(max=254)])
    secret = PasswordField(_l("Secret"), [Length(max=100)])
    event_types = SelectMultipleField(_l("Events"), choices=EventType.choices(),
                                      widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                                      validators=[DataRequired(_l("Choose at least one kind of event."))])
    is_active = BooleanField(_l("Active: deliver events to this address"), default=True)
