"""The page and the API answer of a sign-up passed over on the waitlist: why, and its place."""

from engage.core.timeutil import utcnow
from engage.events.registrations import services
from engage.extensions import db
from tests.fixtures.events import phone_number, sign_up_with_token


def _passed_over_big_party(event):
    first, _ = sign_up_with_token(event, phone=phone_number(1), party_size=2)
    sign_up_with_token(event, phone=phone_number(2), party_size=1)
    big, token = sign_up_with_token(event, phone=phone_number(3), party_size=3)
    sign_up_with_token(event, phone=phone_number(4), party_size=2)
    services.cancel(first, now=utcnow())
    db.session.commit()
    return big, token


def test_the_sign_up_page_says_why_and_the_place(en_client, three_seat_event):
    big, token = _passed_over_big_party(three_seat_event)
    page = en_client.get(f"/events/sign-ups/{big.code}/{token}").get_data(as_text=True)
    assert "Your place on the waitlist: 1" in page
    assert "2 seats came free, too few for your party of 3, so they went to a smaller party behind you." in page


def test_the_sign_up_page_of_a_party_never_passed_over_says_nothing_of_it(en_client, three_seat_event):
    sign_up_with_token(three_seat_event, phone=phone_number(1), party_size=3)
    waiting, token = sign_up_with_token(three_seat_event, phone=phone_number(2), party_size=1)
    page = en_client.get(f"/events/sign-ups/{waiting.code}/{token}").get_data(as_text=True)
    assert "Your place on the waitlist: 1" in page and "too few for your party" not in page


def test_the_registration_api_says_when_and_how_many_seats(client, three_seat_event):
    big, token = _passed_over_big_party(three_seat_event)
    answer = client.get(f"/api/v1/registrations/{big.code}", query_string={"token": token}).json
    assert answer["waitlist_position"] == 1 and answer["passed_over"]["seats_free"] == 2
    assert answer["passed_over"]["at"].startswith(str(big.passed_over_at.date()))
