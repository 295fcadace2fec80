"""Forms of the administrators' outbox page. They check shape only; the staff services apply the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional

from engage.notifications.admin_services import OutboxFilters
from engage.notifications.models import Channel, MessageStatus

DATE_MESSAGE = _l("Not a valid date: write it as 2026-03-01.")


class OutboxFilterForm(FlaskForm):
    """The list's filters, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()],
                         choices=[SelectChoice("", _l("All statuses"))]
                         + [SelectChoice(status.value, status.label) for status in MessageStatus])
    channel = SelectField(_l("Channel"), validators=[Optional()],
                          choices=[SelectChoice("", _l("E-mail and SMS"))]
                          + [SelectChoice(channel.value, channel.label) for channel in Channel])
    template = SelectField(_l("Message"), choices=[], validators=[Optional()])
    created_from = DateField(_l("Queued from"), validators=[Optional()], format="%Y-%m-%d")
    created_to = DateField(_l("Queued until"), validators=[Optional()], format="%Y-%m-%d")
    recipient = StringField(_l("Recipient contains"), validators=[Optional(), Length(max=100)])

    def set_templates(self, templates: list[str]) -> None:
        self.template.choices = [SelectChoice("", _l("All messages"))] + [SelectChoice(name, name)
                                                                           for name in templates]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for date_field in (self.created_from, self.created_to):
            # WTForms' own message for a date it cannot read is English only.
            if date_field.errors and date_field.raw_data and date_field.raw_data[0]:
                date_field.errors = [DATE_MESSAGE]
        return valid

    def filters(self) -> OutboxFilters:
        """The filters of the fields that are valid (a field in error is left out, and shown with its error)."""

        def value(field):
            return None if field.errors else field.data

        return OutboxFilters(
            status=MessageStatus(value(self.status)) if value(self.status) else None,
            channel=Channel(value(self.channel)) if value(self.channel) else None,
            template=value(self.template) or "", created_from=value(self.created_from),
            created_to=value(self.created_to), recipient=value(self.recipient) or "",
        )


class OutboxActionForm(FlaskForm):
    """Retry or withhold one message: a button, with its CSRF token."""
