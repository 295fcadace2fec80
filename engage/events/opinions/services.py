"""Opinions at an event: the questionnaire, attendees' answers through a private link, the organiser's answers,
and the public feedback page.

The private link carries a token signed with the application's secret key over the sign-up's id, so nothing
secret is stored and a link cannot be guessed or turned into another person's. Each takes the acting user
and ``now`` explicitly and only flushes; the request commits.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from engage.core import audit
from engage.core.answers import AnswerOutcome, answer_problems
from engage.core.errors import InvalidTransition, NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.events import permissions
from engage.events.models import Event, EventStatus, Registration
from engage.events.opinions import rules as opinion_rules
from engage.events.opinions.models import (
    OpinionGroup,
    OpinionResponse,
    Question,
    QuestionKind,
    Questionnaire,
    ResponseItem,
)
from engage.extensions import db

TOKEN_SALT = "event-opinion"


# ---- the private link ----------------------------------------------------------------------------------


def opinion_token(registration: Registration, secret_key: str) -> str:
    return opinion_token_for_id(registration.id, secret_key)


def opinion_token_for_id(registration_id: int, secret_key: str) -> str:
    return URLSafeSerializer(secret_key, salt=TOKEN_SALT).dumps(registration_id)


def registration_for_token(token: str, secret_key: str) -> Registration:
    try:
        registration_id = URLSafeSerializer(secret_key, salt=TOKEN_SALT).loads(token)
    except BadSignature:
        raise NotFound(_l("This questionnaire link is not valid. Please check that it was copied whole.")) from None
    registration = db.session.get(Registration, registration_id) if isinstance(registration_id, int) else None
    if registration is None:
        raise NotFound(_l("This questionnaire link is not valid. Please check that it was copied whole."))
    return registration


# ---- the organiser's questionnaire ---------------------------------------------------------------------


def questionnaire_of(event: Event) -> Questionnaire | None:
    return db.session.scalar(select(Questionnaire).where(Questionnaire.event_id == event.id)
                             .options(selectinload(Questionnaire.questions)))


def _require_manager(actor, event: Event) -> None:
    if not permissions.can_manage_event(actor, event):
        raise NotAllowed()


def ensure_questionnaire(event: Event, *, actor, now: datetime) -> Questionnaire:
    """The event's questionnaire, created (closed, without questions) the first time."""
    _require_manager(actor, event)
    questionnaire = questionnaire_of(event)
    if questionnaire is None:
        questionnaire = Questionnaire(event_id=event.id, created_at=now, updated_at=now)
        db.session.add(questionnaire)
        db.session.flush()
        audit.record("questionnaire.created", questionnaire, actor=actor, now=now)
    return questionnaire


def set_introduction(questionnaire: Questionnaire, event: Event, text: str, *, actor, now: datetime) -> None:
    """The words above the questions (what the opinions are for, how they will be answered)."""
    _require_manager(actor, event)
    questionnaire.introduction, questionnaire.updated_at = (text or "").strip(), now
    db.session.flush()


def response_count(questionnaire: Questionnaire) -> int:
    return db.session.scalar(select(func.count()).select_from(OpinionResponse)
                             .where(OpinionResponse.questionnaire_id == questionnaire.id)) or 0


def add_question(questionnaire: Questionnaire, event: Event, spec: opinion_rules.QuestionSpec, *, actor,
                 now: datetime) -> Question:
    """Append a question; the questions are fixed once someone has answered, so answers stay comparable."""
    _require_manager(actor, event)
    if response_count(questionnaire):
        raise InvalidTransition(_l("People have already answered: the questions can no longer change."))
    if len(questionnaire.questions) >= opinion_rules.MAX_QUESTIONS:
        raise ValidationFailed({"text": [_l("A questionnaire has at most %(n)d questions.",
                                            n=opinion_rules.MAX_QUESTIONS)]})
    problems = opinion_rules.question_problems(spec)
    if problems:
        raise ValidationFailed(problems)
    question = Question(kind=QuestionKind(spec.kind), text=spec.text.strip(), choices=list(spec.choices),
                        is_required=spec.is_required, position=len(questionnaire.questions) + 1)
    questionnaire.questions.append(question)
    questionnaire.updated_at = now
    db.session.flush()
    audit.record("questionnaire.question_added", questionnaire, actor=actor, now=now, question=question.text)
    return question


def remove_question(questionnaire: Questionnaire, event: Event, question_id: int, *, actor, now: datetime) -> None:
    _require_manager(actor, event)
    if response_count(questionnaire):
        raise InvalidTransition(_l("People have already answered: the questions can no longer change."))
    question = next((q for q in questionnaire.questions if q.id == question_id), None)
    if question is None:
        raise NotFound()
    questionnaire.questions.remove(question)
    for position, remaining in enumerate(questionnaire.questions, start=1):
        remaining.position = position
    questionnaire.updated_at = now
    audit.record("questionnaire.question_removed", questionnaire, actor=actor, now=now, question=question.text)
    db.session.flush()


