"""Operator commands: flask user ... and flask calendar ..."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest

from engage.accounts import services
from engage.core.models import CalendarDay
from engage.core.timeutil import utcnow
from engage.extensions import db

NEW_PASSWORD = "operator chosen password"


@pytest.fixture
def cli(app):
    """Run a command as an operator would: in a thread of its own, outside this test's request context and
    database session, on what the test has committed."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"  # the messages below are asserted in English
    runner = app.test_cli_runner()

    def invoke(*args, input=None):
        db.session.commit()
        with ThreadPoolExecutor(max_workers=1) as pool:
            result = pool.submit(runner.invoke, args=list(args), input=input).result()
        db.session.rollback()  # see what the command committed
        return result

    return invoke


def test_user_create_with_password(cli, department):
    result = cli("user", "create", "--email", "Li@Example.gov.cn", "--name", "李四", "--role", "department_staff",
                 "--department", "市生态环境局", "--password", NEW_PASSWORD)
    assert result.exit_code == 0, result.output
    assert "li@example.gov.cn" in result.output
    user = services.find_user_by_email("li@example.gov.cn")
    assert user.department_id == department.id and user.name == "李四"


def test_user_create_finds_the_department_by_english_name(cli, department):
    result = cli("user", "create", "--email", "li@example.gov.cn", "--name", "Li", "--role", "department_staff",
                 "--department", "Municipal Ecology and Environment Bureau", "--password", NEW_PASSWORD)
    assert result.exit_code == 0, result.output


def test_user_create_asks_for_the_password_twice(cli, app):
    result = cli("user", "create", "--email", "boss@example.gov.cn", "--name", "Boss", "--role", "admin",
                 input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output  # typed hidden
    assert services.authenticate("boss@example.gov.cn", NEW_PASSWORD, now=utcnow(), max_failures=5,
                                 lockout=timedelta(minutes=1))


def test_user_create_with_mismatched_repetition_asks_again(cli):
    result = cli("user", "create", "--email", "boss@example.gov.cn", "--name", "Boss", "--role", "admin",
                 input=f"{NEW_PASSWORD}\nsomething else\n{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "department_staff"], "Department staff must belong to a department."),
        (["--role", "admin", "--department", "没有这个部门"], "No department is named 没有这个部门."),
        (["--role", "emperor"], "Invalid value for '--role'"),
        (["--role", "admin", "--email", "staff@example.gov.cn"], "An account with this e-mail address already exists."),
        (["--role", "admin", "--password", "short"], "The password must have at least 10 characters."),
    ],
)
def test_user_create_refuses_bad_input(cli, staff, args, message):
    base = {"--email": "new@example.gov.cn", "--name": "New", "--password": NEW_PASSWORD}
    for option, value in zip(args[::2], args[1::2], strict=True):
        base[option] = value
    result = cli("user", "create", *[part for pair in base.items() for part in pair])
    assert result.exit_code != 0
    assert message in result.output
    assert services.find_user_by_email("new@example.gov.cn") is None


def test_user_set_password_lifts_a_lockout(cli, staff):
    staff.locked_until = utcnow() + timedelta(minutes=5)
    db.session.commit()
    result = cli("user", "set-password", staff.email, input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    user = services.find_user_by_email(staff.email)
    assert user.locked_until is None
    assert services.authenticate(staff.email, NEW_PASSWORD, now=utcnow(), max_failures=5,
                                 lockout=timedelta(minutes=1)) == user


def test_user_set_password_for_an_unknown_address_fails(cli):
    result = cli("user", "set-password", "nobody@example.gov.cn", "--password", NEW_PASSWORD)
    assert result.exit_code != 0
    assert "No account has the e-mail address nobody@example.gov.cn." in result.output


def test_user_unlock(cli, staff):
    staff.locked_until = utcnow() + timedelta(minutes=5)
    db.session.commit()
    result = cli("user", "unlock", staff.email)
    assert result.exit_code == 0, result.output
    assert services.find_user_by_email(staff.email).locked_until is None


def test_user_list_shows_every_account_and_its_state(cli, staff, admin):
    staff.locked_until = utcnow() + timedelta(minutes=5)
    db.session.commit()
    lines = cli("user", "list").output.splitlines()
    assert lines == [
        "admin@example.gov.cn\tadmin\tadmin\t-\tactive",
        "staff@example.gov.cn\tstaff\tdepartment_staff\t市生态环境局\tactive, locked",
    ]


def test_user_list_without_accounts(cli):
    assert "There are no accounts yet." in cli("user", "list").output


def test_calendar_set_and_show(cli):
    result = cli("calendar", "set", "2027-02-06", "--working", "--note", "春节调休")
    assert result.exit_code == 0, result.output
    result = cli("calendar", "set", "2027-02-11", "--holiday", "--note", "春节")
    assert result.exit_code == 0, result.output
    output = cli("calendar", "show", "2027").output
    assert "2027: no official calendar is built in" in output
    assert "2027-02-06\tSat\tworking day\t春节调休" in output
    assert "2027-02-11\tThu\tday off\t春节" in output


def test_calendar_show_says_a_year_is_official(cli):
    output = cli("calendar", "show", "2026").output
    assert "2026: the official calendar is built in" in output
    assert "No days entered for 2026." in output


def test_calendar_set_in_an_official_year_needs_correction(cli):
    result = cli("calendar", "set", "2026-10-10", "--holiday")
    assert result.exit_code != 0
    assert "The official calendar for 2026 is built in." in result.output
    assert db.session.get(CalendarDay, date(2026, 10, 10)) is None
    assert cli("calendar", "set", "2026-10-10", "--holiday", "--correction").exit_code == 0
    assert db.session.get(CalendarDay, date(2026, 10, 10)).is_working_day is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2027-02-30", "--working"], "2027-02-30 is not a date like 2027-10-01."),
        (["2027-02-06"], "Missing option '--working'"),
    ],
)
def test_calendar_set_refuses_bad_input(cli, args, message):
    result = cli("calendar", "set", *args)
    assert result.exit_code != 0
    assert message in result.output


def test_calendar_unset(cli):
    cli("calendar", "set", "2027-02-06", "--working")
    result = cli("calendar", "unset", "2027-02-06")
    assert result.exit_code == 0, result.output
    assert db.session.get(CalendarDay, date(2027, 2, 6)) is None


def test_calendar_unset_of_a_day_never_entered_fails(cli):
    result = cli("calendar", "unset", "2027-02-06")
    assert result.exit_code != 0
    assert "No working-day entry exists for this date." in result.output


def test_cli_writes_are_committed(cli, make_app):
    """What a command did is visible to another connection (the command committed)."""
    cli("user", "create", "--email", "x@example.gov.cn", "--name", "X", "--role", "admin", "--password", NEW_PASSWORD)
    other = make_app()
    with other.app_context():
        assert services.find_user_by_email("x@example.gov.cn") is not None
