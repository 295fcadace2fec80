"""A published (or unpublished) reply reaches each proposer with a contact, with their own private rating link."""

import re
from urllib.parse import urlsplit

import flask_babel
import sqlalchemy as sa
from flask import current_app

from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.notifications.models import OutboxMessage
from engage.proposals.handling import services as handling_services
from engage.proposals.models import Rating
from tests.fixtures.messaging import run_queued_jobs
from tests.fixtures.proposals import reply_to

LINK = re.compile(r"https?://\S+")


def _links(text: str) -> list[str]:
    return LINK.findall(text)


def _rating_link(text: str) -> str:
    [link] = [link for link in _links(text) if "/proposals/rate/" in link]
    return link


def _with_co_signer_phone(case, phone="+86 139-0000-2222"):
    case.proposers[1].phone = phone
    db.session.commit()
    return case


def test_a_published_reply_reaches_the_proposer_by_sms_and_email_with_both_links(messaging, app, assigned_case,
                                                                                  staff):
    smtp, gateway = messaging
    reply_to(assigned_case, staff)
    run_queued_jobs()
    public = f"{app.config['PUBLIC_URL']}/proposals/{assigned_case.id}"
    [sms] = gateway.to("13900001111")
    assert sms["text"].startswith(f"【{app.config['SMS_SIGNATURE']}】张明：您的第0001号建议已答复。")
    assert public in _links(sms["text"]) and _rating_link(sms["text"])
    assert len(sms["text"]) <= 201
    [mail] = smtp.to("zhangming@example.cn")
    assert mail["Subject"] == "您的第0001号建议已答复"
    assert "List-Unsubscribe" not in mail  # owed to the proposer: transactional
    body = mail.get_body(("plain",)).get_content()
    assert "关于加快老旧小区加装电梯的建议" in body and public in _links(body)
    # One new link per proposer, sent on both channels.
    assert _rating_link(body) == _rating_link(sms["text"])


def test_the_rating_link_in_the_message_opens_the_rating_page_and_takes_the_rating(messaging, client,
                                                                                 assigned_case, staff):
    _, gateway = messaging
    reply_to(assigned_case, staff)
    run_queued_jobs()
    path = urlsplit(_rating_link(gateway.to("13900001111")[0]["text"])).path
    page = client.get(path)
    assert page.status_code == 200 and "经研究，已将该事项列入明年计划。" in page.get_data(as_text=True)
    assert client.post(path, data={"satisfaction": "satisfied", "comments": ""}).status_code == 200
    [rating] = db.session.scalars(sa.select(Rating)).all()
    assert rating.proposer.name == "张明" and rating.satisfaction == "satisfied"


def test_each_proposer_with_a_contact_gets_a_link_of_their_own(messaging, client, assigned_case, staff):
    _, gateway = messaging
    _with_co_signer_phone(assigned_case)
    reply_to(assigned_case, staff)
    run_queued_jobs()
    [lead_sms], [co_sms] = gateway.to("13900001111"), gateway.to("13900002222")
    assert co_sms["text"].startswith("【政民互动】李华：")
    lead_link, co_link = _rating_link(lead_sms["text"]), _rating_link(co_sms["text"])
    assert lead_link != co_link
    client.post(urlsplit(co_link).path, data={"satisfaction": "basically_satisfied"})
    [rating] = db.session.scalars(sa.select(Rating)).all()
    assert rating.proposer.name == "李华"


def test_an_unpublished_reply_sends_the_rating_link_without_a_public_link(messaging, client, app, assigned_case,
                                                                           staff):
    smtp, gateway = messaging
    reply_to(assigned_case, staff, published=False, body="涉及未公开规划的答复全文。")
    run_queued_jobs()
    [sms] = gateway.to("13900001111")
    assert "答复未公开" in sms["text"]
    assert _links(sms["text"]) == [_rating_link(sms["text"])]
    body = smtp.to("zhangming@example.cn")[0].get_body(("plain",)).get_content()
    assert _links(body) == [_rating_link(body)]
    assert f"/proposals/{assigned_case.id}" not in body
    # The proposer reads their own case's reply on the rating page, though the public does not.
    page = client.get(urlsplit(_rating_link(sms["text"])).path).get_data(as_text=True)
    assert "涉及未公开规划的答复全文。" in page
    assert "涉及未公开规划的答复全文。" not in client.get(f"/proposals/{assigned_case.id}").get_data(as_text=True)


def test_a_proposer_without_a_contact_gets_nothing_and_keeps_the_link_they_hold(messaging, assigned_case, staff,
                                                                               supervisor):
    co_signer = assigned_case.proposers[1]
    token = handling_services.issue_rating_link(co_signer, actor=supervisor, now=utcnow())
    db.session.commit()
    reply_to(assigned_case, staff)
    rows = db.session.scalars(sa.select(OutboxMessage)).all()
    assert sorted((m.channel, m.recipient) for m in rows) == [("email", "zhangming@example.cn"),
                                                              ("sms", "13900001111")]
    assert handling_services.proposer_for_token(token) is co_signer


def test_a_contact_that_cannot_take_a_message_is_left_out(messaging, assigned_case, staff):
    lead = assigned_case.proposers[0]
    lead.phone, lead.email = "0571-87001234", "not an address"  # a landline takes no SMS
    db.session.commit()
    reply_to(assigned_case, staff)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_the_message_is_in_chinese_whatever_language_the_staff_member_uses(messaging, app, assigned_case, staff):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert str(flask_babel.get_locale()) == "en"
        reply_to(assigned_case, staff)
    flask_babel.refresh()
    languages = set(db.session.scalars(sa.select(OutboxMessage.language)))
    assert languages == {"zh"}


def test_a_second_round_reply_sends_a_new_link_and_the_first_stops_working(messaging, client, assigned_case, staff,
                                                                           supervisor):
    _, gateway = messaging
    reply_to(assigned_case, staff)
    handling_services.rate(assigned_case.proposers[1], "unsatisfied", "没有具体措施", actor=supervisor, now=utcnow(),
                           config=current_app.config)
    db.session.commit()
    reply_to(assigned_case, staff, body="重新办理后的答复。")
    run_queued_jobs()
    first, second = (_rating_link(sms["text"]) for sms in gateway.to("13900001111"))
    assert client.get(urlsplit(first).path).status_code == 404
    assert "重新办理后的答复。" in client.get(urlsplit(second).path).get_data(as_text=True)
