"""Rules of proposal handling: due dates in calendar months, extensions, the objection window, transitions."""

from datetime import date
from itertools import product

import pytest

from engage.core.errors import InvalidTransition
from engage.core.workdays import WorkCalendar
from engage.proposals import rules

DUE_MONTHS = {"suggestion": 3, "proposal": 3}


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 1, 31), 3, date(2026, 4, 30)),  # April has 30 days
    (date(2026, 11, 30), 3, date(2027, 2, 28)),  # across the year, February clamps
    (date(2027, 11, 30), 3, date(2028, 2, 29)),  # leap year
    (date(2026, 3, 15), 3, date(2026, 6, 15)),
    (date(2026, 10, 31), 3, date(2027, 1, 31)),
    (date(2026, 8, 31), 6, date(2027, 2, 28)),
    (date(2026, 12, 1), 1, date(2027, 1, 1)),
    (date(2026, 5, 31), 0, date(2026, 5, 31)),
])
def test_add_months_counts_calendar_months_and_clamps_to_the_month_end(start, months, expected):
    assert rules.add_months(start, months) == expected


def test_add_months_refuses_negative_months():
    with pytest.raises(ValueError):
        rules.add_months(date(2026, 1, 1), -1)


@pytest.mark.parametrize("kind", ["suggestion", "proposal"])
def test_both_kinds_are_due_three_months_after_assignment_by_default(kind):
    assert rules.due_date(date(2026, 1, 31), kind, DUE_MONTHS) == date(2026, 4, 30)


def test_due_months_are_configurable_per_kind():
    assert rules.due_date(date(2026, 3, 1), "proposal", {"suggestion": 3, "proposal": 2}) == date(2026, 5, 1)


def test_reopening_gives_a_month_by_default():
    assert rules.reopened_due_date(date(2026, 1, 31), 1) == date(2026, 2, 28)


ASSIGNED_ON, CURRENT_DUE = date(2026, 1, 31), date(2026, 4, 30)


@pytest.mark.parametrize(("new_due", "reason", "problem_fields"), [
    (date(2026, 7, 31), "需要跨部门协调", set()),  # exactly 6 months: allowed
    (date(2026, 6, 1), "需要跨部门协调", set()),
    (date(2026, 8, 1), "需要跨部门协调", {"due_on"}),  # one day beyond 6 months
    (date(2026, 4, 30), "需要跨部门协调", {"due_on"}),  # not later than the current due date
    (None, "需要跨部门协调", {"due_on"}),
    (date(2026, 6, 1), "", {"reason"}),  # an extension needs a reason
    (date(2026, 6, 1), "   ", {"reason"}),
    (date(2026, 9, 1), "", {"due_on", "reason"}),
])
def test_extension_needs_a_reason_and_stays_within_six_months(new_due, reason, problem_fields):
    problems = rules.extension_problems(ASSIGNED_ON, CURRENT_DUE, new_due, reason, 6)
    assert set(problems) == problem_fields


class MondayToFriday(WorkCalendar):
    def is_working_day(self, day):
        return day.weekday() < 5


@pytest.mark.parametrize(("today", "allowed"), [
    (date(2026, 3, 2), True),  # assigned Monday 2 March
    (date(2026, 3, 9), True),  # the fifth working day after: last day
    (date(2026, 3, 10), False),
])
def test_objection_window_counts_working_days(today, allowed):
    assert rules.may_object(date(2026, 3, 2), today, 5, MondayToFriday()) is allowed


def test_objection_window_skips_the_national_day_holiday():
    # Assigned on Tuesday 29 September 2026: 1-7 October are holidays, so the window runs into the next week.
    deadline = rules.objection_deadline(date(2026, 9, 29), 5, WorkCalendar())
    assert deadline > date(2026, 10, 6)


# ---- the transition table ------------------------------------------------------------------------------

ALLOWED = {
    ("registered", "assign"): "assigned",
    ("assigned", "reassign"): "assigned",
    ("in_progress", "reassign"): "assigned",
    ("reopened", "reassign"): "reopened",
    ("assigned", "start"): "in_progress",
    ("reopened", "start"): "in_progress",
    ("in_progress", "reply"): "replied",
    ("replied", "rate"): "rated",
    ("replied", "reopen"): "reopened",
    ("rated", "reopen"): "reopened",
}
ACTIONS = ("assign", "reassign", "start", "reply", "rate", "reopen")


@pytest.mark.parametrize(("status", "action"), sorted(ALLOWED))
def test_allowed_transitions(status, action):
    assert rules.next_status(status, action) == ALLOWED[(status, action)]


