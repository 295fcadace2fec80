"""The handling figures per unit and in total, against a small hand-counted session (tests/fixtures/proposals.py)."""

import pytest

from engage.core.timeutil import china_date
from engage.extensions import db
from engage.proposals import stats
from tests.fixtures.proposals import make_case, reply_to


@pytest.fixture
def figures(figures_cases, now):
    return stats.session_figures(figures_cases[0].session_id, china_date(now))


def _of(figures, department):
    return next(f for f in figures.units if f.unit_id == department.id)


def test_unit_counts_cases_it_leads_and_those_it_helps_with(figures, department, other_department):
    a, b = _of(figures, department), _of(figures, other_department)
    assert (a.assigned, a.co_handled) == (3, 1)
    assert (b.assigned, b.co_handled) == (2, 1)


def test_replies_are_split_into_on_time_and_late(figures, department, other_department):
    a, b = _of(figures, department), _of(figures, other_department)
    assert (a.replied, a.on_time, a.late) == (2, 1, 1)
    assert (b.replied, b.on_time, b.late) == (1, 1, 0)


def test_overdue_now_counts_open_cases_past_their_due_date_only(figures, department, other_department):
    # Case 2 was reopened: its new due date is a month away, so it is not overdue; case 4 is not due yet.
    assert _of(figures, department).overdue == 1
    assert _of(figures, other_department).overdue == 0


def test_outcome_classes_are_counted_per_lead_unit(figures, department, other_department):
    assert _of(figures, department).outcomes == {"A": 1, "B": 1}
    assert _of(figures, other_department).outcomes == {"C": 1}


def test_satisfaction_rate_is_the_share_of_ratings_satisfied_or_basically_satisfied(figures, department,
                                                                                    other_department):
    a = _of(figures, department)
    assert a.ratings == {"satisfied": 1, "basically_satisfied": 1, "unsatisfied": 1}
    assert a.satisfaction_rate == pytest.approx(2 / 3)
    assert _of(figures, other_department).satisfaction_rate is None  # nothing rated: no rate, not 0 %


def test_totals_count_each_case_once_and_leave_out_unassigned_ones(figures):
    total = figures.total
    assert (total.assigned, total.replied, total.on_time, total.late, total.overdue) == (5, 3, 2, 1, 1)
    assert total.outcomes == {"A": 1, "B": 1, "C": 1}
    assert total.satisfaction_rate == pytest.approx(2 / 3)


def test_units_without_a_case_are_not_listed(figures, third_department):
    assert third_department.id not in {f.unit_id for f in figures.units}


def test_units_with_most_cases_come_first(figures, department, other_department):
    assert [f.unit_id for f in figures.units] == [department.id, other_department.id]


def test_a_case_with_two_lead_units_counts_for_each_but_once_in_the_totals(figures_cases, supervisor, department,
                                                                          third_department, now):
    from tests.fixtures.proposals import assign_case

    shared = make_case(number="0100", actor=supervisor, now=now)
    assign_case(shared, [department, third_department], actor=supervisor, now=now)
    figures = stats.session_figures(shared.session_id, china_date(now))

    assert _of(figures, department).assigned == 4
    assert _of(figures, third_department).assigned == 1
    assert figures.total.assigned == 6


def test_figures_follow_a_new_reply_at_once_despite_the_cache(figures_cases, figures, staff, department, now):
    reply_to(figures_cases[2], staff, outcome="D", now=now)

    again = stats.session_figures(figures_cases[0].session_id, china_date(now))

    assert _of(again, department).overdue == 0
    assert _of(again, department).replied == 3 and _of(again, department).late == 2
    assert again.version != figures.version


def test_overdue_now_moves_with_the_day(figures_cases, department, other_department, now):
    from datetime import timedelta

    in_a_year = stats.session_figures(figures_cases[0].session_id, china_date(now) + timedelta(days=365))

    # A year on, reopened case 2 is past its new due date too (A), and so is case 4 (B).
    assert _of(in_a_year, department).overdue == 2
    assert _of(in_a_year, other_department).overdue == 1


def test_figures_of_one_kind_leave_out_the_other(figures_cases, supervisor, department, now):
    from tests.fixtures.proposals import assign_case

    proposal = make_case(number="001", kind="proposal", actor=supervisor, now=now)
    assign_case(proposal, [department], actor=supervisor, now=now)
    session_id = figures_cases[0].session_id

    only_suggestions = stats.session_figures(session_id, china_date(now), "suggestion")
    both = stats.session_figures(session_id, china_date(now))

    assert only_suggestions.total.assigned == 5 and both.total.assigned == 6
    assert both.kinds == ["proposal", "suggestion"]


def test_cached_figures_are_the_same_as_freshly_counted_ones(figures_cases, now):
    session_id = figures_cases[0].session_id
    cached = stats.session_figures(session_id, china_date(now))
    db.session.expire_all()

    fresh = stats.count_figures(session_id, china_date(now))

    assert [(f.unit_id, f.assigned, f.replied, f.on_time, f.overdue, f.outcomes, f.ratings) for f in cached.units] \
        == sorted([(f.unit_id, f.assigned, f.replied, f.on_time, f.overdue, f.outcomes, f.ratings)
                   for f in fresh.units], key=lambda t: -t[1])


def test_outcome_columns_name_both_kinds_labels_when_a_session_holds_both(app):
    classes = app.config["PROPOSAL_OUTCOME_CLASSES"]

    columns = dict(stats.outcome_columns(["proposal", "suggestion"], classes, "zh"))

    assert columns["A"] == "A 已解决或采纳 / A 已解决或基本解决"
    assert columns["D"] == "D 留作参考"
