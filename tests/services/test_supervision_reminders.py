"""Reminders, escalation and digests with a frozen ``now`` on the China calendar of 2026 (National Day 1–7 Oct,
make-up working days Sun 20 Sep and Sat 10 Oct)."""

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from engage.accounts import services as accounts
from engage.core.errors import ValidationFailed
from engage.core.timeutil import CHINA_TZ
from engage.core.workdays import WorkCalendar
from engage.extensions import db
from engage.notifications.models import OutboxMessage
from engage.proposals.handling import services as handling
from engage.proposals.supervision import digests, jobs, reminders
from engage.proposals.supervision.models import DigestSent, StepKind, SupervisionStep, UnitNotice
from tests import factories
from tests.fixtures.messaging import run_queued_jobs
from tests.fixtures.proposals import assign_case, make_case

CAL = WorkCalendar()


def china(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), CHINA_TZ).astimezone(UTC)


def case_due(due_on: date, lead, supervisor, *, number="0001", co=(), assigned_at=None):
    """A case assigned to ``lead`` whose reply is due on ``due_on`` (the due date set as an extension would)."""
    case = make_case(number=number, actor=supervisor, now=assigned_at or china(date(2026, 6, 1)))
    assign_case(case, [lead], list(co), actor=supervisor, now=assigned_at or china(date(2026, 6, 1)))
    case.due_on = case.rounds[-1].due_on = due_on
    db.session.commit()
    return case


def messages_to(recipient: str, template: str = "supervision_notices") -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == recipient, OutboxMessage.template == template).order_by(OutboxMessage.id)))


def reminder_kinds(recipient: str) -> list[str]:
    return [f"{item['kind']}:{item['step']}" for message in messages_to(recipient)
            for item in message.params["items"] if item["kind"] in ("due_soon", "due_today", "overdue")]


def run(now: datetime) -> None:
    reminders.send_reminders(now=now, calendar=CAL)
    db.session.commit()


def set_timing(user, timing: str, now=None, *, notify_by="email", phone=""):
    accounts.set_message_preferences(user, phone=phone, notify_by=notify_by, timing=timing, actor=user,
                                     now=now or china(date(2026, 6, 1)))
    db.session.commit()


def test_a_due_soon_reminder_is_sent_once_however_often_the_task_runs(staff, department, supervisor):
    case_due(date(2026, 11, 30), department, supervisor)
    for _ in range(3):
        run(china(date(2026, 11, 23)))
    assert reminder_kinds(staff.email) == ["due_soon:7"]
    assert db.session.scalar(select(UnitNotice.dedupe_key).where(UnitNotice.kind == "due_soon")) == "due_soon:7"


def test_each_step_then_due_today_then_overdue_weekly(staff, department, supervisor):
    case_due(date(2026, 11, 30), department, supervisor)
    for day in (16, 17, 20, 23, 27, 30):
        run(china(date(2026, 11, day)))
    for day in (1, 4, 7, 8, 15):
        run(china(date(2026, 12, day)))
    assert reminder_kinds(staff.email) == ["due_soon:14", "due_soon:7", "due_soon:3", "due_today:0", "overdue:0",
                                           "overdue:1", "overdue:2"]


def test_over_national_day_the_reminders_come_before_the_holiday_and_none_during_it(staff, department, supervisor):
    case_due(date(2026, 10, 8), department, supervisor)
    run(china(date(2026, 9, 29)))
    run(china(date(2026, 9, 30)))
    for day in range(1, 8):
        run(china(date(2026, 10, day)))
    assert reminder_kinds(staff.email) == ["due_soon:14", "due_soon:3"]
    run(china(date(2026, 10, 8)))
    assert reminder_kinds(staff.email)[-1] == "due_today:0"


def test_a_make_up_sunday_is_a_working_day_for_reminders(staff, department, supervisor):
    case_due(date(2026, 10, 4), department, supervisor)
    run(china(date(2026, 9, 20)))  # Sunday, 调休上班
    assert reminder_kinds(staff.email) == ["due_soon:14"]


