"""Rules of decisions, interpretations and the annual catalogue. Plain functions: no Flask, no database."""

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from engage.core.errors import InvalidTransition
from engage.core.timeutil import china_date
from engage.core.workdays import WorkCalendar, add_working_days

#: the interpretation (政策解读) was published by its deadline / is not yet published, deadline ahead /
#: is missing past its deadline, or came after it
ON_TIME, DUE, LATE = "on_time", "due", "late"

#: what a catalogue entry can become; "added" is how every entry starts
ADDED, AMENDED, POSTPONED, DROPPED, RESTORED = "added", "amended", "postponed", "dropped", "restored"
#: entry status -> the changes allowed from it (a dropped entry can only be restored)
CATALOGUE_TRANSITIONS = {
    "listed": {AMENDED, POSTPONED, DROPPED},
    "postponed": {AMENDED, POSTPONED, DROPPED},
    "dropped": {RESTORED},
}
#: the status an entry has after each change
STATUS_AFTER = {ADDED: "listed", POSTPONED: "postponed", DROPPED: "dropped", RESTORED: "listed"}

#: stages in which a consultation's decision can be linked: its comment period is over
DECIDABLE_STATUSES = ("closed", "feedback_published", "decided")


def interpretation_deadline(decision_published_on: date, working_days: int, calendar: WorkCalendar) -> date:
    """The last day to publish the interpretation: ``working_days`` working days after the decision.

    The publication day itself does not count (as with every period); holidays are skipped and make-up
    working days (调休上班) count. With 0, the interpretation is due with the decision, on the same day.
    """
    return add_working_days(decision_published_on, working_days, calendar)


def interpretation_state(deadline: date, interpreted_on: date | None, today: date) -> str:
    """ON_TIME, DUE or LATE for an interpretation due by the end of ``deadline`` (China dates)."""
    if interpreted_on is not None:
        return ON_TIME if interpreted_on <= deadline else LATE
    return DUE if today <= deadline else LATE


def needs_attention(state: str | None) -> bool:
    """Whether a dashboard lists the interpretation: still to come, or late."""
    return state in (DUE, LATE)


def can_link_decision(public_status: str) -> bool:
    """A decision follows the consultation: not before its comment period has ended."""
    return public_status in DECIDABLE_STATUSES


def closing_day(closes_at: datetime) -> date:
    """The China day a comment period ended; a period ending at midnight ended with the day before."""
    return china_date(closes_at - timedelta(microseconds=1))


def is_decision_date_allowed(published_on: date, consultation_closed_on: date) -> bool:
    """A final decision is published on or after the day its consultation closed, never while comments came in."""
    return published_on >= consultation_closed_on


def is_interpretation_date_allowed(interpreted_on: date, decision_published_on: date) -> bool:
    """An interpretation is released with its decision or after it, never before."""
    return interpreted_on >= decision_published_on


def is_web_address(url: str) -> bool:
    """An absolute http(s) address, so a link never runs script (javascript:) or points inside the site oddly."""
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def can_change_entry(status: str, change: str) -> bool:
    """Whether ``change`` may be made to an entry in ``status``: the edit page offers what this allows."""
    return change in CATALOGUE_TRANSITIONS.get(status, set())


def next_status(status: str, change: str) -> str:
    """The entry's status after ``change`` (an amendment keeps it); ``InvalidTransition`` when not allowed."""
    if not can_change_entry(status, change):
        raise InvalidTransition()
    return STATUS_AFTER.get(change, status)
