"""Sign-up use cases: register, look up, cancel, promote the waitlist, approve or reject, check in, no-shows.

Every change of seats happens with the event row locked (``lock_row``: FOR UPDATE on PostgreSQL; on SQLite a
writing request already holds the database's write lock), re-read as stored, so the ``seats_taken`` counter
can never pass the capacity whatever the concurrency. Like every service, each takes the acting user (None
for a citizen) and ``now`` explicitly, and only flushes: the request commits.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from engage.core import audit
from engage.core.engine import lock_row
from engage.core.errors import CapacityReached, InvalidTransition, NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.core.templating import china_time
from engage.events import permissions, rules
from engage.events.models import Event, EventStatus, Registration, RegistrationChange, RegistrationStatus
from engage.events.registrations import durability, messages
from engage.extensions import db
from engage.notifications import services as outbox

NAME_MAX_LENGTH = 50


class DuplicateSignUp(RuleViolation):
    default_message = _l("This phone number has already signed up for this event. Look up your sign-up with "
                         "your phone number and confirmation code instead.")


class SignUpClosed(RuleViolation):
    default_message = _l("Sign-up for this event is closed.")


@dataclass
class SignUpInput:
    name: str
    phone: str
    party_size: int = 1
    id_number: str = ""


# ---- the event, locked ---------------------------------------------------------------------------------


def public_event(event_id: int) -> Event:
    """A published or cancelled event; drafts do not exist for the public."""
    event = db.session.get(Event, event_id)
    if event is None or event.status == EventStatus.DRAFT:
        raise NotFound(_l("There is no such event."))
    return event


def locked_event(event_id: int) -> Event:
    """The event row locked until commit, with its counters as stored now (not as this session last saw)."""
    # No joined department: PostgreSQL cannot lock the nullable side of an outer join.
    statement = select(Event).options(lazyload(Event.department)).where(Event.id == event_id)
    statement = lock_row(statement).execution_options(populate_existing=True)
    event = db.session.scalar(statement)
    if event is None:
        raise NotFound(_l("There is no such event."))
    return event


# ---- signing up ----------------------------------------------------------------------------------------


def validate_sign_up(data: SignUpInput, event: Event) -> tuple[dict, SignUpInput]:
    """Per-field problems with a sign-up, and the input cleaned (phone digits only, ID upper-case)."""
    errors: dict = {}
    clean = SignUpInput(name=(data.name or "").strip(), phone=rules.normalize_phone(data.phone),
                        party_size=data.party_size, id_number=rules.normalize_id_number(data.id_number))
    if not clean.name:
        errors["name"] = [_l("Please enter your name.")]
    elif len(clean.name) > NAME_MAX_LENGTH:
        errors["name"] = [_l("The name can have at most %(n)d characters.", n=NAME_MAX_LENGTH)]
    if not clean.phone:
        errors["phone"] = [_l("Please enter your mobile phone number.")]
    elif not rules.is_valid_mobile(clean.phone):
        errors["phone"] = [_l("Enter an 11-digit mobile phone number, such as 13812345678.")]
    if clean.party_size is None or not 1 <= clean.party_size <= event.max_party_size:
        errors["party_size"] = [
            _l("Each sign-up is for one person only.") if event.max_party_size == 1
            else _l("One sign-up can be for 1 to %(n)d people.", n=event.max_party_size)
        ]
    if event.requires_id_number:
        if not clean.id_number:
            errors["id_number"] = [_l("This venue needs your resident ID card number.")]
        elif not rules.is_valid_id_number(clean.id_number):
            errors["id_number"] = [_l("This is not a valid 18-character resident ID card number. Please check it.")]
    else:
        clean.id_number = ""
    return errors, clean


def refusal_message(event: Event, now: datetime):
    """Why the event takes no sign-ups now, in words for the citizen; None while it does."""
    reason = event.sign_up_refusal(now)
    if reason is None:
        return None
    if reason == EventStatus.CANCELLED:
        return _l("This event has been cancelled, so sign-up is closed.")
    if reason == rules.NOT_YET_OPEN:
        return _l("Sign-up opens at %(time)s.", time=_china_time(event.registration_opens_at))
    if reason == rules.CLOSED:
        return _l("Sign-up closed at %(time)s.", time=_china_time(event.registration_closes_at))
    return _l("Sign-up for this event is closed.")


def register(event_id: int, data: SignUpInput, *, now: datetime) -> tuple[Registration, str]:
    """Sign a citizen up: confirmed (or pending approval) while seats are left, else on the waitlist.

    Returns the sign-up and its cancel token, which is stored only as a hash and so can be shown only now.

    :raises NotFound: no such public event
    :raises SignUpClosed: the event is cancelled or outside its registration window
    :raises ValidationFailed: per-field problems (name, phone, party_size, id_number)
    :raises DuplicateSignUp: the phone already has an active sign-up for this event
    :raises CapacityReached: no seats left and no waitlist
    """
    # Everything that needs no lock first, so that the event row is held only for the seat itself: sign-ups
    # for one event queue on that lock, and its hold time sets how many per second one event can take.
    event = db.session.get(Event, event_id)
    if event is None or event.status == EventStatus.DRAFT:
        raise NotFound(_l("There is no such event."))
    _refuse_if_closed(event, now)
    errors, clean = validate_sign_up(data, event)
    if errors:
        raise ValidationFailed(errors)
    if _active_sign_up(event.id, clean.phone) is not None:
        raise DuplicateSignUp()
    code = rules.new_confirmation_code()
    token = messages.sign_up_token(code)
    link = messages.private_link_for_token(code, token)
    durability.commit_without_waiting_for_disk()
    event = locked_event(event_id)
    _refuse_if_closed(event, now)  # cancelled while we waited for the lock
    status = rules.initial_status(clean.party_size, event.seats_left, requires_approval=event.requires_approval,
                                  waitlist_enabled=event.waitlist_enabled)
    if status is None:
        raise CapacityReached(_l("All seats are taken and this event has no waitlist."))
    event.last_sign_up_number += 1
    registration = Registration(
        event=event, number=event.last_sign_up_number, code=code,
        cancel_token_hash=rules.token_hash(token), name=clean.name, phone=clean.phone, active_phone=clean.phone,
        id_number=clean.id_number, party_size=clean.party_size, status=RegistrationStatus(status),
        created_at=now, updated_at=now, changes=[], language=outbox.current_language(),
    )
    db.session.add(registration)
    if rules.holds_seats(status):
        event.seats_taken += clean.party_size
    event.public_version += 1
    _log_change(registration, None, "sign_up", actor=None, now=now)
    _flush_new_sign_up(registration)
    registration.position_when_signed_up = waitlist_position(registration)
    messages.tell_signed_up(registration, registration.position_when_signed_up, now=now, link=link)
    return registration, token


def _refuse_if_closed(event: Event, now: datetime) -> None:
    message = refusal_message(event, now)
    if message is not None:
        raise SignUpClosed(message)


def _active_sign_up(event_id: int, phone: str) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(Registration.event_id == event_id, Registration.active_phone == phone)
    )


def _flush_new_sign_up(registration: Registration) -> None:
    """Store the sign-up; the unique constraint catches a duplicate phone sent at the same moment.

    The check before the lock answers the common case; two requests with one phone that both passed it meet
    here, and the second is refused. (A clash of two random codes, about one in 10^12, is refused the same way.)
    """
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        if "active_phone" in str(error.orig):
            raise DuplicateSignUp() from None
        raise RuleViolation(_l("Please try again in a moment.")) from None


# ---- looking up ----------------------------------------------------------------------------------------

_NOT_FOUND_MESSAGE = _l("No sign-up matches this confirmation code and phone number. Please check both.")


def registration_of(event: Event, registration_id: int) -> Registration:
    """One of ``event``'s sign-ups by id; :raises NotFound: no such sign-up, or it belongs to another event."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        raise NotFound()
    return registration


