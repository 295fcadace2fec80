"""Staff endpoints of the API: authenticated only by a personal API token, limited to one's department."""

from datetime import timedelta

import pytest

from engage.consultations.models import Comment, CommentStatus, Consultation, ModerationMode, Stage
from engage.core.timeutil import to_china
from engage.extensions import db
from tests import factories

DRAFT = {"title": "城市绿化条例（征求意见稿）", "kind": "draft_rule", "draft_text": factories.DRAFT_TEXT}


def _period(now, days=40):
    opens = to_china(now + timedelta(hours=1)).replace(tzinfo=None)
    return {"opens_at": opens.isoformat(), "closes_at": (opens + timedelta(days=days)).isoformat()}


def test_create_draft_with_token(client, staff_token, department):
    response = client.post("/api/v1/consultations", json=DRAFT, headers=staff_token)
    assert response.status_code == 201
    body = response.json
    assert body["stage"] == "draft" and body["status"] == "draft" and body["department"]["id"] == department.id
    assert [a["label"] for a in body["articles"]] == ["第一条", "第二条", "第三条", "第四条"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}])
def test_staff_endpoints_refuse_without_valid_token(client, open_consultation, headers):
    calls = [
        ("post", "/api/v1/consultations", DRAFT),
        ("patch", f"/api/v1/consultations/{open_consultation.id}", {"title": "x"}),
        ("post", f"/api/v1/consultations/{open_consultation.id}/publish", None),
        ("get", f"/api/v1/consultations/{open_consultation.id}/moderation", None),
        ("post", f"/api/v1/consultations/{open_consultation.id}/moderation",
         {"comment_ids": [1], "decision": "approve"}),
    ]
    for method, url, payload in calls:
        response = getattr(client, method)(url, json=payload, headers=headers)
        assert response.status_code == 401, (method, url)
        assert response.json["code"] == 401
        assert response.headers["WWW-Authenticate"].lower().startswith("bearer")


def test_session_cookie_does_not_authenticate_the_api(client, auth, staff, open_consultation):
    auth.login(staff.email)
    response = client.get(f"/api/v1/consultations/{open_consultation.id}/moderation")
    assert response.status_code == 401


def test_other_department_is_forbidden(client, other_staff_token, open_consultation):
    cid = open_consultation.id
    assert client.patch(f"/api/v1/consultations/{cid}", json={"title": "x"},
                        headers=other_staff_token).status_code == 403
    assert client.post(f"/api/v1/consultations/{cid}/publish", headers=other_staff_token).status_code == 403
    assert client.get(f"/api/v1/consultations/{cid}/moderation", headers=other_staff_token).status_code == 403
    assert client.post(f"/api/v1/consultations/{cid}/moderation", json={"comment_ids": [1], "decision": "approve"},
                       headers=other_staff_token).status_code == 403


def test_creating_for_another_department_is_forbidden(client, staff_token, other_department):
    response = client.post("/api/v1/consultations", json={**DRAFT, "department": other_department.id},
                           headers=staff_token)
    assert response.status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Consultation)) == 0


def test_unknown_consultation_is_404_for_staff(client, staff_token):
    assert client.post("/api/v1/consultations/9999/publish", headers=staff_token).status_code == 404


def test_patch_changes_only_given_fields_and_china_time_is_read(client, staff_token, now):
    created = client.post("/api/v1/consultations", json={**DRAFT, "summary": "原摘要"}, headers=staff_token).json
    period = _period(now)
    response = client.patch(f"/api/v1/consultations/{created['id']}", json={"title": "新标题", **period},
                            headers=staff_token)
    assert response.status_code == 200
    body = response.json
    assert body["title"] == "新标题" and body["summary"] == "原摘要"
    consultation = db.session.get(Consultation, created["id"])
    assert to_china(consultation.opens_at).replace(tzinfo=None).isoformat() == period["opens_at"]