def test_reminders_go_to_the_lead_unit_not_to_co_units(staff, other_staff, department, other_department,
                                                      supervisor):
    case_due(date(2026, 11, 30), department, supervisor, co=[other_department])
    run(china(date(2026, 11, 23)))
    assert reminder_kinds(staff.email) == ["due_soon:7"] and reminder_kinds(other_staff.email) == []
    assert [i["kind"] for m in messages_to(other_staff.email) for i in m.params["items"]] == ["opinion_requested"]


def test_a_run_of_many_reminders_is_one_message_per_person(staff, department, supervisor):
    for n in range(1, 6):
        case_due(date(2026, 11, 30), department, supervisor, number=f"{n:04d}")
    before = len(messages_to(staff.email))
    run(china(date(2026, 11, 23)))
    after = messages_to(staff.email)
    assert len(after) == before + 1 and len(after[-1].params["items"]) == 5
    assert "5" in after[-1].subject


def test_sms_when_the_user_prefers_it_and_gave_a_mobile_number(staff, department, supervisor, messaging):
    _smtp, gateway = messaging
    set_timing(staff, "immediate", notify_by="sms", phone="139 0000 2222")
    case_due(date(2026, 11, 30), department, supervisor)
    run(china(date(2026, 11, 23)))
    run_queued_jobs()
    texts = [m["text"] for m in gateway.to("13900002222")]
    assert any("0001" in text and "2026-11-30" in text for text in texts)


def test_escalation_reaches_the_head_contact_once_and_is_on_the_timeline(staff, department, supervisor, admin):
    accounts.set_head_contact(department, name="王局长", email="head@example.gov.cn", phone="13900003333",
                              actor=admin, now=china(date(2026, 6, 1)))
    db.session.commit()
    case = case_due(date(2026, 11, 2), department, supervisor)
    run(china(date(2026, 12, 2)))  # 30 days overdue: not yet
    assert messages_to("head@example.gov.cn", "supervision_escalation") == []
    run(china(date(2026, 12, 3)))
    run(china(date(2026, 12, 4)))
    escalations = messages_to("head@example.gov.cn", "supervision_escalation")
    assert len(escalations) == 1 and "31" in escalations[0].body_text and "0001" in escalations[0].subject
    assert len(messages_to("13900003333", "supervision_escalation")) == 1
    steps = db.session.scalars(select(SupervisionStep).where(SupervisionStep.proposal_id == case.id)).all()
    assert [s.kind for s in steps] == [StepKind.ESCALATED]


# ---- digests -------------------------------------------------------------------------------------------


def digest_run(now: datetime) -> None:
    jobs.run_supervision(now)
    db.session.commit()


def unit_digests(user) -> list[OutboxMessage]:
    return messages_to(user.email, "supervision_unit_digest")


def test_a_daily_digest_user_gets_no_message_at_once_and_one_digest_a_day(staff, department, supervisor):
    set_timing(staff, "daily")
    case_due(date(2026, 11, 30), department, supervisor, assigned_at=china(date(2026, 12, 2), 15))
    assert messages_to(staff.email) == []
    digest_run(china(date(2026, 12, 3), 8, 0))  # before the digest time
    assert unit_digests(staff) == []
    digest_run(china(date(2026, 12, 3), 8, 45))
    digest_run(china(date(2026, 12, 3), 9, 0))
    sent = unit_digests(staff)
    assert len(sent) == 1
    assert [i["kind"] for i in sent[0].params["items"]] == ["assigned", "overdue"]
    assert sent[0].params["overdue"] == 1
    assert messages_to(staff.email) == []  # nothing came at once


