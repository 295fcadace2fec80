"""Proposal use cases against the database: registering, assigning, objections, replies, ratings, imports."""

from datetime import date, timedelta

import pytest
from flask import current_app

from engage.core.db import utcnow
from engage.core.errors import InvalidTransition, NotAllowed, RuleViolation, ValidationFailed
from engage.core.timeutil import china_date
from engage.core.workdays import WorkCalendar
from engage.extensions import db
from engage.proposals import handling_services, import_jobs, queues, services
from engage.proposals.models import ImportState, ObjectionState, Proposal, ProposalStatus
from tests.fixtures.proposals import SESSION, assign_case, make_case, reply_to


def config():
    return current_app.config


def test_registering_keeps_the_lead_proposer_first_and_records_the_status(registered_case):
    assert registered_case.status == ProposalStatus.REGISTERED
    assert [p.name for p in registered_case.proposers] == ["张明", "李华"]
    assert registered_case.proposers[0].is_lead and registered_case.lead_proposer_name == "张明"
    assert [c.to_status for c in registered_case.status_changes] == ["registered"]


def test_a_number_is_unique_per_session_and_kind(registered_case, supervisor):
    with pytest.raises(ValidationFailed) as refused:
        make_case(number="0001", actor=supervisor)
    assert "number" in refused.value.errors
    db.session.rollback()
    assert make_case(number="0001", kind="proposal", actor=supervisor).id  # the other kind may use it
    assert make_case(number="0001", session="第十八届人大第四次会议", actor=supervisor).id


def test_only_supervisors_register(app, staff):
    with pytest.raises(NotAllowed):
        make_case(actor=staff)


def test_assigning_computes_the_due_date_in_calendar_months(registered_case, department, other_department,
                                                           supervisor):
    assign_case(registered_case, [department], [other_department], assigned_on=date(2026, 1, 31),
                actor=supervisor)
    assert registered_case.status == ProposalStatus.ASSIGNED
    assert registered_case.due_on == date(2026, 4, 30)
    assert registered_case.lead_unit_id == department.id
    assert registered_case.co_units[0].opinion_due_on == date(2026, 2, 28)
    assert [r.due_on for r in registered_case.rounds] == [date(2026, 4, 30)]


def test_assignment_needs_a_lead_unit_and_distinct_roles(registered_case, department, supervisor):
    for lead, co in (([], []), ([department.id], [department.id])):
        with pytest.raises(ValidationFailed):
            services.assign(registered_case, lead, co, assigned_on=date(2026, 3, 1), actor=supervisor,
                            now=utcnow(), config=config())


def test_an_assignment_date_in_the_future_is_refused(registered_case, department, supervisor):
    tomorrow = china_date(utcnow()) + timedelta(days=1)
    with pytest.raises(ValidationFailed) as refused:
        services.assign(registered_case, [department.id], [], assigned_on=tomorrow, actor=supervisor, now=utcnow(),
                        config=config())
    assert "assigned_on" in refused.value.errors
    assert registered_case.status == ProposalStatus.REGISTERED and registered_case.due_on is None


def test_a_case_is_assigned_only_once(assigned_case, department, supervisor):
    with pytest.raises(InvalidTransition):
        services.assign(assigned_case, [department.id], [], assigned_on=date(2026, 3, 1), actor=supervisor,
                        now=utcnow(), config=config())


def test_department_staff_cannot_assign(registered_case, department, staff):
    with pytest.raises(NotAllowed):
        services.assign(registered_case, [department.id], [], assigned_on=date(2026, 3, 1), actor=staff,
                        now=utcnow(), config=config())


def test_extension_with_reason_moves_the_due_date(assigned_case, supervisor):
    new_due = assigned_case.assigned_on + timedelta(days=120)
    services.extend(assigned_case, new_due, reason="需协调多个部门", actor=supervisor, now=utcnow(), config=config())
    assert assigned_case.due_on == new_due and assigned_case.extension_reason == "需协调多个部门"


def test_extension_without_reason_is_refused(assigned_case, supervisor):
    with pytest.raises(ValidationFailed) as refused:
        services.extend(assigned_case, assigned_case.due_on + timedelta(days=10), reason="", actor=supervisor,
                        now=utcnow(), config=config())
    assert "reason" in refused.value.errors


def test_a_unit_objects_within_the_window_and_the_supervisor_reassigns(assigned_case, other_staff, supervisor,
                                                                       third_department, department):
    objection = services.raise_objection(assigned_case, "不属于本单位职责", actor=other_staff, now=utcnow(),
                                         config=config(), calendar=WorkCalendar())
    services.reassign(assigned_case, [department.id], [third_department.id], reason="改由住建局协办",
                      actor=supervisor, now=utcnow(), config=config())
    assert objection.state == ObjectionState.UPHELD
    assert assigned_case.unit_ids() == {department.id, third_department.id}
    assert assigned_case.status_changes[-1].reason == "改由住建局协办"


