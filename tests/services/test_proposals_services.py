"""Proposal use cases against the database: registering, assigning, objections, the units' queue."""

from datetime import date, timedelta

import pytest
from flask import current_app

from engage.core.errors import InvalidTransition, NotAllowed, NotFound, RuleViolation, ValidationFailed
from engage.core.timeutil import china_date, utcnow
from engage.core.workdays import WorkCalendar
from engage.extensions import db
from engage.proposals import queues, services
from engage.proposals.models import ObjectionState, ProposalStatus
from tests.fixtures.proposals import assign_case, make_case


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
    assert services.get_objection(objection.id) is objection
    assert objection.state == ObjectionState.UPHELD
    assert assigned_case.unit_ids() == {department.id, third_department.id}
    assert assigned_case.status_changes[-1].reason == "改由住建局协办"


def test_an_unknown_objection_is_not_found(app):
    with pytest.raises(NotFound):
        services.get_objection(12345)


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
