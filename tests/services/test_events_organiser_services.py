"""The organiser's services on a database: editing seats, publishing, cancelling, exports, opinions."""

from datetime import timedelta

import pytest

from engage.core.audit import history_of
from engage.core.errors import InvalidTransition, NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.events import opinion_rules, opinion_services, organiser_services
from engage.events.models import CampaignStatus, Registration
from engage.extensions import db
from tests.fixtures.events import make_campaign, make_event, phone_number, sign_up

EVENT_FIELDS = ("title", "campaign_id", "department_id", "kind", "description", "venue", "online_link", "starts_at",
                "ends_at", "registration_opens_at", "registration_closes_at", "capacity", "max_party_size",
                "requires_id_number", "requires_approval", "waitlist_enabled")


def _values(event, **changes):
    return {name: getattr(event, name) for name in EVENT_FIELDS} | changes


def test_capacity_cannot_drop_below_the_seats_held(organiser, open_event, now):
    sign_up(open_event, party_size=3)
    with pytest.raises(ValidationFailed) as error:
        organiser_services.update_event(open_event, _values(open_event, capacity=2, max_party_size=1),
                                        actor=organiser, now=now)
    assert "capacity" in error.value.errors


def test_added_seats_go_to_the_waitlist_first(organiser, campaign, department, now):
    event = make_event(campaign, department, capacity=2)
    sign_up(event, phone=phone_number(1), party_size=2)
    waiting = sign_up(event, phone=phone_number(2), party_size=2)
    organiser_services.update_event(event, _values(event, capacity=4), actor=organiser, now=now)
    db.session.commit()
    assert db.session.get(Registration, waiting.id).status == "confirmed"
    assert event.seats_taken == 4


def test_an_event_of_a_draft_campaign_cannot_be_published(organiser, department, now):
    event = make_event(make_campaign(status=CampaignStatus.DRAFT), department, status="draft")
    with pytest.raises(ValidationFailed) as error:
        organiser_services.publish_event(event, actor=organiser, now=now)
    assert "campaign_id" in error.value.errors


def test_publishing_twice_is_refused(organiser, open_event, now):
    with pytest.raises(InvalidTransition):
        organiser_services.publish_event(open_event, actor=organiser, now=now)


def test_cancelling_keeps_every_change_with_its_reason(organiser, campaign, department, now):
    event = make_event(campaign, department, capacity=1)
    seated, waiting = sign_up(event, phone=phone_number(1)), sign_up(event, phone=phone_number(2))
    assert organiser_services.cancel_event(event, "场地维修", actor=organiser, now=now) == 2
    for registration in (seated, waiting):
        change = registration.changes[-1]
        assert (change.to_status, change.reason, change.actor_id) == ("cancelled", "场地维修", organiser.id)
    assert history_of(event)[-1].detail == {"reason": "场地维修", "sign_ups": 2}


def test_cancelling_needs_a_reason_and_an_event_not_over(organiser, started_event, now):
    with pytest.raises(ValidationFailed):
        organiser_services.cancel_event(started_event, "  ", actor=organiser, now=now)
    with pytest.raises(InvalidTransition):
        organiser_services.cancel_event(started_event, "原因", actor=organiser, now=started_event.ends_at)


def test_organiser_of_another_department_is_refused(open_event, other_department, now):
    from tests import factories

    other = factories.make_user("b@example.gov.cn", role="organiser", department=other_department)
    with pytest.raises(NotAllowed):
        organiser_services.get_event(open_event.id, other)
    with pytest.raises(NotAllowed):
        organiser_services.cancel_event(open_event, "原因", actor=other, now=now)


def test_check_in_candidate_refusals(organiser, started_event, open_event):
    with pytest.raises(NotFound):
        organiser_services.check_in_candidate(started_event, "NOPE2345", organiser)
    with pytest.raises(RuleViolation, match=open_event.title):  # names the event the code is for
        organiser_services.check_in_candidate(started_event, sign_up(open_event).code, organiser)


# ---- opinions ------------------------------------------------------------------------------------------

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
