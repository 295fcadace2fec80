"""What a sign-up's holder is told by SMS, and when: every message is an outbox row queued in the transaction of
the change that causes it (``engage.notifications``), in the language the citizen signed up in.

Sign-ups give a phone number only, so every message is an SMS (``templates/messages/event_*/sms.txt``), sent to
that number for the purposes the sign-up form names. Links are the sign-up's private page (code, QR code,
calendar file, cancel), which works without logging in.
"""

from datetime import datetime

from flask import current_app

from engage.core.links import public_url
from engage.core.timeutil import to_china
from engage.events import rules
from engage.events.models import Event, Registration, RegistrationStatus
from engage.notifications import bulk
from engage.notifications import services as outbox

#: how the time of an event is written in an SMS: short, the same in both languages, in China time (plain
#: strftime: babel's formatting would fix the interface language of the request this runs in)
SMS_TIME = "%m-%d %H:%M"

#: the template telling a new sign-up where it stands, by its first status
SIGNED_UP_TEMPLATES = {
    RegistrationStatus.CONFIRMED: "event_confirmed",
    RegistrationStatus.PENDING: "event_pending",
    RegistrationStatus.WAITLISTED: "event_waitlisted",
}


def sign_up_token(code: str) -> str:
    return rules.cancel_token(current_app.config["SECRET_KEY"], code)


def private_link(registration: Registration) -> str:
    return private_link_of(registration.code, registration.cancel_token_hash)


def private_link_of(code: str, cancel_token_hash: str) -> str:
    """The sign-up's private page; for a sign-up made before tokens were derived, the lookup page instead."""
    token = sign_up_token(code)
    if rules.is_token_match(token, cancel_token_hash):
        return private_link_for_token(code, token)
    return public_url("events.lookup")


def private_link_for_token(code: str, token: str) -> str:
    return public_url("events.confirmation", code=code, token=token)


def event_params(event: Event) -> dict:
    return {"title": event.title, "time": to_china(event.starts_at).strftime(SMS_TIME),
            "place": event.online_link if event.is_online else event.venue}


def _send(registration: Registration, template: str, *, now: datetime, transactional: bool = True, **params):
    outbox.queue_message(channel="sms", recipient=registration.phone, template=template,
                         params={**event_params(registration.event), "code": registration.code, **params},
                         language=registration.language, about=registration, transactional=transactional, now=now)


def tell_signed_up(registration: Registration, position: int | None, *, now: datetime, link: str | None = None
                   ) -> None:
    """The confirmation (code and private link), or that the sign-up waits for approval or on the waitlist.

    :param link: the private link when the caller made it already (a sign-up makes it before taking the seat's
        lock, to hold that lock for as little as it can)
    """
    _send(registration, SIGNED_UP_TEMPLATES[registration.status], now=now, link=link or private_link(registration),
          position=position)


def tell_promoted(registration: Registration, *, now: datetime) -> None:
    """Seats came free and are now theirs (or held for them while the organiser reviews the sign-up)."""
    template = "event_promoted" if registration.status == RegistrationStatus.CONFIRMED else "event_promoted_pending"
    _send(registration, template, now=now, link=private_link(registration))


def tell_skipped(registration: Registration, position: int, *, now: datetime) -> None:
    """Seats came free but too few for their party: they went to a smaller one behind; they keep their place."""
    _send(registration, "event_skipped", now=now, party_size=registration.party_size, position=position)


def tell_approved(registration: Registration, *, now: datetime) -> None:
    _send(registration, "event_approved", now=now, link=private_link(registration))


def tell_rejected(registration: Registration, *, now: datetime) -> None:
    _send(registration, "event_rejected", now=now, reason=registration.status_reason)


def tell_reminders(event: Event, registrations, *, now: datetime) -> int:
    """The reminder before the event, with each one's code and private link (rows of ``(id, phone, language,
    code, cancel_token_hash)``)."""
    shared = event_params(event)
    batch = [bulk.Addressed(recipient=phone, language=language,
                            params={**shared, "code": code, "link": private_link_of(code, token_hash)},
                            about_type=Registration.__tablename__, about_id=registration_id)
             for registration_id, phone, language, code, token_hash in registrations]
    return bulk.queue_messages(batch, channel="sms", template="event_reminder", transactional=False, now=now)


def tell_questionnaire(event: Event, links, *, now: datetime) -> int:
    """The questionnaire's private link after the event (rows of ``(id, phone, language, link)``)."""
    shared = event_params(event)
    batch = [bulk.Addressed(recipient=phone, language=language, params={**shared, "link": link},
                            about_type=Registration.__tablename__, about_id=registration_id)
             for registration_id, phone, language, link in links]
    return bulk.queue_messages(batch, channel="sms", template="event_questionnaire", transactional=False, now=now)


def _to_everyone(event: Event, registrations, template: str, *, now: datetime, transactional: bool,
                 **params) -> int:
    """The same notice to many sign-ups of ``event`` (as ``(id, phone, language)`` rows), in one batch."""
    shared = {**event_params(event), **params}
    messages = [bulk.Addressed(recipient=phone, language=language, params=shared, about_type=Registration.__tablename__,
                               about_id=registration_id) for registration_id, phone, language in registrations]
    return bulk.queue_messages(messages, channel="sms", template=template, transactional=transactional, now=now)


def tell_event_cancelled(event: Event, registrations, *, now: datetime) -> int:
    """Every sign-up that was active hears that the event is off, and why (they asked for a seat: transactional)."""
    return _to_everyone(event, registrations, "event_cancelled", now=now, transactional=True,
                        reason=event.cancellation_reason)


def tell_event_changed(event: Event, registrations, *, now: datetime) -> int:
    """Every active sign-up hears the new time and place (an update: they can unsubscribe from those)."""
    return _to_everyone(event, registrations, "event_changed", now=now, transactional=False)
