"""The working-day calendar: the built-in official years plus the days administrators entered."""

from engage.core.models import CalendarDay
from engage.core.workdays import KNOWN_YEARS, WorkCalendar
from engage.extensions import db


def load_work_calendar() -> WorkCalendar:
    overrides = {row.day: row.is_working_day for row in db.session.scalars(db.select(CalendarDay))}
    return WorkCalendar(overrides)


def is_official_year(year: int) -> bool:
    """Whether the State Council calendar for ``year`` ships with chinesecalendar."""
    return year in KNOWN_YEARS


def official_years() -> range:
    return KNOWN_YEARS
