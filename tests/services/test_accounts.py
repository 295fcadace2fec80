"""Account services: login with lockout, accounts, departments, passwords, API tokens, the calendar."""

from datetime import date, timedelta

import pytest

from engage.accounts import calendar_services, services
from engage.accounts.models import ApiToken, Role
from engage.core import calendar_days
from engage.core.audit import history_of
from engage.core.errors import NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.core.models import AuditEvent, CalendarDay
from engage.extensions import db
from tests import factories

MAX_FAILURES = 3
LOCKOUT = timedelta(minutes=15)


def login(email, password=factories.PASSWORD, *, now):
    return services.authenticate(email, password, now=now, max_failures=MAX_FAILURES, lockout=LOCKOUT)


def fail_login(email, now, times=1):
    for _ in range(times):
        with pytest.raises((services.LoginFailed, services.AccountLocked)):
            login(email, "wrong password", now=now)


# --- login and lockout -------------------------------------------------------------------------------------


def test_authenticate_accepts_the_right_password_and_records_the_login(staff, now):
    assert login("STAFF@example.gov.cn ", now=now) == staff
    assert staff.last_login_at == now


def test_authenticate_refuses_a_wrong_password_and_counts_it(staff, now):
    with pytest.raises(services.LoginFailed):
        login(staff.email, "wrong password", now=now)
    assert staff.failed_logins == 1


def test_authenticate_refuses_an_unknown_address(app, now):
    with pytest.raises(services.LoginFailed):
        login("nobody@example.gov.cn", now=now)


def test_authenticate_refuses_an_inactive_account(staff, admin, now):
    services.update_user(staff, email=staff.email, name=staff.name, role=staff.role,
                         department_id=staff.department_id, is_active=False, actor=admin, now=now)
    with pytest.raises(services.LoginFailed):
        login(staff.email, now=now)


def test_failure_that_reaches_the_limit_locks_the_account(staff, now):
    fail_login(staff.email, now, MAX_FAILURES - 1)
    with pytest.raises(services.AccountLocked):
        login(staff.email, "wrong password", now=now)
    assert staff.locked_until == now + LOCKOUT
    assert [event.action for event in history_of(staff)][-1] == "user.locked"


def test_locked_account_refuses_even_the_right_password(staff, now):
    fail_login(staff.email, now, MAX_FAILURES)
    with pytest.raises(services.AccountLocked):
        login(staff.email, now=now + LOCKOUT - timedelta(seconds=1))


def test_lock_lifts_when_the_lockout_time_is_over(staff, now):
    fail_login(staff.email, now, MAX_FAILURES)
    assert login(staff.email, now=now + LOCKOUT) == staff
    assert staff.locked_until is None and staff.failed_logins == 0


def test_success_resets_the_failure_count(staff, now):
    fail_login(staff.email, now, MAX_FAILURES - 1)
    login(staff.email, now=now)
    fail_login(staff.email, now, MAX_FAILURES - 1)
    assert login(staff.email, now=now) == staff


# --- accounts ------------------------------------------------------------------------------------------------


def test_create_user_refuses_a_taken_address_whatever_its_case(staff, admin, now):
    with pytest.raises(ValidationFailed) as caught:
        services.create_user(email="Staff@Example.gov.cn", name="x", password=factories.PASSWORD,
                             role=Role.ORGANISER, department_id=None, actor=admin, now=now)
    assert "email" in caught.value.errors


def test_create_user_requires_a_department_for_department_staff(admin, now):
    with pytest.raises(ValidationFailed) as caught:
        services.create_user(email="new@example.gov.cn", name="x", password=factories.PASSWORD,
                             role=Role.DEPARTMENT_STAFF, department_id=None, actor=admin, now=now)
    assert "department_id" in caught.value.errors


def test_create_user_refuses_a_short_password(admin, now):
    with pytest.raises(ValidationFailed) as caught:
        services.create_user(email="new@example.gov.cn", name="x", password="short", role=Role.SUPERVISOR,
                             department_id=None, actor=admin, now=now)
    assert "password" in caught.value.errors


def test_only_administrators_create_users(staff, now):
    with pytest.raises(NotAllowed):
        services.create_user(email="new@example.gov.cn", name="x", password=factories.PASSWORD,
                             role=Role.SUPERVISOR, department_id=None, actor=staff, now=now)


def test_update_user_records_what_changed(staff, admin, other_department, now):
    old_department_id = staff.department_id
    services.update_user(staff, email="renamed@example.gov.cn", name="新名字", role=Role.DEPARTMENT_STAFF,
                         department_id=other_department.id, is_active=True, actor=admin, now=now)
    event = history_of(staff)[-1]
    assert event.action == "user.updated" and event.actor_id == admin.id
    assert event.detail["changes"] == {
        "email": ["staff@example.gov.cn", "renamed@example.gov.cn"],
        "name": ["staff", "新名字"],
        "department_id": [old_department_id, other_department.id],
    }


def test_update_user_refuses_an_address_of_another_account(staff, admin, now):
    with pytest.raises(ValidationFailed):
        services.update_user(staff, email=admin.email, name=staff.name, role=staff.role,
                             department_id=staff.department_id, is_active=True, actor=admin, now=now)


@pytest.mark.parametrize(("role", "is_active"), [(Role.SUPERVISOR, True), (Role.ADMIN, False)])
def test_administrator_cannot_demote_or_deactivate_themselves(admin, now, role, is_active):
    with pytest.raises(RuleViolation):
        services.update_user(admin, email=admin.email, name=admin.name, role=role, department_id=None,
                             is_active=is_active, actor=admin, now=now)


