"""The lost-codes API's input and answer."""

from marshmallow import fields, validate

from engage.core.schemas import Schema
from engage.lostcodes.rules import CONTACT_MAX_LENGTH


class LostCodesIn(Schema):
    contact = fields.String(required=True, validate=validate.Length(min=1, max=CONTACT_MAX_LENGTH),
                            metadata={"description": "The mobile phone number or e-mail address given with the "
                                                     "comment or sign-up", "example": "13812345678"})


class LostCodesOut(Schema):
    message = fields.String(metadata={"description": "The same answer whether or not anything matched"})
