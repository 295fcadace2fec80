"""The organiser API: an event's sign-up list and check-in with a personal API token."""

import pytest

from engage.accounts import services as accounts
from engage.core.timeutil import utcnow
from engage.events.models import Registration
from engage.extensions import db
from tests import factories
from tests.fixtures.events import phone_number, sign_up


def _token_for(user) -> dict:
    _record, token = accounts.create_api_token(user, name="door", now=utcnow())
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def organiser_token(organiser):
    return _token_for(organiser)


def test_registration_list_is_masked_and_searchable(client, organiser_token, open_event):
    sign_up(open_event, "王小明", "13812345678", party_size=2)
    sign_up(open_event, "李四", phone_number(2))
    response = client.get(f"/api/v1/events/{open_event.id}/registrations", headers=organiser_token,
                          query_string={"q": "5678"})
    assert response.status_code == 200
    assert response.json["total"] == 1
    [item] = response.json["items"]
    assert (item["name"], item["phone"], item["party_size"]) == ("王小明", "138****5678", 2)
    assert item["status"] == "confirmed"


def test_registration_list_filters_by_status_and_rejects_unknown_status(client, organiser_token, open_event):
    sign_up(open_event)
    url = f"/api/v1/events/{open_event.id}/registrations"
    assert client.get(url, headers=organiser_token, query_string={"status": "waitlisted"}).json["total"] == 0
    response = client.get(url, headers=organiser_token, query_string={"status": "maybe"})
    assert response.status_code == 422 and "status" in response.json["errors"]


def test_unknown_status_is_refused_in_the_request_language(client, organiser_token, open_event):
    response = client.get(f"/api/v1/events/{open_event.id}/registrations", query_string={"status": "maybe"},
                          headers={**organiser_token, "Accept-Language": "zh-CN"})
    assert response.status_code == 422
    assert response.json["errors"]["status"][0].startswith("须为以下之一：pending, confirmed")


def test_check_in_by_code(client, organiser_token, started_event):
    registration = db.session.scalar(db.select(Registration).where(Registration.party_size == 2))
    response = client.post(f"/api/v1/events/{started_event.id}/check-ins", headers=organiser_token,
                           json={"code": registration.code.lower()})
    assert response.status_code == 200
    assert (response.json["status"], response.json["party_size"], response.json["name"]) == (
        "attended", 2, registration.name)


def test_second_check_in_is_409_with_the_reason(client, organiser_token, started_event):
    code = db.session.scalars(db.select(Registration.code)).first()
    url = f"/api/v1/events/{started_event.id}/check-ins"
    client.post(url, headers=organiser_token, json={"code": code})
    response = client.post(url, headers=organiser_token, json={"code": code})
    assert response.status_code == 409
    assert "Already checked in" in response.json["message"] or "已" in response.json["message"]


def test_unknown_code_is_404(client, organiser_token, started_event):
    response = client.post(f"/api/v1/events/{started_event.id}/check-ins", headers=organiser_token,
                           json={"code": "ZZZZ2222"})
    assert response.status_code == 404


def test_missing_code_is_422(client, organiser_token, started_event):
    response = client.post(f"/api/v1/events/{started_event.id}/check-ins", headers=organiser_token, json={})
    assert response.status_code == 422 and "code" in response.json["errors"]


def test_no_token_is_401(client, open_event):
    assert client.get(f"/api/v1/events/{open_event.id}/registrations").status_code == 401
    assert client.post(f"/api/v1/events/{open_event.id}/check-ins", json={"code": "X"}).status_code == 401


def test_other_departments_organiser_is_403(client, open_event, other_department):
    other = factories.make_user("other-organiser@example.gov.cn", role="organiser", department=other_department)
    headers = _token_for(other)
    assert client.get(f"/api/v1/events/{open_event.id}/registrations", headers=headers).status_code == 403
    assert client.post(f"/api/v1/events/{open_event.id}/check-ins", headers=headers,
                       json={"code": "X"}).status_code == 403


def test_department_staff_is_403(client, open_event, staff):
    headers = _token_for(staff)
    assert client.get(f"/api/v1/events/{open_event.id}/registrations", headers=headers).status_code == 403


def test_organiser_endpoints_are_in_the_openapi_document(client, app):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "get" in paths["/api/v1/events/{event_id}/registrations"]
    assert "post" in paths["/api/v1/events/{event_id}/registrations"]
    assert "post" in paths["/api/v1/events/{event_id}/check-ins"]


def test_check_in_outside_the_event_day_is_409_unless_overridden(client, organiser_token, open_event):
    from tests.fixtures.events import sign_up

    registration = sign_up(open_event)
    url = f"/api/v1/events/{open_event.id}/check-ins"
    refused = client.post(url, headers=organiser_token, json={"code": registration.code})
    assert refused.status_code == 409
    allowed = client.post(url, headers=organiser_token, json={"code": registration.code, "override_day": True})
    assert allowed.status_code == 200 and allowed.json["status"] == "attended"


def test_organiser_states_the_venues_access_by_the_api(client, organiser_token, open_event):
    url = f"/api/v1/events/{open_event.id}/accessibility"
    response = client.patch(url, headers=organiser_token, json={"step_free_access": True, "notes": " 东门电梯 "})
    assert response.status_code == 200
    assert response.json == {"step_free_access": True, "hearing_loop": False, "accessible_toilet": False,
                             "sign_language": False, "notes": "东门电梯"}
    response = client.patch(url, headers=organiser_token, json={"hearing_loop": True})
    assert response.json["step_free_access"] is True and response.json["hearing_loop"] is True
    assert client.get(f"/api/v1/events/{open_event.id}").json["accessibility"]["notes"] == "东门电梯"


@pytest.mark.parametrize(("body", "field"), [({"hearing_loop": "yes"}, "hearing_loop"),
                                             ({"notes": "长" * 1001}, "notes")])
def test_access_by_the_api_refuses_bad_values(client, organiser_token, open_event, body, field):
    response = client.patch(f"/api/v1/events/{open_event.id}/accessibility", headers=organiser_token, json=body)
    assert response.status_code == 422 and field in response.json["errors"]


def test_access_by_the_api_without_a_body_changes_nothing(client, organiser_token, open_event):
    response = client.patch(f"/api/v1/events/{open_event.id}/accessibility", headers=organiser_token)
    assert response.status_code == 200 and response.json["step_free_access"] is False


def test_access_by_the_api_needs_a_token(client, open_event):
    assert client.patch(f"/api/v1/events/{open_event.id}/accessibility", json={"hearing_loop": True}).status_code == 401
