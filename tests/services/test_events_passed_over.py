"""A party passed over on the waitlist because it did not fit: it keeps its place and its page says why."""

from engage.core.timeutil import utcnow
from engage.events.models import RegistrationStatus
from engage.events.registrations import services
from engage.extensions import db
from tests.fixtures.events import phone_number, sign_up_with_token


def test_a_party_that_does_not_fit_is_passed_over_with_the_seats_that_were_free(three_seat_event):
    first, _ = sign_up_with_token(three_seat_event, phone=phone_number(1), party_size=2)
    sign_up_with_token(three_seat_event, phone=phone_number(2), party_size=1)
    big, _ = sign_up_with_token(three_seat_event, phone=phone_number(3), party_size=3)
    small, _ = sign_up_with_token(three_seat_event, phone=phone_number(4), party_size=2)
    moment = utcnow()
    services.cancel(first, now=moment)
    db.session.commit()
    assert small.status == RegistrationStatus.CONFIRMED and big.status == RegistrationStatus.WAITLISTED
    assert (big.passed_over_at, big.passed_over_seats) == (moment, 2)
    assert services.waitlist_position(big) == 1


def test_a_party_behind_the_last_promoted_is_not_passed_over(three_seat_event):
    first, _ = sign_up_with_token(three_seat_event, phone=phone_number(1), party_size=3)
    waiting, _ = sign_up_with_token(three_seat_event, phone=phone_number(2), party_size=1)
    behind, _ = sign_up_with_token(three_seat_event, phone=phone_number(3), party_size=3)
    services.cancel(first, now=utcnow())
    db.session.commit()
    assert waiting.status == RegistrationStatus.CONFIRMED
    # The seats went to the sign-up before it, in order: nobody jumped ahead of it.
    assert behind.passed_over_at is None


def test_a_free_seat_nobody_behind_takes_does_not_count_as_passing_over(three_seat_event):
    first, _ = sign_up_with_token(three_seat_event, phone=phone_number(1), party_size=2)
    second, _ = sign_up_with_token(three_seat_event, phone=phone_number(2), party_size=1)
    big, _ = sign_up_with_token(three_seat_event, phone=phone_number(3), party_size=3)
    sign_up_with_token(three_seat_event, phone=phone_number(4), party_size=2)
    services.cancel(first, now=utcnow())
    db.session.commit()
    assert big.passed_over_at is not None
    services.cancel(second, now=utcnow())
    db.session.commit()
    assert big.status == RegistrationStatus.WAITLISTED  # still only 1 free seat
    assert big.passed_over_seats == 2  # that one free seat went to nobody: no smaller party behind it