def find_by_code(code: str) -> Registration | None:
    return db.session.scalar(select(Registration).where(Registration.code == rules.normalize_code(code)))


def find_by_phone(code: str, phone: str) -> Registration:
    """The sign-up with this code, if the phone is the one it was made with (both are needed)."""
    registration = find_by_code(code)
    if registration is None or registration.phone != rules.normalize_phone(phone):
        raise NotFound(_NOT_FOUND_MESSAGE)
    return registration


def codes_for_phone(phone: str, now: datetime, limit: int = 20) -> list[Registration]:
    """The sign-ups made with ``phone`` for events not yet over, newest first (for sending lost codes).

    Whoever calls this sends the codes to that phone; they are never shown on a screen to whoever typed it.
    """
    phone = rules.normalize_phone(phone)
    if not rules.is_valid_mobile(phone):
        return []
    return list(db.session.scalars(
        select(Registration).join(Event).where(Registration.phone == phone, Event.ends_at > now,
                                               Event.status != EventStatus.DRAFT)
        .order_by(Registration.created_at.desc(), Registration.id.desc()).limit(limit)
    ))


def find_by_token(code: str, token: str) -> Registration:
    registration = find_by_code(code)
    if registration is None or not rules.is_token_match(token, registration.cancel_token_hash):
        raise NotFound(_l("This link is not valid. Look up your sign-up with your phone number and code."))
    return registration


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in line; None when not waitlisted. Parties skipped for size keep their place."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        select(func.count()).where(Registration.event_id == registration.event_id,
                                   Registration.status == RegistrationStatus.WAITLISTED,
                                   Registration.number < registration.number)
    )
    return ahead + 1


