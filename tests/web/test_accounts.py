"""Staff login, logout, own password and API tokens, through the pages."""

import re
from datetime import timedelta

import pytest
from flask import g, session

from engage.accounts import services
from engage.accounts.auth import token_user
from engage.accounts.models import User
from engage.core.timeutil import utcnow
from engage.extensions import db
from tests import factories
from tests.conftest import AuthActions

LOGIN = "/account/login"


def reload(user: User) -> User:
    """The user as stored (what another request would see), not as cached in this session."""
    db.session.expire_all()
    return db.session.get(User, user.id)


def set_cookie_headers(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


# --- login ---------------------------------------------------------------------------------------------------


def test_login_page_has_a_labelled_form(en_client):
    response = en_client.get(LOGIN)
    assert response.status_code == 200
    assert '<label for="email">E-mail address</label>' in response.text
    assert '<label for="password">Password</label>' in response.text


def test_login_with_the_right_password_logs_in(client, auth, staff):
    response = auth.login(staff.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/consultations/"
    assert client.get("/account/tokens").status_code == 200


def test_administrator_lands_on_the_administration(auth, admin):
    assert auth.login(admin.email).headers["Location"] == "/admin/"


@pytest.mark.parametrize(("role", "desk"), [("organiser", "/staff/events/"), ("supervisor", "/staff/proposals/")])
def test_organisers_and_supervisors_land_on_a_desk_they_may_use(client, auth, role, desk):
    user = factories.make_user(f"{role}@example.gov.cn", role=role)
    assert auth.login(user.email).headers["Location"] == desk
    page = client.get(desk)
    assert page.status_code == 200
    # Consultations are department staff's: no link to a desk that would refuse them.
    assert 'href="/staff/consultations/"' not in page.text


def test_login_with_a_wrong_password_shows_a_clear_message(en_client, auth, staff):
    response = auth.login(staff.email, "not the password")
    assert response.status_code == 200
    assert "The e-mail address or password is not correct." in response.text
    assert f'value="{staff.email}"' in response.text  # the address stays filled in
    assert en_client.get("/account/tokens").status_code == 302


def test_empty_login_form_is_refused_field_by_field(en_client):
    response = en_client.post(LOGIN, data={"email": "", "password": ""})
    assert response.status_code == 422
    assert response.text.count("This field is required.") >= 2


def test_failed_logins_are_saved_between_requests(auth, staff):
    auth.login(staff.email, "not the password")
    auth.login(staff.email, "not the password")
    assert reload(staff).failed_logins == 2


def test_lockout_persists_across_requests(app, en_client, auth, staff):
    app.config["LOGIN_MAX_FAILURES"] = 3
    for _ in range(3):
        auth.login(staff.email, "not the password")
    stored = reload(staff)
    assert stored.locked_until is not None and stored.locked_until > utcnow()
    response = auth.login(staff.email)  # the right password, while locked
    assert response.status_code == 200
    assert "This account is locked" in response.text
    assert en_client.get("/account/tokens").status_code == 302


def test_locking_attempt_says_the_account_is_locked(app, en_client, auth, staff):
    app.config["LOGIN_MAX_FAILURES"] = 2
    auth.login(staff.email, "not the password")
    assert "This account is locked" in auth.login(staff.email, "not the password").text


def test_lockout_lifts_after_the_lockout_time(auth, staff):
    staff.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert auth.login(staff.email).status_code == 302


def test_lockout_holds_until_its_time(en_client, auth, staff):
    staff.locked_until = utcnow() + timedelta(minutes=1)
    db.session.commit()
    assert "This account is locked" in auth.login(staff.email).text


def test_login_starts_a_new_session(client, auth, staff):
    with client.session_transaction() as before:
        before["left_over"] = "from before the login"
    auth.login(staff.email)
    with client.session_transaction() as after:
        assert "left_over" not in after
        assert after["_user_id"] == staff.get_id()


@pytest.mark.parametrize("target", ["/consultations/?status=open", "/account/password"])
def test_login_follows_next_to_a_local_path(client, staff, target):
    response = client.post(LOGIN, query_string={"next": target},
                           data={"email": staff.email, "password": factories.PASSWORD})
    assert response.headers["Location"] == target


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "admin"]
)
def test_login_never_follows_next_off_site(client, staff, target):
    response = client.post(LOGIN, query_string={"next": target},
                           data={"email": staff.email, "password": factories.PASSWORD})
    assert response.headers["Location"] == "/staff/consultations/"


