"""The opinion services on a database: tokens, answers, grouped replies, published feedback."""

from datetime import timedelta

import pytest

from engage.core.errors import InvalidTransition, NotFound, RuleViolation, ValidationFailed
from engage.events.models import Registration
from engage.events.opinions import rules as opinion_rules
from engage.events.opinions import services as opinion_services
from engage.extensions import db

SECRET = "test-secret"


@pytest.fixture
def questionnaire(organiser, started_event, now):
    questionnaire = opinion_services.ensure_questionnaire(started_event, actor=organiser, now=now)
    for spec in (opinion_rules.QuestionSpec("rating", "总体评价", is_required=True),
                 opinion_rules.QuestionSpec("free_text", "意见建议")):
        opinion_services.add_question(questionnaire, started_event, spec, actor=organiser, now=now)
    opinion_services.set_open(questionnaire, started_event, True, actor=organiser, now=now)
    db.session.commit()
    return questionnaire


def _first():
    return db.session.scalars(db.select(Registration).order_by(Registration.number)).first()


def test_token_leads_back_to_its_sign_up_only(questionnaire):
    registration = _first()
    token = opinion_services.opinion_token(registration, SECRET)
    assert opinion_services.registration_for_token(token, SECRET) is registration
    with pytest.raises(NotFound):
        opinion_services.registration_for_token(token, "another-secret")
    with pytest.raises(NotFound):
        opinion_services.registration_for_token(token[:-2] + "xx", SECRET)


def test_one_response_per_sign_up(questionnaire, now):
    rating, text = questionnaire.questions
    opinion_services.submit_response(_first(), {rating.id: 5, text.id: "好"}, now=now)
    with pytest.raises(RuleViolation):
        opinion_services.submit_response(_first(), {rating.id: 4}, now=now)


def test_closed_questionnaire_takes_no_answers(organiser, started_event, questionnaire, now):
    opinion_services.set_open(questionnaire, started_event, False, actor=organiser, now=now)
    with pytest.raises(RuleViolation):
        opinion_services.submit_response(_first(), {questionnaire.questions[0].id: 5}, now=now)


def test_opening_needs_a_question(organiser, open_event, now):
    questionnaire = opinion_services.ensure_questionnaire(open_event, actor=organiser, now=now)
    with pytest.raises(ValidationFailed):
        opinion_services.set_open(questionnaire, open_event, True, actor=organiser, now=now)


def _opinions(questionnaire, texts, now):
    rating, text = questionnaire.questions
    people = db.session.scalars(db.select(Registration).order_by(Registration.number)).all()
    for registration, opinion in zip(people, texts, strict=False):
        opinion_services.submit_response(registration, {rating.id: 4, text.id: opinion}, now=now)
    return opinion_services.opinions(questionnaire)


@pytest.mark.parametrize(("outcome", "reason", "field"), [
    ("adopted", "", None), ("not_adopted", "", "reason"), ("partly_adopted", "部分采纳", None),
    ("maybe", "", "outcome"),
])
def test_answers_follow_the_adoption_rules(organiser, started_event, questionnaire, now, outcome, reason, field):
    [item] = _opinions(questionnaire, ["建议增加场次"], now)
    if field:
        with pytest.raises(ValidationFailed) as error:
            opinion_services.answer_opinions(questionnaire, started_event, [item.id], "", outcome, reason,
                                             actor=organiser, now=now)
        assert field in error.value.errors
    else:
        group = opinion_services.answer_opinions(questionnaire, started_event, [item.id], "", outcome, reason,
                                                 actor=organiser, now=now)
        assert group.summary == "建议增加场次" and group.opinions == [item]


