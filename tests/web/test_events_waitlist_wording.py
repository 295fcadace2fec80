"""A waitlist place is not a seat: its calendar file, its cancel wording, and the reminder of a confirmed seat."""

import icalendar
import pytest

from engage.events import rules
from engage.events.models import Registration
from engage.extensions import db
from tests.fixtures.events import make_event
from tests.web.test_events_citizen_pages import private_link, sign_up


@pytest.fixture
def seat_and_waitlist(en_client, campaign, department):
    """The private links of a confirmed sign-up and of the waitlist place behind it."""
    event = make_event(campaign, department, capacity=1)
    seat = private_link(sign_up(en_client, event, phone="13800000001"))
    waitlist = private_link(sign_up(en_client, event, phone="13800000002"))
    return seat, waitlist


def calendar_entry(client, link) -> icalendar.Event:
    ics = client.get(f"{link}/calendar.ics")
    assert ics.status_code == 200
    return icalendar.Calendar.from_ical(ics.data).walk("VEVENT")[0]


def test_a_waitlisted_calendar_file_does_not_claim_a_seat(en_client, seat_and_waitlist):
    entry = calendar_entry(en_client, seat_and_waitlist[1])
    assert entry["STATUS"] == "TENTATIVE"
    assert not entry.walk("VALARM")


def test_a_confirmed_calendar_file_reminds_the_day_before(en_client, seat_and_waitlist):
    entry = calendar_entry(en_client, seat_and_waitlist[0])
    assert entry["STATUS"] == "CONFIRMED"
    (alarm,) = entry.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -rules.CALENDAR_REMINDER_BEFORE


def test_the_lookup_page_offers_a_waitlist_place_no_calendar_file(en_client, seat_and_waitlist):
    waitlisted = db.session.scalar(db.select(Registration).where(Registration.phone == "13800000002"))
    page = en_client.post("/events/lookup", data={"code": waitlisted.code, "phone": "13800000002"}).text
    assert "You are on the waitlist" in page
    assert "calendar.ics" not in page


def test_a_waitlist_place_is_left_not_cancelled(en_client, seat_and_waitlist):
    link = seat_and_waitlist[1]
    page = en_client.get(link).text
    assert "Leave the waitlist" in page and "your seat goes" not in page
    asked = en_client.post(f"{link}/cancel").text
    assert "Leave the waitlist?" in asked and "your seat goes" not in asked
    assert "No, keep my place" in asked
    done = en_client.post(f"{link}/cancel", data={"confirmed": "yes"}, follow_redirects=True).text
    assert "You have left the waitlist" in done


def test_a_seat_is_still_cancelled_in_the_words_of_a_seat(en_client, seat_and_waitlist):
    asked = en_client.post(f"{seat_and_waitlist[0]}/cancel").text
    assert "Cancel this sign-up?" in asked and "your seat goes to the next person" in asked


def test_waitlist_wording_in_chinese(client, seat_and_waitlist):
    client.set_cookie("lang", "zh")
    page = client.get(seat_and_waitlist[1]).text
    assert "退出候补" in page and "取消我的报名" not in page


@pytest.mark.parametrize(("event_status", "registration_status", "expected"), [
    ("published", None, "CONFIRMED"),
    ("published", rules.CONFIRMED, "CONFIRMED"),
    ("published", rules.WAITLISTED, "TENTATIVE"),
    ("published", rules.PENDING, "TENTATIVE"),
    ("published", rules.CANCELLED, "CANCELLED"),
    ("cancelled", rules.CONFIRMED, "CANCELLED"),
])
def test_calendar_status(event_status, registration_status, expected):
    assert rules.calendar_status(event_status, registration_status) == expected
