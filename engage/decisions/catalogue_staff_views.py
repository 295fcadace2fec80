"""Staff pages of the annual decision catalogue: departments keep their entries, administrators all of them."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from engage.accounts.models import Role
from engage.core.errors import NotAllowed, ValidationFailed
from engage.core.forms import show_refusal
from engage.core.templating import department_name
from engage.core.timeutil import china_date, utcnow
from engage.decisions import catalogue, permissions, rules
from engage.decisions.forms import DeliberationForm, EntryForm, StatusChangeForm
from engage.decisions.models import ChangeKind

bp = Blueprint("catalogue_staff", __name__, url_prefix="/staff/catalogue")


@bp.before_request
@login_required
def require_catalogue_keeper():
    """Department staff and administrators keep the catalogue."""
    if not permissions.can_keep_catalogue(current_user):
        raise NotAllowed()


def _year() -> int:
    year = request.args.get("year", type=int)
    return year if year in catalogue.YEAR_RANGE else china_date(utcnow()).year


@bp.get("/")
def index():
    """A year's entries of the departments I act for."""
    year = _year()
    if permissions.is_admin(current_user):
        entries = catalogue.entries_of_year(year)
    elif current_user.role == Role.ADMIN:  # a region's administrator: its own level's departments
        kept = {d.id for d in catalogue.staff_departments(current_user)}
        entries = [e for e in catalogue.entries_of_year(year) if e.department_id in kept]
    else:
        entries = catalogue.entries_of_year(year, department_id=current_user.department_id)
    return render_template("decisions/staff/catalogue.html", year=year, entries=entries)


def _entry_form(department_id: int | None = None, **kwargs) -> EntryForm:
    """The entry form; a new entry may link a consultation of any department it can be for (checked on saving)."""
    form = EntryForm(**kwargs)
    departments = catalogue.staff_departments(current_user)
    form.department.choices = [SelectChoice(d.id, department_name(d)) for d in departments]
    department_ids = [department_id] if department_id else [d.id for d in departments]
    form.set_consultations(catalogue.linkable_consultations(department_ids), with_department=len(department_ids) > 1)
    return form


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Add a decision to a year's catalogue, with the reason it is listed."""
    form = _entry_form(data={"year": _year(), "department": current_user.department_id})
    if form.validate_on_submit():
        try:
            entry = catalogue.add_entry(form.year.data, form.department.data, form.fields(), form.reason.data or "",
                                        actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, rename={"consultation_id": "consultation", "department_id": "department"})
        else:
            flash(_("The entry is added to the %(year)d catalogue.", year=entry.year), "success")
            return redirect(url_for(".edit", entry_id=entry.id))
    status = 422 if form.is_submitted() else 200
    return render_template("decisions/staff/entry_new.html", form=form), status


def _render_entry(entry, form=None, status_form=None, deliberation_form=None, status=200):
    if form is None:
        form = _entry_form(entry.department_id, obj=entry, formdata=None)
        form.consultation.data = entry.consultation_id
        form.show_timing(entry.planned)
    for unused in ("year", "department"):
        if unused in form:
            del form[unused]
    status_form = status_form or StatusChangeForm(formdata=None)
    status_form.allow(rules.CATALOGUE_TRANSITIONS[entry.status])
    deliberation_form = deliberation_form or DeliberationForm(obj=entry, formdata=None)
    return render_template("decisions/staff/entry_edit.html", entry=entry, form=form, status_form=status_form,
                           deliberation_form=deliberation_form,
                           can_postpone=rules.can_change_entry(entry.status, rules.POSTPONED)), status


@bp.route("/<int:entry_id>", methods=["GET", "POST"])
def edit(entry_id: int):
    """An entry: change it (with a reason), link its consultation, record its deliberation, see its history."""
    entry = catalogue.get_entry_for_staff(entry_id, current_user)
    if request.method == "GET":
        return _render_entry(entry)
    form = _entry_form(entry.department_id)
    del form.year, form.department
    if form.validate():
        try:
            catalogue.update_entry(entry, form.fields(), form.reason.data or "", actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, rename={"consultation_id": "consultation"})
        else:
            flash(_("The entry is saved."), "success")
            return redirect(url_for(".edit", entry_id=entry.id))
    return _render_entry(entry, form=form, status=422)


@bp.post("/<int:entry_id>/status")
def change_status(entry_id: int):
    """Postpone, drop or restore an entry."""
    entry = catalogue.get_entry_for_staff(entry_id, current_user)
    form = StatusChangeForm()
    form.allow(rules.CATALOGUE_TRANSITIONS[entry.status])
    if form.validate():
        try:
            catalogue.change_status(entry, ChangeKind(form.change.data), form.change_reason.data or "",
                                    planned=form.new_timing(), actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form, rename={"reason": "change_reason", "planned_year": "new_year",
                                              "planned_part": "new_part"})
        else:
            flash(_("The change is recorded and published with its reason."), "success")
            return redirect(url_for(".edit", entry_id=entry.id))
    return _render_entry(entry, status_form=form, status=422)


@bp.post("/<int:entry_id>/deliberation")
def record_deliberation(entry_id: int):
    """Record the meeting that deliberated the decision, its date and outcome."""
    entry = catalogue.get_entry_for_staff(entry_id, current_user)
    form = DeliberationForm()
    if form.validate():
        try:
            catalogue.record_deliberation(entry, meeting=form.meeting.data, deliberated_on=form.deliberated_on.data,
                                          outcome=form.deliberation_outcome.data, actor=current_user, now=utcnow())
        except ValidationFailed as error:
            show_refusal(error, form)
        else:
            flash(_("The deliberation is recorded."), "success")
            return redirect(url_for(".edit", entry_id=entry.id))
    return _render_entry(entry, deliberation_form=form, status=422)