def test_the_digest_window_crosses_midnight(staff, department, supervisor):
    set_timing(staff, "daily")
    late_evening = case_due(date(2027, 3, 1), department, supervisor, number="0001",
                            assigned_at=china(date(2026, 12, 2), 23, 50))
    after_midnight = case_due(date(2027, 3, 1), department, supervisor, number="0002",
                              assigned_at=china(date(2026, 12, 3), 0, 10))
    after_digest = case_due(date(2027, 3, 1), department, supervisor, number="0003",
                            assigned_at=china(date(2026, 12, 3), 8, 40))
    digest_run(china(date(2026, 12, 3), 8, 50))
    digest_run(china(date(2026, 12, 4), 8, 50))
    first, second = unit_digests(staff)
    assert {i["proposal_id"] for i in first.params["items"]} == {late_evening.id, after_midnight.id}
    assert {i["proposal_id"] for i in second.params["items"]} == {after_digest.id}


def test_a_digest_after_a_holiday_covers_the_holiday(staff, department, supervisor):
    set_timing(staff, "daily")
    on_holiday = case_due(date(2027, 1, 4), department, supervisor, assigned_at=china(date(2026, 10, 3), 10))
    for day in range(1, 8):
        digest_run(china(date(2026, 10, day), 9))
    assert unit_digests(staff) == []
    digest_run(china(date(2026, 10, 8), 9))
    (sent,) = unit_digests(staff)
    assert [i["proposal_id"] for i in sent.params["items"]] == [on_holiday.id]


def test_a_user_who_switches_from_immediate_to_daily(staff, department, supervisor):
    first = case_due(date(2027, 3, 1), department, supervisor, number="0001",
                     assigned_at=china(date(2026, 12, 2), 10))
    assert [i["proposal_id"] for m in messages_to(staff.email) for i in m.params["items"]] == [first.id]
    set_timing(staff, "daily", china(date(2026, 12, 2), 11))
    second = case_due(date(2027, 3, 1), department, supervisor, number="0002",
                      assigned_at=china(date(2026, 12, 2), 12))
    digest_run(china(date(2026, 12, 2), 13))  # the sweep leaves the daily user's notice for the digest
    assert len(messages_to(staff.email)) == 1
    digest_run(china(date(2026, 12, 3), 9))
    (sent,) = unit_digests(staff)
    assert [i["proposal_id"] for i in sent.params["items"]] == [second.id]  # the first came at once, not again


def test_a_user_who_switches_back_to_immediate_gets_what_waited_for_the_digest(staff, department, supervisor):
    set_timing(staff, "daily")
    waiting = case_due(date(2027, 3, 1), department, supervisor, assigned_at=china(date(2026, 12, 2), 10))
    set_timing(staff, "immediate", china(date(2026, 12, 2), 11))
    digest_run(china(date(2026, 12, 2), 11, 15))
    digest_run(china(date(2026, 12, 2), 11, 30))
    assert [i["proposal_id"] for m in messages_to(staff.email) for i in m.params["items"]] == [waiting.id]


def test_the_supervisors_digest_counts_per_unit(staff, department, other_department, supervisor):
    case_due(date(2026, 11, 20), department, supervisor, number="0001")  # overdue
    case_due(date(2026, 12, 10), department, supervisor, number="0002")  # due within 14 days
    case_due(date(2026, 12, 1), other_department, supervisor, number="0003")  # overdue
    digest_run(china(date(2026, 12, 3), 9))
    digest_run(china(date(2026, 12, 3), 10))
    (sent,) = messages_to(supervisor.email, "supervision_digest")
    units = {u["unit_id"]: u for u in sent.params["units"]}
    assert (units[department.id]["overdue"], units[department.id]["due_soon"]) == (1, 1)
    assert (units[other_department.id]["overdue"], units[other_department.id]["due_soon"]) == (1, 0)
    assert sent.params["totals"] == {"overdue": 2, "due_soon": 1, "review": 0, "ratings": 0}