# ---- changes of state ----------------------------------------------------------------------------------


def _log_change(registration: Registration, before, action: str, *, actor, now: datetime, reason: str = ""):
    db.session.add(RegistrationChange(
        registration=registration, created_at=now, from_status=before, to_status=registration.status,
        actor_id=getattr(actor, "id", None), action=action, reason=reason,
    ))


def _change(registration: Registration, event: Event, action: str, *, actor, now: datetime, reason: str = ""):
    """Apply ``action`` (rules.TRANSITIONS), keep the seat counter and the active phone in step, log it.

    The caller holds the lock on ``event``.
    """
    before = registration.status
    if not rules.can_change(before, action):
        raise _cannot_change(registration)
    after = rules.next_status(before, action)
    seats_delta = (rules.holds_seats(after) - rules.holds_seats(before)) * registration.party_size
    registration.status = RegistrationStatus(after)
    registration.active_phone = registration.phone if rules.is_active(after) else None
    registration.updated_at = now
    event.seats_taken += seats_delta
    event.public_version += 1
    _log_change(registration, before, action, actor=actor, now=now, reason=reason)


def promote_waitlist(event: Event, *, actor=None, now: datetime) -> list[Registration]:
    """Give free seats to the waitlist, first come, first served; a party that does not fit is skipped.

    The caller holds the lock on ``event``. Promoted sign-ups become confirmed, or pending where the event
    needs approval (pending holds the seats, so approving never overbooks).
    """
    if event.status != EventStatus.PUBLISHED or event.seats_left <= 0:
        return []
    waitlist = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.number)
    ).all()
    pairs = [(r.id, r.party_size) for r in waitlist]
    free_seats = event.seats_left
    chosen = set(rules.promotions(pairs, free_seats))
    action = rules.PROMOTE_FOR_REVIEW if event.requires_approval else rules.PROMOTE
    promoted = [r for r in waitlist if r.id in chosen]
    for registration in promoted:
        _change(registration, event, action, actor=actor, now=now)
    db.session.flush()
    for registration in promoted:
        messages.tell_promoted(registration, now=now)
    skipped = set(rules.skipped_parties(pairs, chosen))
    still_waiting = [r for r in waitlist if r.id not in chosen]
    for position, registration in enumerate(still_waiting, start=1):
        if registration.id in skipped:
            registration.passed_over_at, registration.passed_over_seats = now, free_seats
            messages.tell_skipped(registration, position, now=now)
    return promoted


def cancel(registration: Registration, *, actor=None, now: datetime, reason: str = "") -> Registration:
    """Cancel a sign-up (the citizen's own, or by an organiser) and hand its seats to the waitlist.

    :raises RuleViolation: a citizen cancelling after the event started
    :raises InvalidTransition: the sign-up is no longer active
    """
    event = locked_event(registration.event_id)
    db.session.refresh(registration)
    if actor is not None and not permissions.can_manage_event(actor, event):
        raise NotAllowed()
    if not rules.can_cancel(registration.status, event.starts_at, now, by_organiser=actor is not None):
        raise _cancel_refusal(registration, event, now, by_organiser=actor is not None)
    _change(registration, event, rules.CANCEL, actor=actor, now=now, reason=reason.strip())
    promote_waitlist(event, actor=actor, now=now)
    db.session.flush()
    return registration


