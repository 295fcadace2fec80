"""Rules of organising an event, as plain functions of values and ``now``: no Flask, no database.

What an event's details must satisfy before it is saved or published, what may change once people signed up,
and the attendance figures after it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from engage.events import rules

ONLINE_KINDS = frozenset({"online_broadcast"})
#: changes to a published event that every active sign-up is told of
NOTIFIED_CHANGES = frozenset({"starts_at", "ends_at", "venue", "online_link"})
ACCESSIBILITY_NOTES_MAX_LENGTH = 1000
#: the event values publishing checks
PUBLISH_FIELDS = ("kind", "venue", "online_link", "starts_at", "ends_at", "registration_opens_at",
                  "registration_closes_at", "capacity", "max_party_size")


def _time_problems(values: Mapping) -> dict[str, list]:
    problems: dict[str, list] = {}
    starts, ends = values.get("starts_at"), values.get("ends_at")
    opens, closes = values.get("registration_opens_at"), values.get("registration_closes_at")
    if starts and ends and ends <= starts:
        problems["ends_at"] = [_l("The event must end after it starts.")]
    if opens and closes and closes <= opens:
        problems["registration_closes_at"] = [_l("Sign-up must close after it opens.")]
    elif closes and starts and closes > starts:
        problems["registration_closes_at"] = [_l("Sign-up must close by the time the event starts.")]
    return problems


def _place_problems(values: Mapping) -> dict[str, list]:
    if str(values.get("kind")) in ONLINE_KINDS:
        if not values.get("online_link"):
            return {"online_link": [_l("An online broadcast needs its link.")]}
    elif not values.get("venue"):
        return {"venue": [_l("Give the venue: address and meeting point.")]}
    return {}


def event_problems(values: Mapping) -> dict[str, list]:
    """What is wrong with an event's details, by field; empty when they may be saved."""
    problems = _time_problems(values) | _place_problems(values) | accessibility_problems(values)
    capacity, party = values.get("capacity"), values.get("max_party_size")
    if capacity is not None and capacity < 1:
        problems["capacity"] = [_l("An event needs at least one seat.")]
    if party is not None and (party < 1 or (capacity and party > capacity)):
        problems["max_party_size"] = [_l("A party must be at least 1 and no larger than the seats.")]
    return problems


def accessibility_problems(values: Mapping) -> dict[str, list]:
    """What is wrong with what an event states about access to its venue."""
    if len(values.get("accessibility_notes") or "") > ACCESSIBILITY_NOTES_MAX_LENGTH:
        return {"accessibility_notes": [_l("At most %(n)d characters.", n=ACCESSIBILITY_NOTES_MAX_LENGTH)]}
    return {}


def capacity_problem(new_capacity: int, seats_taken: int):
    """Seats already held by sign-ups cannot be taken away; the message, or None."""
    if new_capacity < seats_taken:
        return _l("%(taken)d seats are already held by sign-ups: the event needs at least that many.",
                  taken=seats_taken)
    return None


def publish_problems(values: Mapping, now: datetime) -> dict[str, list]:
    """Why an event cannot be published now: its details, and it must not have ended already."""
    problems = event_problems(values)
    if values.get("ends_at") and values["ends_at"] <= now:
        problems.setdefault("ends_at", []).append(_l("The event is over: it can no longer be published."))
    return problems


def is_publishable(status: str) -> bool:
    """Only a draft (event or campaign) is published: the desk offers Publish exactly when the service takes it."""
    return status == "draft"


def is_editable(event_status: str) -> bool:
    """A cancelled event is kept as it was when cancelled: the people who signed up were told about that one."""
    return event_status != "cancelled"


def is_over(ends_at: datetime, now: datetime) -> bool:
    return now >= ends_at


def may_mark_no_shows(starts_at: datetime, now: datetime) -> bool:
    """The rest are marked no-show only once the event has begun (people arrive late; see rules.TRANSITIONS)."""
    return now >= starts_at


@dataclass(frozen=True)
class Attendance:
    """An event's figures: sign-ups and the people in them, by what became of them."""

    sign_ups: dict[str, int]
    people: dict[str, int]

    @property
    def registered_sign_ups(self) -> int:
        return sum(self.sign_ups.values())

    @property
    def registered_people(self) -> int:
        return sum(self.people.values())

    @property
    def attendance_rate(self) -> float | None:
        """Attended people among those who held seats at the end (attended + no-show)."""
        expected = self.people[rules.ATTENDED] + self.people[rules.NO_SHOW]
        return self.people[rules.ATTENDED] / expected if expected else None


def attendance(rows: Iterable[tuple[str, int, int]]) -> Attendance:
    """The figures from ``(status, sign_ups, people)`` rows; every status present, zero where none."""
    sign_ups = dict.fromkeys(rules.REGISTRATION_STATUSES, 0)
    people = dict.fromkeys(rules.REGISTRATION_STATUSES, 0)
    for status, count, persons in rows:
        sign_ups[str(status)] += count
        people[str(status)] += persons or 0
    return Attendance(sign_ups, people)
