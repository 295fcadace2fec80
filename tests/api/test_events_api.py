"""The public events API: campaigns, events with seats, signing up, reading and cancelling a sign-up."""

from datetime import timedelta

from engage.core.timeutil import utcnow
from engage.events.models import CampaignStatus, EventKind, EventStatus
from engage.extensions import db
from tests.fixtures.events import make_campaign, make_event


def post_sign_up(client, event, phone="13812345678", **fields):
    body = {"name": "张三", "phone": phone, "party_size": 1, **fields}
    return client.post(f"/api/v1/events/{event.id}/registrations", json=body)


def test_campaigns_lists_only_published(client, campaign):
    make_campaign("草稿活动", status=CampaignStatus.DRAFT)
    answer = client.get("/api/v1/campaigns").json
    assert [c["title"] for c in answer["items"]] == ["2026年政府开放月"]


def test_event_has_capacity_seats_left_window_and_status(client, open_event):
    answer = client.get(f"/api/v1/events/{open_event.id}").json
    assert answer["capacity"] == 50 and answer["seats_left"] == 50
    assert answer["status"] == "published"
    assert answer["registration"]["state"] == "open" and answer["registration"]["is_taking_sign_ups"] is True
    assert answer["department"]["name"] == "市生态环境局"


def test_events_are_filtered(client, campaign, department, other_department):
    make_event(campaign, department, title="参观")
    make_event(campaign, other_department, title="直播", kind=EventKind.ONLINE_BROADCAST)
    make_event(campaign, department, title="草稿", status=EventStatus.DRAFT)
    assert client.get("/api/v1/events").json["total"] == 2
    assert [e["title"] for e in client.get("/api/v1/events?kind=online_broadcast").json["items"]] == ["直播"]
    assert [e["title"] for e in client.get(f"/api/v1/events?department={department.id}").json["items"]] == ["参观"]
    assert client.get("/api/v1/events?seats_left=true").json["total"] == 2


def test_events_are_searched_and_past_ones_listed_latest_first(client, campaign, department):
    now = utcnow()
    make_event(campaign, department, title="垃圾分类宣传", starts_at=now + timedelta(days=3))
    make_event(campaign, department, title="上月垃圾站参观", starts_at=now - timedelta(days=30))
    make_event(campaign, department, title="昨天座谈", starts_at=now - timedelta(days=1))
    titles = lambda query: [e["title"] for e in client.get(f"/api/v1/events?{query}").json["items"]]  # noqa: E731
    assert titles("q=垃圾") == ["上月垃圾站参观", "垃圾分类宣传"]
    assert titles("past=true") == ["昨天座谈", "上月垃圾站参观"]
    assert titles("past=true&q=垃圾") == ["上月垃圾站参观"]
    assert titles("upcoming=true") == ["垃圾分类宣传"]


