"""Rules of decisions: the interpretation deadline in working days, its timeliness, catalogue changes."""

from datetime import UTC, date, datetime

import chinese_calendar
import pytest

from engage.core.errors import InvalidTransition
from engage.core.workdays import WorkCalendar
from engage.decisions import rules
from engage.decisions.rules import DUE, LATE, ON_TIME, interpretation_deadline, interpretation_state

CALENDAR = WorkCalendar()


def test_national_day_2025_is_as_the_state_council_published_it():
    """What the deadline tests rely on: 1-8 October 2025 off, Saturday 11 October a make-up working day."""
    assert all(chinese_calendar.is_holiday(date(2025, 10, day)) for day in range(1, 9))
    assert chinese_calendar.is_workday(date(2025, 10, 11)) and date(2025, 10, 11).weekday() == 5
    assert chinese_calendar.is_workday(date(2025, 9, 28)) and date(2025, 9, 28).weekday() == 6


@pytest.mark.parametrize(
    ("published_on", "working_days", "expected"),
    [
        (date(2025, 9, 30), 3, date(2025, 10, 11)),  # 9th, 10th, then make-up Saturday 11th
        (date(2025, 9, 30), 1, date(2025, 10, 9)),   # the whole holiday is skipped
        (date(2025, 9, 30), 4, date(2025, 10, 13)),  # Sunday 12th is off
        (date(2025, 9, 26), 3, date(2025, 9, 30)),   # make-up Sunday 28th counts: 28th, 29th, 30th
        (date(2025, 10, 3), 3, date(2025, 10, 11)),  # published inside the holiday
        (date(2025, 9, 30), 0, date(2025, 9, 30)),   # 0: due with the decision
        (date(2025, 11, 3), 3, date(2025, 11, 6)),   # an ordinary week
    ],
)
def test_interpretation_deadline_counts_chinese_working_days(published_on, working_days, expected):
    assert interpretation_deadline(published_on, working_days, CALENDAR) == expected


def test_an_administrators_correction_moves_the_deadline():
    corrected = WorkCalendar({date(2025, 10, 11): False})
    assert interpretation_deadline(date(2025, 9, 30), 3, corrected) == date(2025, 10, 13)


DEADLINE = date(2025, 10, 11)


@pytest.mark.parametrize(
    ("interpreted_on", "today", "expected"),
    [
        (date(2025, 9, 30), date(2025, 12, 1), ON_TIME),   # with the decision
        (DEADLINE, date(2025, 12, 1), ON_TIME),           # on the last day
        (date(2025, 10, 12), date(2025, 12, 1), LATE),     # one day after
        (None, date(2025, 10, 1), DUE),                    # during the holiday, deadline ahead
        (None, DEADLINE, DUE),                             # the last day itself
        (None, date(2025, 10, 12), LATE),                  # the day after, still missing
    ],
)
def test_interpretation_state(interpreted_on, today, expected):
    assert interpretation_state(DEADLINE, interpreted_on, today) == expected


@pytest.mark.parametrize(("state", "listed"), [(DUE, True), (LATE, True), (ON_TIME, False), (None, False)])
def test_dashboard_lists_interpretations_due_or_late(state, listed):
    assert rules.needs_attention(state) is listed


@pytest.mark.parametrize(
    ("status", "expected"),
    [("scheduled", False), ("open", False), ("closed", True), ("feedback_published", True), ("decided", True)],
)
def test_a_decision_follows_the_end_of_the_comment_period(status, expected):
    assert rules.can_link_decision(status) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [("https://www.gov.cn/zhengce/1.htm", True), ("http://example.gov.cn/a", True), ("javascript:alert(1)", False),
     ("www.gov.cn/a", False), ("/relative", False), ("ftp://example.gov.cn/a", False), ("https://", False)],
)
def test_only_web_addresses_are_linked(url, expected):
    assert rules.is_web_address(url) is expected


@pytest.mark.parametrize(
    ("status", "change", "allowed", "after"),
    [
        ("listed", "postponed", True, "postponed"),
        ("listed", "dropped", True, "dropped"),
        ("listed", "restored", False, None),
        ("postponed", "postponed", True, "postponed"),
        ("postponed", "dropped", True, "dropped"),
        ("postponed", "amended", True, "postponed"),
        ("dropped", "restored", True, "listed"),
        ("dropped", "postponed", False, None),
        ("dropped", "amended", False, None),
    ],
)
def test_catalogue_changes(status, change, allowed, after):
    assert rules.can_change_entry(status, change) is allowed
    if allowed:
        assert rules.next_status(status, change) == after
    else:
        with pytest.raises(InvalidTransition):
            rules.next_status(status, change)


@pytest.mark.parametrize(
    ("closes_at", "day"),
    [
        (datetime(2025, 9, 1, 9, 0, tzinfo=UTC), date(2025, 9, 1)),  # 17:00 in Beijing
        (datetime(2025, 9, 1, 16, 0, tzinfo=UTC), date(2025, 9, 1)),  # midnight: the period ended with 1 September
        (datetime(2025, 9, 1, 16, 0, 1, tzinfo=UTC), date(2025, 9, 2)),  # one second into 2 September
    ],
)
def test_the_closing_day_is_the_china_day_the_period_ended(closes_at, day):
    assert rules.closing_day(closes_at) == day


@pytest.mark.parametrize(
    ("published_on", "allowed"),
    [(date(2025, 8, 31), False), (date(2025, 9, 1), True), (date(2025, 9, 2), True)],
)
def test_a_decision_is_not_published_before_its_consultation_closed(published_on, allowed):
    assert rules.is_decision_date_allowed(published_on, date(2025, 9, 1)) is allowed


@pytest.mark.parametrize(
    ("interpreted_on", "allowed"),
    [(date(2025, 9, 29), False), (date(2025, 9, 30), True), (date(2025, 10, 1), True)],
)
def test_an_interpretation_is_not_published_before_its_decision(interpreted_on, allowed):
    assert rules.is_interpretation_date_allowed(interpreted_on, date(2025, 9, 30)) is allowed
