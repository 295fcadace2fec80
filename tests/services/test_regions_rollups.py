"""What a region's administrator and supervisor see rolled up: catalogue, dashboard, self-check, supervision."""

from datetime import timedelta

import pytest

from engage.core.errors import NotAllowed
from engage.core.timeutil import china_date, utcnow
from engage.decisions import catalogue, dashboard
from engage.decisions.catalogue import EntryFields
from engage.decisions.timing import PlannedTiming
from engage.extensions import db
from engage.inspection import services as inspection
from engage.proposals.supervision import dashboard as supervision
from tests import factories
from tests.fixtures.proposals import assign_case, make_case

Q2_2026 = PlannedTiming(2026, quarter=2)


@pytest.fixture
def entries(city):
    now = utcnow()
    for department, staff, name in ((city.city_department, city.city_staff, "市级事项"),
                                    (city.east_department, city.east_staff, "江东事项"),
                                    (city.west_department, city.west_staff, "江西事项")):
        catalogue.add_entry(2026, department.id, EntryFields(name, Q2_2026), "列入理由", actor=staff, now=now)
    db.session.commit()
    return city


def test_the_catalogue_of_a_region_holds_its_entries_and_those_below(entries):
    names = {row.entry.name for row in catalogue.year_progress(2026, region=entries.east)}
    assert names == {"江东事项"}
    assert {row.entry.name for row in catalogue.year_progress(2026, region=entries.city)} == {
        "市级事项", "江东事项", "江西事项"}
    assert catalogue.catalogue_years(entries.west) == [(2026, 1)]


def test_a_region_administrator_keeps_its_own_level_catalogue_only(entries):
    assert [d.id for d in catalogue.staff_departments(entries.city_admin)] == [entries.city_department.id]
    with pytest.raises(NotAllowed):
        catalogue.add_entry(2026, entries.east_department.id, EntryFields("越级", Q2_2026), "理由",
                            actor=entries.city_admin, now=utcnow())


def test_the_dashboard_of_a_city_administrator_rolls_up_its_districts(entries):
    now = utcnow()
    for department, staff, title in ((entries.east_department, entries.east_staff, "江东已截止"),
                                     (entries.west_department, entries.west_staff, "江西已截止")):
        factories.make_consultation(department, staff, title=title, opens_at=now - timedelta(days=40),
                                    closes_at=now - timedelta(days=5))
    city = {c.title for c in dashboard.department_dashboard(entries.city_admin, now=now).reports_missing}
    east = {c.title for c in dashboard.department_dashboard(entries.east_admin, now=now).reports_missing}
    assert city == {"江东已截止", "江西已截止"} and east == {"江东已截止"}


def test_the_self_check_of_a_district_administrator_covers_its_subtree_only(entries):
    now = utcnow()
    for department, staff, title in ((entries.east_department, entries.east_staff, "江东已截止"),
                                     (entries.west_department, entries.west_staff, "江西已截止")):
        factories.make_consultation(department, staff, title=title, opens_at=now - timedelta(days=80),
                                    closes_at=now - timedelta(days=40))
    found = {f.title for f in inspection.findings_for(entries.east_admin, now=now)}
    assert any("江东已截止" in title for title in found) and not any("江西已截止" in title for title in found)
    with pytest.raises(NotAllowed):
        inspection.findings_for(entries.east_admin, now=now, department_id=entries.west_department.id)


def test_the_supervision_dashboard_of_a_region_counts_its_sessions_only(entries):
    today = china_date(utcnow())
    for supervisor, department, session in ((entries.east_supervisor, entries.east_department, "江东区人大会议"),
                                            (entries.west_supervisor, entries.west_department, "江西区人大会议")):
        case = assign_case(make_case(number="1", actor=supervisor, session=session), [department], actor=supervisor,
                           assigned_on=today - timedelta(days=120))
        assert case.due_on < today
    board = supervision.build(today=today, since=utcnow() - timedelta(days=30), region=entries.east)
    assert [row.department.id for row in board.units] == [entries.east_department.id]
    whole = supervision.build(today=today, since=utcnow() - timedelta(days=30), region=entries.city)
    assert {row.department.id for row in whole.units} == {entries.east_department.id, entries.west_department.id}


def test_a_region_office_s_digest_counts_its_sessions_only(entries):
    from engage.proposals.supervision import digests

    today = china_date(utcnow())
    for supervisor, department, session in ((entries.east_supervisor, entries.east_department, "江东区人大会议"),
                                            (entries.west_supervisor, entries.west_department, "江西区人大会议")):
        assign_case(make_case(number="1", actor=supervisor, session=session), [department], actor=supervisor,
                    assigned_on=today - timedelta(days=120))
    east = digests.supervisor_digest_params(today, entries.east)
    assert [unit["unit_id"] for unit in east["units"]] == [entries.east_department.id]
    whole = digests.supervisor_digest_params(today)
    assert {unit["unit_id"] for unit in whole["units"]} == {entries.east_department.id, entries.west_department.id}


def test_a_region_office_sees_the_objections_of_its_sessions_only(entries):
    from flask import current_app

    from engage.core.calendar_days import load_work_calendar
    from engage.proposals import queues
    from engage.proposals import services as proposals

    case = assign_case(make_case(number="1", actor=entries.west_supervisor, session="江西区人大会议"),
                       [entries.west_department], actor=entries.west_supervisor)
    proposals.raise_objection(case, "不属于本单位职责", actor=entries.west_staff, now=utcnow(),
                              config=current_app.config, calendar=load_work_calendar())
    db.session.commit()
    assert len(queues.pending_objections_all(entries.west)) == 1
    assert queues.pending_objections_all(entries.east) == []
