"""Check-in happens on the event's day; another day needs the organiser's confirmation, which is recorded."""

from datetime import UTC, datetime, timedelta

import pytest

from engage.core.audit import history_of
from engage.events import rules
from engage.events.models import RegistrationStatus
from engage.events.registrations import services
from engage.events.registrations.services import CheckInOutsideEventDay
from tests.fixtures.events import sign_up

#: 10:00 to 12:00 in Beijing on 12 March 2026
STARTS, ENDS = datetime(2026, 3, 12, 2, 0, tzinfo=UTC), datetime(2026, 3, 12, 4, 0, tzinfo=UTC)


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2026, 3, 11, 15, 59, tzinfo=UTC), False),  # 23:59 the evening before, in Beijing
    (datetime(2026, 3, 11, 16, 0, tzinfo=UTC), True),    # midnight in Beijing: the event's day has begun
    (datetime(2026, 3, 12, 15, 59, tzinfo=UTC), True),   # 23:59 on the day
    (datetime(2026, 3, 12, 16, 0, tzinfo=UTC), False),   # the next day
    (datetime(2026, 3, 3, 2, 0, tzinfo=UTC), False),     # nine days before
])
def test_is_event_day_follows_the_calendar_in_china(now, expected):
    assert rules.is_event_day(STARTS, ENDS, now) is expected


def test_an_event_over_several_days_admits_on_each_of_them():
    assert rules.is_event_day(STARTS, STARTS + timedelta(days=2), STARTS + timedelta(days=2))


def test_check_in_nine_days_early_is_refused(open_event, organiser):
    registration = sign_up(open_event)
    with pytest.raises(CheckInOutsideEventDay):
        services.check_in(open_event, registration.code, actor=organiser, now=open_event.starts_at - timedelta(days=9))
    assert registration.status == RegistrationStatus.CONFIRMED


def test_a_confirmed_override_checks_in_and_is_recorded(open_event, organiser):
    registration = sign_up(open_event)
    early = open_event.starts_at - timedelta(days=9)
    services.check_in(open_event, registration.code, actor=organiser, now=early, override_day=True)
    assert registration.status == RegistrationStatus.ATTENDED
    [entry] = [e for e in history_of(open_event) if e.action == "event.check_in_outside_event_day"]
    assert entry.actor_id == organiser.id and entry.detail["code"] == registration.code


def test_check_in_on_the_day_records_no_override(open_event, organiser):
    registration = sign_up(open_event)
    services.check_in(open_event, registration.code, actor=organiser, now=open_event.starts_at, override_day=True)
    assert not [e for e in history_of(open_event) if e.action == "event.check_in_outside_event_day"]