def _cancel_refusal(registration: Registration, event: Event, now: datetime, *, by_organiser: bool) -> RuleViolation:
    """Why ``rules.can_cancel`` said no, in the words the citizen reads."""
    if not by_organiser and now >= event.starts_at:
        return RuleViolation(_l("The event has already started, so the sign-up can no longer be cancelled."))
    if registration.status == RegistrationStatus.CANCELLED:
        return InvalidTransition(_l("This sign-up is already cancelled."))
    return _cannot_change(registration)


def _cannot_change(registration: Registration) -> InvalidTransition:
    return InvalidTransition(_l("A sign-up that is “%(status)s” cannot be changed like this.",
                                status=registration.status.label))


def approve(registration: Registration, *, actor, now: datetime) -> Registration:
    """The organiser confirms a pending sign-up; its seats were already held."""
    event = _locked_for_organiser(registration, actor)
    _change(registration, event, rules.APPROVE, actor=actor, now=now)
    db.session.flush()
    messages.tell_approved(registration, now=now)
    return registration


def reject(registration: Registration, reason: str, *, actor, now: datetime) -> Registration:
    """The organiser turns down a pending or waitlisted sign-up, with a reason the citizen sees."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_l("Give the reason: the person who signed up will see it.")]})
    event = _locked_for_organiser(registration, actor)
    _change(registration, event, rules.REJECT, actor=actor, now=now, reason=reason)
    registration.status_reason = reason
    messages.tell_rejected(registration, now=now)
    promote_waitlist(event, actor=actor, now=now)
    db.session.flush()
    return registration


def _locked_for_organiser(registration: Registration, actor) -> Event:
    event = locked_event(registration.event_id)
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed()
    db.session.refresh(registration)
    return event


# ---- at the door ---------------------------------------------------------------------------------------


class CheckInOutsideEventDay(RuleViolation):
    """A check-in on another day than the event's, which the organiser has not confirmed."""


def check_in(event: Event, code: str, *, actor, now: datetime, override_day: bool = False) -> Registration:
    """Let a confirmed sign-up in by its code (typed, or by a scanner that types it).

    :param override_day: the organiser confirmed a check-in outside the event's day; it is recorded in the
        event's history, since attendance figures count on check-ins happening at the event.
    :raises NotFound: no sign-up has this code
    :raises RuleViolation: the code is for another event, already used, cancelled, or not confirmed
    :raises CheckInOutsideEventDay: today is not a day of the event and ``override_day`` was not given
    """
    event = locked_event(event.id)
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed()
    registration = find_by_code(code)
    if registration is None:
        raise NotFound(_l("No sign-up has the code %(code)s.", code=rules.normalize_code(code)))
    if registration.event_id != event.id:
        raise RuleViolation(_l("This code is for another event: %(title)s.", title=registration.event.title))
    if registration.status == RegistrationStatus.ATTENDED:
        raise RuleViolation(_l("Already checked in at %(time)s.", time=_china_time(registration.checked_in_at)))
    if not rules.can_change(registration.status, rules.CHECK_IN):
        raise RuleViolation(_l("This sign-up cannot be checked in: it is “%(status)s”.",
                               status=registration.status.label))
    outside_event_day = not rules.is_event_day(event.starts_at, event.ends_at, now)
    if outside_event_day and not override_day:
        raise CheckInOutsideEventDay(_l(
            "This event is on %(day)s, not today: check-in is refused unless you confirm that this person is "
            "checked in outside the event's day.", day=china_time(event.starts_at, "date")))
    _change(registration, event, rules.CHECK_IN, actor=actor, now=now)
    registration.checked_in_at, registration.checked_in_by_id = now, actor.id
    db.session.flush()
    if outside_event_day:
        audit.record("event.check_in_outside_event_day", event, actor=actor, now=now, code=registration.code,
                     registration_id=registration.id)
    return registration


def mark_no_shows(event: Event, *, actor, now: datetime) -> int:
    """Once the event has started, mark every confirmed sign-up not checked in as no-show; returns how many."""
    event = locked_event(event.id)
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed()
    if not event.may_mark_no_shows(now):
        raise RuleViolation(_l("No-shows can be marked only once the event has started."))
    confirmed = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.status == RegistrationStatus.CONFIRMED)
    ).all()
    for registration in confirmed:
        _change(registration, event, rules.MARK_NO_SHOW, actor=actor, now=now)
    db.session.flush()
    return len(confirmed)


def _china_time(moment: datetime) -> str:
    return china_time(moment, "short")