@pytest.mark.parametrize(("status", "action"),
                         [pair for pair in product(rules.STATUSES, ACTIONS) if pair not in ALLOWED])
def test_every_other_transition_is_refused_with_a_clear_message(app, status, action):
    with pytest.raises(InvalidTransition) as refused:
        rules.next_status(status, action)
    assert str(rules.ProposalStatus(status).label) in str(refused.value.message)


@pytest.mark.parametrize(("current", "new"), list(product(rules.STATUSES, rules.STATUSES)))
def test_status_pairs_follow_the_table(current, new):
    assert rules.is_allowed_change(current, new) is ((current, new) in {(s, n) for (s, _a), n in ALLOWED.items()})


@pytest.mark.parametrize(("status", "due", "today", "overdue"), [
    ("assigned", date(2026, 4, 30), date(2026, 4, 30), False),  # the due day itself is on time
    ("assigned", date(2026, 4, 30), date(2026, 5, 1), True),
    ("in_progress", date(2026, 4, 30), date(2026, 5, 1), True),
    ("reopened", date(2026, 4, 30), date(2026, 5, 1), True),
    ("replied", date(2026, 4, 30), date(2026, 5, 1), False),
    ("registered", None, date(2026, 5, 1), False),
])
def test_overdue_means_still_owed_and_past_the_due_day(status, due, today, overdue):
    assert rules.is_overdue(status, due, today) is overdue


@pytest.mark.parametrize(("ratings", "expected"), [
    ([], None),
    (["satisfied"], "satisfied"),
    (["satisfied", "basically_satisfied"], "basically_satisfied"),
    (["satisfied", "unsatisfied", "basically_satisfied"], "unsatisfied"),
])
def test_a_round_counts_as_its_least_satisfied_rating(ratings, expected):
    assert rules.round_satisfaction(ratings) == expected


def test_outcome_labels_follow_the_configured_classes():
    classes = {"suggestion": [{"code": "A", "label": "已解决", "label_en": "Solved"}]}
    assert rules.outcome_label(classes, "suggestion", "A") == "A 已解决"
    assert rules.outcome_label(classes, "suggestion", "A", "en") == "A Solved"
    assert rules.outcome_label(classes, "suggestion", "Z") == "Z"


FILE_ASSIGNED_ON = date(2026, 3, 1)  # the assignment date a list gives


@pytest.mark.parametrize(("action", "changed_on", "assigned_on", "expected"), [
    ("assign", date(2026, 3, 10), FILE_ASSIGNED_ON, FILE_ASSIGNED_ON),  # imported or entered after the fact
    ("assign", date(2026, 3, 1), FILE_ASSIGNED_ON, FILE_ASSIGNED_ON),
    ("register", date(2026, 3, 10), FILE_ASSIGNED_ON, FILE_ASSIGNED_ON),  # not registered after its assignment
    ("register", date(2026, 2, 25), FILE_ASSIGNED_ON, None),  # registered before: its own day
    ("register", date(2026, 3, 1), FILE_ASSIGNED_ON, None),
    ("start", date(2026, 3, 12), FILE_ASSIGNED_ON, None),
    ("reassign", date(2026, 3, 12), FILE_ASSIGNED_ON, None),
    ("assign", date(2026, 3, 10), None, None),  # no assignment date known: the recorded day
])
def test_public_step_day_dates_the_assignment_by_its_assignment_date(action, changed_on, assigned_on, expected):
    assert rules.public_step_day(action, changed_on, assigned_on) == expected


@pytest.mark.parametrize(("status", "action"), sorted(product(rules.STATUSES, ACTIONS)))
def test_can_change_says_what_next_status_accepts(status, action):
    # The case page offers an action by can_change; the service moves by next_status: they must agree.
    assert rules.can_change(status, action) is ((status, action) in ALLOWED)


DEADLINE = date(2026, 3, 10)


@pytest.mark.parametrize(("status", "today", "open_"), [
    ("assigned", date(2026, 3, 9), True),
    ("in_progress", DEADLINE, True),  # the deadline day itself counts
    ("assigned", date(2026, 3, 11), False),
    ("reopened", date(2026, 3, 1), False),  # a reopened case is no new assignment
    ("replied", date(2026, 3, 1), False),
])
def test_an_objection_is_open_to_a_new_assignment_until_its_deadline(status, today, open_):
    assert rules.is_objection_open(status, today, DEADLINE) is open_


def test_no_objection_without_a_deadline():
    assert not rules.is_objection_open("assigned", DEADLINE, None)
