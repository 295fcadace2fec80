"""marshmallow schemas of the public events API: what clients send (``*In``) and what they get (``*Out``).

Public answers never carry a full phone or ID number: a sign-up shows its phone masked.
"""

from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from engage.core.schemas import (
    ChoiceEnum,
    DepartmentOut,
    Embedded,
    PageQuerySchema,
    PageSchema,
    QueryFlag,
    Schema,
    SearchText,
    request_now,
)
from engage.events import rules
from engage.events.models import (
    Campaign,
    CampaignStatus,
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationChange,
    RegistrationStatus,
)
from engage.events.registrations import services

# ---- queries -------------------------------------------------------------------------------------------


class EventQuery(PageQuerySchema):
    campaign = fields.Integer(metadata={"description": "Only events of this campaign (its id)"})
    kind = ChoiceEnum(EventKind, by_value=True, metadata={"description": "Only events of this kind"})
    department = fields.Integer(metadata={"description": "Only events hosted by this department (its id)"})
    region = SearchText(validate=validate.Length(max=40, error=_l("At most %(n)d characters.", n=40)), metadata={
        "description": "Only those of this region (its short name, see /api/v1/regions) and every region below it"})
    seats_left = QueryFlag(load_default=False, metadata={"description": "Only published events with seats left"})
    upcoming = QueryFlag(load_default=False, metadata={"description": "Only events that have not ended"})
    past = QueryFlag(load_default=False, metadata={"description": "Only events that have ended, latest first"})
    q = SearchText(validate=validate.Length(max=100, error=_l("At most %(n)d characters.", n=100)), metadata={
        "description": "Text searched for in the title, description and venue (a substring: 垃圾 finds 垃圾分类)"})

    @validates_schema
    def _not_both_upcoming_and_past(self, data, **kwargs):
        if data.get("upcoming") and data.get("past"):
            raise ValidationError(_l("Ask for upcoming or for past events, not both."), field_name="past")


class RegistrationQuery(Schema):
    token = SearchText(load_default="", metadata={"description": "The cancel token given at sign-up"})
    phone = SearchText(load_default="", metadata={"description": "Or: the phone number used to sign up"})


# ---- answers -------------------------------------------------------------------------------------------


class CampaignOut(Schema):
    class Meta:
        model = Campaign

    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    status = fields.Enum(CampaignStatus, by_value=True)
    url = fields.Function(lambda c: url_for("events.campaign", campaign_id=c.id, _external=True),
                          metadata={"description": "The campaign's page with its agenda"})


class CampaignQuery(Schema):
    region = SearchText(validate=validate.Length(max=40, error=_l("At most %(n)d characters.", n=40)), metadata={
        "description": "Only campaigns with an event hosted in this region (its short name, see /api/v1/regions) "
                       "or any region below it"})


class CampaignListOut(Schema):
    items = fields.List(fields.Nested(CampaignOut))


class RegistrationWindowOut(Schema):
    class Meta:
        model = Event

    opens_at = fields.DateTime(attribute="registration_opens_at", metadata={"description": "Sign-up from (UTC)"})
    closes_at = fields.DateTime(attribute="registration_closes_at",
                                metadata={"description": "Sign-up refused from this moment on (UTC)"})
    state = fields.Function(
        lambda e: rules.registration_window_state(e.registration_opens_at, e.registration_closes_at, request_now()),
        metadata={"type": "string", "enum": [rules.NOT_YET_OPEN, rules.OPEN, rules.CLOSED]},
    )
    is_taking_sign_ups = fields.Function(
        lambda e: e.is_taking_sign_ups(request_now()),
        metadata={"type": "boolean", "description": "Published and inside the window right now"},
    )


class AccessibilityOut(Schema):
    class Meta:
        model = Event

    step_free_access = fields.Boolean(metadata={"description": "Ramp or lift, no steps; false: not stated"})
    hearing_loop = fields.Boolean(metadata={"description": "An induction loop for hearing aids; false: not stated"})
    accessible_toilet = fields.Boolean(metadata={"description": "false: not stated"})
    sign_language = fields.Boolean(metadata={"description": "Sign language interpretation; false: not stated"})
    notes = fields.String(attribute="accessibility_notes", metadata={"description": "Anything else about access"})


