"""The reminder before an event, sent by a periodic task (``engage.events.jobs``) to every confirmed sign-up.

Idempotent: a sign-up is claimed by setting its ``reminded_at`` in the same UPDATE that picks it (only where it
is still empty), in the transaction that queues its message. Two consumers running the task at once, or a
task run again after a crash, therefore never remind anyone twice; a sign-up confirmed after the reminder
time (promoted from the waitlist, approved) is reminded by the next run, as long as the event has not begun.
"""

from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import exists, select, update

from engage.events import rules
from engage.events.models import Event, EventStatus, Registration, RegistrationStatus
from engage.events.registrations import messages
from engage.extensions import db


def reminder_setting() -> tuple[int, time] | None:
    """(days before, time of day in China) from ``EVENT_REMINDER_DAYS_BEFORE`` / ``EVENT_REMINDER_TIME``;
    None when reminders are switched off (a negative number of days)."""
    days = int(current_app.config["EVENT_REMINDER_DAYS_BEFORE"])
    return None if days < 0 else (days, time.fromisoformat(current_app.config["EVENT_REMINDER_TIME"]))


def send_due_reminders(*, now: datetime) -> int:
    """Queue the reminder of every confirmed sign-up whose event's reminder time has come; returns how many.

    Only flushes; the caller (the periodic task) commits.
    """
    setting = reminder_setting()
    if setting is None:
        return 0
    days_before, at = setting
    # An event whose reminder is due starts within ``days_before`` + 1 days: look no further.
    upcoming = db.session.scalars(
        select(Event).where(Event.status == EventStatus.PUBLISHED, Event.starts_at > now,
                            Event.starts_at <= now + timedelta(days=days_before + 1))
        .where(exists().where(_unreminded(Event.id)))
    ).all()
    return sum(_remind(event, now) for event in upcoming
               if rules.is_reminder_due(event.starts_at, days_before, at, now))


def _unreminded(event_id):
    return ((Registration.event_id == event_id) & (Registration.status == RegistrationStatus.CONFIRMED)
            & Registration.reminded_at.is_(None))


def _remind(event: Event, now: datetime) -> int:
    claimed = db.session.execute(
        update(Registration).where(_unreminded(event.id)).values(reminded_at=now)
        .returning(Registration.id, Registration.phone, Registration.language, Registration.code,
                   Registration.cancel_token_hash)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return 0
    messages.tell_reminders(event, [tuple(row) for row in claimed], now=now)
    return len(claimed)
