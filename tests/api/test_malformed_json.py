"""A request body of any shape or depth gets 400, 415 or 422 with a message, never a server error."""

import pytest

from tests.fixtures.events import sign_up

DEEP = "[" * 50_000 + "]" * 50_000
BODIES = [
    DEEP, '{"body": ' + DEEP + "}", '{"body": ' + "{" * 50_000, "[]", '[{"body": "x"}]', '"text"', "null", "123",
    "true", "{", '{"body": "x",}', "1" * 5000, '{"body": ' + "1" * 5000 + "}", '{"body": NaN}',
    '{"body": ["x"]}', '{"body": {"a": 1}}', '{"body": "x", "consent": "yes please"}', "\xff\xfe",
    '{"comment_ids": ' + "[" * 900 + "]" * 900 + "}", '{"comment_ids": {"1": 2}, "title": ["t"]}',
]


def _check(answer) -> None:
    assert answer.status_code in (400, 415, 422), answer.get_data(as_text=True)[:200]
    assert answer.is_json and answer.json["message"]


@pytest.mark.parametrize("body", BODIES, ids=range(len(BODIES)))
def test_public_bodies_of_any_shape_are_refused_with_a_message(client, open_consultation, open_event, body):
    data = body.encode("latin-1") if body == "\xff\xfe" else body
    for url in (f"/api/v1/consultations/{open_consultation.id}/comments",
                f"/api/v1/events/{open_event.id}/registrations"):
        _check(client.post(url, data=data, content_type="application/json"))


@pytest.mark.parametrize("body", BODIES, ids=range(len(BODIES)))
def test_staff_bodies_of_any_shape_are_refused_with_a_message(client, closed_consultation, staff_token, body):
    data = body.encode("latin-1") if body == "\xff\xfe" else body
    base = f"/api/v1/consultations/{closed_consultation.id}"
    for url in (f"{base}/feedback/groups", f"{base}/feedback/answers", f"{base}/moderation", "/api/v1/proposals"):
        answer = client.post(url, data=data, content_type="application/json", headers=staff_token)
        if url == "/api/v1/proposals":
            assert answer.status_code != 500  # department staff may not register cases: 403 before the body
        else:
            _check(answer)


def test_a_cancel_with_a_deep_body_is_refused(client, open_event):
    registration = sign_up(open_event)
    _check(client.post(f"/api/v1/registrations/{registration.code}/cancel", data=DEEP,
                       content_type="application/json"))


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml",
                                          "application/json; charset=latin-1"])
def test_a_deep_body_of_another_type_is_refused(client, open_consultation, content_type):
    answer = client.post(f"/api/v1/consultations/{open_consultation.id}/comments", data=DEEP,
                         content_type=content_type)
    _check(answer)


def test_the_message_says_what_is_wrong_in_the_users_language(client, open_consultation):
    answer = client.post(f"/api/v1/consultations/{open_consultation.id}/comments", data=DEEP,
                         content_type="application/json")
    assert answer.status_code == 400 and "JSON" in answer.json["message"]
