"""Staff sign in through a real OpenID Connect provider (npm's oidc-provider, tests/fixtures/oidc_provider.mjs)."""

from datetime import timedelta

import pytest

from engage.core.models import AuditEvent
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.identities.models import Identity, IdentityStatus, SignInRequest
from engage.identities.services import map_identity
from tests.fixtures.oidc import callback_path

ISSUER_ACCOUNT = {"name": "王小明", "email": "wang@example.gov.cn", "email_verified": True,
                  "phone_number": "13812345678", "phone_number_verified": True}


def _sign_in(client, provider, subject: str, **args):
    """Start at Engage, log in at the provider, come back: Engage's answer to the callback."""
    started = client.get("/account/sign-in", query_string=args)
    assert started.status_code == 302, started.get_data(as_text=True)[:300]
    back = provider.log_in(started.headers["Location"], subject)
    return client.get(callback_path(back)), back


def _map(provider, subject, user, admin):
    map_identity(issuer=provider.url, subject=subject, user=user, actor=admin, now=utcnow())
    db.session.commit()


def test_a_mapped_identity_signs_in_as_its_account(client, oidc_provider, staff, admin):
    oidc_provider.add_account("staff-001", **ISSUER_ACCOUNT)
    _map(oidc_provider, "staff-001", staff, admin)
    answer, _back = _sign_in(client, oidc_provider, "staff-001")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/staff/consultations/"
    assert client.get("/account/tokens").status_code == 200
    with client.session_transaction() as kept:
        assert kept["_user_id"].startswith(f"{staff.id}:")
    logged = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "user.logged_in"))
    assert logged.subject_id == staff.id and logged.detail["method"] == "oidc"
    identity = db.session.scalar(db.select(Identity))
    assert identity.email == "wang@example.gov.cn" and identity.phone == "13812345678"


def test_the_sign_in_goes_back_to_the_page_asked_for(client, oidc_provider, staff, admin):
    oidc_provider.add_account("staff-002", name="李四")
    _map(oidc_provider, "staff-002", staff, admin)
    answer, _back = _sign_in(client, oidc_provider, "staff-002", next="/account/messages")
    assert answer.headers["Location"] == "/account/messages"


def test_the_authorization_request_uses_pkce_state_and_nonce(client, oidc_provider):
    started = client.get("/account/sign-in")
    location = started.headers["Location"]
    assert location.startswith(oidc_provider.url + "/auth?")
    for parameter in ("code_challenge_method=S256", "code_challenge=", "state=", "nonce=", "client_id=engage"):
        assert parameter in location
    assert db.session.scalar(db.select(db.func.count()).select_from(SignInRequest)) == 1


def test_a_first_sign_in_waits_for_an_administrator(en_client, oidc_provider):
    oidc_provider.add_account("new-person", **ISSUER_ACCOUNT)
    answer, _back = _sign_in(en_client, oidc_provider, "new-person")
    assert answer.status_code == 403
    assert "waiting" in answer.get_data(as_text=True).lower()
    identity = db.session.scalar(db.select(Identity))
    assert identity.status == IdentityStatus.PENDING and identity.subject == "new-person"
    assert identity.name == "王小明" and identity.user_id is None
    assert en_client.get("/account/tokens").status_code == 302  # sent to log in


def test_the_waiting_message_is_in_chinese_by_default(client, oidc_provider):
    oidc_provider.add_account("new-zh", name="张三")
    answer, _back = _sign_in(client, oidc_provider, "new-zh")
    assert answer.status_code == 403
    assert "等待管理员" in answer.get_data(as_text=True)


def test_an_approved_identity_signs_in_the_next_time(client, oidc_provider, staff, admin):
    oidc_provider.add_account("later", name="赵六")
    _sign_in(client, oidc_provider, "later")
    identity = db.session.scalar(db.select(Identity))
    from engage.identities import services

    services.link_identity(identity, staff, actor=admin, now=utcnow())
    db.session.commit()
    answer, _back = _sign_in(client, oidc_provider, "later")
    assert answer.status_code == 302 and answer.headers["Location"] == "/staff/consultations/"


def test_an_id_token_for_another_client_is_refused(en_client, oidc_provider, staff, admin):
    oidc_provider.add_account("staff-aud", name="钱七")
    _map(oidc_provider, "staff-aud", staff, admin)
    oidc_provider.issue_for_audience("other-app")
    answer, _back = _sign_in(en_client, oidc_provider, "staff-aud")
    assert answer.status_code == 400
    assert "another application (wrong audience)" in answer.get_data(as_text=True)
    assert en_client.get("/account/tokens").status_code == 302  # sent to log in


def test_a_wrong_audience_is_told_in_chinese(client, oidc_provider, staff, admin):
    oidc_provider.add_account("staff-aud-zh", name="钱七")
    _map(oidc_provider, "staff-aud-zh", staff, admin)
    oidc_provider.issue_for_audience("other-app")
    answer, _back = _sign_in(client, oidc_provider, "staff-aud-zh")
    assert answer.status_code == 400 and "其他应用" in answer.get_data(as_text=True)


def test_an_expired_id_token_is_refused(en_client, oidc_provider, staff, admin):
    oidc_provider.add_account("staff-exp", name="孙八")
    _map(oidc_provider, "staff-exp", staff, admin)
    started = en_client.get("/account/sign-in")
    back = oidc_provider.log_in(started.headers["Location"], "staff-exp")
    oidc_provider.set_clock(-2 * 3600)  # its ID token (valid an hour) expired an hour ago by Engage's clock
    answer = en_client.get(callback_path(back))
    assert answer.status_code == 400
    assert "has expired" in answer.get_data(as_text=True)
    assert not db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "user.logged_in"))


