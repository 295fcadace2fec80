"""marshmallow schemas of the webhooks API (administrators' tokens only)."""

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from engage.core.schemas import ChoiceEnum, PageQuerySchema, PageSchema, Schema, StrictBoolean
from engage.domain_events.models import EventType
from engage.notifications.models import MessageStatus, OutboxMessage
from engage.webhooks import services
from engage.webhooks.models import Webhook


def _length(low: int, high: int):
    return validate.Length(min=low, max=high, error=_l("Between {min} and {max} characters."))


class HookPatchIn(Schema):
    name = fields.String(validate=_length(1, 100))
    url = fields.String(validate=_length(1, 254), metadata={"description": "http or https address of the receiver"})
    secret = fields.String(validate=_length(services.SECRET_MIN, 100),
                           metadata={"description": "Shared with the receiver to check signatures; omitted on "
                                                    "creation, one is made (see the answer)"})
    event_types = fields.List(ChoiceEnum(EventType, by_value=True), validate=validate.Length(
        min=1, error=_l("Choose at least one kind of event.")))
    is_active = StrictBoolean()


class HookIn(HookPatchIn):
    name = fields.String(required=True, validate=_length(1, 100))
    url = fields.String(required=True, validate=_length(1, 254),
                        metadata={"description": "http or https address of the receiver"})
    event_types = fields.List(ChoiceEnum(EventType, by_value=True), required=True, validate=validate.Length(
        min=1, error=_l("Choose at least one kind of event.")))
    is_active = StrictBoolean(load_default=True)


class HookOut(Schema):
    class Meta:
        model = Webhook

    id = fields.Integer()
    name = fields.String()
    url = fields.String()
    secret = fields.String(metadata={"description": "HMAC-SHA256 key of X-Engage-Signature (docs/WEBHOOKS.md)"})
    event_types = fields.List(fields.String(), metadata={"description": "Event types delivered to this hook"})
    is_active = fields.Boolean()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class DeliveryOut(Schema):
    class Meta:
        model = OutboxMessage

    id = fields.Integer(metadata={"description": "The outbox message carrying the delivery"})
    delivery_id = fields.String(attribute="idempotency_key",
                                metadata={"description": "X-Engage-Delivery: the same on every try"})
    event = fields.String(attribute="subject", metadata={"description": "X-Engage-Event"})
    status = fields.Enum(MessageStatus, by_value=True)
    attempts = fields.Integer()
    created_at = fields.DateTime()
    next_try_at = fields.DateTime(allow_none=True)
    sent_at = fields.DateTime(allow_none=True)
    last_answer = fields.Function(services.last_answer, metadata={
        "description": "The receiver's last answer (status and the start of its body), or why the last try failed"})


class DeliveryQuery(PageQuerySchema):
    pass


class DeliveryPageOut(PageSchema):
    items = fields.List(fields.Nested(DeliveryOut))
