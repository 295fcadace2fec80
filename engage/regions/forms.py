"""Forms of the region administration. They check shape only; the services check the tree and the scope."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from engage.accounts.models import Role
from engage.accounts.services import MIN_PASSWORD_LENGTH
from engage.core.forms import FlaskForm
from engage.regions.models import RegionLevel
from engage.regions.rules import SLUG_HELP


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class RegionForm(FlaskForm):
    name = StringField(_l("Name (Chinese)"), validators=[InputRequired(_l("This field is required.")),
                                                         Length(max=100)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=150)])
    slug = StringField(_l("Short name (in addresses)"), validators=[InputRequired(_l("This field is required.")),
                                                                    Length(max=40)], description=SLUG_HELP)
    level = SelectField(_l("Level"), choices=[SelectChoice(*choice) for choice in RegionLevel.choices()])
    #: where the region sits; "" for a root (installation administrators only)
    parent = SelectField(_l("Part of"), choices=[], coerce=_int_or_none, validate_choice=False)
    is_active = BooleanField(_l("Active (shown to the public, takes new departments)"), default=True)


class NewDepartmentForm(FlaskForm):
    name = StringField(_l("Name (Chinese)"), validators=[InputRequired(_l("This field is required.")),
                                                         Length(max=100)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=150)])


class RegionAccountForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[InputRequired(_l("This field is required.")),
                                                          Length(max=254)])
    name = StringField(_l("Name"), validators=[InputRequired(_l("This field is required.")), Length(max=100)])
    role = SelectField(_l("Role"), choices=[SelectChoice(*choice) for choice in Role.choices()])
    department = SelectField(_l("Department (staff and organisers)"), choices=[], coerce=_int_or_none,
                             validate_choice=False)
    password = PasswordField(_l("Initial password"), validators=[InputRequired(_l("This field is required.")),
                                                                 Length(min=MIN_PASSWORD_LENGTH, message=_l(
                                                                     "At least %(n)d characters.",
                                                                     n=MIN_PASSWORD_LENGTH))])


class PlaceDepartmentForm(FlaskForm):
    department = SelectField(_l("Department"), choices=[], coerce=_int_or_none,
                             validators=[InputRequired(_l("Choose a department."))])


class ScopeUserForm(FlaskForm):
    user = SelectField(_l("Administrator or supervisor"), choices=[], coerce=_int_or_none,
                       validators=[InputRequired(_l("Choose an account."))])