def test_set_password_lifts_the_lock(staff, admin, now):
    fail_login(staff.email, now, MAX_FAILURES)
    services.set_password(staff, "a brand new password", actor=admin, now=now)
    assert login(staff.email, "a brand new password", now=now) == staff


def test_unlock_user_lifts_the_lock_and_is_recorded(staff, admin, now):
    fail_login(staff.email, now, MAX_FAILURES)
    services.unlock_user(staff, actor=admin, now=now)
    assert login(staff.email, now=now) == staff
    assert "user.unlocked" in [event.action for event in history_of(staff)]


def test_change_own_password_needs_the_current_one(staff, now):
    with pytest.raises(ValidationFailed) as caught:
        services.change_own_password(staff, current_password="wrong", new_password="another long one", now=now)
    assert "current_password" in caught.value.errors


def test_change_own_password_takes_effect(staff, now):
    services.change_own_password(staff, current_password=factories.PASSWORD, new_password="another long one",
                                 now=now)
    assert login(staff.email, "another long one", now=now) == staff


def test_department_names_are_unique(admin, department, now):
    with pytest.raises(ValidationFailed):
        services.save_department(None, name=department.name, name_en="", is_active=True, actor=admin, now=now)


def test_find_department_by_either_name(department):
    assert services.find_department_by_name("市生态环境局") == department
    assert services.find_department_by_name("Municipal Ecology and Environment Bureau") == department


# --- API tokens ----------------------------------------------------------------------------------------------


def test_api_token_is_stored_only_as_a_hash(staff, now):
    record, token = services.create_api_token(staff, name="script", now=now)
    assert token.startswith(services.TOKEN_PREFIX) and token.startswith(record.prefix)
    assert token not in {record.token_hash, record.prefix}
    assert services.user_for_token(token, now=now) == staff


def test_revoked_token_no_longer_authenticates(staff, now):
    record, token = services.create_api_token(staff, name="script", now=now)
    services.revoke_api_token(record.id, actor=staff, now=now)
    assert services.user_for_token(token, now=now) is None


def test_nobody_revokes_another_persons_token(staff, other_staff, now):
    record, _ = services.create_api_token(staff, name="script", now=now)
    with pytest.raises(NotAllowed):
        services.revoke_api_token(record.id, actor=other_staff, now=now)


def test_token_of_an_inactive_user_does_not_authenticate(staff, admin, now):
    _, token = services.create_api_token(staff, name="script", now=now)
    services.update_user(staff, email=staff.email, name=staff.name, role=staff.role,
                         department_id=staff.department_id, is_active=False, actor=admin, now=now)
    assert services.user_for_token(token, now=now) is None


def test_token_use_is_recorded_at_most_once_a_minute(staff, now):
    record, token = services.create_api_token(staff, name="script", now=now)
    services.user_for_token(token, now=now)
    services.user_for_token(token, now=now + timedelta(seconds=30))
    assert db.session.get(ApiToken, record.id).last_used_at == now


# --- working-day calendar ------------------------------------------------------------------------------------


def test_calendar_day_for_an_unknown_year_is_used_by_the_work_calendar(admin, now):
    calendar_services.set_calendar_day(date(2027, 2, 6), is_working_day=True, note="春节调休", actor=admin, now=now)
    assert calendar_days.load_work_calendar().is_working_day(date(2027, 2, 6))  # a Saturday
    assert [row.day for row in calendar_services.calendar_days(2027)] == [date(2027, 2, 6)]


def test_calendar_day_in_an_official_year_needs_confirmation(admin, now):
    with pytest.raises(ValidationFailed) as caught:
        calendar_services.set_calendar_day(date(2026, 10, 10), is_working_day=False, note="", actor=admin, now=now)
    assert "correction" in caught.value.errors
    assert db.session.get(CalendarDay, date(2026, 10, 10)) is None


def test_confirmed_correction_of_an_official_year_is_kept(admin, now):
    calendar_services.set_calendar_day(date(2026, 10, 10), is_working_day=False, note="更正", correction=True,
                              actor=admin, now=now)
    assert not calendar_days.load_work_calendar().is_working_day(date(2026, 10, 10))


def test_calendar_day_entered_again_replaces_the_first_entry(admin, now):
    calendar_services.set_calendar_day(date(2027, 1, 1), is_working_day=True, note="", actor=admin, now=now)
    calendar_services.set_calendar_day(date(2027, 1, 1), is_working_day=False, note="元旦", actor=admin, now=now)
    [row] = calendar_services.calendar_days(2027)
    assert (row.is_working_day, row.note) == (False, "元旦")


def test_unset_calendar_day_restores_the_default_and_is_recorded(admin, now):
    calendar_services.set_calendar_day(date(2027, 1, 1), is_working_day=False, note="元旦", actor=admin, now=now)
    calendar_services.unset_calendar_day(date(2027, 1, 1), actor=admin, now=now)
    assert calendar_days.load_work_calendar().is_working_day(date(2027, 1, 1))
    actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.subject_type == "calendar_days"))
    assert list(actions) == ["calendar_day.set", "calendar_day.removed"]


def test_unset_of_a_day_never_entered_is_not_found(admin, now):
    with pytest.raises(NotFound):
        calendar_services.unset_calendar_day(date(2027, 1, 1), actor=admin, now=now)


def test_only_administrators_change_the_calendar(staff, now):
    with pytest.raises(NotAllowed):
        calendar_services.set_calendar_day(date(2027, 1, 1), is_working_day=False, note="", actor=staff, now=now)
