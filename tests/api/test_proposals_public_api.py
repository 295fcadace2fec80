"""Public proposals API: the list with filters, one case, the figures; never contact details."""

import json

import pytest

from tests.fixtures.proposals import PRIVATE_DETAILS


def _json(response, status=200):
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def _assert_no_private_details(response) -> None:
    text = response.get_data(as_text=True)
    for detail in PRIVATE_DETAILS:
        assert detail not in text
    assert '"phone"' not in text and '"email"' not in text and '"address"' not in text


def test_list_answers_a_page_of_cases(client, figures_cases):
    body = _json(client.get("/api/v1/proposals?per_page=4"))
    assert (body["total"], body["page"], body["per_page"], len(body["items"])) == (6, 1, 4, 4)
    first = body["items"][0]
    assert first["number"] == "0006" and first["kind"] == "suggestion" and first["session"]["name"]


@pytest.mark.parametrize(("query", "numbers"), [
    ("q=电梯", {"0001"}),
    ("kind=proposal", set()),
    ("status=reopened", {"0002"}),
    ("outcome=A", {"0001"}),
    ("outcome=C", set()),  # case 5's class-C reply is not published
])
def test_list_filters(client, figures_cases, query, numbers):
    body = _json(client.get(f"/api/v1/proposals?{query}"))
    assert {item["number"] for item in body["items"]} == numbers


def test_list_filters_by_unit_and_session(client, figures_cases, other_department):
    session_id = figures_cases[0].session_id
    body = _json(client.get(f"/api/v1/proposals?unit={other_department.id}&session={session_id}"))
    assert {item["number"] for item in body["items"]} == {"0001", "0004", "0005"}


def test_list_marks_overdue_cases_and_hides_unpublished_outcomes(client, figures_cases):
    items = {item["number"]: item for item in _json(client.get("/api/v1/proposals"))["items"]}
    assert items["0003"]["overdue"] is True and items["0004"]["overdue"] is False
    assert items["0005"]["outcome"] is None and items["0005"]["replied_on"]
    assert items["0001"]["outcome"] == "A"


@pytest.mark.parametrize(("query", "field"), [("kind=npc", "kind"), ("status=done", "status"), ("page=0", "page"),
                                               ("per_page=101", "per_page"), ("unit=abc", "unit")])
def test_bad_query_is_a_422_naming_the_field(client, app, query, field):
    body = _json(client.get(f"/api/v1/proposals?{query}"), 422)
    assert field in json.dumps(body)


def test_list_never_carries_contact_details(client, figures_cases):
    _assert_no_private_details(client.get("/api/v1/proposals"))


def test_case_has_proposers_units_timeline_and_published_reply(client, figures_cases):
    body = _json(client.get(f"/api/v1/proposals/{figures_cases[0].id}"))
    assert [p["name"] for p in body["proposers"]] == ["张明", "李华"]
    assert {u["role"] for u in body["units"]} == {"lead", "co"}
    assert body["reply"]["body"] == "经研究，已将该事项列入明年计划。" and body["reply"]["outcome"] == "A"
    assert [entry["kind"] for entry in body["timeline"]][-2:] == ["rating", "rating"]


def test_timeline_dates_the_assignment_by_its_assignment_date(client, registered_case, department, supervisor):
    from datetime import timedelta

    from engage.core.timeutil import china_date, utcnow
    from tests.fixtures.proposals import assign_case

    assigned_on = china_date(utcnow()) - timedelta(days=40)
    assign_case(registered_case, [department], assigned_on=assigned_on, actor=supervisor)
    body = _json(client.get(f"/api/v1/proposals/{registered_case.id}"))
    assign = next(entry for entry in body["timeline"] if entry["action"] == "assign")
    assert assign["at"] == assigned_on.isoformat() == body["assigned_on"]


def test_unpublished_reply_gives_the_reason_not_the_text(client, figures_cases):
    body = _json(client.get(f"/api/v1/proposals/{figures_cases[4].id}"))
    assert body["reply"] is None
    (reply,) = body["replies"]
    assert reply["published"] is False and reply["body"] is None and reply["outcome"] is None
    assert reply["unpublished_reason"] == "涉及未公开的规划内容"


def test_case_never_carries_contact_details(client, figures_cases):
    for case in figures_cases:
        _assert_no_private_details(client.get(f"/api/v1/proposals/{case.id}"))


def test_unknown_case_is_a_404(client, app):
    assert _json(client.get("/api/v1/proposals/999"), 404)["code"] == 404


def test_stats_of_the_latest_session_by_default(client, figures_cases, department):
    body = _json(client.get("/api/v1/proposals/stats"))
    assert body["session"]["id"] == figures_cases[0].session_id
    a = next(unit for unit in body["units"] if unit["unit"]["id"] == department.id)
    assert (a["assigned"], a["replied"], a["on_time"], a["late"], a["overdue"]) == (3, 2, 1, 1, 1)
    assert a["satisfaction_rate"] == pytest.approx(2 / 3)
    assert body["total"]["assigned"] == 5 and body["total"]["outcomes"] == {"A": 1, "B": 1, "C": 1}


def test_stats_of_an_unknown_session_is_a_404(client, figures_cases):
    assert client.get("/api/v1/proposals/stats?session=999").status_code == 404


def test_stats_before_any_session_is_a_404_with_a_message(client, app):
    assert _json(client.get("/api/v1/proposals/stats"), 404)["message"]


def test_stats_of_one_kind(client, figures_cases):
    body = _json(client.get("/api/v1/proposals/stats?kind=proposal"))
    assert body["kind"] == "proposal" and body["units"] == [] and body["total"]["assigned"] == 0


def test_public_routes_are_in_the_openapi_document(client, app):
    paths = _json(client.get("/api/v1/openapi.json"))["paths"]
    for path in ("/api/v1/proposals", "/api/v1/proposals/{proposal_id}", "/api/v1/proposals/stats"):
        assert "get" in paths[path]
    parameters = {p["name"] for p in paths["/api/v1/proposals"]["get"]["parameters"]}
    assert {"kind", "session", "unit", "status", "outcome", "q", "page", "per_page"} <= parameters