def test_a_weekly_supervisor_gets_it_on_the_first_working_day_of_the_week(department, supervisor):
    set_timing(supervisor, "weekly")
    case_due(date(2026, 11, 20), department, supervisor)
    for day in (date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 7)):
        digest_run(china(day, 9))
    assert len(messages_to(supervisor.email, "supervision_digest")) == 2
    periods = db.session.scalars(select(DigestSent.period_start).where(DigestSent.user_id == supervisor.id)).all()
    assert sorted(periods) == [date(2026, 11, 30), date(2026, 12, 7)]


@pytest.mark.parametrize("timing", ["weekly"])
def test_a_weekly_digest_is_only_for_supervisors(staff, timing):
    from engage.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        set_timing(staff, timing)
    assert "message_timing" in refused.value.errors


def test_the_digests_are_computed_for_every_daily_user_at_once(department, other_department, supervisor):
    users = [factories.make_user(f"unit{n}@example.gov.cn", department=unit)
             for n, unit in enumerate([department, other_department] * 3)]
    for user in users:
        set_timing(user, "daily")
    case_due(date(2026, 11, 20), department, supervisor)
    found = digests.unit_digests(date(2026, 12, 3), CAL)
    assert {d.user.id for d in found} == {u.id for u in users}
    assert {d.user.department_id: d.params["overdue"] for d in found} == {department.id: 1, other_department.id: 0}


def test_each_staff_member_is_told_in_the_language_they_chose(staff, other_staff, department, other_department,
                                                              supervisor):
    accounts.set_message_preferences(staff, phone="", notify_by="email", timing="immediate", language="en",
                                     actor=staff, now=china(date(2026, 6, 1)))
    db.session.commit()
    case_due(date(2026, 11, 30), department, supervisor, co=[other_department])
    [english] = messages_to(staff.email)
    [chinese] = messages_to(other_staff.email)
    assert english.language == "en" and "New case assigned to your unit" in english.body_text
    assert chinese.language == "zh" and "协办" in chinese.body_text


def test_a_language_engage_does_not_speak_is_refused(staff):
    with pytest.raises(ValidationFailed) as refused:
        accounts.set_message_preferences(staff, phone="", notify_by="email", timing="immediate", language="fr",
                                         actor=staff, now=china(date(2026, 6, 1)))
    assert "message_language" in refused.value.errors


def opinion_reminders(recipient: str) -> list[str]:
    return [f"{item['step']}:{item['due_on']}" for message in messages_to(recipient)
            for item in message.params["items"] if item["kind"] == "opinion_requested" and item["reminder"]]


def test_a_co_unit_is_reminded_before_its_opinion_is_due_and_on_the_day_then_no_more(
        staff, other_staff, department, other_department, supervisor):
    case_due(date(2026, 11, 30), department, supervisor, co=[other_department])  # opinion due 1 July
    for day in (date(2026, 6, 22), date(2026, 6, 24), date(2026, 6, 24), date(2026, 6, 26), date(2026, 6, 27),
                date(2026, 7, 1), date(2026, 7, 2), date(2026, 7, 9)):
        run(china(day))
    # 28 June is a Sunday: the 3-day step comes on Friday 26th
    assert opinion_reminders(other_staff.email) == ["7:2026-07-01", "3:2026-07-01", "0:2026-07-01"]
    assert opinion_reminders(staff.email) == []  # the lead unit owes no opinion
    assert "请本单位作为协办单位于2026-07-01前提出意见" in messages_to(other_staff.email)[-1].body_text


def test_a_co_unit_that_sent_its_opinion_is_not_reminded(staff, other_staff, department, other_department,
                                                          supervisor):
    case = case_due(date(2026, 11, 30), department, supervisor, co=[other_department])
    handling.submit_opinion(case, "同意主办单位意见。", actor=other_staff, now=china(date(2026, 6, 20)))
    db.session.commit()
    run(china(date(2026, 6, 24)))
    run(china(date(2026, 7, 1)))
    assert opinion_reminders(other_staff.email) == []
