"""Sending a comment from the consultation page, its receipt, and looking it up later."""

import re
from datetime import timedelta

import pytest

from engage.consultations import comment_services, views
from engage.consultations.models import Comment, ModerationMode
from engage.extensions import db
from tests import factories

CONTACT = "13912345678"


def _send(client, consultation, **fields):
    data = {"body": "建议在小区增设分类投放点。", "article": "", "name": "", "contact": "",
            "submission_token": "token-1"}
    data.update(fields)
    return client.post(f"/consultations/{consultation.id}/comments", data=data)


def _receipt_of(response) -> str:
    return re.search(r"/consultations/receipts/([A-Z0-9-]+)", response.headers["Location"]).group(1)


def _comments():
    return db.session.scalars(db.select(Comment)).all()


def test_comment_on_article_gives_receipt_that_lookup_finds(en_client, open_consultation):
    response = _send(en_client, open_consultation, article="3", name="老王")
    assert response.status_code == 303
    receipt = _receipt_of(response)
    page = en_client.get(response.headers["Location"]).get_data(as_text=True)
    assert receipt in page and "Keep this number." in page and "Published" in page
    found = en_client.get(f"/consultations/receipt?receipt_number={receipt}").get_data(as_text=True)
    assert "建议在小区增设分类投放点。" in found and "第三条" in found and open_consultation.title in found
    detail = en_client.get(f"/consultations/{open_consultation.id}?article=3").get_data(as_text=True)
    assert "建议在小区增设分类投放点。" in detail and "老王" in detail


def test_form_gets_a_fresh_submission_token_each_time(client, open_consultation):
    page = client.get(f"/consultations/{open_consultation.id}").get_data(as_text=True)
    # The page is the same for everyone: its empty field is filled from /form-tokens (static/js/form-tokens.js).
    assert re.search(r'name="submission_token" type="hidden" value=""', page)
    tokens = [client.get("/form-tokens").json["submission_token"] for _ in range(2)]
    assert re.fullmatch("[0-9a-f]{32}", tokens[0]) and tokens[0] != tokens[1]


def test_double_submission_with_same_token_stores_one_comment(client, open_consultation):
    first = _send(client, open_consultation)
    second = _send(client, open_consultation)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(_comments()) == 1
    db.session.refresh(open_consultation)
    assert open_consultation.comment_count == 1


def test_different_tokens_store_separate_comments(client, open_consultation):
    _send(client, open_consultation, submission_token="a")
    _send(client, open_consultation, submission_token="b")
    assert len(_comments()) == 2


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [
        (lambda c: c.opens_at - timedelta(seconds=1), False),  # not yet open
        (lambda c: c.opens_at, True),  # the opening moment
        (lambda c: c.closes_at - timedelta(seconds=1), True),
        (lambda c: c.closes_at, False),  # exactly at close
        (lambda c: c.closes_at + timedelta(seconds=1), False),
    ],
)
def test_comment_period_boundaries(en_client, open_consultation, monkeypatch, offset, accepted):
    moment = offset(open_consultation)
    monkeypatch.setattr(views, "utcnow", lambda: moment)
    response = _send(en_client, open_consultation, body="边界时刻的意见")
    assert (response.status_code == 303) is accepted
    assert len(_comments()) == (1 if accepted else 0)
    if not accepted:
        page = response.get_data(as_text=True)
        assert response.status_code == 409
        assert "has not started yet" in page or "has ended" in page
        assert "边界时刻的意见" in page  # their text is given back, not lost


def test_comment_after_close_is_refused_with_clear_message(en_client, department, staff, now):
    closed = factories.make_consultation(department, staff, opens_at=now - timedelta(days=40),
                                         closes_at=now - timedelta(days=1))
    response = _send(en_client, closed)
    assert response.status_code == 409
    assert "The comment period has ended; comments are no longer accepted." in response.get_data(as_text=True)


def test_empty_body_rerenders_form_with_message(en_client, open_consultation):
    response = _send(en_client, open_consultation, body="   ")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Please write your comment." in page and 'class="error-summary"' in page
    assert _comments() == []


@pytest.mark.parametrize(("language", "line"), [
    ("zh", "您的意见： 请填写您的意见。"), ("en", "Your comment: Please write your comment."),
])
def test_error_summary_names_the_field_with_the_languages_colon(client, open_consultation, language, line):
    client.get(f"/language/{language}")
    page = _send(client, open_consultation, body="   ").get_data(as_text=True)
    assert line in page


def test_contact_without_consent_is_refused(en_client, open_consultation):
    response = _send(en_client, open_consultation, contact=CONTACT)
    assert response.status_code == 422
    assert "Agree to the use of your contact details" in response.get_data(as_text=True)
    assert _comments() == []


def test_contact_with_consent_is_kept_for_staff(client, open_consultation):
    assert _send(client, open_consultation, contact=CONTACT, consent="y").status_code == 303
    (comment,) = _comments()
    assert comment.contact == CONTACT and comment.consented_at is not None


