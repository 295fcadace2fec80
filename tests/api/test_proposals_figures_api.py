"""Staff API of the figures' publication: publish a session's handling figures, list the publications."""

import pytest

from engage.core.timeutil import china_date, utcnow

#: tokens of several users in one test: each request must look its user up afresh
pytestmark = pytest.mark.usefixtures("fresh_request_globals")


def _url(session_id) -> str:
    return f"/api/v1/proposals/sessions/{session_id}/figures-publications"


def test_the_supervisor_publishes_and_lists_the_figures(client, assigned_case, supervisor_token):
    url = _url(assigned_case.session_id)
    first = client.post(url, json={"note": "已全部交办。"}, headers=supervisor_token)
    assert first.status_code == 201, first.json
    body = first.json
    assert body["session"] == assigned_case.session_id and body["note"] == "已全部交办。"
    assert body["published_on"] == china_date(utcnow()).isoformat()
    assert body["figures"]["total"]["assigned"] == 1 and body["figures"]["total"]["replied"] == 0
    assert [u["unit_id"] for u in body["figures"]["units"]] == [u.department_id for u in assigned_case.units]
    second = client.post(url, headers=supervisor_token)  # no body: no summary
    assert second.status_code == 201 and second.json["note"] == ""
    listed = client.get(url, headers=supervisor_token)
    assert listed.status_code == 200
    assert [p["id"] for p in listed.json["items"]] == [second.json["id"], first.json["id"]]


def test_bad_input_is_refused_with_the_field_named(client, assigned_case, supervisor_token):
    url = _url(assigned_case.session_id)
    too_long = client.post(url, json={"note": "办" * 5001}, headers=supervisor_token)
    assert too_long.status_code == 422 and set(too_long.json["errors"]) == {"note"}
    wrong_type = client.post(url, json={"note": 5}, headers=supervisor_token)
    assert wrong_type.status_code == 422 and "note" in wrong_type.json["errors"]
    unknown = client.post(url, json={"notes": "x"}, headers=supervisor_token)
    assert unknown.status_code == 422
    assert client.get(url, headers=supervisor_token).json["items"] == []


def test_a_session_with_nothing_assigned_is_a_conflict(client, registered_case, supervisor_token):
    answer = client.post(_url(registered_case.session_id), json={}, headers=supervisor_token,
                         environ_overrides={"HTTP_ACCEPT_LANGUAGE": "en"})
    assert answer.status_code == 409 and "no figures to publish" in answer.json["message"]


def test_units_may_not_publish_and_unknown_sessions_are_not_found(client, assigned_case, staff_token,
                                                                  supervisor_token):
    assert client.post(_url(assigned_case.session_id), json={}, headers=staff_token).status_code == 403
    assert client.get(_url(assigned_case.session_id), headers=staff_token).status_code == 403
    assert client.post(_url(999), json={}, headers=supervisor_token).status_code == 404
    assert client.post(_url(assigned_case.session_id), json={}).status_code == 401