def set_open(questionnaire: Questionnaire, event: Event, is_open: bool, *, actor, now: datetime) -> None:
    """Open the questionnaire to attendees (it needs a question and a published event), or close it."""
    _require_manager(actor, event)
    if is_open and not questionnaire.questions:
        raise ValidationFailed({"questions": [_l("Add at least one question first.")]})
    if is_open and event.status != EventStatus.PUBLISHED:
        raise InvalidTransition(_l("Only a published event can collect opinions."))
    if is_open and not opinion_rules.may_open(event.starts_at, now):
        raise InvalidTransition(_l("The questionnaire can be opened once the event has started."))
    questionnaire.is_open, questionnaire.updated_at = is_open, now
    audit.record("questionnaire.opened" if is_open else "questionnaire.closed", questionnaire, actor=actor, now=now)
    if is_open and event.is_over(now):
        from engage.events.opinions import invitations  # here: invitations imports this module

        invitations.send_links(event, questionnaire, now=now)
    db.session.flush()


def invitations(event: Event, actor) -> list[Registration]:
    """The sign-ups who may give their opinion (attended or confirmed), in sign-up order, for printed links."""
    _require_manager(actor, event)
    return db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.status.in_(sorted(opinion_rules.MAY_GIVE_OPINION))
    ).order_by(Registration.number)).all()


# ---- attendees' answers --------------------------------------------------------------------------------


def existing_response(registration: Registration) -> OpinionResponse | None:
    return db.session.scalar(select(OpinionResponse).where(OpinionResponse.registration_id == registration.id))


def submit_response(registration: Registration, values: dict[int, object], *, now: datetime) -> OpinionResponse:
    """Store an attendee's answers, given as {question id: rating, option or text}; one response per sign-up.

    :raises RuleViolation: the questionnaire is closed, the sign-up may not answer, or it already did
    :raises ValidationFailed: per question (``question-<id>``), e.g. a required question left empty
    """
    questionnaire = questionnaire_of(registration.event)
    if questionnaire is None or not opinion_rules.may_give_opinion(registration.status, questionnaire.is_open):
        raise RuleViolation(_l("This questionnaire is not open to you at the moment."))
    if existing_response(registration) is not None:
        raise RuleViolation(_l("You have already sent your answers. Thank you!"))
    problems = {}
    for question in questionnaire.questions:
        problem = opinion_rules.item_problem(question.kind, question.choices, question.is_required,
                                             values.get(question.id))
        if problem:
            problems[f"question-{question.id}"] = [problem]
    if problems:
        raise ValidationFailed(problems)
    response = OpinionResponse(questionnaire_id=questionnaire.id, registration_id=registration.id, submitted_at=now)
    for question in questionnaire.questions:
        value = values.get(question.id)
        if value in (None, ""):
            continue
        response.items.append(ResponseItem(
            question_id=question.id, rating=value if question.kind == QuestionKind.RATING else None,
            choice=value if question.kind == QuestionKind.SINGLE_CHOICE else None,
            text=str(value).strip() if question.kind == QuestionKind.FREE_TEXT else ""))
    try:
        with db.session.begin_nested():  # a double submit from two tabs: the unique registration_id decides
            db.session.add(response)
            db.session.flush()
    except IntegrityError:
        raise RuleViolation(_l("You have already sent your answers. Thank you!")) from None
    return response


# ---- the organiser's answers and the feedback page -----------------------------------------------------


def opinions(questionnaire: Questionnaire, *, unanswered_only: bool = False) -> list[ResponseItem]:
    """The free-text opinions, oldest first."""
    statement = (select(ResponseItem).join(Question).join(OpinionResponse)
                 .where(Question.questionnaire_id == questionnaire.id, Question.kind == QuestionKind.FREE_TEXT,
                        ResponseItem.text != "")
                 .order_by(OpinionResponse.submitted_at, ResponseItem.id))
    if unanswered_only:
        statement = statement.where(ResponseItem.group_id.is_(None))
    return db.session.scalars(statement).all()


def groups(questionnaire: Questionnaire) -> list[OpinionGroup]:
    return db.session.scalars(select(OpinionGroup).where(OpinionGroup.questionnaire_id == questionnaire.id)
                              .options(selectinload(OpinionGroup.opinions)).order_by(OpinionGroup.id)).all()


