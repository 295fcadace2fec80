"""marshmallow pieces every API shares: translated default messages, the error body, pagination."""

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

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
Schema.error_messages = {"unknown": _l("Unknown field."), "type": _l("Invalid input type.")}


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
