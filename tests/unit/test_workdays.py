"""Chinese working days: the official calendar, make-up days, unknown years and administrators' entries."""

from datetime import date

import chinese_calendar
import pytest

from engage.core import workdays
from engage.core.workdays import KNOWN_YEARS, WorkCalendar, add_working_days, working_days_between


@pytest.fixture
def caplog(caplog, monkeypatch):
    """caplog, with the module's logger enabled: Alembic's logging set-up, run by earlier tests that migrate a
    database, disables loggers that already exist."""
    monkeypatch.setattr(workdays.log, "disabled", False)
    return caplog


def test_national_day_2026_is_as_the_state_council_published_it():
    """The facts the other tests rely on, checked against the chinesecalendar package itself:
    1-7 October off, Sunday 20 September and Saturday 10 October are make-up working days."""
    assert all(chinese_calendar.is_holiday(date(2026, 10, day)) for day in range(1, 8))
    assert chinese_calendar.is_workday(date(2026, 10, 8))
    assert chinese_calendar.is_workday(date(2026, 10, 10)) and date(2026, 10, 10).weekday() == 5
    assert chinese_calendar.is_workday(date(2026, 9, 20)) and date(2026, 9, 20).weekday() == 6


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 9, 29), 1, date(2026, 9, 30)),
        (date(2026, 9, 30), 1, date(2026, 10, 8)),   # the whole holiday is skipped
        (date(2026, 10, 3), 1, date(2026, 10, 8)),   # counting from inside the holiday
        (date(2026, 9, 30), 3, date(2026, 10, 10)),  # 8th, 9th, then make-up Saturday 10th
        (date(2026, 9, 30), 4, date(2026, 10, 12)),  # Sunday 11th is off
        (date(2026, 9, 25), 7, date(2026, 10, 12)),  # Mid-Autumn weekend and National Day both skipped
        (date(2026, 9, 18), 1, date(2026, 9, 20)),   # make-up Sunday 20 September
    ],
)
def test_add_working_days_across_national_day_2026(start, count, expected):
    assert add_working_days(start, count, WorkCalendar()) == expected


def test_make_up_saturday_counts_as_a_working_day():
    calendar = WorkCalendar()
    assert calendar.is_working_day(date(2026, 10, 10))
    assert not calendar.is_working_day(date(2026, 10, 17))  # an ordinary Saturday


def test_add_working_days_with_zero_is_the_start_day():
    assert add_working_days(date(2026, 10, 3), 0, WorkCalendar()) == date(2026, 10, 3)


def test_add_working_days_refuses_a_negative_count():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 10, 3), -1, WorkCalendar())


def test_unknown_year_falls_back_to_monday_to_friday(caplog):
    year = max(KNOWN_YEARS) + 1
    calendar = WorkCalendar()
    # 2027-01-01 is a Friday: New Year's Day, but no official calendar for 2027 is known.
    assert not calendar.is_official_year(year)
    assert calendar.is_working_day(date(year, 1, 1))
    assert not calendar.is_working_day(date(year, 1, 2))
    assert f"No holiday calendar for {year}" in caplog.text


def test_unknown_year_warns_once_per_calendar(caplog):
    calendar = WorkCalendar()
    year = max(KNOWN_YEARS) + 1
    add_working_days(date(year, 1, 4), 10, calendar)
    assert caplog.text.count(f"No holiday calendar for {year}") == 1


def test_overrides_win_in_an_unknown_year():
    calendar = WorkCalendar({date(2027, 1, 1): False, date(2027, 1, 9): True})
    assert not calendar.is_working_day(date(2027, 1, 1))  # a Friday entered as a holiday
    assert calendar.is_working_day(date(2027, 1, 9))  # a Saturday entered as a make-up day
    assert add_working_days(date(2026, 12, 31), 1, calendar) == date(2027, 1, 4)


def test_overrides_win_over_the_official_calendar():
    calendar = WorkCalendar({date(2026, 10, 10): False})
    assert not calendar.is_working_day(date(2026, 10, 10))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 9, 30), date(2026, 9, 30), 0),
        (date(2026, 9, 30), date(2026, 10, 7), 0),
        (date(2026, 9, 30), date(2026, 10, 12), 4),  # 8th, 9th, make-up 10th, 12th
        (date(2026, 10, 11), date(2026, 10, 18), 5),  # the start day itself is not counted
        (date(2026, 10, 12), date(2026, 10, 11), 0),  # end before start
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end, WorkCalendar()) == expected


def test_working_days_between_matches_add_working_days():
    calendar = WorkCalendar()
    start = date(2026, 9, 20)
    for count in range(1, 15):
        assert working_days_between(start, add_working_days(start, count, calendar), calendar) == count
