"""The organiser's opinion pages: build the questionnaire, print attendees' links, answer opinions, publish."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from engage.core.charts import bar_chart
from engage.core.errors import DomainError, ValidationFailed
from engage.core.forms import show_refusal
from engage.core.timeutil import utcnow
from engage.events import organiser_services
from engage.events.opinions import rules as opinion_rules
from engage.events.opinions import services as opinion_services
from engage.events.opinions.forms import AnswerForm, FeedbackForm, IntroductionForm, QuestionForm
from engage.events.opinions.models import Questionnaire
from engage.events.staff_forms import ConfirmForm
from engage.extensions import db

#: nested in ``engage.events.staff.bp`` (prefix, guard, labels)
bp = Blueprint("opinions", __name__)


def _load(event_id: int):
    event = organiser_services.get_event(event_id, current_user)
    return event, opinion_services.ensure_questionnaire(event, actor=current_user, now=utcnow())


def figure_charts(figures) -> list:
    """One bar chart per rating or single-choice question."""
    charts = []
    for item in figures:
        title = item.question.text
        if item.average is not None:
            title = _("%(question)s (average %(average)s of 5, %(n)d answers)", question=title,
                      average=item.average, n=item.answers)
        labels_values = [(ngettext("%(num)d point", "%(num)d points", score) if isinstance(score, int) else score,
                          count)
                         for score, count in item.counts]
        charts.append(bar_chart(title, labels_values, value_heading=_("Answers")))
    return charts


def _render(event, questionnaire, *, question_form=None, answer_form=None, feedback_form=None, status=200):
    return render_template(
        "events/opinions/staff.html", event=event, questionnaire=questionnaire,
        question_form=question_form or QuestionForm(formdata=None),
        answer_form=answer_form or AnswerForm(formdata=None), feedback_form=feedback_form or FeedbackForm(
            formdata=None), confirm_form=ConfirmForm(), responses=opinion_services.response_count(questionnaire),
        unanswered=opinion_services.opinions(questionnaire, unanswered_only=True),
        groups=opinion_services.groups(questionnaire),
        charts=figure_charts(opinion_services.figures(questionnaire)),
        introduction_form=IntroductionForm(introduction=questionnaire.introduction),
        may_open=opinion_rules.may_open(event.starts_at, utcnow()),
    ), status


@bp.get("/<int:event_id>/opinions")
def questionnaire(event_id: int):
    """Questions, opening and closing, opinions waiting for an answer, answers given, the feedback page."""
    event = organiser_services.get_event(event_id, current_user)
    # Reading never writes: until the first question is added the questionnaire is only shown, not stored.
    questionnaire = opinion_services.questionnaire_of(event) or Questionnaire(event_id=event.id, is_open=False)
    return _render(event, questionnaire)


def _fail(event, questionnaire, form_name: str, form, error: DomainError):
    db.session.rollback()
    if isinstance(error, ValidationFailed):
        show_refusal(error, form)
    else:
        flash(str(error.message), "error")
    return _render(event, questionnaire, **{form_name: form}, status=422)


@bp.post("/<int:event_id>/opinions/questions")
def add_question(event_id: int):
    event, questionnaire = _load(event_id)
    form = QuestionForm()
    if not form.validate():
        return _render(event, questionnaire, question_form=form, status=422)
    try:
        opinion_services.add_question(questionnaire, event, form.spec(), actor=current_user, now=utcnow())
    except DomainError as error:
        return _fail(event, questionnaire, "question_form", form, error)
    flash(_("Question added."), "success")
    return redirect(url_for(".questionnaire", event_id=event_id, _anchor="questions"))


@bp.post("/<int:event_id>/opinions/introduction")
def save_introduction(event_id: int):
    event, questionnaire = _load(event_id)
    form = IntroductionForm()
    if not form.validate():
        flash(" ".join(str(m) for messages in form.errors.values() for m in messages), "error")
    else:
        opinion_services.set_introduction(questionnaire, event, form.introduction.data, actor=current_user,
                                          now=utcnow())
        flash(_("Introduction saved."), "success")
    return redirect(url_for(".questionnaire", event_id=event_id, _anchor="questions"))


@bp.post("/<int:event_id>/opinions/questions/<int:question_id>/remove")
def remove_question(event_id: int, question_id: int):
    event, questionnaire = _load(event_id)
    if ConfirmForm().validate_on_submit():
        opinion_services.remove_question(questionnaire, event, question_id, actor=current_user, now=utcnow())
        flash(_("Question removed."), "success")
    return redirect(url_for(".questionnaire", event_id=event_id, _anchor="questions"))


@bp.post("/<int:event_id>/opinions/<any(open, close):action>")
def open_or_close(event_id: int, action: str):
    """Let attendees answer through their links, or stop taking answers."""
    event, questionnaire = _load(event_id)
    if ConfirmForm().validate_on_submit():
        try:
            opinion_services.set_open(questionnaire, event, action == "open", actor=current_user, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            for messages in getattr(error, "errors", {"": [error.message]}).values():
                for message in messages:
                    flash(str(message), "error")
        else:
            flash(_("The questionnaire is open.") if action == "open" else _("The questionnaire is closed."),
                  "success")
    return redirect(url_for(".questionnaire", event_id=event_id))


@bp.get("/<int:event_id>/opinions/links")
def links(event_id: int):
    """A printable sheet: each attendee's private questionnaire link, to hand out at the event."""
    event = organiser_services.get_event(event_id, current_user)
    secret = current_app.config["SECRET_KEY"]
    people = [(r, url_for("events_opinions.respond", token=opinion_services.opinion_token(r, secret), _external=True))
              for r in opinion_services.invitations(event, current_user)]
    return render_template("events/opinions/links.html", event=event, people=people)


@bp.post("/<int:event_id>/opinions/answers")
def answer(event_id: int):
    """Answer the chosen opinions together (one answer per group)."""
    event, questionnaire = _load(event_id)
    form = AnswerForm()
    if not form.validate():
        return _render(event, questionnaire, answer_form=form, status=422)
    try:
        opinion_services.answer_opinions(questionnaire, event, form.item_ids.data, form.summary.data,
                                         form.outcome.data, form.reason.data, actor=current_user, now=utcnow())
    except DomainError as error:
        return _fail(event, questionnaire, "answer_form", form, error)
    flash(_("Answer saved."), "success")
    return redirect(url_for(".questionnaire", event_id=event_id, _anchor="opinions"))


@bp.post("/<int:event_id>/opinions/answers/<int:group_id>/withdraw")
def withdraw(event_id: int, group_id: int):
    event, questionnaire = _load(event_id)
    group = opinion_services.group_of(questionnaire, group_id)
    if ConfirmForm().validate_on_submit():
        opinion_services.withdraw_answer(group, event, actor=current_user, now=utcnow())
        flash(_("The answer is withdrawn; its opinions wait for an answer again."), "success")
    return redirect(url_for(".questionnaire", event_id=event_id, _anchor="answers"))


@bp.post("/<int:event_id>/opinions/feedback")
def publish_feedback(event_id: int):
    """Publish the feedback page: figures, every opinion and its answer."""
    event, questionnaire = _load(event_id)
    form = FeedbackForm()
    if not form.validate():
        return _render(event, questionnaire, feedback_form=form, status=422)
    try:
        opinion_services.publish_feedback(questionnaire, event, form.summary.data, actor=current_user, now=utcnow())
    except DomainError as error:
        return _fail(event, questionnaire, "feedback_form", form, error)
    flash(_("The feedback page is published."), "success")
    return redirect(url_for("events_opinions.feedback", event_id=event_id))
