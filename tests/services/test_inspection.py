"""The department self-check: what an inspection would flag, by department, and its daily digest."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from engage.core.errors import NotAllowed
from engage.core.timeutil import utcnow
from engage.core.workdays import WorkCalendar
from engage.decisions import services as decisions
from engage.decisions.services import DecisionFields
from engage.extensions import db
from engage.feedback import services as feedback
from engage.inspection import digests, rules, services
from engage.notifications.models import OutboxMessage
from tests import factories
from tests.fixtures.proposals import assign_case, make_case


def kinds(found) -> list[str]:
    return sorted(f.kind for f in found)


def test_a_consultation_closed_too_long_without_a_report_is_flagged(closed_consultation, department):
    closed_at = closed_consultation.closes_at
    assert services.findings(now=closed_at + timedelta(days=29)) == []
    (finding,) = services.findings(now=closed_at + timedelta(days=31))
    assert finding.kind == rules.REPORT_MISSING and finding.department_id == department.id
    assert finding.fix == ("feedback_staff.report", {"consultation_id": closed_consultation.id})


def test_after_the_report_the_decision_is_owed(answered_consultation, staff):
    published_at = utcnow()
    feedback.publish(answered_consultation, actor=staff, now=published_at)
    db.session.commit()
    assert kinds(services.findings(now=published_at + timedelta(days=31))) == []
    (finding,) = services.findings(now=published_at + timedelta(days=61))
    assert finding.kind == rules.DECISION_NOT_LINKED
    assert finding.fix == ("decisions_staff.decision", {"consultation_id": answered_consultation.id})


def test_a_late_interpretation_is_flagged(department, staff, tmp_path):
    consultation = factories.make_consultation(department, staff, opens_at=datetime(2025, 8, 1, tzinfo=UTC),
                                               closes_at=datetime(2025, 9, 1, tzinfo=UTC))
    fields = DecisionFields(title="临江市生活垃圾分类管理办法", document_number="临府规〔2025〕5号",
                            published_on=date(2025, 9, 30), url="https://www.linjiang.gov.cn/zfgb/5.htm")
    decisions.link_decision(consultation, fields, None, actor=staff, now=datetime(2025, 10, 1, 2, tzinfo=UTC),
                            working_days=3, calendar=WorkCalendar(),
                            store=decisions.FileStore(folder=str(tmp_path), max_bytes=1024))
    db.session.commit()
    on_time = services.findings(now=datetime(2025, 10, 11, 4, tzinfo=UTC))  # the due day itself (调休 Saturday)
    assert rules.INTERPRETATION_LATE not in kinds(on_time)
    late = services.findings(now=datetime(2025, 10, 13, 4, tzinfo=UTC))
    assert rules.INTERPRETATION_LATE in kinds(late)


def test_an_overdue_reply_is_flagged_for_its_lead_unit_only(department, other_department, staff, other_staff,
                                                            supervisor, admin):
    case = make_case(actor=supervisor)
    assign_case(case, [department], [other_department], actor=supervisor, now=utcnow() - timedelta(days=100))
    (finding,) = services.findings_for(staff, now=utcnow())
    assert finding.kind == rules.REPLY_OVERDUE and finding.days_late > 0
    assert services.findings_for(other_staff, now=utcnow()) == []
    with pytest.raises(NotAllowed):
        services.findings_for(other_staff, now=utcnow(), department_id=department.id)
    # administrators also see the supervising office's: the session's figures, never published in 100 days
    assert kinds(services.findings_for(admin, now=utcnow())) == [rules.FIGURES_STALE, rules.REPLY_OVERDUE]


def test_the_daily_self_check_digest_goes_once_to_the_departments_staff(department, staff, other_staff, supervisor):
    case = make_case(actor=supervisor)
    assign_case(case, [department], actor=supervisor, now=utcnow() - timedelta(days=100))
    monday_morning = datetime(2026, 11, 30, 1, tzinfo=UTC)  # 09:00 in China, a working day
    for _ in range(2):
        digests.send_inspection_digests(now=monday_morning, calendar=WorkCalendar())
        db.session.commit()
    sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "inspection_digest")).all()
    # the supervisor gets one too, for the session's figures (tests/services/test_proposals_figures_publication.py)
    by_recipient = {m.recipient: m for m in sent}
    assert len(sent) == 2 and set(by_recipient) == {staff.email, supervisor.email}
    body = by_recipient[staff.email].body_text
    assert case.number in body and "/staff/proposals/" in body
