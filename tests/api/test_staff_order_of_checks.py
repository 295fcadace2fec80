"""Every staff API operation authenticates, then authorises, then validates: 401, then 403, whatever was sent.

The operations are read from the application's routes, so a new staff endpoint is covered without a change here.
"""

import pytest
from flask import current_app

from engage.accounts import services as accounts
from engage.core.api import is_staff_view
from engage.core.timeutil import utcnow
from engage.extensions import db
from tests import factories

#: what a caller may send: nothing, an empty object, a wrong shape, text that is not JSON, a wrong type
BODIES = [None, {}, {"comment_ids": "x", "code": 5, "title": None}, "not json", "<x/>"]


def _staff_operations():
    """(method, rule) of every staff API operation, from the routes."""
    operations = []
    for rule in current_app.url_map.iter_rules():
        if is_staff_view(current_app.view_functions[rule.endpoint]):
            operations += [(method, rule) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return operations


def _token(user) -> dict:
    _record, token = accounts.create_api_token(user, name="tests", now=utcnow())
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def resources(closed_consultation, open_event, assigned_case) -> dict:
    """A real record behind every id a staff path takes (group, message, run, hook and identity 1 need not exist: the
    check comes first)."""
    return {"consultation_id": closed_consultation.id, "event_id": open_event.id, "proposal_id": assigned_case.id,
            "session_id": assigned_case.session_id, "group_id": 1, "message_id": 1, "run_id": 1, "hook_id": 1,
            "identity_id": 1}


def _send(client, method, rule, resources, body, headers=None):
    url = rule.build(resources, append_unknown=False)[1]
    kwargs = {"headers": headers or {}, "query_string": {"page": "x", "status": "?", "per_page": "-1"}}
    if isinstance(body, dict):
        kwargs["json"] = body
    elif body is not None:
        kwargs.update(data=body, content_type="application/json" if body == "not json" else "application/xml")
    return client.open(url, method=method, **kwargs)


def test_the_staff_operations_are_found(app):
    # Guards the tests below against passing on an empty list.
    paths = {rule.rule for _method, rule in _staff_operations()}
    assert len(_staff_operations()) >= 15
    assert {"/api/v1/consultations/<int:consultation_id>/feedback/groups", "/api/v1/events/<int:event_id>/check-ins",
            "/api/v1/proposals/<int:proposal_id>/ratings"} <= paths


@pytest.mark.parametrize("body", BODIES, ids=["none", "empty", "wrong", "not-json", "xml"])
def test_anonymous_callers_get_401_whatever_they_send(client, resources, body):
    for method, rule in _staff_operations():
        answer = _send(client, method, rule, resources, body)
        assert answer.status_code == 401, (method, rule.rule, answer.get_data(as_text=True)[:200])
        assert answer.headers["WWW-Authenticate"].lower().startswith("bearer")


@pytest.mark.parametrize("body", BODIES, ids=["none", "empty", "wrong", "not-json", "xml"])
def test_staff_of_an_unconcerned_department_get_403_whatever_they_send(client, resources, third_department, body):
    outsider = _token(factories.make_user("outsider@example.gov.cn", department=third_department))
    for method, rule in _staff_operations():
        if (method, rule.rule) == ("POST", "/api/v1/consultations"):
            continue  # any department's staff may start a draft for their own department
        answer = _send(client, method, rule, resources, body, outsider)
        assert answer.status_code == 403, (method, rule.rule, answer.get_data(as_text=True)[:200])


@pytest.mark.parametrize(("role", "path", "method"), [
    ("organiser", "/api/v1/consultations/{consultation_id}/moderation", "POST"),
    ("organiser", "/api/v1/consultations/{consultation_id}/moderation", "GET"),
    ("organiser", "/api/v1/consultations/{consultation_id}/campaigns", "GET"),
    ("organiser", "/api/v1/consultations/{consultation_id}/feedback/answers", "POST"),
    ("organiser", "/api/v1/consultations/{consultation_id}/feedback/groups", "POST"),
    ("organiser", "/api/v1/consultations", "POST"),
    ("department_staff", "/api/v1/events/{event_id}/check-ins", "POST"),
    ("department_staff", "/api/v1/events/{event_id}/registrations", "GET"),
    ("department_staff", "/api/v1/proposals/{proposal_id}/ratings", "POST"),
    ("department_staff", "/api/v1/proposals/{proposal_id}/assignment", "POST"),
    ("department_staff", "/api/v1/proposals", "POST"),
    ("department_staff", "/api/v1/proposals/sessions/{session_id}/figures-publications", "POST"),
    ("organiser", "/api/v1/proposals/sessions/{session_id}/figures-publications", "GET"),
    ("co_unit", "/api/v1/proposals/{proposal_id}/replies", "POST"),
])
@pytest.mark.parametrize("body", BODIES[:3], ids=["none", "empty", "wrong"])
def test_a_wrong_role_gets_403_before_its_body_is_read(client, resources, department, other_staff, role, path,
                                                       method, body):
    if role == "co_unit":
        user = other_staff  # the co-unit of the assigned case: it sees the case but does not reply
    else:
        user = factories.make_user(f"{role}@example.gov.cn", role=role, department=department)
    answer = client.open(path.format(**resources), method=method, headers=_token(user),
                         query_string={"page": "x"}, **({"json": body} if body is not None else {}))
    assert answer.status_code == 403, answer.get_data(as_text=True)[:200]


def test_the_right_role_still_gets_its_validation_errors(client, resources, staff):
    answer = client.post(f"/api/v1/consultations/{resources['consultation_id']}/feedback/groups", json={},
                         headers=_token(staff))
    assert answer.status_code == 422 and {"comment_ids", "title"} <= set(answer.json["errors"])
