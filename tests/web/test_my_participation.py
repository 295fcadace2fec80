"""Citizens who sign in through the identity provider see their own comments and sign-ups (OIDC_CITIZENS)."""

from datetime import timedelta

import pytest

from engage.core import timeutil
from tests import factories
from tests.fixtures.events import sign_up
from tests.fixtures.oidc import callback_path

CITIZEN = {"name": "陈市民", "email": "Chen@Example.cn", "email_verified": True,
           "phone_number": "+86 138-0000-1111", "phone_number_verified": True}


@pytest.fixture
def citizens_on(app, oidc_provider):
    app.config["OIDC_CITIZENS"] = True
    return oidc_provider


def _sign_in_citizen(client, provider, subject: str):
    started = client.get("/me/sign-in")
    assert started.status_code == 302
    return client.get(callback_path(provider.log_in(started.headers["Location"], subject)))


def test_off_by_default(client, oidc_provider):
    assert client.get("/me/").status_code == 404
    assert client.get("/me/sign-in").status_code == 404
    assert "/me/" not in client.get("/").get_data(as_text=True)


def test_the_header_links_to_my_participation_when_on(client, citizens_on):
    assert 'href="/me/"' in client.get("/").get_data(as_text=True)


def test_a_citizen_sees_the_comments_and_sign_ups_of_their_verified_contacts(
        en_client, citizens_on, open_consultation, open_event):
    by_email = factories.make_comment(open_consultation, contact="chen@example.cn", consent=True)
    by_phone = factories.make_comment(open_consultation, body="第二条意见。", contact="13800001111", consent=True)
    someone_else = factories.make_comment(open_consultation, body="别人的意见。", contact="13900002222", consent=True)
    anonymous = factories.make_comment(open_consultation, body="匿名意见。")
    mine = sign_up(open_event, phone="13800001111")
    theirs = sign_up(open_event, name="李四", phone="13900002222")
    citizens_on.add_account("citizen-1", **CITIZEN)
    answer = _sign_in_citizen(en_client, citizens_on, "citizen-1")
    assert answer.status_code == 302 and answer.headers["Location"] == "/me/"
    page = en_client.get("/me/").get_data(as_text=True)
    assert by_email.receipt_number in page and by_phone.receipt_number in page
    assert mine.code in page
    assert someone_else.receipt_number not in page and anonymous.receipt_number not in page
    assert theirs.code not in page
    assert "陈市民" in page


def test_unverified_contacts_find_nothing(en_client, citizens_on, open_consultation):
    comment = factories.make_comment(open_consultation, contact="chen@example.cn", consent=True)
    citizens_on.add_account("citizen-2", name="陈", email="chen@example.cn", email_verified=False)
    _sign_in_citizen(en_client, citizens_on, "citizen-2")
    page = en_client.get("/me/").get_data(as_text=True)
    assert comment.receipt_number not in page
    assert "verified no e-mail address or mobile number" in page


def test_a_citizen_sign_in_is_no_staff_login(client, citizens_on):
    citizens_on.add_account("citizen-3", **CITIZEN)
    _sign_in_citizen(client, citizens_on, "citizen-3")
    assert client.get("/account/tokens").status_code == 302
    with client.session_transaction() as kept:
        assert "_user_id" not in kept


def test_the_page_asks_to_sign_in_first(client, citizens_on):
    page = client.get("/me/").get_data(as_text=True)
    assert 'href="/me/sign-in"' in page and "统一身份认证登录" in page


def test_the_citizen_session_ends_when_idle(client, app, citizens_on, monkeypatch):
    citizens_on.add_account("citizen-4", **CITIZEN)
    _sign_in_citizen(client, citizens_on, "citizen-4")
    assert "陈市民" in client.get("/me/").get_data(as_text=True)
    later = timeutil.utcnow() + timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    monkeypatch.setattr("engage.identities.citizens.utcnow", lambda: later)
    page = client.get("/me/").get_data(as_text=True)
    assert "陈市民" not in page and "会话已过期" in page


def test_signing_out_forgets_the_citizen(client, citizens_on):
    citizens_on.add_account("citizen-5", **CITIZEN)
    _sign_in_citizen(client, citizens_on, "citizen-5")
    client.post("/me/sign-out")
    assert "陈市民" not in client.get("/me/").get_data(as_text=True)


def test_a_citizen_refusal_is_told_without_a_server_error(en_client, citizens_on):
    citizens_on.add_account("citizen-6", **CITIZEN)
    citizens_on.issue_for_audience("other-app")
    answer = _sign_in_citizen(en_client, citizens_on, "citizen-6")
    assert answer.status_code == 400 and "wrong audience" in answer.get_data(as_text=True)
