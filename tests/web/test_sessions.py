"""Sessions end everywhere on logout, password change and deactivation, and expire when idle or too old."""

from datetime import timedelta

import pytest
from flask import g

from engage.accounts import auth as auth_module
from engage.accounts import services
from engage.accounts.auth import is_session_expired
from engage.accounts.models import User
from engage.core.timeutil import utcnow
from engage.extensions import db
from tests import factories
from tests.conftest import AuthActions

STAFF_DESK = "/staff/consultations/"


def fresh_get(client, path):
    """A GET as a new request sees it: Flask-Login caches the user in ``g`` of the test's application context."""
    g.pop("_login_user", None)
    db.session.expire_all()
    return client.get(path)


def copied_cookie(client) -> str:
    return client.get_cookie("session").value


def client_with_cookie(app, value: str):
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief


def is_logged_in(client) -> bool:
    return fresh_get(client, STAFF_DESK).status_code == 200


def test_a_copied_cookie_opens_the_staff_desk_while_logged_in(app, client, auth, staff):
    auth.login(staff.email)
    assert is_logged_in(client_with_cookie(app, copied_cookie(client)))


def test_a_cookie_copied_before_logout_no_longer_opens_the_staff_desk(app, client, auth, staff):
    auth.login(staff.email)
    cookie = copied_cookie(client)
    auth.logout()
    response = fresh_get(client_with_cookie(app, cookie), STAFF_DESK)
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_logout_ends_the_sessions_on_other_devices(app, client, auth, staff):
    other_device = app.test_client()
    AuthActions(other_device).login(staff.email)
    auth.login(staff.email)
    auth.logout()
    assert not is_logged_in(other_device)


def test_logout_is_recorded_in_the_audit_trail(app, client, auth, staff):
    from engage.core.models import AuditEvent

    auth.login(staff.email)
    auth.logout()
    assert db.session.scalar(db.select(AuditEvent.action).where(AuditEvent.action == "user.logged_out"))


def test_a_cookie_copied_before_a_password_change_no_longer_works(app, en_client, auth, staff):
    auth.login(staff.email)
    cookie = copied_cookie(en_client)
    en_client.post("/account/password", data={"current_password": factories.PASSWORD,
                                              "new_password": "a new long password",
                                              "repeat_password": "a new long password"})
    assert not is_logged_in(client_with_cookie(app, cookie))
    assert is_logged_in(en_client)  # the device that changed it continues


def test_a_cookie_copied_before_deactivation_no_longer_works_even_after_reactivation(app, client, auth, staff,
                                                                                     admin):
    auth.login(staff.email)
    cookie = copied_cookie(client)
    user = db.session.get(User, staff.id)
    fields = {"email": user.email, "name": user.name, "role": user.role, "department_id": user.department_id}
    services.update_user(user, **fields, is_active=False, actor=admin, now=utcnow())
    db.session.commit()
    assert not is_logged_in(client_with_cookie(app, cookie))
    services.update_user(user, **fields, is_active=True, actor=admin, now=utcnow())
    db.session.commit()
    assert not is_logged_in(client_with_cookie(app, cookie))


def test_deactivation_through_the_admin_page_ends_the_session(app, client, auth, staff, admin):
    auth.login(staff.email)
    cookie = copied_cookie(client)
    admin_client = app.test_client()
    AuthActions(admin_client).login(admin.email)
    response = admin_client.post(f"/admin/users/{staff.id}", data={
        "email": staff.email, "name": staff.name, "role": "department_staff",
        "department_id": str(staff.department_id),
    })  # is_active left out: the checkbox unticked
    assert response.status_code == 302
    assert not is_logged_in(client_with_cookie(app, cookie))


class Clock:
    """Moves the time the session checks read, so expiry is tested without waiting."""

    def __init__(self, monkeypatch):
        self.now = utcnow()
        monkeypatch.setattr(auth_module, "utcnow", lambda: self.now)

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def test_a_session_idle_for_longer_than_the_limit_ends(app, client, auth, staff, clock):
    app.config["SESSION_IDLE_MINUTES"] = 30
    auth.login(staff.email)
    clock.advance(minutes=31)
    response = fresh_get(client, STAFF_DESK)
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_activity_keeps_a_session_alive_within_the_idle_limit(app, client, auth, staff, clock):
    app.config["SESSION_IDLE_MINUTES"] = 30
    app.config["SESSION_MAX_HOURS"] = 12
    auth.login(staff.email)
    for _ in range(4):
        clock.advance(minutes=25)
        assert is_logged_in(client)


def test_a_session_ends_at_the_absolute_limit_however_busy(app, client, auth, staff, clock):
    app.config["SESSION_IDLE_MINUTES"] = 30
    app.config["SESSION_MAX_HOURS"] = 2
    auth.login(staff.email)
    for _ in range(4):
        clock.advance(minutes=29)
        assert is_logged_in(client)
    clock.advance(minutes=5)  # 2 h 1 min after login, active 5 minutes ago
    assert not is_logged_in(client)


def test_an_expired_session_is_told_why(app, en_client, auth, staff, clock):
    auth.login(staff.email)
    clock.advance(hours=13)
    fresh_get(en_client, STAFF_DESK)
    assert "Your session has expired" in en_client.get("/account/login").text


@pytest.mark.parametrize(("idle_for", "open_for", "expired"), [
    (1800, 1800, False),   # exactly at the idle limit
    (1801, 1801, True),    # one second past it
    (10, 43200, False),    # exactly at the absolute limit
    (10, 43201, True),
])
def test_session_expiry_boundaries(idle_for, open_for, expired):
    now = 100_000
    assert is_session_expired(now - open_for, now - idle_for, now, idle=1800, absolute=43200) is expired


def test_a_session_without_a_login_time_is_expired():
    assert is_session_expired(None, None, 100, idle=1800, absolute=43200)
