"""Hostile input on the public side: markup comes back escaped, bad sizes and types are refused, CSRF holds."""

import re

import pytest

from engage.consultations.models import Comment
from engage.extensions import db
from tests import factories

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def _comments():
    return db.session.scalars(db.select(Comment)).all()


def _form(**fields):
    return {"body": "正文", "article": "", "name": "", "contact": "", "submission_token": "t", **fields}


@pytest.mark.parametrize(
    ("field", "payload", "escaped"),
    [("body", PAYLOAD, ESCAPED), ("name", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")],
)
def test_markup_in_comment_fields_is_escaped_on_every_page(client, open_consultation, field, payload, escaped):
    response = client.post(f"/consultations/{open_consultation.id}/comments", data=_form(**{field: payload}))
    receipt_url = response.headers["Location"]
    receipt = re.search(r"receipts/(.+)$", receipt_url).group(1)
    for url in (f"/consultations/{open_consultation.id}", receipt_url,
                f"/consultations/receipt?receipt_number={receipt}"):
        page = client.get(url).get_data(as_text=True)
        assert payload not in page and escaped in page, url


def test_markup_in_consultation_text_is_escaped(client, department, staff):
    consultation = factories.make_consultation(
        department, staff, title=f"标题{PAYLOAD}", summary=PAYLOAD, short_period_reason=PAYLOAD,
        draft_text=f"前言{PAYLOAD}\n第一条 {PAYLOAD}",
    )
    for url in ("/", "/consultations/", f"/consultations/{consultation.id}", "/consultations/?q=标题"):
        page = client.get(url).get_data(as_text=True)
        assert PAYLOAD not in page, url


def test_markup_in_search_is_escaped(client, app):
    page = client.get("/consultations/", query_string={"q": '"><script>alert(1)</script>'}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page


def test_markup_is_returned_as_plain_text_by_the_api(client, open_consultation):
    url = f"/api/v1/consultations/{open_consultation.id}/comments"
    receipt = client.post(url, json={"body": PAYLOAD, "name": "<b>x</b>"}).json["receipt_number"]
    listed = client.get(url)
    assert listed.mimetype == "application/json"
    assert listed.json["items"][0]["body"] == PAYLOAD and listed.json["items"][0]["name"] == "<b>x</b>"
    assert client.get(f"/api/v1/receipts/{receipt}").json["body"] == PAYLOAD


@pytest.mark.parametrize("body", ["", "   \n  ", "长" * 5001])
def test_empty_and_overlong_bodies_are_refused(client, open_consultation, body):
    page = client.post(f"/consultations/{open_consultation.id}/comments", data=_form(body=body))
    api = client.post(f"/api/v1/consultations/{open_consultation.id}/comments", json={"body": body})
    assert page.status_code == 422 and api.status_code == 422
    assert _comments() == []


def test_body_of_exactly_5000_characters_is_accepted(client, open_consultation):
    page = client.post(f"/consultations/{open_consultation.id}/comments", data=_form(body="长" * 5000))
    assert page.status_code == 303 and len(_comments()[0].body) == 5000


@pytest.mark.parametrize(
    ("content_type", "data"),
    [("application/x-www-form-urlencoded", "body=hello"), ("text/plain", '{"body": "hello"}'),
     ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=body\r\n\r\nhi\r\n--x--\r\n")],
)
def test_api_refuses_wrong_content_type(client, open_consultation, content_type, data):
    response = client.post(f"/api/v1/consultations/{open_consultation.id}/comments", data=data,
                           content_type=content_type, headers={"Accept-Language": "en"})
    assert response.status_code == 415
    assert "application/json" in response.json["message"]
    assert _comments() == []


def test_api_refuses_malformed_json(client, open_consultation):
    response = client.post(f"/api/v1/consultations/{open_consultation.id}/comments", data="{bad",
                           content_type="application/json")
    assert response.status_code == 400 and response.json["code"] == 400


def test_api_refuses_json_that_is_not_an_object(client, open_consultation):
    response = client.post(f"/api/v1/consultations/{open_consultation.id}/comments", json=["body"])
    assert response.status_code == 422


def _page_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"},
                                     {"Sec-Fetch-Site": "same-site", "Origin": "https://sub.localhost"}])
def test_comment_form_from_another_site_is_refused(en_client, app, open_consultation, headers):
    app.config["WTF_CSRF_ENABLED"] = True
    response = en_client.post(f"/consultations/{open_consultation.id}/comments", data=_form(), headers=headers)
    assert response.status_code == 400
    assert "The form has expired or was sent from elsewhere" in response.get_data(as_text=True)
    assert 'name="csrf_token"' not in response.get_data(as_text=True)
    assert _comments() == []


def test_comment_form_without_token_is_shown_back_to_confirm(en_client, app, open_consultation):
    app.config["WTF_CSRF_ENABLED"] = True
    response = en_client.post(f"/consultations/{open_consultation.id}/comments", data=_form(body="不用脚本的意见"),
                              headers={"Sec-Fetch-Site": "same-origin"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your comment has not been sent yet" in html and "不用脚本的意见" in html
    assert "The form has expired" not in html
    assert response.headers["Cache-Control"] == "private, no-store"
    assert _comments() == []
    confirmed = en_client.post(f"/consultations/{open_consultation.id}/comments",
                               data=_form(body="不用脚本的意见", csrf_token=_page_token(html)))
    assert confirmed.status_code == 303
    assert [c.body for c in _comments()] == ["不用脚本的意见"]


def test_comment_form_with_a_token_of_another_session_is_not_accepted(app, client, open_consultation):
    app.config["WTF_CSRF_ENABLED"] = True
    foreign = app.test_client().get("/form-tokens").json["csrf_token"]
    response = client.post(f"/consultations/{open_consultation.id}/comments", data=_form(csrf_token=foreign))
    assert response.status_code == 400
    assert _comments() == []


def test_comment_form_with_fetched_tokens_is_accepted(client, app, open_consultation):
    app.config["WTF_CSRF_ENABLED"] = True
    tokens = client.get("/form-tokens").json
    response = client.post(f"/consultations/{open_consultation.id}/comments", data=_form(**tokens))
    assert response.status_code == 303


def test_api_needs_no_csrf_token(client, app, open_consultation):
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/api/v1/consultations/{open_consultation.id}/comments",
                       json={"body": "x"}).status_code == 201


@pytest.mark.parametrize(
    "url",
    ["/consultations/999999", "/consultations/attachments/999999", "/consultations/receipts/XXXX-XXXX-XXXX",
     "/api/v1/consultations/999999", "/api/v1/consultations/999999/comments", "/api/v1/receipts/XXXX-XXXX-XXXX",
     "/consultations/abc", "/api/v1/consultations/abc"],
)
def test_unknown_ids_are_404(client, app, url):
    response = client.get(url)
    assert response.status_code == 404
    if url.startswith("/api/"):
        assert response.json["code"] == 404


def test_comment_on_unknown_consultation_is_404(client, app):
    assert client.post("/consultations/999999/comments", data=_form()).status_code == 404
    assert client.post("/api/v1/consultations/999999/comments", json={"body": "x"}).status_code == 404


def test_forged_article_choice_is_refused(client, open_consultation):
    response = client.post(f"/consultations/{open_consultation.id}/comments", data=_form(article="1 OR 1=1"))
    assert response.status_code == 422 and _comments() == []