def test_publish_with_full_period(client, staff_token, now):
    created = client.post("/api/v1/consultations", json={**DRAFT, **_period(now)}, headers=staff_token).json
    response = client.post(f"/api/v1/consultations/{created['id']}/publish", headers=staff_token)
    assert response.status_code == 200 and response.json["status"] == "scheduled"
    assert client.get(f"/api/v1/consultations/{created['id']}").status_code == 200
    again = client.patch(f"/api/v1/consultations/{created['id']}", json={"title": "改"}, headers=staff_token)
    assert again.status_code == 409


def test_publish_short_period_without_reason_is_422(client, staff_token, now):
    created = client.post("/api/v1/consultations", json={**DRAFT, **_period(now, days=5)}, headers=staff_token).json
    response = client.post(f"/api/v1/consultations/{created['id']}/publish", headers=staff_token)
    assert response.status_code == 422 and "short_period_reason" in response.json["errors"]
    assert db.session.get(Consultation, created["id"]).stage == Stage.DRAFT


@pytest.mark.parametrize(("payload", "field"), [({"kind": "draft_rule"}, "title"), ({"title": "x"}, "kind"),
                                               ({**DRAFT, "kind": "poem"}, "kind"),
                                               ({**DRAFT, "opens_at": "tomorrow"}, "opens_at")])
def test_create_refuses_invalid_fields(client, staff_token, payload, field):
    response = client.post("/api/v1/consultations", json=payload, headers=staff_token)
    assert response.status_code == 422 and field in response.json["errors"]


@pytest.mark.parametrize(("payload", "field", "message"), [
    ({**DRAFT, "kind": "poem"}, "kind", "须为以下之一：major_decision, draft_rule"),
    ({**DRAFT, "title": "长" * 201}, "title", "长度须在 1 到 200 之间。"),
    ({**DRAFT, "opens_at": "tomorrow"}, "opens_at", "不是有效的日期时间，请写作 2026-03-01T09:00。"),
])
def test_invalid_fields_are_explained_in_chinese(client, staff_token, payload, field, message):
    response = client.post("/api/v1/consultations", json=payload, headers=staff_token)
    assert response.status_code == 422
    assert message in response.json["errors"][field][0]


def test_invalid_fields_are_explained_in_english_on_request(client, staff_token):
    response = client.post("/api/v1/consultations", json={**DRAFT, "kind": "poem"},
                           headers={**staff_token, "Accept-Language": "en"})
    assert response.json["errors"]["kind"][0].startswith("Must be one of: major_decision, draft_rule")


def test_moderation_queue_shows_contact_to_staff(client, staff_token, department, staff):
    consultation = factories.make_consultation(department, staff, moderation=ModerationMode.REVIEW)
    factories.make_comment(consultation, "请联系我", contact="13912345678", consent=True)
    response = client.get(f"/api/v1/consultations/{consultation.id}/moderation?status=pending", headers=staff_token)
    assert response.status_code == 200 and response.json["total"] == 1
    assert response.json["items"][0]["contact"] == "13912345678"


def test_bulk_moderation_approves_and_rejects_with_reason(client, staff_token, department, staff):
    consultation = factories.make_consultation(department, staff, moderation=ModerationMode.REVIEW)
    ids = [factories.make_comment(consultation, f"意见{n}").id for n in range(3)]
    url = f"/api/v1/consultations/{consultation.id}/moderation"
    approved = client.post(url, json={"comment_ids": ids[:2], "decision": "approve"}, headers=staff_token)
    assert approved.status_code == 200 and {c["status"] for c in approved.json["items"]} == {"published"}
    no_reason = client.post(url, json={"comment_ids": ids[2:], "decision": "reject"}, headers=staff_token)
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]
    rejected = client.post(url, json={"comment_ids": ids[2:], "decision": "reject", "reason": "重复"},
                           headers=staff_token)
    assert rejected.json["items"][0]["status"] == "rejected"
    db.session.expire_all()
    assert db.session.get(Consultation, consultation.id).published_comment_count == 2
    assert db.session.get(Comment, ids[2]).status == CommentStatus.REJECTED
    public = client.get(f"/api/v1/consultations/{consultation.id}/comments").json
    assert public["total"] == 2