def test_an_objection_after_the_window_is_refused(registered_case, department, other_department, supervisor,
                                                  staff):
    long_ago = utcnow() - timedelta(days=30)
    assign_case(registered_case, [department], [other_department], assigned_on=china_date(long_ago),
                actor=supervisor, now=long_ago)
    with pytest.raises(RuleViolation) as refused:
        services.raise_objection(registered_case, "不属于本单位职责", actor=staff, now=utcnow(), config=config(),
                                 calendar=WorkCalendar())
    last_day = services.objection_deadline(registered_case, staff.department_id, config(), WorkCalendar())
    assert last_day < china_date(utcnow())
    # The message names the last day, whatever the interface language.
    assert last_day.isoformat() in str(refused.value.message)


def test_a_unit_that_does_not_handle_the_case_cannot_object(assigned_case, app):
    from tests import factories

    outsider = factories.make_user("x@example.gov.cn", department=factories.make_department("市教育局"))
    with pytest.raises(NotAllowed):
        services.raise_objection(assigned_case, "x", actor=outsider, now=utcnow(), config=config(),
                                 calendar=WorkCalendar())


def test_co_unit_opinion_then_reply_records_every_status(assigned_case, staff, other_staff):
    handling_services.submit_opinion(assigned_case, "建议由住建局牵头", actor=other_staff, now=utcnow())
    assert handling_services.missing_opinions(assigned_case) == []
    reply_to(assigned_case, staff, outcome="B")
    assert assigned_case.status == ProposalStatus.REPLIED
    assert [c.to_status for c in assigned_case.status_changes] == ["registered", "assigned", "in_progress",
                                                                   "replied"]
    assert (assigned_case.outcome, assigned_case.replied_on_time, assigned_case.reply_published) == ("B", True, True)


def test_a_co_unit_cannot_reply(assigned_case, other_staff):
    with pytest.raises(NotAllowed):
        reply_to(assigned_case, other_staff)


@pytest.mark.parametrize(("changes", "field"), [
    ({"outcome": "Z"}, "outcome"),
    ({"body": " "}, "body"),
    ({"is_published": False, "unpublished_reason": ""}, "unpublished_reason"),
    ({"replied_on": None}, "replied_on"),
    ({"replied_on": china_date(utcnow()) + timedelta(days=1)}, "replied_on"),
    # the case was assigned today: a reply dated the day before predates its handling
    ({"replied_on": china_date(utcnow()) - timedelta(days=1)}, "replied_on"),
])
def test_a_reply_is_checked(assigned_case, staff, changes, field):
    values = {"body": "答复", "replied_on": china_date(utcnow()), "outcome": "A", "is_published": True,
              "unpublished_reason": "", **changes}
    with pytest.raises(ValidationFailed) as refused:
        handling_services.record_reply(assigned_case, handling_services.ReplyFields(**values), actor=staff,
                                       now=utcnow(), config=config())
    assert field in refused.value.errors


def test_proposal_outcome_classes_differ_from_suggestions(app, supervisor, department, staff):
    case = assign_case(make_case(kind="proposal", actor=supervisor), [department], actor=supervisor)
    with pytest.raises(ValidationFailed):
        reply_to(case, staff, outcome="D")  # D exists only for suggestions


def test_every_proposer_rates_and_then_the_case_is_rated(replied_case, supervisor):
    lead, co_signer = replied_case.proposers
    handling_services.rate(lead, "satisfied", "", actor=supervisor, now=utcnow(), config=config())
    assert replied_case.status == ProposalStatus.REPLIED
    handling_services.rate(co_signer, "basically_satisfied", "", actor=None, now=utcnow(), config=config())
    assert replied_case.status == ProposalStatus.RATED
    assert replied_case.satisfaction == "basically_satisfied"


def test_unsatisfied_reopens_with_a_new_round_and_keeps_the_history(replied_case, supervisor, staff):
    lead = replied_case.proposers[0]
    handling_services.rate(lead, "unsatisfied", "补贴标准未落实", actor=supervisor, now=utcnow(), config=config())
    assert replied_case.status == ProposalStatus.REOPENED and replied_case.round_number == 2
    assert replied_case.due_on == services.rules.add_months(china_date(utcnow()), 1)
    assert [r.number for r in replied_case.rounds] == [1, 2]
    reply_to(replied_case, staff, body="补贴标准已落实。")
    assert [r.round_number for r in replied_case.replies] == [1, 2]
    handling_services.rate(lead, "satisfied", "", actor=supervisor, now=utcnow(), config=config())
    assert len(replied_case.ratings) == 2