def test_invalid_contact_is_refused(en_client, open_consultation):
    response = _send(en_client, open_consultation, contact="call me", consent="y")
    assert response.status_code == 422
    assert "Enter a mobile or landline number, or an e-mail address." in response.get_data(as_text=True)


def test_unknown_article_is_refused(client, open_consultation):
    assert _send(client, open_consultation, article="99").status_code == 422
    assert _comments() == []


def test_empty_name_shows_anonymous(en_client, open_consultation):
    _send(en_client, open_consultation)
    assert "Anonymous" in en_client.get(f"/consultations/{open_consultation.id}").get_data(as_text=True)


def test_pending_comment_is_invisible_until_approved(en_client, department, staff, now):
    consultation = factories.make_consultation(department, staff, moderation=ModerationMode.REVIEW)
    response = _send(en_client, consultation, body="待审核的意见")
    assert "Awaiting review" in en_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "待审核的意见" not in en_client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    comment_services.moderate(consultation, [c.id for c in _comments()], approve=True, actor=staff, now=now)
    db.session.commit()
    assert "待审核的意见" in en_client.get(f"/consultations/{consultation.id}").get_data(as_text=True)


def test_rejected_comment_shows_reason_in_lookup_only(en_client, department, staff, now):
    consultation = factories.make_consultation(department, staff, moderation=ModerationMode.REVIEW)
    receipt = _receipt_of(_send(en_client, consultation, body="广告内容"))
    comment_services.moderate(consultation, [c.id for c in _comments()], approve=False, reason="含有商业广告。",
                      actor=staff, now=now)
    db.session.commit()
    found = en_client.get(f"/consultations/receipt?receipt_number={receipt}").get_data(as_text=True)
    assert "Not published" in found and "含有商业广告。" in found
    public = en_client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "广告内容" not in public and "含有商业广告。" not in public


@pytest.mark.parametrize(
    "typed",
    [lambda n: n, lambda n: n.lower(), lambda n: f"  {n} ", lambda n: n.replace("-", ""),
     lambda n: n.replace("-", " ").lower()],
)
def test_lookup_accepts_what_people_type(client, open_consultation, typed):
    comment = factories.make_comment(open_consultation, "按回执编号查询")
    response = client.get("/consultations/receipt", query_string={"receipt_number": typed(comment.receipt_number)})
    assert response.status_code == 200 and "按回执编号查询" in response.get_data(as_text=True)


def test_lookup_of_unknown_number_says_so(en_client, app):
    response = en_client.get("/consultations/receipt?receipt_number=AAAA-BBBB-CCCC")
    assert response.status_code == 404
    assert "No comment has this receipt number" in response.get_data(as_text=True)


def test_lookup_without_number_shows_the_form(en_client, app):
    response = en_client.get("/consultations/receipt")
    assert response.status_code == 200 and 'name="receipt_number"' in response.get_data(as_text=True)


def test_lookup_with_empty_number_asks_for_it(en_client, app):
    response = en_client.get("/consultations/receipt?receipt_number=")
    assert response.status_code == 422
    assert "Enter the receipt number you were given." in response.get_data(as_text=True)


def test_contact_never_appears_on_public_pages(client, en_client, open_consultation):
    receipt = _receipt_of(_send(client, open_consultation, contact="secret.person@example.com", consent="y",
                                article="1"))
    pages = [
        "/", "/consultations/", f"/consultations/{open_consultation.id}",
        f"/consultations/{open_consultation.id}?article=1", f"/consultations/receipts/{receipt}",
        f"/consultations/receipt?receipt_number={receipt}",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "secret.person" not in response.get_data(as_text=True), url


def test_comment_text_keeps_line_breaks_and_is_escaped(client, open_consultation):
    _send(client, open_consultation, body="第一行\n<b>第二行</b>")
    page = client.get(f"/consultations/{open_consultation.id}").get_data(as_text=True)
    assert '<p class="comment-body">第一行\n&lt;b&gt;第二行&lt;/b&gt;</p>' in page


def test_rate_limit_refuses_extra_comments(en_client, app, open_consultation):
    app.config["RATELIMIT_COMMENTS"] = "2 per minute"
    assert _send(en_client, open_consultation, submission_token="1").status_code == 303
    assert _send(en_client, open_consultation, submission_token="2").status_code == 303
    refused = _send(en_client, open_consultation, submission_token="3")
    assert refused.status_code == 429
    assert "Too many requests" in refused.get_data(as_text=True)
    assert len(_comments()) == 2


def test_rate_limit_is_shared_with_the_api(client, app, open_consultation):
    app.config["RATELIMIT_COMMENTS"] = "2 per minute"
    assert _send(client, open_consultation, submission_token="1").status_code == 303
    url = f"/api/v1/consultations/{open_consultation.id}/comments"
    assert client.post(url, json={"body": "API 意见"}).status_code == 201
    assert client.post(url, json={"body": "API 意见"}).status_code == 429
    assert _send(client, open_consultation, submission_token="2").status_code == 429
