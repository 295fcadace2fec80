"""Staff API of the proposal tracker: register, assign, reply, rate, with tokens and permissions."""

import pytest

from engage.core.timeutil import china_date, utcnow
from tests.api.conftest import _token_for

CASE = {
    "kind": "suggestion", "session": "第十八届人大第三次会议", "number": "0101",
    "title": "关于增设社区养老服务站的建议", "body": "建议在各街道增设养老服务站。", "category": "民政",
    "proposers": [{"name": "王芳", "phone": "13700001111", "affiliation": "临江代表团"}, {"name": "赵强"}],
}


#: tokens of several users in one test: each request must look its user up afresh
pytestmark = pytest.mark.usefixtures("fresh_request_globals")


def register(client, headers, **changes):
    return client.post("/api/v1/proposals", json={**CASE, **changes}, headers=headers)


def test_supervisor_registers_assigns_and_the_unit_replies_and_the_rating_reopens(
        client, supervisor_token, staff_token, department, other_department):
    created = register(client, supervisor_token)
    assert created.status_code == 201, created.json
    case_id = created.json["id"]
    assert [p["name"] for p in created.json["proposers"]] == ["王芳", "赵强"]

    assigned = client.post(f"/api/v1/proposals/{case_id}/assignment", headers=supervisor_token,
                           json={"lead_units": [department.id], "co_units": [other_department.id],
                                 "assigned_on": "2026-01-31"})
    assert assigned.status_code == 200, assigned.json
    assert (assigned.json["status"], assigned.json["due_on"]) == ("assigned", "2026-04-30")

    replied = client.post(f"/api/v1/proposals/{case_id}/replies", headers=staff_token,
                          json={"body": "已纳入明年民生实事项目。", "outcome": "B"})
    assert replied.status_code == 201, replied.json
    assert replied.json["status"] == "replied"
    assert replied.json["replies"][0]["replied_on"] == china_date(utcnow()).isoformat()

    lead_id = replied.json["proposers"][0]["id"]
    rated = client.post(f"/api/v1/proposals/{case_id}/ratings", headers=supervisor_token,
                        json={"proposer": lead_id, "satisfaction": "unsatisfied", "comments": "进度太慢"})
    assert rated.status_code == 201, rated.json
    assert (rated.json["status"], rated.json["round"]) == ("reopened", 2)


def test_a_rating_for_a_proposer_of_another_case_is_404(client, supervisor_token):
    first = register(client, supervisor_token).json
    other = register(client, supervisor_token, number="0102").json
    rated = client.post(f"/api/v1/proposals/{first['id']}/ratings", headers=supervisor_token,
                        json={"proposer": other["proposers"][0]["id"], "satisfaction": "satisfied", "comments": ""})
    assert rated.status_code == 404


def test_a_duplicate_number_is_a_422_with_the_field(client, supervisor_token):
    register(client, supervisor_token)
    again = register(client, supervisor_token)
    assert again.status_code == 422 and "number" in again.json["errors"]


def test_bad_input_is_422_per_field(client, supervisor_token):
    answer = register(client, supervisor_token, kind="motion", proposers=[])
    assert answer.status_code == 422
    assert {"kind", "proposers"} <= set(answer.json["errors"])


def test_a_bad_assignment_date_is_refused_in_the_request_language(client, supervisor_token, department):
    case_id = register(client, supervisor_token).json["id"]
    answer = client.post(f"/api/v1/proposals/{case_id}/assignment", json={"lead_units": [department.id],
                         "assigned_on": "2026-02-30"}, headers={**supervisor_token, "Accept-Language": "zh-CN"})
    assert answer.status_code == 422
    assert answer.json["errors"]["assigned_on"] == ["不是有效日期，请写作 2026-03-01。"]


def test_units_that_are_not_a_list_are_refused_in_the_request_language(client, supervisor_token):
    case_id = register(client, supervisor_token).json["id"]
    answer = client.post(f"/api/v1/proposals/{case_id}/assignment", json={"lead_units": "交通运输局"},
                         headers={**supervisor_token, "Accept-Language": "zh-CN"})
    assert answer.status_code == 422
    assert answer.json["errors"]["lead_units"] == ["请以列表形式填写单位编号，例如 [3, 5]。"]


def test_an_assignment_date_in_the_future_is_a_422(client, supervisor_token, department):
    case_id = register(client, supervisor_token).json["id"]
    answer = client.post(f"/api/v1/proposals/{case_id}/assignment", json={"lead_units": [department.id],
                         "assigned_on": "2099-01-01"}, headers=supervisor_token)
    assert answer.status_code == 422 and "assigned_on" in answer.json["errors"]
    assert client.get(f"/api/v1/proposals/{case_id}").json["status"] == "registered"


def test_without_a_token_401_and_department_staff_cannot_register_or_assign(client, staff_token, supervisor_token,
                                                                            department):
    assert register(client, {}).status_code == 401
    assert register(client, staff_token).status_code == 403
    case_id = register(client, supervisor_token).json["id"]
    answer = client.post(f"/api/v1/proposals/{case_id}/assignment", headers=staff_token,
                         json={"lead_units": [department.id]})
    assert answer.status_code == 403


def test_a_unit_cannot_reply_to_a_case_it_does_not_handle(client, supervisor_token, other_staff_token,
                                                         department):
    case_id = register(client, supervisor_token).json["id"]
    client.post(f"/api/v1/proposals/{case_id}/assignment", headers=supervisor_token,
                json={"lead_units": [department.id]})
    answer = client.post(f"/api/v1/proposals/{case_id}/replies", headers=other_staff_token,
                         json={"body": "答复", "outcome": "A"})
    assert answer.status_code == 403
    assert client.get(f"/api/v1/proposals/{case_id}/staff", headers=other_staff_token).status_code == 403


def test_replying_before_assignment_is_409_with_a_message(client, supervisor_token, admin):
    case_id = register(client, supervisor_token).json["id"]
    answer = client.post(f"/api/v1/proposals/{case_id}/replies", headers=_token_for(admin),
                         json={"body": "答复", "outcome": "A"})
    assert answer.status_code == 409 and answer.json["message"]


def test_the_staff_view_shows_contact_details_to_the_handling_unit(client, supervisor_token, staff_token,
                                                                   department):
    case_id = register(client, supervisor_token).json["id"]
    client.post(f"/api/v1/proposals/{case_id}/assignment", headers=supervisor_token,
                json={"lead_units": [department.id]})
    answer = client.get(f"/api/v1/proposals/{case_id}/staff", headers=staff_token)
    assert answer.status_code == 200 and answer.json["proposers"][0]["phone"] == "13700001111"


def test_staff_endpoints_are_in_the_openapi_document(client, app):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path, method in [("/api/v1/proposals", "post"), ("/api/v1/proposals/{proposal_id}/assignment", "post"),
                         ("/api/v1/proposals/{proposal_id}/replies", "post"),
                         ("/api/v1/proposals/{proposal_id}/ratings", "post"),
                         ("/api/v1/proposals/{proposal_id}/staff", "get")]:
        assert "bearerAuth" in str(paths[path][method]["security"])