def test_unsatisfied_needs_comments_and_a_proposer_rates_once(replied_case, supervisor):
    lead = replied_case.proposers[0]
    with pytest.raises(ValidationFailed):
        handling_services.rate(lead, "unsatisfied", "", actor=supervisor, now=utcnow(), config=config())
    handling_services.rate(lead, "satisfied", "", actor=supervisor, now=utcnow(), config=config())
    with pytest.raises(RuleViolation):
        handling_services.rate(lead, "satisfied", "", actor=supervisor, now=utcnow(), config=config())


def test_the_private_link_finds_only_its_proposer(replied_case, supervisor):
    lead = replied_case.proposers[0]
    token = handling_services.issue_rating_link(lead, actor=supervisor, now=utcnow())
    assert handling_services.proposer_for_token(token) is lead
    assert lead.rating_token_hash != token  # only the hash is kept
    handling_services.issue_rating_link(lead, actor=supervisor, now=utcnow())
    with pytest.raises(services.NotFound):
        handling_services.proposer_for_token(token)  # a new link replaces the old one


def test_the_queue_sorts_overdue_due_soon_and_waiting_for_opinions(app, supervisor, department, other_department):
    today = china_date(utcnow())
    long_ago = utcnow() - timedelta(days=120)
    overdue = assign_case(make_case(number="1", actor=supervisor), [department], [other_department],
                          assigned_on=china_date(long_ago), actor=supervisor, now=long_ago)
    soon_start = utcnow() - timedelta(days=85)
    soon = assign_case(make_case(number="2", actor=supervisor), [department], assigned_on=china_date(soon_start),
                       actor=supervisor, now=soon_start)
    queue = queues.unit_queue(department.id, today, 14)
    assert queue.overdue == [overdue] and queue.due_soon == [soon] and queue.waiting_for_opinions == [overdue]
    assert queues.unit_queue(other_department.id, today, 14).opinion_owed == [overdue]
    (line,) = queues.due_report(today, 14)
    assert (line.unit.id, line.overdue, line.due_soon) == (department.id, [overdue], [soon])


# ---- import --------------------------------------------------------------------------------------------


def csv_bytes(*rows: str) -> bytes:
    return ("编号,标题,领衔人,附议人,主办单位,协办单位\n" + "\n".join(rows) + "\n").encode()


def run(data: bytes, supervisor, filename="list.csv"):
    job = import_jobs.create_job("suggestion", SESSION, filename, actor=supervisor, now=utcnow())
    return import_jobs.run_import(job, data, actor=supervisor, now=utcnow(), config=config())


def test_an_import_stores_every_row_assigned_with_due_dates(app, supervisor, department, other_department):
    job = run(csv_bytes(*(f"{n:03d},标题{n},代表{n},甲、乙,{department.name},{other_department.name}"
                          for n in range(1, 21))), supervisor)
    assert job.state == ImportState.DONE and job.imported_rows == 20
    cases = db.session.scalars(db.select(Proposal).order_by(Proposal.number)).all()
    assert len(cases) == 20 and cases[0].status == ProposalStatus.ASSIGNED
    assert cases[0].due_on == services.rules.add_months(china_date(utcnow()), 3)
    assert [p.name for p in cases[0].proposers] == ["代表1", "甲", "乙"]
    assert cases[0].unit_ids() == {department.id, other_department.id}
    assert [c.to_status for c in cases[0].status_changes] == ["registered", "assigned"]


def test_a_file_with_any_bad_row_imports_nothing(app, supervisor, department):
    job = run(csv_bytes(f"001,标题,代表,,{department.name},", "002,标题,代表,,不存在的局,",
                        f"001,标题,代表,,{department.name},"), supervisor)
    assert job.state == ImportState.FAILED
    assert [(e["line"], e["field"]) for e in job.errors] == [(3, "lead_units"), (4, "number")]
    assert db.session.scalar(db.select(db.func.count()).select_from(Proposal)) == 0


def test_an_import_refuses_numbers_already_in_the_session(registered_case, supervisor):
    job = run(csv_bytes("0001,标题,代表,,,"), supervisor)
    assert job.state == ImportState.FAILED and job.errors[0]["field"] == "number"


def test_an_import_cut_off_by_a_dying_worker_is_reported_as_failed(app, supervisor):
    job = import_jobs.create_job("suggestion", SESSION, "名单.csv", actor=supervisor, now=utcnow() - timedelta(hours=1))
    job.state = ImportState.IMPORTING
    assert import_jobs.settle_if_stale(job, utcnow()).state == ImportState.FAILED
    fresh = import_jobs.create_job("suggestion", SESSION, "名单.csv", actor=supervisor, now=utcnow())
    assert import_jobs.settle_if_stale(fresh, utcnow()).state == ImportState.QUEUED
