"""Administration pages: departments, users, the working-day calendar. Administrators only."""

from datetime import date, timedelta

import pytest

from engage.accounts import services
from engage.accounts.models import Department, User
from engage.core.audit import history_of
from engage.core.models import AuditEvent, CalendarDay
from engage.core.timeutil import utcnow
from engage.extensions import db
from tests import factories

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

ADMIN_PAGES = [
    ("GET", "/admin/"),
    ("GET", "/admin/departments"),
    ("GET", "/admin/departments/new"),
    ("POST", "/admin/departments/new"),
    ("GET", "/admin/departments/{department}"),
    ("GET", "/admin/users"),
    ("GET", "/admin/users/new"),
    ("POST", "/admin/users/new"),
    ("GET", "/admin/users/{user}"),
    ("POST", "/admin/users/{user}"),
    ("GET", "/admin/users/{user}/password"),
    ("POST", "/admin/users/{user}/password"),
    ("POST", "/admin/users/{user}/unlock"),
    ("GET", "/admin/calendar"),
    ("POST", "/admin/calendar"),
    ("POST", "/admin/calendar/2027-01-01/remove"),
]


@pytest.fixture
def as_admin(en_client, auth, admin):
    auth.login(admin.email)
    return en_client


def _url(template, department, user):
    return template.format(department=department.id, user=user.id)


@pytest.mark.parametrize("role", ["department_staff", "organiser", "supervisor"])
def test_admin_pages_are_forbidden_to_other_roles(client, auth, department, staff, role):
    user = factories.make_user(f"{role}@example.gov.cn", role=role, department=department)
    auth.login(user.email)
    statuses = {
        (method, path): client.open(_url(path, department, staff), method=method, data={"name": "x"}).status_code
        for method, path in ADMIN_PAGES
    }
    assert statuses == {page: 403 for page in ADMIN_PAGES}
    assert db.session.scalar(db.select(db.func.count()).select_from(Department)) == 1  # nothing was created


@pytest.mark.parametrize(("method", "path"), ADMIN_PAGES)
def test_admin_pages_send_anonymous_visitors_to_log_in(client, department, staff, method, path):
    response = client.open(_url(path, department, staff), method=method)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")


def test_deactivated_administrator_loses_access(client, auth, admin, app):
    auth.login(admin.email)
    admin.is_active = False
    db.session.commit()
    assert client.get("/admin/").status_code == 302


def test_admin_index_links_to_every_area(as_admin):
    page = as_admin.get("/admin/").text
    for path in ("/admin/departments", "/admin/users", "/admin/calendar"):
        assert f'href="{path}"' in page


# --- departments ---------------------------------------------------------------------------------------------


def test_admin_creates_a_department(as_admin, admin):
    response = as_admin.post("/admin/departments/new", data={"name": "市教育局", "name_en": "Education Bureau",
                                                             "is_active": "y"}, follow_redirects=True)
    assert "The department has been saved." in response.text and "市教育局" in response.text
    department = db.session.scalar(db.select(Department).where(Department.name == "市教育局"))
    assert department.name_en == "Education Bureau" and department.is_active
    assert history_of(department)[0].actor_id == admin.id


def test_admin_edits_a_department(as_admin, department):
    as_admin.post(f"/admin/departments/{department.id}", data={"name": department.name, "name_en": "Renamed"})
    db.session.expire_all()
    assert department.name_en == "Renamed" and not department.is_active


def test_duplicate_department_name_is_refused(as_admin, department):
    response = as_admin.post("/admin/departments/new", data={"name": department.name})
    assert response.status_code == 422
    assert "A department with this name already exists." in response.text


def test_department_name_is_required(as_admin):
    response = as_admin.post("/admin/departments/new", data={"name": "  "})
    assert response.status_code == 422 and "This field is required." in response.text


