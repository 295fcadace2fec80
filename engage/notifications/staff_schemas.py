"""marshmallow schemas of the outbox's staff API (administrators' tokens only)."""

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from engage.core.schemas import ChoiceEnum, PageQuerySchema, PageSchema, Schema
from engage.notifications.models import Channel, DeliveryAttempt, MessageStatus, OutboxMessage
from engage.notifications.services import WITHHELD_REASONS


class OutboxQuery(PageQuerySchema):
    status = ChoiceEnum(MessageStatus, by_value=True, metadata={"description": "Only messages in this status"})
    channel = ChoiceEnum(Channel, by_value=True)
    template = fields.String(validate=validate.Length(max=64, error=_l("At most %(n)d characters.", n=64)),
                             metadata={"description": "Template folder name, e.g. events_confirmation"})
    created_from = fields.Date(metadata={"description": "Queued on or after this day (China time)"})
    created_to = fields.Date(metadata={"description": "Queued on or before this day (China time)"})
    recipient = fields.String(validate=validate.Length(max=100, error=_l("At most %(n)d characters.", n=100)),
                              metadata={"description": "Part of the e-mail address or phone number"})


def _reason(message) -> str:
    reason = WITHHELD_REASONS.get(message.last_error) if message.status == MessageStatus.WITHHELD else None
    return str(reason) if reason else message.last_error


class MessageOut(Schema):
    class Meta:
        model = OutboxMessage

    id = fields.Integer()
    channel = fields.Enum(Channel, by_value=True)
    recipient = fields.String(metadata={"description": "In full: only administrators can read the outbox"})
    template = fields.String()
    language = fields.String()
    subject = fields.String(metadata={"description": "E-mail only; empty for SMS"})
    status = fields.Enum(MessageStatus, by_value=True)
    attempts = fields.Integer(metadata={"description": "Tries since it was queued or last sent again by staff"})
    last_error = fields.String(metadata={"description": "Why the last try failed; for a withheld message the "
                                                       "reason key (hour, day, unsubscribed, staff)"})
    reason = fields.Function(_reason, metadata={"description": "last_error in the request's language"})
    transactional = fields.Boolean(metadata={"description": "False: carries a one-click unsubscribe link"})
    created_at = fields.DateTime()
    next_try_at = fields.DateTime(allow_none=True)
    sent_at = fields.DateTime(allow_none=True)
    about_type = fields.String(metadata={"description": "The kind of record it is about, e.g. registrations"})
    about_id = fields.Integer(allow_none=True)
    idempotency_key = fields.String(metadata={"description": "The Message-ID / SMS request id a provider uses "
                                                             "to drop a repeat"})


class AttemptOut(Schema):
    class Meta:
        model = DeliveryAttempt

    at = fields.DateTime()
    outcome = fields.String(metadata={"description": "sent, retrying, failed, withheld, or retried (by staff)"})
    detail = fields.String()
    actor = fields.Function(lambda attempt: {"id": attempt.actor.id, "name": attempt.actor.name}
                            if attempt.actor else None, allow_none=True,
                            metadata={"description": "The staff member who retried or withheld it; null for "
                                                     "Engage itself"})


class MessageDetailOut(MessageOut):
    body_text = fields.String(metadata={"description": "The text as sent (SMS with its signature)"})
    body_html = fields.String(metadata={"description": "E-mail only, may be empty"})
    history = fields.List(fields.Nested(AttemptOut), attribute="attempt_history",
                          metadata={"description": "Oldest first"})


class MessagePageOut(PageSchema):
    items = fields.List(fields.Nested(MessageOut))
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": "Messages per status matching the other filters (every "
                                                  "status listed, the status filter left out)"})
