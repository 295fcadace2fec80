"""Feedback API: the public report, revisions, chain check, receipts with answers, and the staff endpoints."""

from sqlalchemy import update

from engage.core.db import utcnow
from engage.extensions import db
from engage.feedback import services
from engage.feedback.models import FeedbackRevision, OpinionGroup


def _base(consultation) -> str:
    return f"/api/v1/consultations/{consultation.id}/feedback"


def test_report_is_404_until_published(client, closed_consultation):
    assert client.get(_base(closed_consultation)).status_code == 404


def test_report_revisions_and_verify_after_publishing(client, answered_consultation, staff):
    services.publish(answered_consultation, actor=staff, now=utcnow())
    db.session.commit()
    report = client.get(_base(answered_consultation)).json
    assert report["number"] == 1 and report["content"]["total"] == 4
    assert report["content"]["groups"][0]["title"] == "增设厨余垃圾投放点"
    assert len(report["content_hash"]) == 64
    revisions = client.get(_base(answered_consultation) + "/revisions").json
    assert [r["number"] for r in revisions["revisions"]] == [1]
    assert client.get(_base(answered_consultation) + "/verify").json["valid"] is True


def test_verify_reports_a_tampered_revision(client, answered_consultation, staff):
    revision = services.publish(answered_consultation, actor=staff, now=utcnow())
    db.session.execute(update(FeedbackRevision).where(FeedbackRevision.id == revision.id).values(reason="x"))
    db.session.commit()
    check = client.get(_base(answered_consultation) + "/verify").json
    assert check == {"consultation_id": answered_consultation.id, "valid": False, "revisions_checked": 0,
                     "broken_at": 1, "problem": "content"}


def test_receipt_api_includes_answer_only_after_publication(client, answered_consultation, staff, comments_of):
    receipt = comments_of(answered_consultation)[3].receipt_number
    assert client.get(f"/api/v1/receipts/{receipt}").json["answer"] is None
    services.publish(answered_consultation, actor=staff, now=utcnow())
    db.session.commit()
    answer = client.get(f"/api/v1/receipts/{receipt}").json["answer"]
    assert answer["outcome"] == "not_adopted" and answer["reason"] == "施行日期已征求多方意见。"
    assert answer["report_url"].endswith(f"/consultations/{answered_consultation.id}/feedback")


def test_staff_group_answer_and_publish_with_token(client, staff_token, closed_consultation, comments_of):
    ids = [c.id for c in comments_of(closed_consultation)]
    group = client.post(_base(closed_consultation) + "/groups", json={"title": "投放点", "comment_ids": ids[:3]},
                        headers=staff_token)
    assert group.status_code == 201 and group.json["size"] == 3
    answered = client.put(_base(closed_consultation) + f"/groups/{group.json['id']}/answer",
                          json={"outcome": "adopted"}, headers=staff_token)
    assert answered.json["outcome"] == "adopted"
    refused = client.post(_base(closed_consultation) + "/publish", json={"explanation": "说明"}, headers=staff_token)
    assert refused.status_code == 422
    client.post(_base(closed_consultation) + "/answers", json={"comment_ids": ids[3:], "outcome": "out_of_scope",
                                                               "reason": "不属于本办法调整范围。"}, headers=staff_token)
    published = client.post(_base(closed_consultation) + "/publish", json={"explanation": "说明"}, headers=staff_token)
    assert published.status_code == 201 and published.json["number"] == 1


def test_answer_without_reason_is_422(client, staff_token, closed_consultation, comments_of):
    response = client.post(_base(closed_consultation) + "/answers",
                           json={"comment_ids": [comments_of(closed_consultation)[0].id], "outcome": "not_adopted"},
                           headers=staff_token)
    assert response.status_code == 422 and "reason" in response.json["errors"]


def test_proposals_endpoint_groups_the_form_letters(client, staff_token, closed_consultation):
    response = client.post(_base(closed_consultation) + "/groups/proposals", headers=staff_token)
    assert response.json == {"proposed": 1, "grouped_comments": 3}
    listed = client.get(_base(closed_consultation) + "/groups?status=proposed", headers=staff_token).json
    assert listed["items"][0]["size"] == 3


def test_other_department_token_cannot_answer_or_publish(client, other_staff_token, closed_consultation,
                                                         comments_of):
    ids = [c.id for c in comments_of(closed_consultation)]
    assert client.post(_base(closed_consultation) + "/answers", json={"comment_ids": ids, "outcome": "adopted"},
                       headers=other_staff_token).status_code == 403
    assert client.post(_base(closed_consultation) + "/publish", json={},
                       headers=other_staff_token).status_code == 403
    assert db.session.scalar(db.select(OpinionGroup)) is None


def test_staff_endpoints_need_a_token(client, closed_consultation):
    assert client.post(_base(closed_consultation) + "/publish", json={}).status_code == 401
