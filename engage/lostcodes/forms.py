"""The lost-codes form: shape only; whether the text is a mobile number or an address is the service's check."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from engage.lostcodes.rules import CONTACT_MAX_LENGTH


class LostCodesForm(FlaskForm):
    contact = StringField(
        _l("Mobile phone number or e-mail address"),
        [DataRequired(_l("Enter the mobile phone number or e-mail address you gave.")),
         Length(max=CONTACT_MAX_LENGTH)],
    )
