"""A commenter who gave a contact with consent hears of their comment: the receipt when asked for, why it was not
published, its answer when the feedback report is published, and the final decision."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.consultations import comment_services
from engage.consultations.models import ModerationMode
from engage.core.errors import ValidationFailed
from engage.core.timeutil import china_date, utcnow
from engage.core.workdays import WorkCalendar
from engage.decisions import services as decisions
from engage.extensions import db
from engage.feedback import answer_services
from engage.feedback import services as feedback
from engage.notifications.models import OutboxMessage
from tests import factories
from tests.fixtures.messaging import run_queued_jobs

PHONE, EMAIL = "13812345678", "wang@example.cn"
LINK = re.compile(r"https?://\S+")


def _messages(template: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.template == template)
                              .order_by(OutboxMessage.id)).all()


def _comment(consultation, contact="", *, body="建议增加分类投放点。", consent=True, **kwargs):
    return factories.make_comment(consultation, body, contact=contact, consent=consent and bool(contact), **kwargs)


# ---- the receipt ----------------------------------------------------------------------------------------


def test_an_asked_for_receipt_reaches_the_phone_with_its_number_and_lookup_link(messaging, app, open_consultation):
    _, gateway = messaging
    comment = _comment(open_consultation, "138 1234 5678", send_receipt=True)
    run_queued_jobs()
    [sms] = gateway.to(PHONE)
    assert comment.receipt_number in sms["text"] and open_consultation.title in sms["text"]
    assert sms["text"].startswith(f"【{app.config['SMS_SIGNATURE']}】您对「")
    [link] = LINK.findall(sms["text"])
    assert link == f"{app.config['PUBLIC_URL']}/consultations/receipt?receipt_number={comment.receipt_number}"
    assert len(sms["text"]) <= 70 * 3


def test_an_asked_for_receipt_reaches_the_mailbox_without_an_unsubscribe_header(messaging, client, open_consultation):
    smtp, _ = messaging
    comment = _comment(open_consultation, "Wang@Example.cn", send_receipt=True)
    run_queued_jobs()
    [mail] = smtp.to(EMAIL)
    assert comment.receipt_number in mail["Subject"]
    assert "List-Unsubscribe" not in mail  # asked for: transactional
    body = mail.get_body(("plain",)).get_content()
    [link] = LINK.findall(body)
    page = client.get(link.split("//", 1)[1].split("/", 1)[1].join(["/", ""])).get_data(as_text=True)
    assert "建议增加分类投放点。" in page  # the link opens the comment's own status


def test_no_receipt_is_sent_unless_asked_for(messaging, open_consultation):
    _comment(open_consultation, PHONE)
    assert _messages("comment_receipt") == []


def test_a_receipt_needs_a_contact_that_can_take_a_message(open_consultation):
    with pytest.raises(ValidationFailed) as refused:
        _comment(open_consultation, send_receipt=True)
    assert set(refused.value.errors) == {"send_receipt"}
    with pytest.raises(ValidationFailed) as refused:
        _comment(open_consultation, "010-12345678", send_receipt=True)  # a landline takes no message
    assert "固定电话" in str(refused.value.errors["send_receipt"][0])
    assert _comment(open_consultation, "010-12345678").contact == "010-12345678"  # still a valid contact
    assert _messages("comment_receipt") == []


def test_a_retried_submission_sends_no_second_receipt(messaging, open_consultation):
    first = _comment(open_consultation, PHONE, send_receipt=True, idempotency_key="k-1")
    again = _comment(open_consultation, PHONE, send_receipt=True, idempotency_key="k-1")
    assert again.id == first.id
    assert len(_messages("comment_receipt")) == 1


# ---- moderation ---------------------------------------------------------------------------------------


@pytest.fixture
def reviewed_consultation(department, staff, now):
    return factories.make_consultation(department, staff, opens_at=now - timedelta(days=1),
                                       closes_at=now + timedelta(days=30), moderation=ModerationMode.REVIEW)


def test_a_comment_not_published_tells_its_author_why(messaging, reviewed_consultation, staff):
    _, gateway = messaging
    rejected = _comment(reviewed_consultation, PHONE, body="与本草案无关的广告。")
    approved = _comment(reviewed_consultation, "13900001111")
    silent = _comment(reviewed_consultation)  # no contact: no one to tell
    comment_services.moderate(reviewed_consultation, [rejected.id, silent.id], approve=False,
                              reason="内容与本次征集无关。", actor=staff, now=utcnow())
    comment_services.moderate(reviewed_consultation, [approved.id], approve=True, actor=staff, now=utcnow())
    db.session.commit()
    run_queued_jobs()
    [sms] = gateway.to(PHONE)
    assert "未予公开" in sms["text"] and "内容与本次征集无关。" in sms["text"]
    assert rejected.receipt_number in sms["text"]
    assert gateway.to("13900001111") == [] and len(gateway.unique) == 1


def test_a_moderation_rolled_back_sends_nothing(messaging, reviewed_consultation, staff):
    comment = _comment(reviewed_consultation, PHONE)
    comment_services.moderate(reviewed_consultation, [comment.id], approve=False, reason="重复。", actor=staff,
                              now=utcnow())
    db.session.rollback()
    assert run_queued_jobs() == 0
    assert _messages("comment_not_published") == []


# ---- the feedback report ------------------------------------------------------------------------------


@pytest.fixture
def commented(open_consultation, staff):
    """The consultation with comments of three people (one left two), then closed: (consultation, comments)."""
    comments = [
        _comment(open_consultation, PHONE, body="建议延长投放时间。"),
        _comment(open_consultation, "138 1234 5678", body="建议增加分类投放点。"),
        _comment(open_consultation, EMAIL, body="第四条施行日期过早。"),
        _comment(open_consultation, "", body="匿名意见。"),
    ]
    open_consultation.closes_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    return open_consultation, comments


def _answer_all_and_publish(consultation, comments, staff, *, reason=""):
    now = utcnow()
    answer_services.answer_comments(consultation, [c.id for c in comments[:2]], "adopted", "", actor=staff, now=now)
    if comments[2:]:
        answer_services.answer_comments(consultation, [c.id for c in comments[2:]], "not_adopted",
                                        "施行日期已征求多方意见。", actor=staff, now=now)
    feedback.save_explanation(consultation, "共收到意见4条。", actor=staff, now=now)
    feedback.publish(consultation, reason=reason, actor=staff, now=now)
    db.session.commit()


def test_publishing_the_report_tells_each_contact_its_answers_once(messaging, app, commented, staff):
    smtp, gateway = messaging
    consultation, comments = commented
    _answer_all_and_publish(consultation, comments, staff)
    run_queued_jobs()
    [sms] = gateway.to(PHONE)  # two comments, one message
    assert "2条意见已有答复" in sms["text"]
    assert sms["text"].endswith(f"{app.config['PUBLIC_URL']}/consultations/{consultation.id}/feedback")
    [mail] = smtp.to(EMAIL)
    assert mail["Subject"] == "您的意见已有答复"
    body = mail.get_body(("plain",)).get_content()
    assert f"回执编号{comments[2].receipt_number}：未采纳" in body and "施行日期已征求多方意见。" in body
    assert comments[0].receipt_number not in body  # only their own
    assert len(_messages("comment_answered")) == 2


def test_a_correction_tells_only_those_whose_answer_changed(messaging, commented, staff):
    smtp, gateway = messaging
    consultation, comments = commented
    _answer_all_and_publish(consultation, comments, staff)
    run_queued_jobs()
    answer_services.answer_comments(consultation, [comments[2].id], "partly_adopted", "推迟三个月施行。",
                                    actor=staff, now=utcnow())
    feedback.publish(consultation, reason="重新研究后部分采纳", actor=staff, now=utcnow())
    db.session.commit()
    run_queued_jobs()
    assert len(gateway.to(PHONE)) == 1  # unchanged: told once, at the first publication
    first, second = smtp.to(EMAIL)
    assert second["Subject"] == "对您意见的答复已更正"
    assert "部分采纳" in second.get_body(("plain",)).get_content()


def test_a_single_comment_gets_its_outcome_and_its_own_link_by_sms(messaging, app, open_consultation, staff):
    _, gateway = messaging
    comment = _comment(open_consultation, PHONE)
    open_consultation.closes_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    _answer_all_and_publish(open_consultation, [comment], staff)
    run_queued_jobs()
    [sms] = gateway.to(PHONE)
    assert f"（{comment.receipt_number}）已有答复：采纳。" in sms["text"]
    assert sms["text"].endswith(f"receipt_number={comment.receipt_number}")


# ---- the final decision -------------------------------------------------------------------------------


def _link_decision(consultation, staff, tmp_path, **changes):
    fields = decisions.DecisionFields(title="临江市生活垃圾分类管理办法", document_number="临府规〔2026〕5号",
                                      published_on=china_date(utcnow()), url="https://www.linjiang.gov.cn/zfgb/5.htm")
    for name, value in changes.items():
        setattr(fields, name, value)
    decision = decisions.link_decision(consultation, fields, None, actor=staff, now=utcnow(), working_days=3,
                                       calendar=WorkCalendar(),
                                       store=decisions.FileStore(folder=str(tmp_path), max_bytes=1024))
    db.session.commit()
    return decision


def test_the_final_decision_reaches_each_contact_once_and_may_be_unsubscribed(messaging, app, commented, staff,
                                                                            tmp_path):
    smtp, gateway = messaging
    consultation, _comments = commented
    _link_decision(consultation, staff, tmp_path)
    run_queued_jobs()
    [sms] = gateway.to(PHONE)
    assert "已发布最终决策：临江市生活垃圾分类管理办法" in sms["text"]
    assert sms["text"].endswith(f"/consultations/{consultation.id}")
    [mail] = smtp.to(EMAIL)
    assert "临府规〔2026〕5号" in mail.get_body(("plain",)).get_content()
    assert mail["List-Unsubscribe"]  # news, not their own business: it can be turned off
    # A correction of the decision's details is not news to them.
    _link_decision(consultation, staff, tmp_path, document_number="临府规〔2026〕6号")
    run_queued_jobs()
    assert len(_messages("consultation_decided")) == 2


# ---- through the page and the API ---------------------------------------------------------------------


def test_the_form_sends_the_receipt_in_the_visitors_language(messaging, en_client, open_consultation):
    smtp, _ = messaging
    answer = en_client.post(f"/consultations/{open_consultation.id}/comments", data={
        "body": "Extend the hours.", "article": "", "contact": EMAIL, "consent": "y", "send_receipt": "y",
        "submission_token": "token-1"})
    assert answer.status_code == 303
    run_queued_jobs()
    [mail] = smtp.to(EMAIL)
    assert mail["Subject"].startswith("Your comment was received: receipt number ")
    assert "Thank you for your comment" in mail.get_body(("plain",)).get_content()


def test_the_form_explains_a_receipt_asked_for_without_a_contact(en_client, open_consultation):
    answer = en_client.post(f"/consultations/{open_consultation.id}/comments", data={
        "body": "Extend the hours.", "article": "", "send_receipt": "y", "submission_token": "token-2"})
    assert answer.status_code == 422
    assert "Give a mobile number or an e-mail address to get the receipt there." in answer.get_data(as_text=True)
    assert _messages("comment_receipt") == []


def test_the_api_takes_send_receipt(messaging, client, open_consultation):
    _, gateway = messaging
    url = f"/api/v1/consultations/{open_consultation.id}/comments"
    refused = client.post(url, json={"body": "同意。", "send_receipt": True})
    assert refused.status_code == 422 and "send_receipt" in refused.json["errors"]
    answer = client.post(url, json={"body": "同意。", "contact": PHONE, "consent": True, "send_receipt": True})
    assert answer.status_code == 201
    run_queued_jobs()
    [sms] = gateway.to(PHONE)
    assert answer.json["receipt_number"] in sms["text"]
