"""marshmallow schemas of the organiser API: the registration list, check-in, and the venue's access.

Phone and ID numbers are masked here as on the pages: the full numbers leave only through the recorded
unmasked export.
"""

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from engage.core.schemas import MULTILINE, ChoiceEnum, PageQuerySchema, PageSchema, Schema, SearchText, StrictBoolean
from engage.events.models import Registration, RegistrationStatus
from engage.events.organiser_rules import ACCESSIBILITY_NOTES_MAX_LENGTH


class StaffRegistrationQuery(PageQuerySchema):
    q = SearchText(validate=validate.Length(max=50, error=_l("At most %(n)d characters.", n=50)),
                   metadata={"description": "Part of a name or phone number, or a whole confirmation code"})
    status = ChoiceEnum(RegistrationStatus, by_value=True, metadata={"description": "Only sign-ups in this status"})


class StaffRegistrationOut(Schema):
    class Meta:
        model = Registration

    id = fields.Integer()
    number = fields.Integer(metadata={"description": "Order of sign-up within the event (1 = first)"})
    code = fields.String(metadata={"description": "Confirmation code"})
    name = fields.String()
    phone = fields.String(attribute="masked_phone", metadata={"description": "Masked, e.g. 138****5678"})
    id_number = fields.String(attribute="masked_id_number",
                              metadata={"description": "Masked; empty when the event does not ask for it"})
    party_size = fields.Integer(metadata={"description": "People in the sign-up, the person signing up included"})
    status = fields.Enum(RegistrationStatus, by_value=True)
    status_reason = fields.String(metadata={"description": "Why it was rejected or cancelled by the organiser"})
    created_at = fields.DateTime()
    checked_in_at = fields.DateTime(allow_none=True)


class StaffRegistrationPageOut(PageSchema):
    items = fields.List(fields.Nested(StaffRegistrationOut))


class CheckInIn(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=40, error=_l("Give the code.")),
                         metadata={"description": "The confirmation code as typed or scanned (case, spaces and "
                                                  "dashes ignored)"})
    override_day = StrictBoolean(load_default=False, metadata={
        "description": "Check in although today is not a day of the event; without it such a check-in is 409. "
                       "Recorded in the event's history"})


class AccessibilityIn(Schema):
    """What the venue offers visitors with a disability; only the fields sent change."""

    step_free_access = StrictBoolean(metadata={"description": "Ramp or lift, no steps"})
    hearing_loop = StrictBoolean(metadata={"description": "An induction loop for hearing aids"})
    accessible_toilet = StrictBoolean()
    sign_language = StrictBoolean(metadata={"description": "Sign language interpretation"})
    notes = fields.String(
        data_key="notes", attribute="accessibility_notes",
        validate=validate.Length(max=ACCESSIBILITY_NOTES_MAX_LENGTH,
                                 error=_l("At most %(n)d characters.", n=ACCESSIBILITY_NOTES_MAX_LENGTH)),
        metadata={"description": "Anything else about access (a lift, kept seats, a helper)", **MULTILINE},
    )
