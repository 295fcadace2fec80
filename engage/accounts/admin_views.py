"""Administration: departments, users, the working-day calendar. Administrators only."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts import calendar_services as calendar_store
from engage.accounts import permissions, services
from engage.accounts.forms import CalendarDayForm, DepartmentForm, NewUserForm, SetPasswordForm, UserForm
from engage.accounts.models import Role
from engage.core import calendar_days as work_calendar
from engage.core.errors import NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.core.forms import show_refusal
from engage.core.timeutil import china_date, utcnow
from engage.extensions import login_manager

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def require_admin():
    """Anonymous visitors are sent to log in; staff who are not administrators get 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not permissions.is_admin(current_user):
        raise NotAllowed()
    return None


def _status(form) -> int:
    return 422 if form.errors else 200


@bp.get("/")
def index():
    """The administration start page."""
    return render_template("admin/index.html")


@bp.get("/departments")
def departments():
    """All departments, active ones first."""
    return render_template("admin/departments.html", departments=services.list_departments())


@bp.route("/departments/new", methods=["GET", "POST"], defaults={"department_id": None})
@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
def edit_department(department_id: int | None):
    """Create a department, or rename / (de)activate one."""
    department = services.get_department(department_id) if department_id else None
    form = DepartmentForm(obj=department)
    if form.validate_on_submit():
        try:
            saved = services.save_department(department, name=form.name.data, name_en=form.name_en.data or "",
                                             is_active=form.is_active.data, actor=current_user, now=utcnow())
            services.set_head_contact(saved, name=form.head_contact_name.data or "",
                                      email=form.head_contact_email.data or "",
                                      phone=form.head_contact_phone.data or "", actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form)
        else:
            flash(_("The department has been saved."), "success")
            return redirect(url_for(".departments"))
    return render_template("admin/department_form.html", form=form, department=department), _status(form)


@bp.get("/users")
def users():
    """All staff accounts, a page at a time."""
    page = services.list_users(request.args.get("page", 1, type=int))
    return render_template("admin/users.html", page=page)


def _user_form(form_class, user=None):
    form = form_class(obj=user)
    form.set_department_choices(services.list_departments(), str(get_locale()))
    if user is not None and not form.is_submitted():
        form.role.data = user.role.value
        form.notify_by.data, form.message_timing.data = user.notify_by.value, user.message_timing.value
        form.message_language.data = user.message_language
    return form


def _set_preferences(user, form) -> None:
    services.set_message_preferences(user, phone=form.phone.data or "",
                                     notify_by=form.notify_by.data or user.notify_by.value,
                                     timing=form.message_timing.data or user.message_timing.value,
                                     language=form.message_language.data or user.message_language,
                                     actor=current_user, now=utcnow())


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    """Create a staff account with an initial password."""
    form = _user_form(NewUserForm)
    if form.validate_on_submit():
        try:
            user = services.create_user(
                email=form.email.data, name=form.name.data, password=form.new_password.data,
                role=Role(form.role.data), department_id=form.department_id.data, is_active=form.is_active.data,
                actor=current_user, now=utcnow(),
            )
            _set_preferences(user, form)
        except ValidationFailed as error:
            show_refusal(error, form, rename={"password": "new_password"})
        else:
            flash(_("The account %(email)s has been created.", email=user.email), "success")
            return redirect(url_for(".users"))
    return render_template("admin/user_form.html", form=form, user=None), _status(form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    """Change an account's e-mail, name, role, department or whether it may log in."""
    user = services.get_user(user_id)
    form = _user_form(UserForm, user)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_user(user, email=form.email.data, name=form.name.data, role=Role(form.role.data),
                                 department_id=form.department_id.data, is_active=form.is_active.data,
                                 actor=current_user, now=utcnow())
            _set_preferences(user, form)
        except ValidationFailed as error:
            show_refusal(error, form)
        except RuleViolation as error:
            flash(error.message, "error")
            status = error.status_code
        else:
            flash(_("The account %(email)s has been saved.", email=user.email), "success")
            return redirect(url_for(".users"))
    return render_template("admin/user_form.html", form=form, user=user), 422 if form.errors else status


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
def user_password(user_id: int):
    """Give an account a new password; this also lifts a lockout."""
    user = services.get_user(user_id)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(user, form.new_password.data, actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, rename={"password": "new_password"})
        else:
            flash(_("The password of %(email)s has been set. Tell its owner through a safe channel.",
                    email=user.email), "success")
            return redirect(url_for(".edit_user", user_id=user.id))
    return render_template("admin/user_password.html", form=form, user=user), _status(form)


@bp.post("/users/<int:user_id>/unlock")
def unlock_user(user_id: int):
    """Lift a lockout after failed logins."""
    user = services.get_user(user_id)
    services.unlock_user(user, actor=current_user, now=utcnow())
    flash(_("%(email)s can log in again.", email=user.email), "success")
    return redirect(url_for(".edit_user", user_id=user.id))


def _calendar_year(now) -> int:
    """The year asked for, else the first year from now on that has no official calendar."""
    year = request.args.get("year", type=int)
    if year and 1900 <= year <= 9999:
        return year
    year = china_date(now).year
    while work_calendar.is_official_year(year):
        year += 1
    return year


@bp.route("/calendar", methods=["GET", "POST"])
def calendar_days():
    """Working days and days off entered for years the built-in official calendar does not cover."""
    now = utcnow()
    year = _calendar_year(now)
    form = CalendarDayForm()
    if form.validate_on_submit():
        day = form.day.data
        try:
            calendar_store.set_calendar_day(day, is_working_day=form.is_working_day.data == "working",
                                      note=form.note.data or "", correction=form.correction.data,
                                      actor=current_user, now=now)
        except ValidationFailed as error:
            show_refusal(error, form)
        else:
            flash(_("%(day)s has been saved.", day=day.isoformat()), "success")
            return redirect(url_for(".calendar_days", year=day.year))
    return render_template(
        "admin/calendar.html", form=form, year=year, days=calendar_store.calendar_days(year),
        official_years=work_calendar.official_years(), is_official=work_calendar.is_official_year(year),
        years_with_entries=calendar_store.years_with_entries(), full_date=lambda day: format_date(day, "full"),
    ), _status(form)


@bp.post("/calendar/<day>/remove")
def remove_calendar_day(day: str):
    """Remove an entered day, so the official calendar (or Monday to Friday) applies again."""
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise NotFound() from None
    calendar_store.unset_calendar_day(parsed, actor=current_user, now=utcnow())
    flash(_("The entry for %(day)s has been removed.", day=parsed.isoformat()), "success")
    return redirect(url_for(".calendar_days", year=parsed.year))