def test_login_page_keeps_next_in_the_form(client):
    assert 'action="/account/login?next=/admin/users"' in client.get(LOGIN + "?next=/admin/users").text


def test_protected_page_sends_to_login_with_next(client):
    response = client.get("/account/tokens")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=%2Faccount%2Ftokens")


def test_login_posts_are_rate_limited(app, auth, staff):
    app.config["RATELIMIT_LOGIN"] = "2 per minute"
    assert auth.login(staff.email, "wrong").status_code == 200
    assert auth.login(staff.email, "wrong").status_code == 200
    response = auth.login(staff.email)
    assert response.status_code == 429
    assert "Retry-After" in response.headers


def test_login_page_itself_is_not_rate_limited(app, client):
    app.config["RATELIMIT_LOGIN"] = "1 per minute"
    assert all(client.get(LOGIN).status_code == 200 for _ in range(3))


def test_login_without_csrf_token_is_refused(app, en_client, staff):
    app.config["WTF_CSRF_ENABLED"] = True
    response = en_client.post(LOGIN, data={"email": staff.email, "password": factories.PASSWORD})
    assert response.status_code == 400
    assert "The form has expired" in response.text
    assert en_client.get("/account/tokens").status_code == 302


def test_login_with_csrf_token_works(app, client, staff):
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(LOGIN).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(LOGIN, data={"email": staff.email, "password": factories.PASSWORD, "csrf_token": token})
    assert response.status_code == 302


# --- cookies -------------------------------------------------------------------------------------------------


def test_session_cookie_is_httponly_and_samesite(auth, staff):
    [cookie] = [c for c in set_cookie_headers(auth.login(staff.email)) if c.startswith("session=")]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_login_sets_no_other_cookie(auth, staff):
    names = {header.split("=", 1)[0] for header in set_cookie_headers(auth.login(staff.email))}
    assert names == {"session"}


def test_cookies_are_secure_when_configured(app, make_app, staff):
    secure_app = make_app(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    client = secure_app.test_client()
    response = client.post(LOGIN, data={"email": staff.email, "password": factories.PASSWORD},
                           base_url="https://localhost")
    cookies = set_cookie_headers(response)
    assert cookies and all("Secure" in cookie and "HttpOnly" in cookie for cookie in cookies)


def test_secure_cookies_follow_the_environment(monkeypatch, tmp_path):
    from engage import config

    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    settings = config.from_environment(str(tmp_path))
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]


# --- logout --------------------------------------------------------------------------------------------------


def test_logout_ends_the_session(en_client, auth, staff):
    auth.login(staff.email)
    response = auth.logout()
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "You have logged out." in en_client.get("/").text
    assert en_client.get("/account/tokens").status_code == 302


def test_logout_is_post_only(client, auth, staff):
    auth.login(staff.email)
    assert client.get("/account/logout").status_code == 405
    assert client.get("/account/tokens").status_code == 200


def test_logout_without_csrf_token_is_refused(app, client, auth, staff):
    auth.login(staff.email)
    app.config["WTF_CSRF_ENABLED"] = True
    assert auth.logout().status_code == 400
    assert client.get("/account/tokens").status_code == 200


def test_logout_with_csrf_token_works(app, client, auth, staff):
    auth.login(staff.email)
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/account/tokens").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/account/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/account/tokens").status_code == 302


# --- API tokens ----------------------------------------------------------------------------------------------


def create_token(client, name="发布脚本"):
    response = client.post("/account/tokens", data={"name": name})
    match = re.search(r'id="new-token"[^>]*value="([^"]+)"', response.text)
    return response, match.group(1) if match else None


def test_new_token_is_shown_once(en_client, auth, staff):
    auth.login(staff.email)
    response, token = create_token(en_client)
    assert response.status_code == 200
    assert token.startswith(services.TOKEN_PREFIX)
    assert "it is shown only this once" in response.text
    assert "no-store" in response.headers["Cache-Control"]
    listing = en_client.get("/account/tokens").text
    assert token not in listing
    assert token[:10] in listing and "发布脚本" in listing


