"""The public list's filters and search, and a case's public timeline."""

from datetime import timedelta

import pytest
from flask import current_app

from engage.core.timeutil import china_date, utcnow
from engage.extensions import db
from engage.proposals import public_services, services
from engage.proposals.importing import jobs as import_jobs
from engage.proposals.models import Proposal
from engage.proposals.public_services import CaseFilters
from tests.fixtures.proposals import SESSION, assign_case, make_case


def _numbers(filters: CaseFilters) -> set[str]:
    return {case.number for case in public_services.list_cases(filters, per_page=100).items}


def test_a_two_character_chinese_word_is_found_inside_a_title(figures_cases):
    assert _numbers(CaseFilters(q="电梯")) == {"0001"}


@pytest.mark.parametrize(("q", "expected"),
                         [("积水", {"0003"}), ("0005", {"0005"}), ("张明", None), ("城乡建设", None)])
def test_search_covers_title_number_lead_proposer_and_category(figures_cases, q, expected):
    everything = {case.number for case in figures_cases}
    assert _numbers(CaseFilters(q=q)) == (expected or everything)


def test_search_text_with_like_wildcards_is_taken_literally(figures_cases):
    assert _numbers(CaseFilters(q="%")) == set()
    assert _numbers(CaseFilters(q="_")) == set()


def test_unit_filter_finds_cases_it_leads_and_those_it_helps_with(figures_cases, department, other_department):
    assert _numbers(CaseFilters(unit_id=department.id)) == {"0001", "0002", "0003", "0004"}
    assert _numbers(CaseFilters(unit_id=other_department.id)) == {"0001", "0004", "0005"}


@pytest.mark.parametrize(("status", "expected"), [
    ("registered", {"0006"}), ("assigned", {"0003", "0004"}), ("replied", {"0005"}), ("rated", {"0001"}),
    ("reopened", {"0002"}), ("in_progress", set()),
])
def test_status_filter(figures_cases, status, expected):
    assert _numbers(CaseFilters(status=status)) == expected


def test_outcome_filter_never_reveals_the_class_of_an_unpublished_reply(figures_cases):
    assert _numbers(CaseFilters(outcome="A")) == {"0001"}
    assert _numbers(CaseFilters(outcome="C")) == set()  # case 5's reply (class C) is not published


def test_kind_and_session_filters(figures_cases, supervisor, now):
    other = make_case(number="007", kind="proposal", session="政协第十五届第三次会议", actor=supervisor, now=now)

    assert _numbers(CaseFilters(kind="proposal")) == {"007"}
    assert _numbers(CaseFilters(session_id=other.session_id)) == {"007"}
    assert "007" not in _numbers(CaseFilters(kind="suggestion"))


def test_filters_combine(figures_cases, department):
    assert _numbers(CaseFilters(unit_id=department.id, status="assigned", q="学校")) == {"0004"}


def test_list_is_latest_session_first_then_newest_number(figures_cases, supervisor, now):
    make_case(number="001", session="第十八届人大第四次会议", actor=supervisor, now=now)

    numbers = [case.number for case in public_services.list_cases(CaseFilters(), per_page=100).items]

    assert numbers == ["001", "0006", "0005", "0004", "0003", "0002", "0001"]


def test_list_is_paginated(figures_cases):
    page = public_services.list_cases(CaseFilters(), page=2, per_page=4)
    assert (page.total, page.pages, len(page.items)) == (6, 2, 2)


def test_timeline_follows_the_case_through_its_rounds(figures_cases):
    case = public_services.get_case(figures_cases[1].id)

    kinds = [(entry.kind, entry.status or entry.satisfaction, entry.round_number) for entry in case.timeline]

    assert kinds == [("status", "registered", 1), ("status", "assigned", 1), ("status", "in_progress", 1),
                     ("reply", None, 1), ("rating", "unsatisfied", 1), ("round", None, 2)]


#: an assignment date from a list, weeks before the case was entered
ASSIGNED_ON = china_date(utcnow()) - timedelta(days=40)


def _step(case, action):
    return next(entry for entry in public_services.get_case(case.id).timeline if entry.action == action)


def test_timeline_dates_the_assignment_by_its_assignment_date(registered_case, department, supervisor, now):
    assign_case(registered_case, [department], assigned_on=ASSIGNED_ON, actor=supervisor, now=now)
    assert _step(registered_case, "assign").at == ASSIGNED_ON


def test_timeline_dates_a_registration_recorded_after_the_assignment_no_later(registered_case, department,
                                                                              supervisor, now):
    assign_case(registered_case, [department], assigned_on=ASSIGNED_ON, actor=supervisor, now=now)
    assert _step(registered_case, "register").at == ASSIGNED_ON


def test_staff_history_keeps_when_the_assignment_was_recorded(registered_case, department, supervisor, now):
    assign_case(registered_case, [department], assigned_on=ASSIGNED_ON, actor=supervisor, now=now)
    change = next(c for c in registered_case.status_changes if c.action == "assign")
    assert change.changed_at == now


def test_timeline_keeps_the_first_assignment_date_after_a_reassignment(registered_case, department,
                                                                       other_department, supervisor, now):
    assign_case(registered_case, [department], assigned_on=ASSIGNED_ON, actor=supervisor, now=now)
    services.reassign(registered_case, [other_department.id], [], reason="不属于本单位职责", actor=supervisor,
                      now=now, config=current_app.config)
    db.session.commit()
    assert _step(registered_case, "assign").at == ASSIGNED_ON
    assert _step(registered_case, "reassign").at == now


def test_timeline_of_an_imported_case_uses_the_assignment_date_from_the_file(app, supervisor, department, now):
    job = import_jobs.create_job("suggestion", SESSION, "名单.csv", actor=supervisor, now=now)
    data = f"编号,标题,领衔人,主办单位,交办日期\n0007,标题,张明,{department.name},{ASSIGNED_ON.isoformat()}\n".encode()
    import_jobs.run_import(job, data, actor=supervisor, now=now, config=app.config)
    db.session.commit()
    case = db.session.scalars(db.select(Proposal)).one()
    assert [(e.action, e.at) for e in public_services.get_case(case.id).timeline] == [
        ("register", ASSIGNED_ON), ("assign", ASSIGNED_ON)]


def test_timeline_names_who_rated_but_never_their_comments(figures_cases):
    case = public_services.get_case(figures_cases[1].id)
    rating = next(entry for entry in case.timeline if entry.kind == "rating")
    assert rating.proposer_name == "张明"
    assert not hasattr(rating, "comments")


def test_published_reply_is_the_latest_published_one(figures_cases):
    assert public_services.get_case(figures_cases[0].id).published_reply.outcome == "A"
    assert public_services.get_case(figures_cases[4].id).published_reply is None  # answered, not published


def test_days_overdue(figures_cases, now):
    from engage.core.timeutil import china_date

    today = china_date(now)
    assert public_services.days_overdue(figures_cases[2], today) > 0
    assert public_services.days_overdue(figures_cases[3], today) == 0


def test_unknown_case_is_not_found(app):
    from engage.core.errors import NotFound

    with pytest.raises(NotFound):
        public_services.get_case(999)


def test_handling_units_lists_only_units_given_a_case(figures_cases, department, other_department, third_department,
                                                       supervisor, now):
    assert {d.id for d in public_services.handling_units()} == {department.id, other_department.id}
    assign_case(make_case(number="0200", actor=supervisor, now=now), [third_department], actor=supervisor, now=now)
    assert third_department.id in {d.id for d in public_services.handling_units()}
