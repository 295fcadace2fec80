"""Staff API of supervision: chasing notices and answers, the reply review, the dashboard."""

from datetime import timedelta

import pytest

from engage.core.timeutil import china_date, utcnow
from engage.extensions import db
from tests.fixtures.proposals import assign_case, make_case

#: tokens of several users in one test: each request must look its user up afresh
pytestmark = pytest.mark.usefixtures("fresh_request_globals")


def test_chasing_and_answering_through_the_api(client, assigned_case, supervisor_token, staff_token,
                                               other_staff_token):
    url = f"/api/v1/proposals/{assigned_case.id}/chasing-notices"
    assert client.post(url, json={"text": "催办"}, headers=staff_token).status_code == 403
    assert client.post(url, json={"text": ""}, headers=supervisor_token).status_code == 422
    sent = client.post(url, json={"text": "请本周报送进度。"}, headers=supervisor_token)
    assert sent.status_code == 201
    (entry,) = sent.json["chasing_notices"]
    assert entry["notice"]["text"] == "请本周报送进度。" and entry["answer"] is None
    answer = {"notice": entry["notice"]["id"], "text": "月底前答复。"}
    # the co-unit sees the case but was not chased
    assert client.post(f"{url}/answer", json=answer, headers=other_staff_token).status_code == 403
    answered = client.post(f"{url}/answer", json=answer, headers=staff_token)
    assert answered.status_code == 201 and answered.json["chasing_notices"][0]["answer"]["text"] == "月底前答复。"
    assert client.post(f"{url}/answer", json=answer, headers=staff_token).status_code == 409
    kinds = [step["kind"] for step in client.get(f"/api/v1/proposals/{assigned_case.id}/supervision",
                                                 headers=staff_token).json["steps"]]
    assert kinds == ["chased", "chase_answered"]


def test_the_review_through_the_api(client, assigned_case, supervisor_token, staff_token, other_staff_token):
    assigned_case.session.review_required = True
    db.session.commit()
    base = f"/api/v1/proposals/{assigned_case.id}"
    replied = client.post(f"{base}/replies", headers=staff_token, json={
        "body": "答复全文", "replied_on": china_date(utcnow()).isoformat(), "outcome": "A"})
    assert replied.status_code == 201 and replied.json["status"] == "in_progress" and replied.json["replies"] == []
    assert client.post(f"{base}/review/approval", headers=staff_token).status_code == 403
    asked = client.post(f"{base}/review/signoff-request", headers=supervisor_token)
    assert asked.status_code == 200 and asked.json["review"]["state"] == "signoff"
    assert client.post(f"{base}/review/approval", headers=supervisor_token).status_code == 409
    signed = client.post(f"{base}/review/signoff", json={"note": "同意"}, headers=other_staff_token)
    assert signed.status_code == 200 and signed.json["review"]["state"] == "pending"
    approved = client.post(f"{base}/review/approval", headers=supervisor_token)
    assert approved.status_code == 200 and approved.json["review"]["state"] == "approved"
    case = client.get(f"{base}/staff", headers=staff_token).json
    assert case["status"] == "replied" and case["replies"][0]["body"] == "答复全文"
    assert client.post(f"{base}/review/return", json={"reason": "x"}, headers=supervisor_token).status_code == 409


def test_the_dashboard_through_the_api(client, department, supervisor, supervisor_token, staff_token):
    case = make_case(actor=supervisor)
    assign_case(case, [department], actor=supervisor, now=utcnow() - timedelta(days=100))
    assert client.get("/api/v1/proposals/supervision", headers=staff_token).status_code == 403
    board = client.get("/api/v1/proposals/supervision", headers=supervisor_token)
    assert board.status_code == 200
    (unit,) = board.json["units"]
    assert unit["unit"] == department.id and unit["overdue"] == 1 and sum(unit["overdue_by_days"]) == 1
    assert board.json["notices"]["assigned"] == 0  # assigned 100 days ago: not among the last 30 days' notices
    client.post(f"/api/v1/proposals/{case.id}/chasing-notices", json={"text": "催办"}, headers=supervisor_token)
    board = client.get("/api/v1/proposals/supervision", headers=supervisor_token).json
    assert board["notices"]["chased"] == 1 and board["chasing_notices"][0]["answer"] is None
