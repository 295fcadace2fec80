"""Chinese working days (工作日): weekends and statutory holidays off, make-up days (调休上班) on.

The rules here are plain functions over a ``WorkCalendar``; ``load_work_calendar`` builds one from the
``chinesecalendar`` package plus the days an administrator entered for years the package does not know.
"""

import logging
from collections.abc import Mapping
from datetime import date, timedelta

import chinese_calendar
from chinese_calendar import constants as calendar_data

log = logging.getLogger(__name__)

KNOWN_YEARS = range(min(calendar_data.holidays).year, max(calendar_data.holidays).year + 1)


class WorkCalendar:
    """Answers whether a day is a working day.

    ``overrides`` (from administrators) win; then the State Council calendar shipped in ``chinesecalendar``
    for the years it knows; for any other year, Monday to Friday, with a warning in the log.
    """

    def __init__(self, overrides: Mapping[date, bool] | None = None):
        self.overrides = dict(overrides or {})
        self._warned_years: set[int] = set()

    def is_official_year(self, year: int) -> bool:
        return year in KNOWN_YEARS

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if self.is_official_year(day.year):
            return chinese_calendar.is_workday(day)
        if day.year not in self._warned_years:
            self._warned_years.add(day.year)
            log.warning(
                "No holiday calendar for %s: counting Monday to Friday as working days. "
                "An administrator can enter that year's holidays and make-up days.",
                day.year,
            )
        return day.weekday() < 5


def add_working_days(start: date, count: int, calendar: WorkCalendar) -> date:
    """The ``count``-th working day after ``start`` (the start day itself is not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, calendar: WorkCalendar) -> int:
    """How many working days fall after ``start`` up to and including ``end``."""
    days = (end - start).days
    return sum(1 for offset in range(1, days + 1) if calendar.is_working_day(start + timedelta(days=offset)))
