"""Public opinion pages: an attendee's questionnaire behind a private link, and the event's feedback page."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from engage.core.answers import count_outcomes
from engage.core.charts import bar_chart
from engage.core.errors import DomainError
from engage.core.forms import show_refusal
from engage.core.timeutil import utcnow
from engage.events.forms import LookupForm
from engage.events.opinions import rules as opinion_rules
from engage.events.opinions import services as opinion_services
from engage.events.opinions.charts import figure_charts
from engage.events.opinions.forms import response_form, response_values
from engage.events.registrations import services

bp = Blueprint("events_opinions", __name__, url_prefix="/events")


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def opinion_url(registration) -> str:
    """The private questionnaire link of a sign-up (for pages that show it to its holder)."""
    return url_for("events_opinions.respond", token=opinion_services.opinion_token(registration, _secret()))


def _render_respond(registration, questionnaire, form, *, status=200):
    already = opinion_services.existing_response(registration)
    may_answer = questionnaire is not None and opinion_rules.may_give_opinion(registration.status,
                                                                              questionnaire.is_open)
    return render_template("events/opinions/respond.html", registration=registration, event=registration.event,
                           questionnaire=questionnaire, form=form, already=already, may_answer=may_answer), status


@bp.route("/opinions/<token>", methods=["GET", "POST"])
def respond(token: str):
    """The questionnaire of the attendee the link belongs to; one set of answers per sign-up."""
    registration = opinion_services.registration_for_token(token, _secret())
    questionnaire = opinion_services.questionnaire_of(registration.event)
    questions = questionnaire.questions if questionnaire else []
    form = response_form(questions)
    if form.validate_on_submit():
        try:
            opinion_services.submit_response(registration, response_values(form, questions), now=utcnow())
        except DomainError as error:
            show_refusal(error, form)
            return _render_respond(registration, questionnaire, form, status=422)
        flash(_("Thank you! Your answers are sent. The organiser will publish how the opinions were handled."),
              "success")
        return redirect(url_for(".respond", token=token))
    return _render_respond(registration, questionnaire, form, status=422 if form.is_submitted() else 200)


@bp.route("/opinions/find", methods=["GET", "POST"])
def find():
    """Open one's questionnaire with the confirmation code and phone number, when the link is not at hand."""
    form = LookupForm()
    if form.validate_on_submit():
        try:
            registration = services.find_by_phone(form.code.data, form.phone.data)
        except DomainError as error:
            show_refusal(error, form)
        else:
            return redirect(opinion_url(registration))
    return render_template("events/opinions/find.html", form=form), 422 if form.is_submitted() else 200


@bp.get("/<int:event_id>/feedback")
def feedback(event_id: int):
    """What attendees said and how each opinion was handled, with the ratings and choices as charts."""
    event, questionnaire = opinion_services.published_feedback(event_id)
    groups = opinion_services.groups(questionnaire)
    outcomes = count_outcomes(group.outcome for group in groups)
    outcome_chart = bar_chart(_("How the opinions were handled"),
                              [(outcome.label, count) for outcome, count in outcomes.items()],
                              value_heading=_("Opinions answered"))
    return render_template("events/opinions/feedback.html", event=event, questionnaire=questionnaire,
                           groups=groups, charts=figure_charts(opinion_services.figures(questionnaire)),
                           outcome_chart=outcome_chart, responses=opinion_services.response_count(questionnaire))


@bp.app_template_global()
def opinion_invitation(registration) -> dict | None:
    """What a sign-up's own page shows about the event's questionnaire: its private link, or the feedback page."""
    questionnaire = opinion_services.questionnaire_of(registration.event)
    if questionnaire is None:
        return None
    if questionnaire.is_feedback_published:
        return {"feedback_url": url_for("events_opinions.feedback", event_id=registration.event_id)}
    if not opinion_rules.may_give_opinion(registration.status, questionnaire.is_open):
        return None
    return {"url": opinion_url(registration), "answered": opinion_services.existing_response(registration) is not None}


@bp.app_template_global()
def has_published_feedback(event) -> bool:
    """Whether the event's page links to its feedback page."""
    questionnaire = opinion_services.questionnaire_of(event)
    return questionnaire is not None and questionnaire.is_feedback_published
