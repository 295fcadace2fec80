"""Reply review (审核) with sign-off (会签), and chasing notices (催办) with their answers."""

import pytest
from flask import current_app
from sqlalchemy import select

from engage.core.errors import NotAllowed, RuleViolation, ValidationFailed
from engage.core.timeutil import china_date, utcnow
from engage.core.workdays import WorkCalendar
from engage.extensions import db
from engage.notifications.models import OutboxMessage
from engage.proposals import public_services, services
from engage.proposals.handling.services import ReplyFields
from engage.proposals.models import ProposalStatus, Reply
from engage.proposals.supervision import chasing, review
from engage.proposals.supervision.models import ReplyDraft, ReviewState, StepKind, SupervisionStep
from tests import factories


def reviewed(case):
    case.session.review_required = True
    db.session.commit()
    return case


def submit(case, actor, body="经研究，已列入明年计划。"):
    now = utcnow()
    fields = ReplyFields(body=body, replied_on=china_date(now), outcome="A")
    recorded = review.submit_reply(case, fields, actor=actor, now=now, config=current_app.config)
    db.session.commit()
    return recorded


def templates_sent(template: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == template)))


def steps(case) -> list[str]:
    return [str(s.kind) for s in db.session.scalars(select(SupervisionStep).where(
        SupervisionStep.proposal_id == case.id).order_by(SupervisionStep.id))]


def test_without_review_the_reply_is_recorded_at_once(assigned_case, staff):
    assert isinstance(submit(assigned_case, staff), Reply)
    assert assigned_case.status == ProposalStatus.REPLIED


def test_under_review_nothing_reaches_the_public_or_the_proposer(assigned_case, staff):
    draft = submit(reviewed(assigned_case), staff)
    assert isinstance(draft, ReplyDraft) and draft.state == ReviewState.PENDING
    assert assigned_case.status == ProposalStatus.IN_PROGRESS and assigned_case.replies == []
    assert public_services.get_case(assigned_case.id).replies == []
    assert templates_sent("proposal_reply") == []
    assert steps(assigned_case) == ["submitted"]


def test_a_second_reply_waits_for_the_first_decision(assigned_case, staff):
    submit(reviewed(assigned_case), staff)
    with pytest.raises(RuleViolation):
        submit(assigned_case, staff)


def test_approval_publishes_the_reply_and_tells_the_proposer(assigned_case, staff, supervisor):
    draft = submit(reviewed(assigned_case), staff, body="答复全文")
    reply = review.approve(draft, actor=supervisor, now=utcnow(), config=current_app.config)
    db.session.commit()
    assert assigned_case.status == ProposalStatus.REPLIED and reply.body == "答复全文"
    assert reply.signing_unit_id == staff.department_id and draft.reply_id == reply.id
    assert public_services.get_case(assigned_case.id).published_reply.id == reply.id
    assert len(templates_sent("proposal_reply")) == 2  # the lead proposer's phone and e-mail
    assert steps(assigned_case) == ["submitted", "approved"]


def test_a_returned_reply_goes_back_with_its_reason_and_the_unit_replies_again(assigned_case, staff, supervisor):
    draft = submit(reviewed(assigned_case), staff)
    with pytest.raises(ValidationFailed):
        review.return_reply(draft, "  ", actor=supervisor, now=utcnow())
    review.return_reply(draft, "请补充资金来源。", actor=supervisor, now=utcnow())
    db.session.commit()
    assert draft.state == ReviewState.RETURNED and assigned_case.replies == []
    (notice,) = [m for m in templates_sent("supervision_notices") if m.recipient == staff.email
                 and m.params["items"][0]["kind"] == "reply_returned"]
    assert "请补充资金来源。" in notice.body_text
    again = submit(assigned_case, staff)
    assert again.state == ReviewState.PENDING
    assert steps(assigned_case) == ["submitted", "returned", "submitted"]


def test_co_units_sign_off_before_approval(assigned_case, staff, other_staff, supervisor):
    draft = submit(reviewed(assigned_case), staff)
    review.request_signoff(draft, actor=supervisor, now=utcnow())
    db.session.commit()
    assert draft.state == ReviewState.SIGNOFF
    with pytest.raises(RuleViolation):
        review.approve(draft, actor=supervisor, now=utcnow(), config=current_app.config)
    with pytest.raises(NotAllowed):
        review.sign_off(draft, "", actor=staff, now=utcnow())  # the lead unit cannot sign for the co-unit
    review.sign_off(draft, "同意", actor=other_staff, now=utcnow())
    db.session.commit()
    assert draft.state == ReviewState.PENDING
    review.approve(draft, actor=supervisor, now=utcnow(), config=current_app.config)
    assert steps(assigned_case) == ["submitted", "signoff_requested", "signed_off", "approved"]
    assert any(m.params["items"][0]["kind"] == "signoff_requested" for m in templates_sent("supervision_notices")
               if m.recipient == other_staff.email)


