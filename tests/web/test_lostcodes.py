"""Lost codes: the page and the API send receipt numbers and confirmation codes to the contact, never to the screen."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from engage.core.timeutil import utcnow
from engage.events.models import RegistrationStatus
from engage.extensions import db
from engage.notifications.models import OutboxMessage
from tests import factories
from tests.fixtures.events import make_event, sign_up
from tests.fixtures.messaging import run_queued_jobs

PHONE = "13812345678"
EMAIL = "wang@example.cn"


def _comment(consultation, contact, body="建议增加分类投放点。"):
    return factories.make_comment(consultation, body, contact=contact, consent=True)


def _ask(client, contact):
    return client.post("/lost-codes/", data={"contact": contact})


def _outbox() -> list[OutboxMessage]:
    """The lost-codes messages; sign-ups queue their own confirmations, which are not looked at here."""
    db.session.expire_all()
    return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.template == "lost_codes")
                              .order_by(OutboxMessage.id)).all()


def _deliver_earlier_messages(gateway):
    """Sends what the sign-ups queued and forgets it, so that the gateway then holds only the lost codes."""
    run_queued_jobs()
    with gateway.lock:
        gateway.received.clear()


def _page_text(response) -> str:
    """The answer's visible text, the same for every request; the CSRF token and nonces differ per request."""
    text = response.get_data(as_text=True)
    return re.sub(r'(nonce|value)="[^"]*"', "", text)


def test_the_page_is_linked_from_both_lookup_pages(client, app):
    for path in ("/consultations/receipt", "/events/lookup"):
        assert 'href="/lost-codes/"' in client.get(path).get_data(as_text=True)


def test_a_phone_gets_its_receipt_numbers_and_confirmation_codes_by_sms(messaging, client, app, open_consultation,
                                                                       open_event):
    _, gateway = messaging
    comment = _comment(open_consultation, "+86 138 1234 5678")
    registration = sign_up(open_event, phone=PHONE)
    _deliver_earlier_messages(gateway)
    answer = _ask(client, "138 1234 5678")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/lost-codes/sent")
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert comment.receipt_number not in page and registration.code not in page  # never on screen
    run_queued_jobs()
    [sms] = gateway.to(PHONE)
    text = sms["text"]
    assert comment.receipt_number in text and registration.code in text
    assert "您的意见回执编号" in text and "您的活动报名确认码" in text
    assert f"{app.config['PUBLIC_URL']}/consultations/receipt" in text
    assert text.endswith(f"{app.config['PUBLIC_URL']}/events/lookup")
    # The codes work where the message sends the person.
    found = client.get("/consultations/receipt", query_string={"receipt_number": comment.receipt_number})
    assert "建议增加分类投放点。" in found.get_data(as_text=True)
    lookup = client.post("/events/lookup", data={"code": registration.code, "phone": PHONE})
    assert lookup.status_code == 200 and registration.code in lookup.get_data(as_text=True)


def test_an_email_gets_its_receipt_numbers_with_links_that_open_them(messaging, client, app, open_consultation):
    smtp, _ = messaging
    first = _comment(open_consultation, "Wang@Example.cn", body="第一条意见。")
    second = _comment(open_consultation, EMAIL, body="第二条意见。")
    _comment(open_consultation, "li@example.cn", body="别人的意见。")
    assert _ask(client, "WANG@example.CN").status_code == 303
    run_queued_jobs()
    [mail] = smtp.to(EMAIL)
    assert mail["Subject"] == "您的意见回执编号"
    assert "List-Unsubscribe" not in mail  # asked for: transactional
    body = mail.get_body(("plain",)).get_content()
    assert first.receipt_number in body and second.receipt_number in body
    assert open_consultation.title in body and "别人" not in body
    links = re.findall(r"https?://\S+", body)
    assert len(links) == 2
    page = client.get(urlsplit(links[0]).path + "?" + urlsplit(links[0]).query).get_data(as_text=True)
    assert "第二条意见。" in page  # newest first


def test_matched_and_unmatched_contacts_get_the_same_answer(client, app, open_consultation):
    _comment(open_consultation, PHONE)
    matched, unmatched = _ask(client, PHONE), _ask(client, "13900009999")
    assert (matched.status_code, matched.headers["Location"]) == (unmatched.status_code,
                                                                   unmatched.headers["Location"])
    assert _page_text(client.get(matched.headers["Location"])) == _page_text(client.get(unmatched.headers["Location"]))
    assert [m.recipient for m in _outbox()] == [PHONE]  # only the known contact gets a message


def test_the_api_answers_the_same_whether_or_not_anything_matched(client, app, open_consultation):
    _comment(open_consultation, EMAIL)
    answers = [client.post("/api/v1/lost-codes", json={"contact": contact}) for contact in (EMAIL, "x@example.cn")]
    assert [a.status_code for a in answers] == [202, 202]
    assert answers[0].get_json() == answers[1].get_json()
    assert answers[0].get_json() == {"message": "如果我们记录有该联系方式，载有您的编号的消息正在发送。"}
    assert [m.recipient for m in _outbox()] == [EMAIL]


