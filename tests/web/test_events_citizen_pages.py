"""The citizen's pages: agenda, event, sign-up, confirmation, calendar file, QR code, lookup and cancel."""

import re
from datetime import timedelta

import pytest

from engage.core.errors import RuleViolation
from engage.core.timeutil import utcnow
from engage.events.models import EventKind, Registration, RegistrationStatus
from engage.events.registrations import services
from engage.extensions import db
from tests.fixtures.events import make_event


def sign_up(client, event, phone="13812345678", name="王阿姨", party_size=1, **extra):
    return client.post(f"/events/{event.id}/sign-up", data={"phone": phone, "name": name,
                                                            "party_size": party_size, **extra})


def private_link(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def test_nav_links_to_the_events(client, open_event):
    assert 'href="/events/"' in client.get("/").get_data(as_text=True)


def test_campaign_agenda_groups_events_by_day_and_filters(en_client, campaign, department, other_department):
    make_event(campaign, department, title="走进生态环境局")
    make_event(campaign, other_department, title="交通云直播", kind=EventKind.ONLINE_BROADCAST)
    full = make_event(campaign, department, title="满员座谈会", capacity=1, kind=EventKind.FORUM)
    full.seats_taken = 1
    db.session.commit()
    page = en_client.get(f"/events/campaigns/{campaign.id}").get_data(as_text=True)
    assert "走进生态环境局" in page and "交通云直播" in page and "满员座谈会" in page
    assert 'class="agenda-day"' in page
    online = en_client.get(f"/events/campaigns/{campaign.id}?kind=online_broadcast").get_data(as_text=True)
    assert "交通云直播" in online and "走进生态环境局" not in online
    by_department = en_client.get(f"/events/campaigns/{campaign.id}?department={other_department.id}")
    assert "走进生态环境局" not in by_department.get_data(as_text=True)
    with_seats = en_client.get(f"/events/campaigns/{campaign.id}?seats_left=y").get_data(as_text=True)
    assert "满员座谈会" not in with_seats and "走进生态环境局" in with_seats


def test_event_page_shows_seats_left(en_client, open_event):
    page = en_client.get(f"/events/{open_event.id}").get_data(as_text=True)
    assert "50 seats left" in page
    assert 'autocomplete="tel"' in page


def test_sign_up_leads_to_the_confirmation_with_code_qr_and_calendar(en_client, open_event):
    link = private_link(sign_up(en_client, open_event, party_size=2))
    page = en_client.get(link)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    text = page.get_data(as_text=True)
    registration = db.session.scalar(db.select(Registration))
    assert registration.code in text and "You are signed up" in text and "138****5678" in text
    assert f"/events/qr/{registration.code}.svg" in text
    qr = en_client.get(f"/events/qr/{registration.code}.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    ics = en_client.get(f"{link}/calendar.ics")
    assert ics.mimetype == "text/calendar"
    assert b"BEGIN:VEVENT" in ics.data and registration.code.encode() in ics.data


def test_full_event_shows_the_waitlist_position(en_client, campaign, department):
    event = make_event(campaign, department, capacity=1)
    sign_up(en_client, event, phone="13800000001")
    link = private_link(sign_up(en_client, event, phone="13800000002"))
    text = en_client.get(link).get_data(as_text=True)
    assert "You are on the waitlist" in text and "Your place on the waitlist: 1" in text


def test_cancel_by_private_link_promotes_the_waitlist(en_client, campaign, department):
    event = make_event(campaign, department, capacity=1)
    first = private_link(sign_up(en_client, event, phone="13800000001"))
    sign_up(en_client, event, phone="13800000002")
    asked = en_client.post(f"{first}/cancel")
    assert "Cancel this sign-up?" in asked.get_data(as_text=True)
    assert db.session.scalar(db.select(Registration).where(Registration.phone == "13800000001")).is_active
    response = en_client.post(f"{first}/cancel", data={"confirmed": "yes"}, follow_redirects=True)
    assert "Your sign-up is cancelled" in response.get_data(as_text=True)
    second = db.session.scalar(db.select(Registration).where(Registration.phone == "13800000002"))
    assert second.status == RegistrationStatus.CONFIRMED


def test_invalid_phone_gets_a_clear_message(en_client, open_event):
    response = sign_up(en_client, open_event, phone="1234")
    assert response.status_code == 422
    assert "Enter an 11-digit mobile phone number" in response.get_data(as_text=True)


def test_a_missing_name_and_a_wrong_phone_are_reported_together(en_client, open_event):
    response = sign_up(en_client, open_event, phone="1381234", name="")
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Please enter your name." in text and "Enter an 11-digit mobile phone number" in text


def test_a_wrong_party_size_and_a_wrong_phone_are_reported_together(en_client, open_event):
    response = sign_up(en_client, open_event, phone="1381234", party_size="abc")
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter an 11-digit mobile phone number" in text and "One sign-up can be for 1 to 3 people." in text
    assert "Not a valid integer" not in text
    assert db.session.scalar(db.select(Registration)) is None


def test_duplicate_phone_is_refused_and_the_form_keeps_its_input(en_client, open_event):
    sign_up(en_client, open_event)
    response = sign_up(en_client, open_event, name="李四")
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "already signed up" in text and 'value="李四"' in text


def test_party_too_large_is_refused(en_client, open_event):
    response = sign_up(en_client, open_event, party_size=4)
    assert response.status_code == 422
    assert "1 to 3 people" in response.get_data(as_text=True)


def test_wrong_id_number_is_refused(en_client, campaign, department):
    event = make_event(campaign, department, requires_id_number=True)
    response = sign_up(en_client, event, id_number="110105194912310021")
    assert response.status_code == 422
    assert "not a valid 18-character" in response.get_data(as_text=True)


def test_the_id_number_is_marked_required_where_the_event_asks_for_it(en_client, campaign, department):
    event = make_event(campaign, department, requires_id_number=True)
    page = en_client.get(f"/events/{event.id}").get_data(as_text=True)
    label = re.search(r'<label for="id_number">.*?</label>(.*?)<input', page, re.S)
    assert label and "(required)" in label.group(1)
    missing = sign_up(en_client, event, id_number="").get_data(as_text=True)
    assert re.search(r'<label for="id_number">.*?</label>\s*<span class="required">', missing, re.S)


def test_lookup_by_phone_and_code_then_cancel(en_client, open_event):
    sign_up(en_client, open_event)
    code = db.session.scalar(db.select(Registration.code))
    found = en_client.post("/events/lookup", data={"code": code.lower(), "phone": "138 1234 5678"})
    assert found.status_code == 200 and "Confirmed" in found.get_data(as_text=True)
    asked = en_client.post(f"/events/lookup/{code}/cancel", data={"phone": "13812345678"})
    assert "Cancel this sign-up?" in asked.get_data(as_text=True)
    cancelled = en_client.post(f"/events/lookup/{code}/cancel", data={"phone": "13812345678", "confirmed": "yes"})
    assert "Your sign-up is cancelled" in cancelled.get_data(as_text=True)


def test_lookup_with_wrong_phone_finds_nothing(en_client, open_event):
    sign_up(en_client, open_event)
    code = db.session.scalar(db.select(Registration.code))
    response = en_client.post("/events/lookup", data={"code": code, "phone": "13900000000"})
    assert response.status_code == 404 and "No sign-up matches" in response.get_data(as_text=True)


def test_wrong_token_is_not_found(client, open_event):
    link = private_link(sign_up(client, open_event))
    assert client.get(re.sub(r"/[^/]+$", "/wrong-token", link)).status_code == 404


@pytest.mark.parametrize("path", ["/events/", "/events/lookup"])
def test_pages_answer(client, open_event, path):
    assert client.get(path).status_code == 200


def test_sign_ups_are_rate_limited_per_address(app, client, open_event):
    app.config["RATELIMIT_SIGN_UPS"] = "2 per minute"
    statuses = [sign_up(client, open_event, phone=f"1380000000{i}").status_code for i in range(3)]
    assert statuses == [303, 303, 429]


@pytest.mark.parametrize("started", [False, True])
@pytest.mark.parametrize("status", list(RegistrationStatus))
def test_cancel_button_shows_exactly_when_cancelling_would_work(en_client, campaign, department, status, started):
    event = make_event(campaign, department)
    link = private_link(sign_up(en_client, event))
    registration = db.session.scalar(db.select(Registration))
    registration.status = status
    if started:
        event.starts_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    shown = 'class="cancel-section"' in en_client.get(link).get_data(as_text=True)  # worded for seat or waitlist
    try:
        services.cancel(registration, now=utcnow())
    except RuleViolation:
        cancelled = False
    else:
        cancelled = True
    db.session.rollback()
    assert shown == cancelled


def test_campaign_shows_coming_events_first_and_past_ones_apart(en_client, campaign, department):
    make_event(campaign, department, title="即将举行的座谈会")
    make_event(campaign, department, title="上周的开放日", starts_at=utcnow() - timedelta(days=7))
    page = en_client.get(f"/events/campaigns/{campaign.id}").get_data(as_text=True)
    coming, past = page.index("Coming events"), page.index("Past events")
    assert coming < page.index("即将举行的座谈会") < past < page.index("上周的开放日")
    assert "Over</span>" in page[past:]


def test_campaign_search_finds_events_by_a_word(en_client, campaign, department):
    make_event(campaign, department, title="走进垃圾焚烧发电厂")
    make_event(campaign, department, title="交通座谈会")
    page = en_client.get(f"/events/campaigns/{campaign.id}?q=垃圾").get_data(as_text=True)
    assert "走进垃圾焚烧发电厂" in page and "交通座谈会" not in page
    assert "Words in the title, description or place" in page and "Clear filters" in page


def test_campaign_search_without_a_match_says_so(en_client, campaign, department):
    make_event(campaign, department, title="交通座谈会")
    page = en_client.get(f"/events/campaigns/{campaign.id}?q=不存在的词").get_data(as_text=True)
    assert "No coming event matches these filters." in page


def test_event_page_shows_the_venues_access(en_client, open_event):
    open_event.step_free_access, open_event.hearing_loop = True, True
    open_event.accessibility_notes = "无障碍电梯在东门"
    db.session.commit()
    page = en_client.get(f"/events/{open_event.id}").get_data(as_text=True)
    assert "Step-free access (ramp or lift, no steps)" in page and "Hearing loop for hearing aids" in page
    assert "无障碍电梯在东门" in page and "Accessible toilet" not in page


def test_event_page_says_when_access_is_not_stated(en_client, open_event):
    page = en_client.get(f"/events/{open_event.id}").get_data(as_text=True)
    assert "Not stated. Ask the host department if you need help to attend." in page
