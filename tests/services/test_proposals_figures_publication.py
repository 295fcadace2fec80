"""Publishing a session's handling figures (办理情况公开), and the self-check that watches for stale ones."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from engage.core.errors import NotAllowed, RuleViolation, ValidationFailed
from engage.core.timeutil import china_date, utcnow
from engage.core.workdays import WorkCalendar
from engage.extensions import db
from engage.inspection import digests, rules, services
from engage.notifications.models import OutboxMessage
from engage.proposals.publication import services as publication
from engage.proposals.publication.models import FiguresPublication
from tests import factories
from tests.fixtures.proposals import assign_case, make_case, reply_to

#: a Monday, 09:00 in China (a working day, after the digest time)
MONDAY = datetime(2026, 11, 30, 1, tzinfo=UTC)


def publish(case, actor, *, note="", now=None):
    found = publication.publish_figures(case.session, note, actor=actor, now=now or utcnow())
    db.session.commit()
    return found


def figure_kinds(found) -> list[str]:
    return [f.kind for f in found if f.kind == rules.FIGURES_STALE]


def test_a_publication_keeps_the_figures_of_its_day(assigned_case, supervisor, staff, department, other_department):
    first = publish(assigned_case, supervisor, note="  本次会议建议已全部交办。  ")
    assert first.published_on == china_date(first.published_at) and first.note == "本次会议建议已全部交办。"
    assert first.figures["total"]["assigned"] == 1 and first.figures["total"]["replied"] == 0
    lead, co = first.figures["units"]  # the lead unit first, then the co-unit
    assert lead["unit_id"] == department.id and lead["name"] == department.name and lead["assigned"] == 1
    assert co["unit_id"] == other_department.id and co["co_handled"] == 1 and co["assigned"] == 0
    reply_to(assigned_case, staff)
    second = publish(assigned_case, supervisor)
    db.session.expire_all()
    # the later statement is a new one; the earlier one still says what it said
    assert db.session.get(FiguresPublication, first.id).figures["total"]["replied"] == 0
    assert second.figures["total"]["replied"] == 1 and second.figures["total"]["outcomes"] == {"A": 1}
    assert [p.id for p in publication.publications_of(assigned_case.session_id)] == [second.id, first.id]
    assert publication.latest_id(assigned_case.session_id) == second.id


def test_a_publication_shows_again_as_figures_with_its_rates(replied_case, supervisor):
    shown = publication.published_figures(publish(replied_case, supervisor))
    assert shown.total.replied == 1 and shown.total.on_time_rate == 1.0 and shown.total.late == 0
    assert shown.units[0].unit.display_name("en") == "Municipal Ecology and Environment Bureau"


@pytest.mark.parametrize("role", ["department_staff", "organiser"])
def test_only_the_supervising_office_publishes(assigned_case, department, role):
    user = factories.make_user(f"{role}@example.gov.cn", role=role, department=department)
    with pytest.raises(NotAllowed):
        publish(assigned_case, user)
    assert db.session.scalar(select(FiguresPublication)) is None


def test_an_administrator_may_publish(assigned_case, admin):
    assert publish(assigned_case, admin).published_by_id == admin.id


def test_a_summary_too_long_is_refused_by_name(assigned_case, supervisor):
    with pytest.raises(ValidationFailed) as refused:
        publish(assigned_case, supervisor, note="办" * (publication.NOTE_MAX + 1))
    assert set(refused.value.errors) == {"note"}


def test_a_session_with_nothing_assigned_has_no_figures_to_publish(registered_case, supervisor):
    with pytest.raises(RuleViolation):
        publish(registered_case, supervisor)


# ---- the self-check ------------------------------------------------------------------------------------


def test_figures_never_published_are_flagged_for_the_office_once_the_limit_has_passed(
        app, department, supervisor, staff, admin):
    case = assign_case(make_case(actor=supervisor), [department], actor=supervisor, now=MONDAY - timedelta(days=91))
    assert figure_kinds(services.findings(now=MONDAY - timedelta(days=1))) == []  # 90 days: not yet
    (finding,) = [f for f in services.findings_for(supervisor, now=MONDAY) if f.kind == rules.FIGURES_STALE]
    assert finding.department_id is services.OFFICE and finding.title == case.session.name
    assert finding.days_late == 1
    assert finding.fix == ("proposals_staff.figures.page", {"session": case.session_id})
    assert figure_kinds(services.findings_for(admin, now=MONDAY)) == [rules.FIGURES_STALE]
    # a unit's self-check is about what the unit must fix
    assert figure_kinds(services.findings_for(staff, now=MONDAY)) == []
    assert figure_kinds(services.findings(now=MONDAY, department_id=department.id)) == []


def test_publishing_clears_the_flag_until_the_statement_is_old(app, department, supervisor):
    case = assign_case(make_case(actor=supervisor), [department], actor=supervisor, now=MONDAY - timedelta(days=200))
    publish(case, supervisor, now=MONDAY - timedelta(days=90))
    assert figure_kinds(services.findings(now=MONDAY)) == []
    (finding,) = [f for f in services.findings(now=MONDAY + timedelta(days=1)) if f.kind == rules.FIGURES_STALE]
    assert finding.since == china_date(MONDAY)


def test_a_session_whose_cases_are_all_answered_is_not_flagged(app, department, supervisor, staff):
    case = assign_case(make_case(actor=supervisor), [department], actor=supervisor, now=MONDAY - timedelta(days=200))
    reply_to(case, staff, now=MONDAY - timedelta(days=150))
    assert figure_kinds(services.findings(now=MONDAY)) == []


def test_the_supervisor_gets_the_offices_findings_in_the_daily_digest(app, department, supervisor, staff):
    case = assign_case(make_case(actor=supervisor), [department], actor=supervisor, now=MONDAY - timedelta(days=100))
    for _ in range(2):
        digests.send_inspection_digests(now=MONDAY, calendar=WorkCalendar())
        db.session.commit()
    sent = {m.recipient: m for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "inspection_digest"))}
    assert set(sent) == {staff.email, supervisor.email}
    office = sent[supervisor.email].body_text
    assert case.session.name in office and f"/staff/proposals/figures?session={case.session_id}" in office
    assert case.number not in office  # the overdue reply is the unit's to fix
    assert case.session.name not in sent[staff.email].body_text