def test_a_long_list_is_capped_and_says_how_many_more(messaging, client, app, open_consultation, campaign,
                                                      department):
    _, gateway = messaging
    comments = [_comment(open_consultation, PHONE, body=f"第{i}条意见。") for i in range(4)]
    events = [make_event(campaign, department, title=f"活动{i}", starts_at=utcnow() + timedelta(days=5 + i))
              for i in range(3)]
    codes = [sign_up(event, phone=PHONE).code for event in events]
    _deliver_earlier_messages(gateway)
    _ask(client, PHONE)
    run_queued_jobs()
    [sms] = gateway.to(PHONE)
    text = sms["text"]
    assert len(text) <= 201  # three segments at most, links whole
    assert comments[-1].receipt_number in text and comments[0].receipt_number not in text  # newest comment
    assert codes[0] in text and codes[1] in text and codes[2] not in text  # soonest events
    assert "（另有3个）" in text and "（另有1个）" in text
    assert text.endswith("/events/lookup")


def test_cancelled_sign_ups_and_past_events_are_not_listed(messaging, client, campaign, department):
    _, gateway = messaging
    past = make_event(campaign, department, title="已结束的活动", starts_at=utcnow() - timedelta(days=3))
    cancelled = sign_up(make_event(campaign, department, title="取消的报名"), phone=PHONE)
    cancelled.status, cancelled.active_phone = RegistrationStatus.CANCELLED, None
    from engage.events.models import Registration

    db.session.add(Registration(event=past, number=1, code="PAST2345", cancel_token_hash="x" * 64, name="张三",
                                phone=PHONE, active_phone=PHONE, party_size=1, status=RegistrationStatus.CONFIRMED,
                                created_at=utcnow(), updated_at=utcnow()))
    db.session.commit()
    assert _ask(client, PHONE).status_code == 303
    assert _outbox() == []


def test_the_message_goes_in_the_language_of_the_request(messaging, en_client, open_consultation):
    smtp, _ = messaging
    comment = _comment(open_consultation, EMAIL)
    _ask(en_client, EMAIL)
    run_queued_jobs()
    [mail] = smtp.to(EMAIL)
    assert mail["Subject"] == "Your comment receipt numbers"
    assert comment.receipt_number in mail.get_body(("plain",)).get_content()


@pytest.mark.parametrize("typed", ["0571-87001234", "zhang@example", "hello", "1381234567"])
def test_neither_a_mobile_nor_an_email_gets_a_clear_error_in_chinese(client, app, typed):
    answer = _ask(client, typed)
    assert answer.status_code == 422
    assert "请输入手机号码（如 13812345678）或电子邮箱（如 name@example.cn）。" in answer.get_data(as_text=True)
    assert _outbox() == []


def test_the_error_is_in_english_for_an_english_visitor(en_client, app):
    page = _ask(en_client, "not a contact").get_data(as_text=True)
    assert "Enter a mobile phone number (such as 13812345678) or an e-mail address" in page


def test_an_empty_contact_is_required(client, app):
    answer = _ask(client, "  ")
    assert answer.status_code == 422 and "请输入您填写过的手机号码或电子邮箱。" in answer.get_data(as_text=True)


@pytest.mark.parametrize(("body", "field_message"), [
    ({"contact": "hello"}, "请输入手机号码（如 13812345678）或电子邮箱（如 name@example.cn）。"),
    ({}, None),
    ({"contact": "x" * 300}, None),
])
def test_the_api_refuses_bad_input_with_422(client, app, body, field_message):
    answer = client.post("/api/v1/lost-codes", json=body)
    assert answer.status_code == 422
    errors = answer.get_json()["errors"]
    assert "contact" in errors
    if field_message:
        assert errors["contact"] == [field_message]


def test_requests_are_limited_per_contact_whoever_asks(client, app):
    app.config["RATELIMIT_LOST_CODES_PER_CONTACT"] = "2 per hour"
    statuses = [client.post("/lost-codes/", data={"contact": typed}, environ_base={"REMOTE_ADDR": address}).status_code
                for typed, address in [(PHONE, "10.0.0.1"), ("+86 138 1234 5678", "10.0.0.2"),
                                       ("138-1234-5678", "10.0.0.3")]]
    assert statuses == [303, 303, 429]
    assert _ask(client, "13900001111").status_code == 303  # another contact still gets through


def test_requests_are_limited_per_address_with_a_clear_page(client, app):
    app.config["RATELIMIT_LOST_CODES"] = "2 per minute"
    statuses = [_ask(client, f"1380000000{i}").status_code for i in range(2)]
    refused = _ask(client, "13800000009")
    assert statuses == [303, 303] and refused.status_code == 429
    assert "申请的次数过多" in refused.get_data(as_text=True) and refused.headers.get("Retry-After")


def test_the_page_and_the_api_share_the_limit(client, app):
    app.config["RATELIMIT_LOST_CODES_PER_CONTACT"] = "1 per hour"
    assert _ask(client, PHONE).status_code == 303
    refused = client.post("/api/v1/lost-codes", json={"contact": PHONE})
    assert refused.status_code == 429 and refused.get_json()["code"] == 429


def test_the_outbox_limit_withholds_a_flood_without_telling_the_page(client, app, open_consultation):
    app.config["RATELIMIT_LOST_CODES_PER_CONTACT"] = "100 per hour"
    app.config["OUTBOX_LIMITS"] = {**app.config["OUTBOX_LIMITS"], "sms": {"hour": 2, "day": 10}}
    _comment(open_consultation, PHONE)
    statuses = [_ask(client, PHONE).status_code for _ in range(3)]
    assert statuses == [303, 303, 303]
    assert [m.status for m in _outbox()] == ["queued", "queued", "queued"]
    run_queued_jobs()
    assert [m.status for m in _outbox()] == ["sent", "sent", "withheld"]
