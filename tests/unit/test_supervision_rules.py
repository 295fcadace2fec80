"""Supervision rules on the China calendar of 2026: Mid-Autumn on Fri 25 Sep, National Day 1–7 Oct with the
make-up working days Sun 20 Sep and Sat 10 Oct (调休上班)."""

from datetime import UTC, date, datetime, time

import pytest

from engage.core.workdays import WorkCalendar
from engage.proposals.supervision import rules

CAL = WorkCalendar()
STEPS = [14, 7, 3]
AT = time(8, 30)


@pytest.mark.parametrize(("due", "today", "expected"), [
    # an ordinary working week: each step on its own day
    (date(2026, 11, 30), date(2026, 11, 16), ("due_soon", 14)),
    (date(2026, 11, 30), date(2026, 11, 17), ("due_soon", 14)),
    (date(2026, 11, 30), date(2026, 11, 23), ("due_soon", 7)),
    (date(2026, 11, 30), date(2026, 11, 27), ("due_soon", 3)),
    (date(2026, 11, 30), date(2026, 11, 30), ("due_today", 0)),
    (date(2026, 11, 30), date(2026, 12, 1), ("overdue", 0)),
    (date(2026, 11, 30), date(2026, 12, 7), ("overdue", 0)),
    (date(2026, 11, 30), date(2026, 12, 8), ("overdue", 1)),
    (date(2026, 11, 30), date(2026, 11, 13), None),
    # due Thu 8 Oct: 3 days before is 5 Oct (holiday) -> the last working day before, 30 Sep
    (date(2026, 10, 8), date(2026, 9, 29), ("due_soon", 14)),
    (date(2026, 10, 8), date(2026, 9, 30), ("due_soon", 3)),
    # 7 days before 8 Oct is 1 Oct (holiday), so step 7 also falls on 30 Sep: the more urgent one wins
    # due on a holiday (Mon 5 Oct): "due today" goes out on the last working day before it
    (date(2026, 10, 5), date(2026, 9, 30), ("due_today", 0)),
    # 14 days before 4 Oct is Sun 20 Sep, a make-up working day: sent that Sunday
    (date(2026, 10, 4), date(2026, 9, 20), ("due_soon", 14)),
])
def test_the_reminder_owed_on_a_working_day(due, today, expected):
    assert rules.reminder_due(due, today, STEPS, CAL) == expected


@pytest.mark.parametrize("today", [date(2026, 10, 1), date(2026, 10, 4), date(2026, 9, 26), date(2026, 11, 29)])
def test_nothing_is_sent_on_a_day_off(today):
    assert rules.reminder_due(date(2026, 10, 8), today, STEPS, CAL) is None
    assert rules.daily_digest_day(datetime.combine(today, time(12), rules.CHINA_TZ), AT, CAL) is None


def test_a_make_up_saturday_sends(today=date(2026, 10, 10)):
    assert rules.reminder_due(date(2026, 10, 12), today, STEPS, CAL) == ("due_soon", 3)
    assert rules.daily_digest_day(datetime.combine(today, time(9), rules.CHINA_TZ), AT, CAL) == today


def test_escalation_after_the_configured_days_only():
    due = date(2026, 11, 2)
    assert not rules.is_escalation_due(due, date(2026, 12, 2), 30, CAL)  # 30 days overdue: not more than 30
    assert rules.is_escalation_due(due, date(2026, 12, 3), 30, CAL)
    assert not rules.is_escalation_due(due, date(2026, 12, 6), 30, CAL)  # a Sunday


def test_the_daily_digest_waits_for_its_time_in_china():
    day = date(2026, 12, 3)
    assert rules.daily_digest_day(datetime.combine(day, time(8, 29), rules.CHINA_TZ), AT, CAL) is None
    assert rules.daily_digest_day(datetime.combine(day, time(8, 30), rules.CHINA_TZ), AT, CAL) == day
    # 08:30 in China is 00:30 UTC: the UTC date already is the China date here, but 23:30 UTC is tomorrow in China
    assert rules.daily_digest_day(datetime(2026, 12, 2, 23, 30, tzinfo=UTC), AT, CAL) is None
    assert rules.daily_digest_day(datetime(2026, 12, 3, 0, 30, tzinfo=UTC), AT, CAL) == day


def test_the_digest_window_crosses_midnight():
    start, end = rules.digest_window(date(2026, 12, 3), AT, CAL)
    assert start == datetime(2026, 12, 2, 0, 30, tzinfo=UTC) and end == datetime(2026, 12, 3, 0, 30, tzinfo=UTC)


def test_after_days_off_the_window_covers_them_all():
    start, end = rules.digest_window(date(2026, 10, 8), AT, CAL)
    assert start == datetime.combine(date(2026, 9, 30), AT, rules.CHINA_TZ)
    assert end == datetime.combine(date(2026, 10, 8), AT, rules.CHINA_TZ)
    # the Monday after a make-up Saturday covers from Saturday
    assert rules.digest_window(date(2026, 10, 12), AT, CAL)[0] == datetime.combine(date(2026, 10, 10), AT,
                                                                                    rules.CHINA_TZ)


@pytest.mark.parametrize(("day", "expected"), [
    (date(2026, 11, 30), date(2026, 11, 30)),  # an ordinary Monday
    (date(2026, 12, 1), None),  # Tuesday: the week's digest went out on Monday
    (date(2026, 10, 8), date(2026, 10, 5)),  # the week of National Day: its first working day is Thursday
    (date(2026, 10, 6), None),
])
def test_the_weekly_digest_goes_out_on_the_first_working_day_of_the_week(day, expected):
    assert rules.weekly_digest_day(datetime.combine(day, time(9), rules.CHINA_TZ), AT, 0, CAL) == expected


def test_overdue_bands():
    assert [rules.overdue_band(d) for d in (1, 7, 8, 30, 31, 90, 91, 400)] == [0, 0, 1, 1, 2, 2, 3, 3]