def test_token_needs_a_name(en_client, auth, staff):
    auth.login(staff.email)
    response, token = create_token(en_client, name="")
    assert response.status_code == 422 and token is None
    assert "This field is required." in response.text


def test_token_authenticates_api_requests(app, client, auth, staff):
    auth.login(staff.email)
    _, token = create_token(client)
    with app.test_request_context(headers={"Authorization": f"Bearer {token}"}):
        assert token_user() == staff


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer eng_not-a-token", "Basic {token}", "Token {token}"])
def test_only_a_valid_bearer_token_authenticates(app, client, auth, staff, header):
    auth.login(staff.email)
    _, token = create_token(client)
    with app.test_request_context(headers={"Authorization": header.format(token=token)}):
        assert token_user() is None


def test_session_cookie_does_not_count_as_a_token(app, client, auth, staff):
    auth.login(staff.email)
    cookie = client.get_cookie("session").value
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
        assert session.get("_user_id") == staff.get_id()  # the cookie is valid for pages...
        assert token_user() is None  # ...but not for the API


def test_revoked_token_stops_working(app, en_client, auth, staff):
    auth.login(staff.email)
    _, token = create_token(en_client)
    [record] = services.tokens_of(staff)
    response = en_client.post(f"/account/tokens/{record.id}/revoke", follow_redirects=True)
    assert "The token has been revoked." in response.text and "Revoked" in response.text
    with app.test_request_context(headers={"Authorization": f"Bearer {token}"}):
        assert token_user() is None


def test_nobody_revokes_another_persons_token(client, auth, staff, other_staff, now):
    record, token = services.create_api_token(other_staff, name="theirs", now=now)
    db.session.commit()
    auth.login(staff.email)
    assert client.post(f"/account/tokens/{record.id}/revoke").status_code == 403
    assert services.user_for_token(token, now=now) == other_staff


def test_token_name_is_shown_escaped(client, auth, staff):
    auth.login(staff.email)
    response, _ = create_token(client, name="<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


# --- own password --------------------------------------------------------------------------------------------


def test_change_password(en_client, auth, staff):
    auth.login(staff.email)
    response = en_client.post("/account/password", data={
        "current_password": factories.PASSWORD, "new_password": "a new long password",
        "repeat_password": "a new long password",
    }, follow_redirects=True)
    assert "Your password has been changed." in response.text
    auth.logout()
    assert auth.login(staff.email, "a new long password").status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "repeat", "message"),
    [
        ("wrong password", "a new long password", "a new long password", "The current password is not correct."),
        (factories.PASSWORD, "short", "short", "At least 10 characters."),
        (factories.PASSWORD, "a new long password", "another password", "The two passwords are not the same."),
    ],
)
def test_change_password_refuses_bad_input(en_client, auth, staff, current, new, repeat, message):
    auth.login(staff.email)
    response = en_client.post("/account/password",
                              data={"current_password": current, "new_password": new, "repeat_password": repeat})
    assert response.status_code == 422
    assert message in response.text
    auth.logout()
    assert auth.login(staff.email).status_code == 302  # the old password still works


def get_fresh(app, client, path):
    """GET as a new request would: Flask-Login caches the user in ``g``, which the test's application context
    would otherwise carry from one request (and one client) to the next."""
    g.pop("_login_user", None)
    return client.get(path)


def test_changing_the_password_ends_the_other_sessions(app, en_client, auth, staff):
    other_device = app.test_client()
    AuthActions(other_device).login(staff.email)
    auth.login(staff.email)
    en_client.post("/account/password", data={
        "current_password": factories.PASSWORD, "new_password": "a new long password",
        "repeat_password": "a new long password",
    })
    assert get_fresh(app, en_client, "/account/tokens").status_code == 200  # this device stays logged in
    response = get_fresh(app, other_device, "/account/tokens")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_a_password_set_by_an_administrator_ends_the_users_sessions(app, client, auth, staff, admin):
    auth.login(staff.email)
    services.set_password(reload(staff), "set by the administrator", actor=admin, now=utcnow())
    db.session.commit()
    assert get_fresh(app, client, "/account/tokens").status_code == 302


def test_a_session_from_before_fingerprints_is_not_accepted(app, client, staff):
    with client.session_transaction() as session:
        session["_user_id"] = str(staff.id)
        session["_fresh"] = True
    assert get_fresh(app, client, "/account/tokens").status_code == 302
