"""marshmallow pieces every API shares: translated default messages, the error body, pagination, the clock."""

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate
from marshmallow.utils import missing

from engage.core.timeutil import utcnow

# marshmallow's built-in messages are English only; API clients get them in the request's language.
fields.Field.default_error_messages = {
    **fields.Field.default_error_messages,
    "required": _l("This field is required."),
    "null": _l("This field may not be empty."),
    "validator_failed": _l("Invalid value."),
}
fields.String.default_error_messages = {**fields.String.default_error_messages, "invalid": _l("Not a valid text.")}
fields.Integer.default_error_messages = {
    **fields.Integer.default_error_messages,
    "invalid": _l("Not a valid whole number."),
}
fields.Boolean.default_error_messages = {**fields.Boolean.default_error_messages, "invalid": _l("Not true or false.")}
fields.Date.default_error_messages = {
    **fields.Date.default_error_messages,
    "invalid": _l("Not a valid date: write it as 2026-03-01."),
}
# DateTime's own message names the type through a placeholder that marshmallow fills only in plain strings.
for _field in (fields.DateTime, fields.AwareDateTime):
    _field.default_error_messages = {
        **_field.default_error_messages,
        "invalid": _l("Not a valid date and time: write it as 2026-03-01T09:00."),
    }
fields.List.default_error_messages = {**fields.List.default_error_messages, "invalid": _l("Not a valid list.")}
fields.Nested.default_error_messages = {**fields.Nested.default_error_messages, "type": _l("Invalid input type.")}
Schema.error_messages = {"unknown": _l("Unknown field."), "type": _l("Invalid input type.")}
# Validators format their messages with str.format, which a lazy string passes on to the translated text.
validate.Length.message_min = _l("Must be at least {min} long.")
validate.Length.message_max = _l("Must be at most {max} long.")
validate.Length.message_all = _l("Length must be between {min} and {max}.")
validate.Length.message_equal = _l("Length must be {equal}.")

validate.OneOf.default_message = _l("Must be one of: {choices}.")


class ChoiceEnum(fields.Enum):
    """An enum field whose refusal lists the choices in the request's language.

    marshmallow fills in ``{choices}`` only in plain ``str`` messages, so a lazily translated default would come
    out unfilled: the message is translated when the value is refused instead.
    """

    def make_error(self, key: str, **kwargs) -> ValidationError:
        if key == "unknown":
            return ValidationError(_("Must be one of: {choices}.").format(**kwargs))
        return super().make_error(key, **kwargs)


class ErrorSchema(Schema):
    code = fields.Integer(metadata={"description": "HTTP status code"})
    message = fields.String(metadata={"description": "What went wrong, in the request's language"})
    errors = fields.Dict(metadata={"description": "Messages per field, where fields were at fault"})


class PageQuerySchema(Schema):
    # marshmallow 4 ignores a validator that returns False: validators must raise, as Range does.
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, error=_l("Must be at least {min}.")))
    per_page = fields.Integer(
        load_default=20, validate=validate.Range(min=1, max=100, error=_l("Must be between {min} and {max}."))
    )


class PageSchema(Schema):
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


def request_now():
    """One clock reading per request, so a status and its days left never disagree within an answer."""
    if "now" not in g:
        g.now = utcnow()
    return g.now


class Embedded(fields.Nested):
    """A nested object made from the same record, to group some of its fields in the answer."""

    def get_value(self, obj, attr, accessor=None, default=missing):
        return obj


class DepartmentOut(Schema):
    id = fields.Integer()
    name = fields.String()
    name_en = fields.String()
