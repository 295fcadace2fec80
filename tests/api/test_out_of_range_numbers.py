"""Whole numbers larger than the database holds, in a path, a query or a body: 404 for an id, 422 otherwise.

SQLite cannot bind a number past 64 bits and PostgreSQL's ``integer`` ends at 2**31 - 1, so each test runs on
both databases.
"""

import pytest

from engage.core.inputs import DB_INT_MAX
from tests.fixtures.events import sign_up

HUGE = "99999999999999999999"
JUST_OVER = str(DB_INT_MAX + 1)


@pytest.mark.parametrize("number", [HUGE, JUST_OVER])
@pytest.mark.parametrize("path", [
    "/api/v1/consultations/{n}", "/api/v1/consultations/{n}/comments", "/api/v1/consultations/{n}/feedback",
    "/api/v1/events/{n}", "/api/v1/proposals/{n}", "/consultations/{n}", "/events/{n}", "/proposals/{n}",
])
def test_an_id_out_of_range_is_not_found(client, app, path, number):
    assert client.get(path.format(n=number)).status_code == 404


@pytest.mark.parametrize("number", [HUGE, JUST_OVER])
@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/api/v1/consultations/{n}/comments"), ("PATCH", "/api/v1/consultations/{n}"),
    ("GET", "/api/v1/events/{n}/registrations"), ("POST", "/api/v1/events/{n}/registrations"),
])
def test_an_id_out_of_range_is_not_found_whatever_the_method(client, app, staff_token, method, path, number):
    # Werkzeug checks a route's methods before its numbers: a bound checked only on conversion answered 405 here.
    answer = client.open(path.format(n=number), method=method, json={}, headers=staff_token)
    assert answer.status_code == 404


@pytest.mark.parametrize("number", [HUGE, JUST_OVER])
def test_a_staff_id_out_of_range_is_not_found(client, open_consultation, staff_token, number):
    for path in (f"/api/v1/consultations/{number}/moderation", f"/api/v1/consultations/{number}/feedback/comments",
                 f"/api/v1/consultations/{open_consultation.id}/feedback/groups/{number}/answer"):
        method = client.put if path.endswith("/answer") else client.get
        assert method(path, headers=staff_token, json={}).status_code == 404, path


@pytest.mark.parametrize("query", [
    {"page": HUGE}, {"page": JUST_OVER}, {"per_page": HUGE}, {"department": HUGE}, {"department": JUST_OVER},
])
def test_a_page_or_filter_out_of_range_is_refused(client, app, query):
    answer = client.get("/api/v1/consultations", query_string=query)
    assert answer.status_code == 422 and set(answer.json["errors"]) == set(query)


@pytest.mark.parametrize(("path", "name"), [
    ("/api/v1/events", "campaign"), ("/api/v1/events", "department"), ("/api/v1/proposals", "unit"),
    ("/api/v1/proposals", "session"),
])
def test_list_filters_out_of_range_are_refused(client, app, path, name):
    answer = client.get(path, query_string={name: HUGE})
    assert answer.status_code == 422 and name in answer.json["errors"]


def test_article_out_of_range_is_refused(client, open_consultation):
    url = f"/api/v1/consultations/{open_consultation.id}/comments"
    assert client.get(url, query_string={"article": HUGE}).status_code == 422
    assert client.post(url, json={"body": "正文", "article": int(HUGE)}).status_code == 422


def test_staff_filters_out_of_range_are_refused(client, closed_consultation, staff_token):
    url = f"/api/v1/consultations/{closed_consultation.id}/feedback/comments"
    for name in ("group", "article", "after", "before"):
        answer = client.get(url, query_string={name: HUGE}, headers=staff_token)
        assert answer.status_code == 422 and name in answer.json["errors"], name


@pytest.mark.parametrize("number", [int(HUGE), DB_INT_MAX + 1, -(2**31) - 1])
def test_comment_ids_out_of_range_are_refused(client, closed_consultation, staff_token, number):
    base = f"/api/v1/consultations/{closed_consultation.id}"
    grouped = client.post(f"{base}/feedback/groups", json={"comment_ids": [number], "title": "一组"},
                          headers=staff_token)
    answered = client.post(f"{base}/feedback/answers", json={"comment_ids": [number], "outcome": "adopted"},
                           headers=staff_token)
    moderated = client.post(f"{base}/moderation", json={"comment_ids": [number], "decision": "approve"},
                            headers=staff_token)
    for answer in (grouped, answered, moderated):
        assert answer.status_code == 422 and "comment_ids" in answer.json["errors"]


def test_registration_page_out_of_range_is_refused(client, open_event, organiser):
    from engage.accounts import services as accounts
    from engage.core.timeutil import utcnow
    from engage.extensions import db

    sign_up(open_event)
    _record, token = accounts.create_api_token(organiser, name="tests", now=utcnow())
    db.session.commit()
    answer = client.get(f"/api/v1/events/{open_event.id}/registrations", query_string={"page": HUGE},
                        headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 422 and "page" in answer.json["errors"]


@pytest.mark.parametrize("path", ["/proposals/?unit={n}", "/proposals/?session={n}", "/events/?campaign={n}",
                                  "/consultations/?page={n}", "/consultations/?department={n}",
                                  "/proposals/?page={n}"])
def test_pages_treat_a_number_out_of_range_as_no_choice(client, app, path):
    # The page filters already ignore a value they do not know (an old bookmark): the same for a huge number.
    assert client.get(path.format(n=HUGE)).status_code == 200


def test_staff_pages_treat_a_number_out_of_range_as_no_choice(client, auth, staff, open_consultation):
    auth.login(staff.email)
    for path in (f"/staff/consultations/?page={HUGE}", f"/staff/proposals/?unit={HUGE}&session={HUGE}",
                 f"/staff/consultations/{open_consultation.id}/feedback/?group={HUGE}&after={HUGE}",
                 f"/staff/consultations/{open_consultation.id}/moderation?before={HUGE}"):
        assert client.get(path).status_code in (200, 302), path
