"""Department staff: linking a consultation's decision and interpretation; the department dashboard."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engage.consultations import services as consultations
from engage.core.calendar_days import load_work_calendar
from engage.core.errors import ValidationFailed
from engage.core.forms import show_refusal
from engage.core.timeutil import china_date, utcnow
from engage.decisions import dashboard, rules, services
from engage.decisions.forms import FILE_HINT, DecisionForm, InterpretationForm
from engage.extensions import db

bp = Blueprint("decisions_staff", __name__, url_prefix="/staff")


@bp.before_request
@login_required
def require_login():
    """Every staff page needs a logged-in user."""


def file_store() -> services.FileStore:
    config = current_app.config
    return services.FileStore(folder=config["UPLOAD_FOLDER"], max_bytes=config["MAX_UPLOAD_MB"] * 1024 * 1024)


def upload_of(field) -> services.Upload | None:
    data = field.data
    return services.Upload(data.stream, data.filename or "") if data and getattr(data, "filename", "") else None


def _render(consultation, decision_form, interpretation_form, status=200):
    decision = services.decision_of(consultation.id)
    now = utcnow()
    return render_template(
        "decisions/staff/decision.html", consultation=consultation, decision=decision, form=decision_form,
        interpretation_form=interpretation_form, file_hint=FILE_HINT,
        can_link=rules.can_link_decision(consultation.status(now)),
        closed_on=rules.closing_day(consultation.closes_at) if consultation.closes_at else None,
        state=decision.interpretation_state(china_date(now)) if decision else None,
        working_days=current_app.config["INTERPRETATION_WORKING_DAYS"],
    ), status


def _filled_forms(decision):
    if decision is None:
        return DecisionForm(), InterpretationForm()
    interpretation = {"interpretation_title": decision.interpretation_title,
                      "interpreted_on": decision.interpreted_on, "interpretation_url": decision.interpretation_url}
    return DecisionForm(obj=decision), InterpretationForm(data=interpretation)


@bp.get("/consultations/<int:consultation_id>/decision")
def decision(consultation_id: int):
    """The final decision and the interpretation of a consultation, to link or correct."""
    consultation = consultations.get_for_staff(consultation_id, current_user)
    return _render(consultation, *_filled_forms(services.decision_of(consultation.id)))


@bp.post("/consultations/<int:consultation_id>/decision")
def link_decision(consultation_id: int):
    """Link the final decision; the consultation becomes decided and the interpretation falls due."""
    consultation = consultations.get_for_staff(consultation_id, current_user)
    form = DecisionForm()
    if form.validate():
        try:
            services.link_decision(consultation, form.fields(), upload_of(form.file), actor=current_user,
                                   now=utcnow(), working_days=current_app.config["INTERPRETATION_WORKING_DAYS"],
                                   calendar=load_work_calendar(), store=file_store())
        except ValidationFailed as error:
            db.session.rollback()
            show_refusal(error, form)
        else:
            flash(_("The decision is linked and shown on the consultation's page."), "success")
            return redirect(url_for(".decision", consultation_id=consultation.id))
    decision_now = services.decision_of(consultation.id)
    return _render(consultation, form, _filled_forms(decision_now)[1], status=422)


@bp.post("/consultations/<int:consultation_id>/interpretation")
def record_interpretation(consultation_id: int):
    """Link the policy interpretation of the decision."""
    consultation = consultations.get_for_staff(consultation_id, current_user)
    decision_now = services.decision_of(consultation.id)
    form = InterpretationForm()
    if decision_now is None:
        flash(_("Link the decision first."), "error")
        return redirect(url_for(".decision", consultation_id=consultation.id))
    if form.validate():
        try:
            services.record_interpretation(decision_now, form.fields(), upload_of(form.interpretation_file),
                                           actor=current_user, now=utcnow(), store=file_store())
        except ValidationFailed as error:
            db.session.rollback()
            show_refusal(error, form, rename={"file": "interpretation_file"})
        else:
            flash(_("The interpretation is linked and shown on the consultation's page."), "success")
            return redirect(url_for(".decision", consultation_id=consultation.id))
    return _render(consultation, _filled_forms(decision_now)[0], form, status=422)


@bp.get("/dashboard")
def department_dashboard():
    """What my department still owes: answers to comments, feedback reports, interpretations."""
    now = utcnow()
    board = dashboard.department_dashboard(current_user, now=now)
    return render_template("decisions/staff/dashboard.html", board=board, today=china_date(now))
