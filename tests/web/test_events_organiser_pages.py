"""The organiser desk through the browser's eyes (test client): campaigns, events, sign-up list, check-in."""

from datetime import timedelta

import pytest

from engage.core.audit import history_of
from engage.events.models import Campaign, CampaignStatus, Event, EventStatus, Registration
from engage.extensions import db
from tests.fixtures.events import make_event, phone_number, sign_up


def _event_form(campaign, department, now, **changes):
    starts = now + timedelta(days=20)
    form = {
        "title": "走进市生态环境局", "campaign_id": str(campaign.id), "department_id": str(department.id),
        "kind": "institution_visit", "description": "参观环境监测中心。", "venue": "市政务服务中心三楼",
        "online_link": "", "starts_at": (starts + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=10)).strftime("%Y-%m-%dT%H:%M"),
        "registration_opens_at": (now + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
        "registration_closes_at": (starts - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "30", "max_party_size": "2", "waitlist_enabled": "y",
    }
    form.update(changes)
    return form


def test_office_organiser_creates_and_publishes_a_campaign(client, auth, office_organiser):
    auth.login(office_organiser.email)
    response = client.post("/staff/events/campaigns/new", data={"title": "2026年政府开放月", "description": "开放月"})
    assert response.status_code == 302
    campaign = db.session.scalar(db.select(Campaign))
    assert campaign.status == CampaignStatus.DRAFT
    client.post(f"/staff/events/campaigns/{campaign.id}/publish")
    db.session.refresh(campaign)
    assert campaign.status == CampaignStatus.PUBLISHED


def test_organiser_creates_then_publishes_an_event(en_client, auth, organiser, campaign, department, now):
    auth.login(organiser.email)
    response = en_client.post("/staff/events/new", data=_event_form(campaign, department, now))
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event))
    assert (event.status, event.capacity, event.max_party_size) == (EventStatus.DRAFT, 30, 2)
    en_client.post(f"/staff/events/{event.id}/publish")
    db.session.refresh(event)
    assert event.status == EventStatus.PUBLISHED


def test_event_form_shows_time_problems(en_client, auth, organiser, campaign, department, now):
    auth.login(organiser.email)
    form = _event_form(campaign, department, now, ends_at=(now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    response = en_client.post("/staff/events/new", data=form)
    assert response.status_code == 422
    assert "The event must end after it starts." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Event)) is None