def test_a_replayed_answer_is_refused(en_client, oidc_provider, staff, admin):
    oidc_provider.add_account("staff-replay", name="周九")
    _map(oidc_provider, "staff-replay", staff, admin)
    started = en_client.get("/account/sign-in")
    back = oidc_provider.log_in(started.headers["Location"], "staff-replay")
    cookie = en_client.get_cookie("session").value  # the session as it was before the answer came back
    assert en_client.get(callback_path(back)).status_code == 302
    en_client.post("/account/logout")
    en_client.set_cookie("session", cookie)  # even with the old cookie, which still names the state
    answer = en_client.get(callback_path(back))
    assert answer.status_code == 400
    assert "already used" in answer.get_data(as_text=True)
    assert en_client.get("/account/tokens").status_code == 302  # sent to log in


def test_an_answer_from_another_browser_is_refused(client, app, oidc_provider, staff, admin):
    oidc_provider.add_account("staff-csrf", name="吴十")
    _map(oidc_provider, "staff-csrf", staff, admin)
    started = client.get("/account/sign-in")
    back = oidc_provider.log_in(started.headers["Location"], "staff-csrf")
    victim = app.test_client()
    victim.set_cookie("lang", "en")
    answer = victim.get(callback_path(back))
    assert answer.status_code == 400 and "already used, or never started here" in answer.get_data(as_text=True)


def test_a_refused_identity_does_not_sign_in(en_client, oidc_provider, staff, admin):
    from engage.identities import services

    oidc_provider.add_account("staff-no", name="郑")
    _map(oidc_provider, "staff-no", staff, admin)
    services.reject_identity(db.session.scalar(db.select(Identity)), actor=admin, now=utcnow())
    db.session.commit()
    answer, _back = _sign_in(en_client, oidc_provider, "staff-no")
    assert answer.status_code == 403 and "refused this identity" in answer.get_data(as_text=True)


def test_the_provider_saying_no_is_shown(en_client, oidc_provider):
    started = en_client.get("/account/sign-in")
    state = started.headers["Location"].split("state=", 1)[1].split("&", 1)[0]
    answer = en_client.get("/account/sign-in/callback", query_string={
        "error": "access_denied", "error_description": "End-User aborted interaction", "state": state})
    assert answer.status_code == 400
    assert "did not sign you in (End-User aborted interaction)" in answer.get_data(as_text=True)


def test_an_unreachable_provider_is_told_not_a_server_error(en_client, app):
    app.config.update(OIDC_ISSUER="http://127.0.0.1:9", OIDC_CLIENT_ID="engage", OIDC_CLIENT_SECRET="x")
    answer = en_client.get("/account/sign-in")
    assert answer.status_code == 503
    assert "cannot be reached" in answer.get_data(as_text=True)


def test_without_configuration_the_login_page_has_only_the_password_form(client, app):
    page = client.get("/account/login").get_data(as_text=True)
    assert "/account/sign-in" not in page and 'name="password"' in page
    assert client.get("/account/sign-in").status_code == 404
    assert client.get("/account/sign-in/callback?state=x&code=y").status_code == 404


def test_with_configuration_the_login_page_offers_both(client, oidc_provider):
    page = client.get("/account/login").get_data(as_text=True)
    assert 'href="/account/sign-in' in page and 'name="password"' in page
    assert "统一身份认证" in page


@pytest.mark.parametrize("query", [{}, {"state": "made-up", "code": "x"}, {"code": "x"}])
def test_a_callback_without_a_sign_in_is_refused(en_client, oidc_provider, query):
    answer = en_client.get("/account/sign-in/callback", query_string=query)
    assert answer.status_code == 400 and "never started here" in answer.get_data(as_text=True)


def test_a_code_the_provider_never_issued_is_refused(en_client, oidc_provider):
    started = en_client.get("/account/sign-in")
    state = started.headers["Location"].split("state=", 1)[1].split("&", 1)[0]
    answer = en_client.get("/account/sign-in/callback", query_string={"state": state, "code": "forged"})
    assert answer.status_code == 400
    assert "refused this sign-in" in answer.get_data(as_text=True)


def test_a_signed_in_identity_follows_the_session_limits(client, app, oidc_provider, staff, admin, monkeypatch):
    oidc_provider.add_account("staff-idle", name="闲")
    _map(oidc_provider, "staff-idle", staff, admin)
    _sign_in(client, oidc_provider, "staff-idle")
    assert client.get("/account/tokens").status_code == 200
    later = utcnow() + timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    monkeypatch.setattr("engage.accounts.auth.utcnow", lambda: later)
    assert client.get("/account/tokens").status_code == 302  # logged out: back to the login page


def test_logging_out_ends_a_signed_in_identitys_session_everywhere(client, app, oidc_provider, staff, admin):
    oidc_provider.add_account("staff-out", name="出")
    _map(oidc_provider, "staff-out", staff, admin)
    _sign_in(client, oidc_provider, "staff-out")
    copy = client.get_cookie("session").value
    client.post("/account/logout")
    client.set_cookie("session", copy)
    assert client.get("/account/tokens").status_code == 302
