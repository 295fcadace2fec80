"""marshmallow pieces every API shares: translated default messages, the error body, pagination, the clock."""

import marshmallow
import sqlalchemy as sa
from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate
from marshmallow.utils import missing

from engage.core.inputs import DB_INT_MAX, DB_INT_MIN, has_refused_characters, without_refused_characters
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
_int_validated = fields.Integer._validated


def _whole_number(self, value):
    # int() would cut 2.5 down to 2 and 1e-42 down to 0: a fraction is refused rather than silently changed.
    if isinstance(value, float) and not value.is_integer():
        raise self.make_error("invalid", input=value)
    return _int_validated(self, value)


fields.Integer._validated = _whole_number
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
marshmallow.Schema.error_messages = {"unknown": _l("Unknown field."), "type": _l("Invalid input type.")}
# Validators format their messages with str.format, which a lazy string passes on to the translated text.
validate.Length.message_min = _l("Must be at least {min} long.")
validate.Length.message_max = _l("Must be at most {max} long.")
validate.Length.message_all = _l("Length must be between {min} and {max}.")
validate.Length.message_equal = _l("Length must be {equal}.")

validate.OneOf.default_message = _l("Must be one of: {choices}.")


SINGLE_LINE_REFUSED = _l("Must be one line of text, without tabs or invisible control characters.")
MULTILINE_REFUSED = _l("Must not contain invisible control characters (such as NUL).")
NUMBER_OUT_OF_RANGE = _l("This number is out of range.")
#: a ``fields.String`` whose metadata says so may hold tabs and line breaks (the API's text areas); the OpenAPI
#: document shows the mark to clients
MULTILINE = {"x-multiline": True}


def _refuse_control_characters(multiline: bool):
    def check(value) -> None:
        if isinstance(value, str) and has_refused_characters(value, multiline=multiline):
            # marshmallow keeps only a plain str as one message: a lazy one would be read as a list of letters.
            raise ValidationError(str(MULTILINE_REFUSED if multiline else SINGLE_LINE_REFUSED))

    return check


class _InDatabaseRange(validate.Range):
    """The range a stored integer has; a field that passes a bad value on as None (PartySize) is left alone."""

    def __call__(self, value):
        return value if value is None else super().__call__(value)


_IN_DB_RANGE = _InDatabaseRange(min=DB_INT_MIN, max=DB_INT_MAX, error=NUMBER_OUT_OF_RANGE)


def _has_narrower_range(field: fields.Integer) -> bool:
    return any(isinstance(v, validate.Range) and v.min is not None and v.max is not None
               and v.min >= DB_INT_MIN and v.max <= DB_INT_MAX for v in field.validators)


def _guard(field: fields.Field) -> None:
    """Give ``field`` (and the fields inside a list) the checks every stored input needs."""
    if isinstance(field, SearchText):
        return
    if isinstance(field, fields.String):
        field.validators = [*field.validators, _refuse_control_characters(bool(field.metadata.get("x-multiline")))]
    elif isinstance(field, fields.Integer) and not _has_narrower_range(field):
        field.validators = [*field.validators, _IN_DB_RANGE]
    elif isinstance(field, fields.List):
        _guard(field.inner)
    elif isinstance(field, fields.Tuple):
        for inner in field.tuple_fields:
            _guard(inner)


def _may_be_null(model, attribute: str) -> bool:
    """Whether ``model.attribute`` can hold None: a nullable column, or a single related row that may be absent."""
    attributes = sa.inspect(model).attrs
    if attribute not in attributes:
        return False  # a Python property: its field says for itself
    prop = attributes[attribute]
    if isinstance(prop, sa.orm.ColumnProperty):
        return any(column.nullable for column in prop.columns)
    if isinstance(prop, sa.orm.RelationshipProperty) and not prop.uselist:
        return prop.direction is not sa.orm.MANYTOONE or any(column.nullable for column in prop.local_columns)
    return False


class SchemaOpts(marshmallow.SchemaOpts):
    def __init__(self, meta, **kwargs):
        super().__init__(meta, **kwargs)
        #: the model an answer is made from (``class Meta: model = Comment``): every field is always in the answer,
        #: one showing a nullable column may be null, and the OpenAPI document says both
        self.model = getattr(meta, "model", None)