def test_only_the_supervising_office_decides(assigned_case, staff):
    draft = submit(reviewed(assigned_case), staff)
    with pytest.raises(NotAllowed):
        review.approve(draft, actor=staff, now=utcnow(), config=current_app.config)


# ---- chasing notices -----------------------------------------------------------------------------------


def test_a_chasing_notice_reaches_the_lead_unit_and_is_on_the_timeline(assigned_case, staff, other_staff,
                                                                        supervisor):
    chasing.send_chasing_notice(assigned_case, "请于本周五前报送办理进度。", actor=supervisor, now=utcnow())
    db.session.commit()
    notices = [m for m in templates_sent("supervision_notices") if m.params["items"][0]["kind"] == "chased"]
    assert [m.recipient for m in notices] == [staff.email]
    assert "请于本周五前报送办理进度。" in notices[0].body_text
    assert steps(assigned_case) == ["chased"]


def test_the_chased_unit_answers_once(assigned_case, staff, other_staff, supervisor):
    (notice,) = chasing.send_chasing_notice(assigned_case, "请报送进度。", actor=supervisor, now=utcnow())
    with pytest.raises(NotAllowed):
        chasing.answer_chasing_notice(notice, "已办理", actor=other_staff, now=utcnow())
    chasing.answer_chasing_notice(notice, "已召开协调会，月底前答复。", actor=staff, now=utcnow())
    with pytest.raises(RuleViolation):
        chasing.answer_chasing_notice(notice, "再次答复", actor=staff, now=utcnow())
    ((found, answer),) = chasing.chasing_notices(assigned_case.id)
    assert found.id == notice.id and answer.text == "已召开协调会，月底前答复。"
    assert answer.kind == StepKind.CHASE_ANSWERED


def test_units_cannot_chase_and_an_empty_notice_is_refused(assigned_case, staff, supervisor):
    with pytest.raises(NotAllowed):
        chasing.send_chasing_notice(assigned_case, "催办", actor=staff, now=utcnow())
    with pytest.raises(ValidationFailed):
        chasing.send_chasing_notice(assigned_case, " ", actor=supervisor, now=utcnow())


def test_a_replied_case_is_not_chased(replied_case, supervisor):
    with pytest.raises(RuleViolation):
        chasing.send_chasing_notice(replied_case, "催办", actor=supervisor, now=utcnow())


# ---- notices of the supervising office's decisions -----------------------------------------------------


def _objection(case, unit_staff):
    objection = services.raise_objection(case, "不属于本单位职责", actor=unit_staff, now=utcnow(),
                                         config=current_app.config, calendar=WorkCalendar())
    db.session.commit()
    return objection


def _notice_kinds(user) -> list[str]:
    return [item["kind"] for m in templates_sent("supervision_notices") if m.recipient == user.email
            for item in m.params["items"]]


def test_a_dismissed_objection_is_told_to_the_objecting_unit(assigned_case, other_staff, staff, supervisor):
    services.dismiss_objection(_objection(assigned_case, other_staff), "协办职责明确，请继续办理。",
                               actor=supervisor, now=utcnow())
    db.session.commit()
    assert _notice_kinds(other_staff)[-1] == "objection_decided"
    assert "objection_decided" not in _notice_kinds(staff)
    (message,) = [m for m in templates_sent("supervision_notices") if m.recipient == other_staff.email
                  and m.params["items"][0]["kind"] == "objection_decided"]
    assert "协办职责明确" in message.body_text


def test_an_upheld_objection_and_the_new_unit_hears_of_its_assignment(assigned_case, other_staff, staff, supervisor,
                                                                      third_department):
    newcomer = factories.make_user("housing@example.gov.cn", department=third_department)
    _objection(assigned_case, other_staff)
    services.reassign(assigned_case, [staff.department_id], [third_department.id], reason="协办单位调整",
                      actor=supervisor, now=utcnow(), config=current_app.config)
    db.session.commit()
    assert "objection_decided" in _notice_kinds(other_staff)
    assert _notice_kinds(newcomer) == ["opinion_requested"]
