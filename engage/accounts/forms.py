"""Forms for logging in, the staff member's own account, and administration. They check shape only."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional, Regexp

from engage.accounts.models import MessageChannel, MessageTiming, Role
from engage.accounts.services import MIN_PASSWORD_LENGTH
from engage.core.forms import FlaskForm

# Shape only (something@domain.tld): whether the mailbox exists is not ours to know.
EMAIL_SHAPE = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an e-mail address like name@example.gov.cn."))
NEW_PASSWORD_HINT = _l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH)


def _required():
    return DataRequired(message=_l("This field is required."))


def _new_password_field(label):
    return PasswordField(label, validators=[_required(), Length(min=MIN_PASSWORD_LENGTH, message=NEW_PASSWORD_HINT)],
                         description=NEW_PASSWORD_HINT, render_kw={"autocomplete": "new-password"})


def _repeat_field(label=None):
    return PasswordField(
        label or _l("Repeat the new password"),
        validators=[_required(), EqualTo("new_password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


class LoginForm(FlaskForm):
    # A text field, not type=email: HTML allows autocomplete="username" (what password managers look for) only
    # on text fields; inputmode still brings up the e-mail keyboard on phones.
    email = StringField(_l("E-mail address"), validators=[_required(), Length(max=254)],
                        render_kw={"autocomplete": "username", "inputmode": "email", "autocapitalize": "none",
                                   "spellcheck": "false"})
    password = PasswordField(_l("Password"), validators=[_required()], render_kw={"autocomplete": "current-password"})


class ApiTokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[_required(), Length(max=100)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[_required()],
                                     render_kw={"autocomplete": "current-password"})
    new_password = _new_password_field(_l("New password"))
    repeat_password = _repeat_field()


class SetPasswordForm(FlaskForm):
    new_password = _new_password_field(_l("New password"))
    repeat_password = _repeat_field()


class DepartmentForm(FlaskForm):
    name = StringField(_l("Name (Chinese)"), validators=[_required(), Length(max=100)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=150)])
    is_active = BooleanField(_l("Active (can be chosen for new consultations and accounts)"), default=True)
    head_contact_name = StringField(_l("Head contact (负责人)"), validators=[Optional(), Length(max=100)])
    head_contact_email = EmailField(_l("Head contact's e-mail"), validators=[Optional(), Length(max=254)])
    head_contact_phone = StringField(_l("Head contact's mobile number"), validators=[Optional(), Length(max=40)],
                                     render_kw={"inputmode": "tel", "autocomplete": "off"})


class MessagePreferencesForm(FlaskForm):
    """How a staff member is told of their cases (also part of the administrators' account form)."""

    phone = StringField(_l("Mobile number (optional)"), validators=[Optional(), Length(max=40)],
                        render_kw={"inputmode": "tel", "autocomplete": "tel"})
    notify_by = RadioField(_l("Send my messages by"), choices=[SelectChoice(*c) for c in MessageChannel.choices()],
                           default=MessageChannel.EMAIL.value, validators=[InputRequired()])
    message_timing = RadioField(_l("When"), choices=[SelectChoice(*c) for c in MessageTiming.choices()],
                                default=MessageTiming.IMMEDIATE.value, validators=[InputRequired()])
    # Each language named in itself, as the language links at the top of every page are.
    message_language = RadioField(_l("Language of my messages"),
                                  choices=[SelectChoice("zh", "中文"), SelectChoice("en", "English")],
                                  validators=[Optional()])


def _coerce_department(value):
    return int(value) if value not in (None, "", "None") else None


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[_required(), Length(max=254), EMAIL_SHAPE],
                       render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"})
    name = StringField(_l("Name"), validators=[_required(), Length(max=100)])
    role = SelectField(_l("Role"), choices=[SelectChoice(*choice) for choice in Role.choices()],
                       validators=[InputRequired()])
    department_id = SelectField(_l("Department"), coerce=_coerce_department, validate_choice=True)
    is_active = BooleanField(_l("Active (may log in)"), default=True)
    # Optional here: an account created or edited without them keeps (or gets) e-mail at once.
    phone = MessagePreferencesForm.phone
    notify_by = RadioField(_l("Send my messages by"), choices=[SelectChoice(*c) for c in MessageChannel.choices()],
                           validators=[Optional()])
    message_timing = RadioField(_l("When"), choices=[SelectChoice(*c) for c in MessageTiming.choices()],
                                validators=[Optional()])
    message_language = RadioField(_l("Language of my messages"),
                                  choices=MessagePreferencesForm.message_language.kwargs["choices"],
                                  validators=[Optional()])

    def set_department_choices(self, departments, locale: str) -> None:
        self.department_id.choices = [SelectChoice(None, _l("— none —"))] + [
            SelectChoice(d.id, d.display_name(locale)) for d in departments
        ]


class NewUserForm(UserForm):
    new_password = _new_password_field(_l("Initial password"))
    repeat_password = _repeat_field(_l("Repeat the initial password"))


class CalendarDayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(message=_l("Enter a date."))])
    is_working_day = RadioField(
        _l("This day is"),
        choices=[SelectChoice("holiday", _l("a day off (holiday)")),
                 SelectChoice("working", _l("a working day (e.g. make-up day)"))],
        validators=[InputRequired(message=_l("Choose whether the day is a working day or a day off."))],
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=100)])
    correction = BooleanField(_l("This corrects the official calendar"))