def test_event_form_shows_seat_and_time_problems_together(en_client, auth, organiser, campaign, department, now):
    auth.login(organiser.email)
    form = _event_form(campaign, department, now, capacity="0", venue="",
                       ends_at=(now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    response = en_client.post("/staff/events/new", data=form)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Number must be between 1 and 100000." in text
    assert "The event must end after it starts." in text and "Give the venue" in text
    assert db.session.scalar(db.select(Event)) is None


def test_editing_shows_seat_and_time_problems_together(en_client, auth, organiser, campaign, department, now):
    auth.login(organiser.email)
    event = make_event(campaign, department)
    form = _event_form(campaign, department, now, capacity="abc",
                       registration_closes_at=(now + timedelta(days=25)).strftime("%Y-%m-%dT%H:%M"))
    response = en_client.post(f"/staff/events/{event.id}/edit", data=form)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Not a valid integer value." in text and "Sign-up must close by the time the event starts." in text


def test_departmental_organiser_cannot_host_for_another_department(en_client, auth, organiser, campaign,
                                                                   other_department, now):
    auth.login(organiser.email)
    response = en_client.post("/staff/events/new", data=_event_form(campaign, other_department, now))
    assert response.status_code == 422
    assert db.session.scalar(db.select(Event)) is None


def test_cancelling_an_event_cancels_its_sign_ups_with_the_reason(client, auth, organiser, open_event):
    registration = sign_up(open_event)
    auth.login(organiser.email)
    response = client.post(f"/staff/events/{open_event.id}/cancel", data={"reason": "因台风预警取消"})
    assert response.status_code == 302
    db.session.expire_all()
    registration = db.session.get(Registration, registration.id)
    assert registration.status == "cancelled"
    assert registration.status_reason == "因台风预警取消"
    assert open_event.status == EventStatus.CANCELLED and open_event.seats_taken == 0


def test_registration_list_finds_by_phone_name_and_code(en_client, auth, organiser, open_event):
    first = sign_up(open_event, "王小明", phone_number(1))
    sign_up(open_event, "李四", phone_number(2))
    auth.login(organiser.email)
    url = f"/staff/events/{open_event.id}/registrations"
    for q in ("王小", phone_number(1)[-4:], first.code.lower()):
        page = en_client.get(url, query_string={"q": q}).get_data(as_text=True)
        assert "王小明" in page and "李四" not in page, q
    page = en_client.get(url).get_data(as_text=True)
    assert "139****0001" in page and phone_number(1) not in page


def test_registration_list_filters_by_status(en_client, auth, organiser, campaign, department):
    event = make_event(campaign, department, capacity=1)
    sign_up(event, "王小明", phone_number(1))
    sign_up(event, "李四", phone_number(2))
    auth.login(organiser.email)
    page = en_client.get(f"/staff/events/{event.id}/registrations", query_string={"status": "waitlisted"})
    assert "李四" in page.get_data(as_text=True) and "王小明" not in page.get_data(as_text=True)


def test_rejecting_needs_a_reason(en_client, auth, organiser, campaign, department):
    event = make_event(campaign, department, requires_approval=True)
    registration = sign_up(event)
    auth.login(organiser.email)
    url = f"/staff/events/{event.id}/registrations/{registration.id}/decision"
    response = en_client.post(url, data={"decision": "reject", "reason": " "}, follow_redirects=True)
    assert "Give the reason" in response.get_data(as_text=True)
    assert db.session.get(Registration, registration.id).status == "pending"
    en_client.post(url, data={"decision": "reject", "reason": "名额已满"})
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "rejected"


def test_approving_confirms_a_pending_sign_up(client, auth, organiser, campaign, department):
    event = make_event(campaign, department, requires_approval=True)
    registration = sign_up(event)
    auth.login(organiser.email)
    client.post(f"/staff/events/{event.id}/registrations/{registration.id}/decision", data={"decision": "approve"})
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "confirmed"


def test_check_in_shows_the_person_then_confirms(en_client, auth, organiser, started_event):
    registration = db.session.scalar(db.select(Registration).where(Registration.party_size == 2))
    auth.login(organiser.email)
    url = f"/staff/events/{started_event.id}/check-in"
    page = en_client.post(url, data={"code": registration.code.lower()}).get_data(as_text=True)
    assert registration.name in page and "2 people" in page and "Confirm check-in" in page
    assert db.session.get(Registration, registration.id).status == "confirmed"
    response = en_client.post(url + "/confirm", data={"code": registration.code}, follow_redirects=True)
    assert f"Checked in: {registration.name}" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "attended"


def test_check_in_refuses_a_code_used_twice(en_client, auth, organiser, started_event):
    registration = db.session.scalars(db.select(Registration)).first()
    auth.login(organiser.email)
    url = f"/staff/events/{started_event.id}/check-in"
    en_client.post(url + "/confirm", data={"code": registration.code})
    for path in (url, url + "/confirm"):
        response = en_client.post(path, data={"code": registration.code})
        assert response.status_code == 409
        assert "Already checked in" in response.get_data(as_text=True)


def test_check_in_refuses_another_events_code(en_client, auth, organiser, started_event, open_event):
    other = sign_up(open_event)
    auth.login(organiser.email)
    response = en_client.post(f"/staff/events/{started_event.id}/check-in", data={"code": other.code})
    assert response.status_code == 409
    assert "This code is for another event" in response.get_data(as_text=True)


def test_check_in_refuses_a_cancelled_sign_up_and_an_unknown_code(en_client, auth, organiser, open_event):
    from engage.events.registrations import services

    registration = sign_up(open_event)
    services.cancel(registration, now=registration.created_at)
    db.session.commit()
    auth.login(organiser.email)
    url = f"/staff/events/{open_event.id}/check-in"
    assert "cannot be checked in" in en_client.post(url, data={"code": registration.code}).get_data(as_text=True)
    assert "No sign-up has the code ZZZZ2222" in en_client.post(url, data={"code": "zzzz-2222"}).get_data(as_text=True)


def test_mark_the_rest_as_no_show_and_see_the_figures(en_client, auth, organiser, started_event):
    first = db.session.scalars(db.select(Registration).order_by(Registration.number)).first()
    auth.login(organiser.email)
    en_client.post(f"/staff/events/{started_event.id}/check-in/confirm", data={"code": first.code})
    en_client.post(f"/staff/events/{started_event.id}/no-shows")
    statuses = sorted(r.status for r in db.session.scalars(db.select(Registration)))
    assert statuses == ["attended", "no_show", "no_show"]
    page = en_client.get(f"/staff/events/{started_event.id}").get_data(as_text=True)
    assert "People by status" in page and "Attendance rate: 25%" in page


def test_masked_csv_export(client, auth, organiser, campaign, department):
    event = make_event(campaign, department, requires_id_number=True)
    sign_up(event, phone="13812345678", id_number="11010519491231002X")
    auth.login(organiser.email)
    response = client.get(f"/staff/events/{event.id}/registrations.csv")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert "138****5678" in text and "110***********002X" in text
    assert "13812345678" not in text and "11010519491231002X" not in text
    assert not [e for e in history_of(event) if e.action == "event.export_unmasked"]


@pytest.mark.parametrize(("language", "status_word", "header_word"), [("zh", "报名成功", "状态"),
                                                                     ("en", "Confirmed", "Status")])
def test_csv_status_is_in_the_language_of_the_export(client, auth, organiser, open_event, language, status_word,
                                                     header_word):
    sign_up(open_event, phone="13812345678")
    auth.login(organiser.email)
    client.set_cookie("lang", language)
    header, first = client.get(f"/staff/events/{open_event.id}/registrations.csv").text.splitlines()[:2]
    assert header_word in header.split(",")
    assert status_word in first.split(",") and "confirmed" not in first.split(",")


def test_unmasked_xlsx_export_is_recorded(client, auth, organiser, open_event):
    from io import BytesIO

    from openpyxl import load_workbook

    sign_up(open_event, phone="13812345678")
    auth.login(organiser.email)
    response = client.post(f"/staff/events/{open_event.id}/registrations/full.xlsx")
    sheet = load_workbook(BytesIO(response.data)).active
    assert "13812345678" in [cell.value for cell in sheet[2]]
    db.session.expire_all()
    [entry] = [e for e in history_of(open_event) if e.action == "event.export_unmasked"]
    assert entry.actor_id == organiser.id and entry.detail["rows"] == 1 and entry.detail["format"] == "xlsx"


def test_every_organiser_page_renders(client, auth, organiser, started_event, campaign):
    auth.login(organiser.email)
    for url in ("/staff/events/", "/staff/events/campaigns", "/staff/events/new", f"/staff/events/{started_event.id}",
                f"/staff/events/{started_event.id}/edit", f"/staff/events/{started_event.id}/registrations",
                f"/staff/events/{started_event.id}/check-in", f"/staff/events/{started_event.id}/cancel"):
        assert client.get(url).status_code == 200, url


def test_staff_navigation_links_the_organiser_desk_for_organisers_only(client, auth, organiser, staff):
    auth.login(organiser.email)
    assert 'href="/staff/events/"' in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(staff.email)
    assert 'href="/staff/events/"' not in client.get("/").get_data(as_text=True)


def test_history_shows_who_exported_unmasked_data(en_client, auth, organiser, open_event):
    auth.login(organiser.email)
    en_client.post(f"/staff/events/{open_event.id}/registrations/full.csv")
    page = en_client.get(f"/staff/events/{open_event.id}/history").get_data(as_text=True)
    assert "Sign-ups exported with full phone and ID numbers" in page and "CSV, 0 rows" in page
    assert organiser.name in page


def test_check_in_warns_when_the_event_is_not_today(en_client, auth, organiser, open_event, campaign, department,
                                                    now):
    today = make_event(campaign, department, starts_at=now + timedelta(seconds=5), opens_at=now - timedelta(days=2),
                       closes_at=now)
    auth.login(organiser.email)
    assert "not today" in en_client.get(f"/staff/events/{open_event.id}/check-in").get_data(as_text=True)
    assert "not today" not in en_client.get(f"/staff/events/{today.id}/check-in").get_data(as_text=True)


def test_a_decision_without_approve_or_reject_is_explained(en_client, auth, organiser, campaign, department):
    event = make_event(campaign, department, requires_approval=True)
    registration = sign_up(event)
    auth.login(organiser.email)
    response = en_client.post(f"/staff/events/{event.id}/registrations/{registration.id}/decision",
                              data={"decision": "maybe"}, follow_redirects=True)
    assert "Choose approve or reject." in response.get_data(as_text=True)
    assert db.session.get(Registration, registration.id).status == "pending"


def test_rejecting_keeps_the_search_but_never_leaves_the_site(client, auth, organiser, campaign, department):
    event = make_event(campaign, department, requires_approval=True)
    registration = sign_up(event)
    auth.login(organiser.email)
    url = f"/staff/events/{event.id}/registrations/{registration.id}/decision"
    listing = f"/staff/events/{event.id}/registrations"
    response = client.post(url, data={"decision": "approve", "back": listing + "?q=张"})
    assert response.location == listing + "?q=%E5%BC%A0"
    response = client.post(url, data={"decision": "approve", "back": "https://evil.example/"})
    assert response.location == listing


def test_desk_shows_sign_ups_awaiting_approval(en_client, auth, organiser, campaign, department):
    event = make_event(campaign, department, requires_approval=True)
    sign_up(event, phone=phone_number(1))
    sign_up(event, phone=phone_number(2))
    auth.login(organiser.email)
    assert "2 await approval" in en_client.get("/staff/events/").get_data(as_text=True)


def test_check_in_screen_counts_people_in(en_client, auth, organiser, started_event):
    first = db.session.scalars(db.select(Registration).order_by(Registration.number)).first()
    auth.login(organiser.email)
    en_client.post(f"/staff/events/{started_event.id}/check-in/confirm", data={"code": first.code})
    assert "In: 1 of 4 people" in en_client.get(f"/staff/events/{started_event.id}/check-in").get_data(as_text=True)


def test_check_in_outside_the_event_day_is_refused_without_the_override(en_client, auth, organiser, open_event):
    registration = sign_up(open_event)
    auth.login(organiser.email)
    found = en_client.post(f"/staff/events/{open_event.id}/check-in", data={"code": registration.code}).text
    assert "although the event is not today" in found  # the override is offered with the person
    refused = en_client.post(f"/staff/events/{open_event.id}/check-in/confirm", data={"code": registration.code})
    assert refused.status_code == 409 and "check-in is refused" in refused.text
    db.session.expire_all()
    assert registration.status == "confirmed"


def test_check_in_outside_the_event_day_with_the_override_shows_in_the_history(en_client, auth, organiser,
                                                                               open_event):
    registration = sign_up(open_event)
    auth.login(organiser.email)
    response = en_client.post(f"/staff/events/{open_event.id}/check-in/confirm",
                              data={"code": registration.code, "override_day": "y"})
    assert response.status_code == 302
    history = en_client.get(f"/staff/events/{open_event.id}/history").text
    assert "Checked in outside the event" in history and registration.code in history


def test_no_override_is_offered_on_the_event_day(en_client, auth, organiser, started_event):
    registration = db.session.scalars(db.select(Registration)).first()
    auth.login(organiser.email)
    found = en_client.post(f"/staff/events/{started_event.id}/check-in", data={"code": registration.code}).text
    assert "Confirm check-in" in found and "although the event is not today" not in found


def test_only_the_check_in_page_may_use_the_camera(en_client, auth, organiser, started_event):
    auth.login(organiser.email)
    check_in = en_client.get(f"/staff/events/{started_event.id}/check-in")
    assert "camera=(self)" in check_in.headers["Permissions-Policy"]
    assert "microphone=()" in check_in.headers["Permissions-Policy"]
    assert "script-src 'self'" in check_in.headers["Content-Security-Policy"]
    page = check_in.get_data(as_text=True)
    assert 'src="/static/vendor/zxing-browser.min.js"' in page and 'src="/static/js/check-in-scanner.js"' in page
    assert "data-camera-scan hidden" in page  # shown by the script only
    for other in (f"/staff/events/{started_event.id}", f"/staff/events/{started_event.id}/registrations", "/"):
        assert "camera=()" in en_client.get(other).headers["Permissions-Policy"], other


def test_the_scanner_is_served_from_this_site(client):
    response = client.get("/static/vendor/zxing-browser.min.js")
    assert response.status_code == 200 and b"BrowserQRCodeReader" in response.data


def test_organiser_states_the_venues_access_in_the_event_form(en_client, auth, organiser, campaign, department, now):
    auth.login(organiser.email)
    event = make_event(campaign, department)
    form = _event_form(campaign, department, now, step_free_access="y", sign_language="y",
                       accessibility_notes="  无障碍电梯在东门  ")
    assert en_client.post(f"/staff/events/{event.id}/edit", data=form).status_code == 302
    db.session.refresh(event)
    assert (event.step_free_access, event.hearing_loop, event.sign_language) == (True, False, True)
    assert event.accessibility_notes == "无障碍电梯在东门"
    edit = en_client.get(f"/staff/events/{event.id}/edit").get_data(as_text=True)
    assert "Access to the venue" in edit and "无障碍电梯在东门" in edit


def test_too_long_access_notes_are_refused_on_the_form(en_client, auth, organiser, campaign, department, now):
    auth.login(organiser.email)
    response = en_client.post("/staff/events/new", data=_event_form(campaign, department, now,
                                                                    accessibility_notes="长" * 1001))
    assert response.status_code == 422 and db.session.scalar(db.select(Event)) is None
    assert "Field cannot be longer than 1000 characters." in response.get_data(as_text=True)
