"""Administrators' forms for identities: link to an account, approve with a new account, map one ahead."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from engage.accounts.forms import UserForm
from engage.core.forms import FlaskForm


def _required():
    return DataRequired(message=_l("This field is required."))


def _account_email(label):
    return StringField(label, validators=[_required(), Length(max=254)],
                       render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false",
                                  "inputmode": "email"})


class LinkIdentityForm(FlaskForm):
    """Link to an account that exists, named by its e-mail address."""

    user_email = _account_email(_l("E-mail address of the Engage account"))


class NewAccountForm(FlaskForm):
    """Approve a first sign-in with an account made for it (it signs in only through the provider)."""

    email = UserForm.email
    name = UserForm.name
    role = UserForm.role
    department_id = UserForm.department_id
    set_department_choices = UserForm.set_department_choices


class MapIdentityForm(FlaskForm):
    issuer = StringField(_l("Issuer (the provider's address)"), validators=[_required(), Length(max=254)])
    subject = StringField(_l("Subject (the person's id at the provider, sub)"),
                          validators=[_required(), Length(max=255)])
    user_email = _account_email(_l("E-mail address of the Engage account"))