def answer_opinions(questionnaire: Questionnaire, event: Event, item_ids: list[int], summary: str, outcome: str,
                    reason: str, *, actor, now: datetime) -> OpinionGroup:
    """Answer one opinion, or several similar ones together (集中意见), as adopted / partly / not adopted.

    :param summary: the opinion in the organiser's words (defaults to the opinion itself when only one)
    :raises ValidationFailed: no opinion chosen, one already answered, a missing reason or summary
    """
    _require_manager(actor, event)
    chosen = [item for item in opinions(questionnaire) if item.id in set(item_ids)]
    problems = answer_problems(outcome, reason)
    if not chosen or len(chosen) != len(set(item_ids)):
        problems["item_ids"] = [_l("Choose the opinions this answer is for.")]
    elif any(item.group_id for item in chosen):
        problems["item_ids"] = [_l("Some of these opinions already have an answer.")]
    summary = (summary or "").strip() or (chosen[0].text if len(chosen) == 1 else "")
    if not summary and "item_ids" not in problems:  # which opinions comes first: the summary depends on them
        problems["summary"] = [_l("Sum up what these opinions say: it is published with the answer.")]
    if problems:
        raise ValidationFailed(problems)
    group = OpinionGroup(questionnaire_id=questionnaire.id, summary=summary, outcome=AnswerOutcome(outcome),
                         reason=(reason or "").strip(), answered_at=now, answered_by_id=actor.id)
    group.opinions.extend(chosen)
    db.session.add(group)
    db.session.flush()
    audit.record("opinion.answered", group, actor=actor, now=now, outcome=str(outcome), opinions=len(chosen))
    return group


def group_of(questionnaire: Questionnaire, group_id: int) -> OpinionGroup:
    """One answer (group of opinions) of ``questionnaire``; :raises NotFound: none, or of another questionnaire."""
    group = db.session.get(OpinionGroup, group_id)
    if group is None or group.questionnaire_id != questionnaire.id:
        raise NotFound()
    return group


def withdraw_answer(group: OpinionGroup, event: Event, *, actor, now: datetime) -> None:
    """Take an answer back before the feedback page is published, so the opinions can be answered anew."""
    _require_manager(actor, event)
    questionnaire = db.session.get(Questionnaire, group.questionnaire_id)
    if questionnaire.is_feedback_published:
        raise InvalidTransition(_l("The feedback page is published: its answers can no longer be withdrawn."))
    for item in list(group.opinions):
        item.group_id = None
    audit.record("opinion.answer_withdrawn", questionnaire, actor=actor, now=now, summary=group.summary)
    db.session.delete(group)
    db.session.flush()


def publish_feedback(questionnaire: Questionnaire, event: Event, summary: str, *, actor, now: datetime) -> None:
    """Publish the event's feedback page; every opinion must have its answer first."""
    _require_manager(actor, event)
    if questionnaire.is_feedback_published:
        raise InvalidTransition(_l("The feedback page is already published."))
    waiting = len(opinions(questionnaire, unanswered_only=True))
    if waiting:
        raise ValidationFailed({"summary": [_l("%(n)d opinions still need an answer.", n=waiting)]})
    questionnaire.feedback_summary, questionnaire.feedback_published_at = (summary or "").strip(), now
    questionnaire.is_open, questionnaire.updated_at = False, now
    event.public_version += 1  # the event page now links to the feedback: cached copies must go
    audit.record("questionnaire.feedback_published", questionnaire, actor=actor, now=now)
    db.session.flush()


@dataclass
class QuestionFigures:
    question: Question
    answers: int
    average: float | None = None
    #: (label, count) pairs: ratings 5..1, or the options in order
    counts: list | None = None


def figures(questionnaire: Questionnaire) -> list[QuestionFigures]:
    """Per rating and single-choice question: how many answered, the average rating, the counts."""
    rows = db.session.execute(select(ResponseItem.question_id, ResponseItem.rating, ResponseItem.choice)
                              .join(Question).where(Question.questionnaire_id == questionnaire.id)).all()
    result = []
    for question in questionnaire.questions:
        mine = [row for row in rows if row.question_id == question.id]
        if question.kind == QuestionKind.RATING:
            ratings = [row.rating for row in mine]
            result.append(QuestionFigures(question, len(mine), opinion_rules.average_rating(ratings),
                                          opinion_rules.rating_distribution(ratings)))
        elif question.kind == QuestionKind.SINGLE_CHOICE:
            counts = opinion_rules.choice_counts(question.choices, [row.choice for row in mine])
            result.append(QuestionFigures(question, len(mine), counts=counts))
    return result


def published_feedback(event_id: int) -> tuple[Event, Questionnaire]:
    """The public feedback page's event and questionnaire; NotFound until it is published."""
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.event_id == event_id)
                                      .options(selectinload(Questionnaire.questions)))
    if questionnaire is None or not questionnaire.is_feedback_published:
        raise NotFound(_l("The feedback on this event has not been published yet."))
    return db.session.get(Event, event_id), questionnaire
