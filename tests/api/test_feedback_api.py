"""Feedback API: the public report, revisions, chain check, receipts with answers, and the staff endpoints."""

from datetime import date

from sqlalchemy import update

from engage.consultations.models import Channel
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.feedback import answer_services, offline_services, services
from engage.feedback.models import FeedbackRevision, OpinionGroup
from tests.fixtures.messaging import run_queued_jobs


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


def test_receipt_api_names_the_group_and_links_to_it(client, answered_consultation, staff, comments_of):
    services.publish(answered_consultation, actor=staff, now=utcnow())
    db.session.commit()
    first = comments_of(answered_consultation)[0]
    group = client.get(f"/api/v1/receipts/{first.receipt_number}").json["answer"]["group"]
    assert (group["id"], group["title"]) == (first.opinion_group_id, "增设厨余垃圾投放点")
    assert group["url"].endswith(f"/consultations/{answered_consultation.id}/feedback#group-{first.opinion_group_id}")
    alone = comments_of(answered_consultation)[3].receipt_number
    assert client.get(f"/api/v1/receipts/{alone}").json["answer"]["group"] is None


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
    assert response.status_code == 202 and response.json["state"] == "queued"
    location = response.headers["Location"]
    assert location.endswith(f"/feedback/grouping-runs/{response.json['id']}")
    assert client.post(_base(closed_consultation) + "/groups/proposals", headers=staff_token).status_code == 409
    assert run_queued_jobs() == 1
    run = client.get(location, headers=staff_token).json
    assert (run["state"], run["groups_proposed"], run["comments_grouped"], run["error"]) == ("done", 1, 3, None)
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


def test_an_answer_without_an_outcome_is_422_not_500(client, staff_token, closed_consultation, comments_of):
    group = client.post(_base(closed_consultation) + "/groups", headers=staff_token,
                        json={"title": "投放点", "comment_ids": [comments_of(closed_consultation)[0].id]}).json
    response = client.put(_base(closed_consultation) + f"/groups/{group['id']}/answer", json={},
                          headers={**staff_token, "Accept-Language": "zh-CN"})
    assert response.status_code == 422
    assert response.json["errors"]["outcome"] == ["请选择对该意见的处理结果。"]


def test_an_unknown_outcome_is_refused_in_the_request_language(client, staff_token, closed_consultation,
                                                               comments_of):
    response = client.post(_base(closed_consultation) + "/answers",
                           json={"comment_ids": [comments_of(closed_consultation)[0].id], "outcome": "maybe"},
                           headers={**staff_token, "Accept-Language": "zh-CN"})
    assert response.status_code == 422
    assert response.json["errors"]["outcome"] == ["须为以下之一：adopted, partly_adopted, not_adopted, out_of_scope。"]


def test_an_empty_selection_is_refused_in_the_request_language(client, staff_token, closed_consultation):
    response = client.post(_base(closed_consultation) + "/answers", json={"comment_ids": [], "outcome": "adopted"},
                           headers={**staff_token, "Accept-Language": "zh-CN"})
    assert response.json["errors"]["comment_ids"] == ["请选择1至1000条意见。"]


def test_staff_list_the_unanswered_comments_with_offline_ones_and_no_contacts(client, staff, staff_token,
                                                                              closed_consultation, comments_of):
    online = len(comments_of(closed_consultation))
    offline = offline_services.add_offline_opinion(closed_consultation, offline_services.OfflineOpinion(
        body="来信：建议增加投放点。", channel=Channel.LETTER, received_on=date(2025, 9, 2)), actor=staff, now=utcnow())
    first = comments_of(closed_consultation)[0]
    answer_services.answer_comments(closed_consultation, [first.id], "adopted", "", actor=staff, now=utcnow())
    db.session.commit()
    listed = client.get(_base(closed_consultation) + "/comments?answered=unanswered&per_page=100",
                        headers=staff_token).json
    ids = [item["id"] for item in listed["items"]]
    assert offline.id in ids and first.id not in ids
    assert listed["total"] == online  # the offline opinion in, the answered one out
    assert all("contact" not in item for item in listed["items"])
    assert listed["items"][-1]["status"] == "recorded" and listed["items"][-1]["channel"] == "letter"


def test_another_department_cannot_list_the_comments_to_answer(client, other_staff_token, closed_consultation):
    assert client.get(_base(closed_consultation) + "/comments", headers=other_staff_token).status_code == 403


def test_listing_by_an_unknown_article_is_404(client, staff_token, closed_consultation):
    assert client.get(_base(closed_consultation) + "/comments?article=99", headers=staff_token).status_code == 404


def test_a_correction_without_any_change_is_409_in_the_clients_language(client, staff_token, answered_consultation,
                                                                         staff):
    services.publish(answered_consultation, actor=staff, now=utcnow())
    db.session.commit()
    response = client.post(_base(answered_consultation) + "/publish", json={"reason": "再次公布"},
                           headers={**staff_token, "Accept-Language": "zh-CN"})
    assert response.status_code == 409
    assert response.json["errors"] == {"publish": ["自第 1 版公布以来报告内容没有任何变化，无需更正。"]}
    assert [r.number for r in services.list_revisions(answered_consultation.id)] == [1]


def test_the_themes_endpoint_runs_on_the_queue_and_lists_themes_with_keywords(client, staff_token, department, staff):
    from tests.fixtures.feedback import make_closed_consultation

    consultation, _comments = make_closed_consultation(department, staff, [
        "对个人的罚款标准过高，应当降低。", "罚款金额太重了，以教育为主。", "个人罚款的标准太高，希望降低罚款金额。",
        "垃圾投放时间太短，建议延长投放时间。", "定时投放的时间太短，请延长。", "希望延长垃圾投放时间，晚上也能投放。"])
    response = client.post(_base(consultation) + "/themes/proposals", headers=staff_token)
    assert response.status_code == 202 and response.json["kind"] == "theme"
    assert run_queued_jobs() == 1
    run = client.get(response.headers["Location"], headers=staff_token).json
    assert (run["state"], run["groups_proposed"]) == ("done", 2)
    themes = client.get(_base(consultation) + "/groups?status=proposed", headers=staff_token).json["items"]
    assert {group["kind"] for group in themes} == {"theme"} and all(group["keywords"] for group in themes)
