"""The page and the API answer of a sign-up passed over on the waitlist: why, and its place."""

import pytest

from engage.core.timeutil import utcnow
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


def _passed_over_big_party(event):
    first, _ = _sign_up(event, 1, 2)
    _sign_up(event, 2, 1)
    big, token = _sign_up(event, 3, 3)
    _sign_up(event, 4, 2)
    services.cancel(first, now=utcnow())
    db.session.commit()
    return big, token


def test_the_sign_up_page_says_why_and_the_place(en_client, small_event):
    big, token = _passed_over_big_party(small_event)
    page = en_client.get(f"/events/sign-ups/{big.code}/{token}").get_data(as_text=True)
    assert "Your place on the waitlist: 1" in page
    assert "2 seats came free, too few for your party of 3, so they went to a smaller party behind you." in page


def test_the_sign_up_page_of_a_party_never_passed_over_says_nothing_of_it(en_client, small_event):
    _sign_up(small_event, 1, 3)
    waiting, token = _sign_up(small_event, 2, 1)
    page = en_client.get(f"/events/sign-ups/{waiting.code}/{token}").get_data(as_text=True)
    assert "Your place on the waitlist: 1" in page and "too few for your party" not in page


def test_the_registration_api_says_when_and_how_many_seats(client, small_event):
    big, token = _passed_over_big_party(small_event)
    answer = client.get(f"/api/v1/registrations/{big.code}", query_string={"token": token}).json
    assert answer["waitlist_position"] == 1 and answer["passed_over"]["seats_free"] == 2
    assert answer["passed_over"]["at"].startswith(str(big.passed_over_at.date()))