def test_department_names_come_back_escaped(as_admin):
    as_admin.post("/admin/departments/new", data={"name": XSS, "name_en": XSS, "is_active": "y"})
    page = as_admin.get("/admin/departments").text
    assert XSS not in page and page.count(ESCAPED) == 2


def test_unknown_department_is_not_found(as_admin):
    assert as_admin.get("/admin/departments/9999").status_code == 404


# --- users ---------------------------------------------------------------------------------------------------


def new_user_form(**changes):
    form = {"email": "new@example.gov.cn", "name": "新同事", "role": "organiser", "department_id": "None",
            "is_active": "y", "new_password": "a long enough password", "repeat_password": "a long enough password"}
    form.update(changes)
    return form


def test_admin_creates_a_user_who_can_log_in(as_admin, auth, department):
    response = as_admin.post("/admin/users/new", data=new_user_form(role="department_staff",
                                                                    department_id=str(department.id)),
                             follow_redirects=True)
    assert "The account new@example.gov.cn has been created." in response.text
    user = services.find_user_by_email("new@example.gov.cn")
    assert user.role == "department_staff" and user.department_id == department.id
    auth.logout()
    assert auth.login("new@example.gov.cn", "a long enough password").status_code == 302


def test_admin_creates_an_inactive_user(as_admin):
    as_admin.post("/admin/users/new", data=new_user_form(is_active=""))
    assert not services.find_user_by_email("new@example.gov.cn").is_active


def test_duplicate_email_is_refused_with_a_message(as_admin, staff):
    response = as_admin.post("/admin/users/new", data=new_user_form(email="STAFF@example.gov.cn"))
    assert response.status_code == 422
    assert "An account with this e-mail address already exists." in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-address"}, "Enter an e-mail address like name@example.gov.cn."),
        ({"role": "department_staff"}, "Department staff must belong to a department."),
        ({"role": "emperor"}, "Not a valid choice"),
        ({"department_id": "9999"}, "Not a valid choice"),
        ({"new_password": "short", "repeat_password": "short"}, "At least 10 characters."),
        ({"repeat_password": "something else"}, "The two passwords are not the same."),
    ],
)
def test_bad_user_input_is_refused(as_admin, changes, message):
    response = as_admin.post("/admin/users/new", data=new_user_form(**changes))
    assert response.status_code == 422
    assert message in response.text
    assert services.find_user_by_email("new@example.gov.cn") is None


def test_user_names_come_back_escaped(as_admin):
    as_admin.post("/admin/users/new", data=new_user_form(name=XSS))
    page = as_admin.get("/admin/users").text
    assert XSS not in page and ESCAPED in page


def test_admin_edits_a_user(as_admin, staff, other_department):
    response = as_admin.post(f"/admin/users/{staff.id}", data={
        "email": "moved@example.gov.cn", "name": "调岗", "role": "department_staff",
        "department_id": str(other_department.id),
    })
    assert response.status_code == 302
    db.session.expire_all()
    assert (staff.email, staff.department_id, staff.is_active) == ("moved@example.gov.cn", other_department.id, False)


def test_edit_form_shows_the_current_values(as_admin, staff):
    page = as_admin.get(f"/admin/users/{staff.id}").text
    assert 'value="staff@example.gov.cn"' in page
    assert '<option selected value="department_staff">' in page


def test_admin_cannot_demote_themselves(as_admin, admin):
    response = as_admin.post(f"/admin/users/{admin.id}", data={
        "email": admin.email, "name": admin.name, "role": "supervisor", "department_id": "None", "is_active": "y",
    })
    assert response.status_code == 409
    assert "You cannot remove your own administrator rights" in response.text
    db.session.expire_all()
    assert admin.role == "admin"


def test_new_password_lifts_the_lockout(as_admin, auth, staff):
    staff.locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()
    assert "locked" in as_admin.get("/admin/users").text
    response = as_admin.post(f"/admin/users/{staff.id}/password",
                             data={"new_password": "fresh long password", "repeat_password": "fresh long password"},
                             follow_redirects=True)
    assert "has been set" in response.text
    auth.logout()
    assert auth.login(staff.email, "fresh long password").status_code == 302
    assert "user.password_set" in [event.action for event in history_of(staff)]