def test_a_group_needs_its_summary_and_an_opinion_is_answered_once(organiser, started_event, questionnaire, now):
    first, second = _opinions(questionnaire, ["增加场次", "周末开放"], now)
    with pytest.raises(ValidationFailed) as error:
        opinion_services.answer_opinions(questionnaire, started_event, [first.id, second.id], "", "adopted", "",
                                         actor=organiser, now=now)
    assert "summary" in error.value.errors
    opinion_services.answer_opinions(questionnaire, started_event, [first.id, second.id], "增加场次", "adopted",
                                     "", actor=organiser, now=now)
    with pytest.raises(ValidationFailed) as error:
        opinion_services.answer_opinions(questionnaire, started_event, [first.id], "", "adopted", "",
                                         actor=organiser, now=now)
    assert "item_ids" in error.value.errors


def test_feedback_needs_every_opinion_answered_then_freezes_answers(organiser, started_event, questionnaire, now):
    [item] = _opinions(questionnaire, ["增加场次"], now)
    with pytest.raises(ValidationFailed):
        opinion_services.publish_feedback(questionnaire, started_event, "", actor=organiser, now=now)
    group = opinion_services.answer_opinions(questionnaire, started_event, [item.id], "", "adopted", "",
                                             actor=organiser, now=now)
    opinion_services.publish_feedback(questionnaire, started_event, "谢谢", actor=organiser, now=now + timedelta(1))
    assert not questionnaire.is_open
    with pytest.raises(InvalidTransition):
        opinion_services.withdraw_answer(group, started_event, actor=organiser, now=now)
    event, published = opinion_services.published_feedback(started_event.id)
    assert published is questionnaire and [f.average for f in opinion_services.figures(published)] == [4.0]


def test_withdrawn_answer_puts_its_opinions_back_in_the_queue(organiser, started_event, questionnaire, now):
    [item] = _opinions(questionnaire, ["增加场次"], now)
    group = opinion_services.answer_opinions(questionnaire, started_event, [item.id], "", "adopted", "",
                                             actor=organiser, now=now)
    db.session.commit()
    opinion_services.withdraw_answer(group, started_event, actor=organiser, now=now)
    db.session.commit()
    assert [i.id for i in opinion_services.opinions(questionnaire, unanswered_only=True)] == [item.id]
    assert opinion_services.groups(questionnaire) == []


def test_removing_a_question_renumbers_the_rest(organiser, started_event, now):
    questionnaire = opinion_services.ensure_questionnaire(started_event, actor=organiser, now=now)
    for text in ("一", "二", "三"):
        opinion_services.add_question(questionnaire, started_event, opinion_rules.QuestionSpec("free_text", text),
                                      actor=organiser, now=now)
    opinion_services.remove_question(questionnaire, started_event, questionnaire.questions[0].id, actor=organiser,
                                     now=now)
    db.session.commit()
    assert [(q.position, q.text) for q in questionnaire.questions] == [(1, "二"), (2, "三")]


def test_questionnaire_opens_only_once_the_event_has_started(organiser, open_event, now):
    questionnaire = opinion_services.ensure_questionnaire(open_event, actor=organiser, now=now)
    opinion_services.add_question(questionnaire, open_event, opinion_rules.QuestionSpec("free_text", "意见"),
                                  actor=organiser, now=now)
    with pytest.raises(InvalidTransition):
        opinion_services.set_open(questionnaire, open_event, True, actor=organiser, now=now)
    opinion_services.set_open(questionnaire, open_event, True, actor=organiser, now=open_event.starts_at)
    assert questionnaire.is_open


def test_an_answer_is_found_only_under_its_own_questionnaire(organiser, started_event, open_event, questionnaire,
                                                               now):
    [item] = _opinions(questionnaire, ["增加场次"], now)
    group = opinion_services.answer_opinions(questionnaire, started_event, [item.id], "", "adopted", "",
                                             actor=organiser, now=now)
    other = opinion_services.ensure_questionnaire(open_event, actor=organiser, now=now)
    assert opinion_services.group_of(questionnaire, group.id) is group
    with pytest.raises(NotFound):
        opinion_services.group_of(other, group.id)
    with pytest.raises(NotFound):
        opinion_services.group_of(questionnaire, group.id + 1000)