def test_upcoming_and_past_together_are_refused(client, open_event):
    response = client.get("/api/v1/events?upcoming=true&past=true", headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.json["errors"]["past"] == ["Ask for upcoming or for past events, not both."]


def test_event_answer_states_the_venues_access(client, open_event):
    open_event.hearing_loop, open_event.accessibility_notes = True, "东门有无障碍电梯"
    db.session.commit()
    assert client.get(f"/api/v1/events/{open_event.id}").json["accessibility"] == {
        "step_free_access": False, "hearing_loop": True, "accessible_toilet": False, "sign_language": False,
        "notes": "东门有无障碍电梯"}


def test_unknown_kind_is_refused_in_the_request_language(client, open_event):
    response = client.get("/api/v1/events?kind=party", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 422
    assert response.json["errors"]["kind"] == ["须为以下之一：institution_visit, service_site_visit, online_broadcast, "
                                               "forum, meeting_observation。"]


def test_sign_up_answers_201_with_code_status_and_token(client, open_event):
    response = post_sign_up(client, open_event, party_size=2)
    assert response.status_code == 201
    body = response.json
    assert body["status"] == "confirmed" and body["waitlist_position"] is None
    assert len(body["code"]) == 8 and body["cancel_token"] and body["phone"] == "138****5678"
    assert response.headers["Location"].endswith(f"/api/v1/registrations/{body['code']}")
    assert client.get(f"/api/v1/events/{open_event.id}").json["seats_left"] == 48


def test_full_event_waitlists_with_position(client, campaign, department):
    event = make_event(campaign, department, capacity=1)
    post_sign_up(client, event, phone="13800000001")
    body = post_sign_up(client, event, phone="13800000002").json
    assert body["status"] == "waitlisted" and body["waitlist_position"] == 1


def test_approval_event_answers_pending(client, campaign, department):
    event = make_event(campaign, department, requires_approval=True)
    assert post_sign_up(client, event).json["status"] == "pending"


def test_duplicate_phone_is_409(client, open_event):
    post_sign_up(client, open_event)
    response = post_sign_up(client, open_event, phone="+86 138 1234 5678")
    assert response.status_code == 409


def test_closed_window_is_409(client, campaign, department, now):
    from datetime import timedelta

    event = make_event(campaign, department, opens_at=now - timedelta(days=5), closes_at=now - timedelta(days=1))
    assert post_sign_up(client, event).status_code == 409


def test_invalid_fields_are_422_per_field(client, campaign, department):
    event = make_event(campaign, department, requires_id_number=True)
    response = post_sign_up(client, event, phone="123", party_size=9, id_number="110105194912310021")
    assert response.status_code == 422
    assert {"phone", "party_size", "id_number"} <= set(response.json["errors"])


def test_every_field_problem_comes_back_at_once(client, open_event):
    response = post_sign_up(client, open_event, name="", phone="1391234", party_size=5)
    assert response.status_code == 422
    assert {"name", "phone", "party_size"} <= set(response.json["errors"])


def test_a_party_size_of_the_wrong_type_comes_back_with_the_other_problems(client, open_event):
    response = post_sign_up(client, open_event, name="", phone="1391234", party_size="abc")
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"name", "phone", "party_size"}
    assert response.json["errors"]["party_size"] == ["每次报名可为1至3人。"]


def test_a_phone_sent_as_a_number_is_read_as_its_digits(client, open_event):
    response = post_sign_up(client, open_event, phone=13812345678)
    assert response.status_code == 201 and response.json["phone"] == "138****5678"


def test_missing_name_is_422(client, open_event):
    response = client.post(f"/api/v1/events/{open_event.id}/registrations", json={"phone": "13812345678"})
    assert response.status_code == 422 and "name" in response.json["errors"]


def test_read_with_token_or_phone_and_cancel_with_token(client, campaign, department):
    event = make_event(campaign, department, capacity=1)
    first = post_sign_up(client, event, phone="13800000001").json
    waiting = post_sign_up(client, event, phone="13800000002").json
    code = first["code"]
    assert client.get(f"/api/v1/registrations/{code}?token={first['cancel_token']}").json["status"] == "confirmed"
    assert client.get(f"/api/v1/registrations/{code}?phone=13800000001").status_code == 200
    assert client.get(f"/api/v1/registrations/{code}?phone=13800000002").status_code == 404
    assert client.get(f"/api/v1/registrations/{code}").status_code == 404
    assert client.post(f"/api/v1/registrations/{code}/cancel", json={"token": "nope"}).status_code == 404
    cancelled = client.post(f"/api/v1/registrations/{code}/cancel", json={"token": first["cancel_token"]})
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    again = client.post(f"/api/v1/registrations/{code}/cancel", json={"token": first["cancel_token"]})
    assert again.status_code == 409
    promoted = client.get(f"/api/v1/registrations/{waiting['code']}?phone=13800000002").json
    assert promoted["status"] == "confirmed"
    assert [h["status"] for h in promoted["history"]] == ["waitlisted", "confirmed"]


def test_event_calendar_file(client, open_event):
    response = client.get(f"/api/v1/events/{open_event.id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert b"SUMMARY:" in response.data and b"DTSTART" in response.data


def test_events_api_is_documented(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/campaigns", "/api/v1/events", "/api/v1/events/{event_id}",
                 "/api/v1/events/{event_id}.ics", "/api/v1/events/{event_id}/registrations",
                 "/api/v1/registrations/{code}", "/api/v1/registrations/{code}/cancel"):
        assert path in paths, path
    assert {"201", "409", "422", "429"} <= set(paths["/api/v1/events/{event_id}/registrations"]["post"]["responses"])