class EventOut(Schema):
    class Meta:
        model = Event

    id = fields.Integer()
    campaign_id = fields.Integer()
    title = fields.String()
    description = fields.String()
    kind = fields.Enum(EventKind, by_value=True)
    status = fields.Enum(EventStatus, by_value=True)
    cancellation_reason = fields.String()
    department = fields.Nested(DepartmentOut, metadata={"description": "The host department"})
    venue = fields.String()
    online_link = fields.String()
    accessibility = Embedded(AccessibilityOut, metadata={"description": "Access to the venue, as the organiser "
                                                                        "states it"})
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    registration = Embedded(RegistrationWindowOut)
    capacity = fields.Integer(metadata={"description": "Seats, counted in people"})
    seats_taken = fields.Integer(metadata={"description": "People holding seats (confirmed, pending approval...)"})
    seats_left = fields.Integer()
    max_party_size = fields.Integer(metadata={"description": "Most people one sign-up may be for"})
    requires_id_number = fields.Boolean()
    requires_approval = fields.Boolean()
    waitlist_enabled = fields.Boolean()
    url = fields.Function(lambda e: url_for("events.event", event_id=e.id, _external=True),
                          metadata={"description": "The event's page"})
    calendar_url = fields.Function(lambda e: url_for("events_api.event_calendar", event_id=e.id, _external=True),
                                   metadata={"description": "iCalendar file"})


class EventPageOut(PageSchema):
    items = fields.List(fields.Nested(EventOut))


class TypedText(fields.String):
    """Text a person typed; a number (a phone sent as 13812345678) is read as its digits."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        return super()._deserialize(value, attr, data, **kwargs)


class PartySize(fields.Integer):
    """A number of people: anything but a whole number is passed on as missing, for the service to report."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError:
            return None


class RegistrationIn(Schema):
    # Checked by the service, which knows the event's limits: the fields load leniently, so that a wrong type
    # does not stop the body here and hide the other fields' problems until the next attempt.
    name = TypedText(required=True, metadata={"minLength": 1, "maxLength": services.NAME_MAX_LENGTH})
    phone = TypedText(required=True, metadata={"description": "Mainland China mobile number, 11 digits",
                                               "example": "13812345678"})
    party_size = PartySize(load_default=1, metadata={"description": "People, the one signing up included"})
    id_number = TypedText(load_default="", metadata={
        "description": "18-character resident ID number; required only where the event says so"})


class CancelIn(Schema):
    token = fields.String(required=True, metadata={"description": "The cancel token given at sign-up"})


class RegistrationChangeOut(Schema):
    class Meta:
        model = RegistrationChange

    at = fields.DateTime(attribute="created_at")
    status = fields.Enum(RegistrationStatus, by_value=True, attribute="to_status")
    reason = fields.String()


def _passed_over(registration):
    if registration.status != RegistrationStatus.WAITLISTED or registration.passed_over_at is None:
        return None
    return {"at": fields.DateTime().serialize("at", {"at": registration.passed_over_at}),
            "seats_free": registration.passed_over_seats}


class RegistrationOut(Schema):
    class Meta:
        model = Registration

    code = fields.String(metadata={"description": "Confirmation code, shown at check-in"})
    event_id = fields.Integer()
    status = fields.Enum(RegistrationStatus, by_value=True)
    status_reason = fields.String(metadata={"description": "The organiser's reason, when not approved"})
    waitlist_position = fields.Function(
        lambda r: r.position_when_signed_up or services.waitlist_position(r),
        metadata={"type": "integer", "nullable": True, "description": "1 = first in line; null when not waitlisted"},
    )
    passed_over = fields.Function(_passed_over, metadata={
        "type": "object", "nullable": True,
        "description": "While waitlisted: the last time seats came free that were too few for this party and went "
                       "to a smaller one behind it (at, seats_free); its place in line stays the same"})
    name = fields.String()
    phone = fields.String(attribute="masked_phone", metadata={"description": "Masked, e.g. 138****5678"})
    party_size = fields.Integer()
    created_at = fields.DateTime()
    history = fields.List(fields.Nested(RegistrationChangeOut), attribute="changes")
    qr_code_url = fields.Function(lambda r: url_for("events.qr_code", code=r.code, _external=True))


class RegistrationCreatedOut(RegistrationOut):
    cancel_token = fields.String(metadata={
        "description": "Secret for cancelling and looking up; given only now, keep it"})
    private_url = fields.String(metadata={"description": "The citizen's private page for this sign-up"})