class Schema(marshmallow.Schema):
    """The base of every schema: text without control characters, whole numbers the database holds.

    Each field gets the checks as the schema is built (its fields are copies of the class's), so no schema has
    to repeat them; the OpenAPI document shows the numbers' range. An answer that names its model is nullable
    exactly where the model's columns are, so the document cannot promise a value that is sometimes missing.
    """

    OPTIONS_CLASS = SchemaOpts

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        _guard(field_obj)
        model = self.opts.model
        if model is None:
            return
        # A dump writes every declared field; "required" is how the document promises that to clients.
        field_obj.required = True
        if not isinstance(field_obj, fields.Function | fields.Method):
            field_obj.allow_none = field_obj.allow_none or _may_be_null(model, field_obj.attribute or field_name)


class StrictBoolean(fields.Boolean):
    """A JSON boolean: only ``true`` or ``false`` (marshmallow's own also takes 0, 1, "yes", "off"...)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class QueryFlag(fields.Boolean):
    """A yes-or-no query parameter, written as the document says: ``true`` or ``false``."""

    truthy = frozenset({"true"})
    falsy = frozenset({"false"})


class SearchText(fields.String):
    """Text searched for or looked up: control characters are dropped, since no stored text holds them."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        # Lengths hold for the text as sent, as the OpenAPI document says, not only for what is left of it.
        for validator in self.validators:
            if isinstance(validator, validate.Length):
                validator(text)
        return without_refused_characters(text)


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
    """What every error answer of the API carries (``engage.core.error_handlers.error_response``)."""

    code = fields.Integer(required=True, metadata={"description": "HTTP status code"})
    message = fields.String(required=True, metadata={"description": "What went wrong, in the request's language"})
    errors = fields.Dict(
        keys=fields.String(),
        metadata={"description": "Messages per field, where fields were at fault: a list of texts, or the same "
                                 "mapping again for the fields inside a list or an object"},
    )


#: what each error answer means across the API, for the OpenAPI document (its readers are developers: English)
ERROR_DESCRIPTIONS = {
    400: "The body is not JSON, or not JSON that can be read (nested too deeply, not UTF-8).",
    401: "No valid staff API token: send `Authorization: Bearer <token>`.",
    403: "The token's owner may not do this, on this record: their role or department does not allow it.",
    404: "No such record, or none the caller may see.",
    409: "The request is valid, but the record's state does not allow it now: the comment period is not open, "
         "the status does not allow this change, there are no seats left, it was already done...",
    415: "The body was not sent as JSON (`Content-Type: application/json`).",
    422: "A value is not valid: by the field's type, length or range as documented, or by a rule of the "
         "domain (a period too short for its kind, a date in the future, an article the draft does not have...). "
         "`errors` names each field and says why, in the request's language.",
    429: "Too many requests from this address or for this contact: wait (see `Retry-After`) and try again.",
}


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


class CursorQuerySchema(Schema):
    """A long list paged by cursor: ``after`` a page's ``next_cursor``, or ``before`` its ``prev_cursor``."""

    per_page = fields.Integer(
        load_default=20, validate=validate.Range(min=1, max=100, error=_l("Must be between {min} and {max}."))
    )
    after = fields.Integer(validate=validate.Range(min=1, error=_l("Must be at least {min}.")), metadata={
        "description": "The `next_cursor` of the page before: the items that follow it"})
    before = fields.Integer(validate=validate.Range(min=1, error=_l("Must be at least {min}.")), metadata={
        "description": "The `prev_cursor` of the page after: the items just ahead of it"})

    @marshmallow.validates_schema
    def _one_direction(self, data, **kwargs):
        if "after" in data and "before" in data:
            raise ValidationError(_("Give either after or before, not both."), "before")


class CursorPageSchema(Schema):
    per_page = fields.Integer()
    total = fields.Integer(allow_none=True, metadata={"description": "How many items the whole list has"})
    next_cursor = fields.Integer(allow_none=True, metadata={
        "description": "Pass as `after` for the next page; null on the last page"})
    prev_cursor = fields.Integer(allow_none=True, metadata={
        "description": "Pass as `before` for the page ahead; null on the first page"})


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
