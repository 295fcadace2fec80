"""A party passed over on the waitlist because it did not fit: it keeps its place and its page says why."""

import pytest

from engage.core.timeutil import utcnow
from engage.events.models import RegistrationStatus
from engage.events.registrations import services
from engage.events.registrations.services import SignUpInput
from engage.extensions import db
from tests.fixtures.events import make_event


def _sign_up(event, suffix, party_size):
    registration, token = services.register(
        event.id, SignUpInput(name="张三", phone=f"138{suffix:08d}", party_size=party_size), now=utcnow())
    db.session.commit()
    return registration, token


@pytest.fixture
def small_event(campaign, department):
    return make_event(campaign, department, capacity=3, max_party_size=3)


def test_a_party_that_does_not_fit_is_passed_over_with_the_seats_that_were_free(small_event):
    first, _ = _sign_up(small_event, 1, 2)
    _sign_up(small_event, 2, 1)
    big, _ = _sign_up(small_event, 3, 3)
    small, _ = _sign_up(small_event, 4, 2)
    moment = utcnow()
    services.cancel(first, now=moment)
    db.session.commit()
    assert small.status == RegistrationStatus.CONFIRMED and big.status == RegistrationStatus.WAITLISTED
    assert (big.passed_over_at, big.passed_over_seats) == (moment, 2)
    assert services.waitlist_position(big) == 1


def test_a_party_behind_the_last_promoted_is_not_passed_over(small_event):
    first, _ = _sign_up(small_event, 1, 3)
    waiting, _ = _sign_up(small_event, 2, 1)
    behind, _ = _sign_up(small_event, 3, 3)
    services.cancel(first, now=utcnow())
    db.session.commit()
    assert waiting.status == RegistrationStatus.CONFIRMED
    # The seats went to the sign-up before it, in order: nobody jumped ahead of it.
    assert behind.passed_over_at is None


def test_a_free_seat_nobody_behind_takes_does_not_count_as_passing_over(small_event):
    first, _ = _sign_up(small_event, 1, 2)
    second, _ = _sign_up(small_event, 2, 1)
    big, _ = _sign_up(small_event, 3, 3)
    _sign_up(small_event, 4, 2)
    services.cancel(first, now=utcnow())
    db.session.commit()
    assert big.passed_over_at is not None
    services.cancel(second, now=utcnow())
    db.session.commit()
    assert big.status == RegistrationStatus.WAITLISTED  # still only 1 free seat
    assert big.passed_over_seats == 2  # that one free seat went to nobody: no smaller party behind it
