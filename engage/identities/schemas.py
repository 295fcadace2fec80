"""marshmallow schemas of the identities API (administrators' tokens only)."""

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from engage.accounts.models import Role
from engage.core.schemas import ChoiceEnum, PageQuerySchema, PageSchema, Schema
from engage.identities.models import Identity, IdentityStatus


def _length(low: int, high: int):
    return validate.Length(min=low, max=high, error=_l("Between {min} and {max} characters."))


class IdentityOut(Schema):
    class Meta:
        model = Identity

    id = fields.Integer()
    issuer = fields.String()
    subject = fields.String(metadata={"description": "The person's permanent id at the provider (`sub`)"})
    status = fields.Enum(IdentityStatus, by_value=True)
    user_id = fields.Integer(allow_none=True, metadata={"description": "The account it signs in as, once linked"})
    name = fields.String(metadata={"description": "The name the provider gave at the last sign-in"})
    email = fields.String(metadata={"description": "The e-mail address the provider verified, if any"})
    phone = fields.String(metadata={"description": "The mobile number the provider verified, if any"})
    created_at = fields.DateTime()
    last_sign_in_at = fields.DateTime(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)


class IdentityQuery(PageQuerySchema):
    status = ChoiceEnum(IdentityStatus, by_value=True)


class IdentityPageOut(PageSchema):
    items = fields.List(fields.Nested(IdentityOut))


class MapIn(Schema):
    issuer = fields.String(required=True, validate=_length(1, 254))
    subject = fields.String(required=True, validate=_length(1, 255))
    user_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**31 - 1))


class NewAccountIn(Schema):
    email = fields.String(required=True, validate=_length(3, 254))
    name = fields.String(required=True, validate=_length(1, 100))
    role = ChoiceEnum(Role, by_value=True, required=True)
    department_id = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=1, max=2**31 - 1))


class ApproveIn(Schema):
    user_id = fields.Integer(strict=True, validate=validate.Range(min=1, max=2**31 - 1),
                             metadata={"description": "Link to this existing account"})
    new_account = fields.Nested(NewAccountIn, metadata={"description": "Or create this account and link to it"})

    @validates_schema
    def _one_way(self, data, **kwargs):
        if ("user_id" in data) == ("new_account" in data):
            raise ValidationError(_l("Give either user_id or new_account."), "user_id")
