"""Sign-ups found by the phone they were made with, so that lost confirmation codes can be sent back to it."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from engage.events.models import Event, Registration, RegistrationStatus
from engage.extensions import db

#: sign-ups whose code still has a use: shown at the door, or to follow a waitlist place or an approval
OPEN_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


@dataclass
class Found:
    registrations: list[Registration]
    #: how many such sign-ups the phone has in all (``registrations`` holds at most the limit asked for)
    total: int


def open_sign_ups_for_phone(phone: str, *, now: datetime, limit: int = 20) -> Found:
    """The phone's sign-ups that are still open, for events that have not ended, soonest event first.

    :param phone: 11 digits, as sign-ups store them
    """
    conditions = (Registration.phone == phone, Registration.status.in_(OPEN_STATUSES), Event.ends_at > now)
    joined = select(Registration).join(Event, Registration.event_id == Event.id).where(*conditions)
    total = db.session.scalar(select(func.count()).select_from(joined.subquery()))
    registrations = db.session.scalars(
        joined.order_by(Event.starts_at, Registration.id).limit(limit)
    ).all() if total else []
    return Found(registrations=list(registrations), total=total)


def sign_ups_for_phone(phone: str, *, limit: int = 100) -> list[Registration]:
    """Every sign-up made with this phone, in any state, latest event first (a citizen's own list).

    :param phone: 11 digits, as sign-ups store them
    """
    return list(db.session.scalars(
        select(Registration).join(Event, Registration.event_id == Event.id).where(Registration.phone == phone)
        .order_by(Event.starts_at.desc(), Registration.id.desc()).limit(limit)
    ))