def test_admin_unlocks_a_user(as_admin, auth, staff):
    staff.locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()
    assert "Unlock now" in as_admin.get(f"/admin/users/{staff.id}").text
    as_admin.post(f"/admin/users/{staff.id}/unlock")
    auth.logout()
    assert auth.login(staff.email).status_code == 302


def test_unknown_user_is_not_found(as_admin):
    assert as_admin.get("/admin/users/9999").status_code == 404


# --- working-day calendar ------------------------------------------------------------------------------------


def calendar_form(day="2027-02-06", kind="working", **changes):
    return {"day": day, "is_working_day": kind, "note": "春节调休", **changes}


def test_calendar_page_says_which_years_are_official(as_admin):
    assert "no official calendar is built in" in as_admin.get("/admin/calendar?year=2027").text
    assert "the official calendar applies" in as_admin.get("/admin/calendar?year=2026").text


def test_calendar_page_opens_on_the_first_year_without_official_calendar(as_admin):
    assert "Entered days in 2027" in as_admin.get("/admin/calendar").text


def test_admin_adds_a_day_for_an_unknown_year(as_admin, admin):
    response = as_admin.post("/admin/calendar", data=calendar_form(), follow_redirects=True)
    assert "2027-02-06 has been saved." in response.text
    assert "Saturday, February 6, 2027" in response.text and "春节调休" in response.text
    row = db.session.get(CalendarDay, date(2027, 2, 6))
    assert row.is_working_day and row.note == "春节调休"
    assert db.session.scalar(db.select(AuditEvent.actor_id).where(AuditEvent.action == "calendar_day.set")) == admin.id


def test_day_in_an_official_year_is_refused_without_confirmation(as_admin):
    response = as_admin.post("/admin/calendar", data=calendar_form(day="2026-10-10", kind="holiday"))
    assert response.status_code == 422
    assert "The official calendar for 2026 is built in." in response.text
    assert db.session.get(CalendarDay, date(2026, 10, 10)) is None


def test_confirmed_correction_of_an_official_year_is_saved(as_admin):
    as_admin.post("/admin/calendar", data=calendar_form(day="2026-10-10", kind="holiday", correction="y"))
    assert db.session.get(CalendarDay, date(2026, 10, 10)).is_working_day is False


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"day": "2027-02-30"}, "Not a valid date value."),
        ({"day": ""}, "Enter a date."),
        ({"is_working_day": ""}, "Choose whether the day is a working day or a day off."),
        ({"note": "长" * 101}, "Field cannot be longer than 100 characters."),
    ],
)
def test_bad_calendar_input_is_refused(as_admin, changes, message):
    response = as_admin.post("/admin/calendar", data=calendar_form(**changes))
    assert response.status_code == 422
    assert message in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(CalendarDay)) == 0


def test_admin_removes_a_day(as_admin):
    as_admin.post("/admin/calendar", data=calendar_form())
    response = as_admin.post("/admin/calendar/2027-02-06/remove", follow_redirects=True)
    assert "The entry for 2027-02-06 has been removed." in response.text
    assert db.session.get(CalendarDay, date(2027, 2, 6)) is None


@pytest.mark.parametrize("day", ["2027-01-01", "not-a-date"])
def test_removing_a_day_that_was_never_entered_is_not_found(as_admin, day):
    assert as_admin.post(f"/admin/calendar/{day}/remove").status_code == 404


def test_calendar_notes_come_back_escaped(as_admin):
    as_admin.post("/admin/calendar", data=calendar_form(note=XSS))
    page = as_admin.get("/admin/calendar?year=2027").text
    assert XSS not in page and ESCAPED in page
