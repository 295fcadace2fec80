"""Loading the working-day calendar from the database."""

from engage.core.models import CalendarDay
from engage.core.workdays import WorkCalendar
from engage.extensions import db


def load_work_calendar() -> WorkCalendar:
    overrides = {row.day: row.is_working_day for row in db.session.scalars(db.select(CalendarDay))}
    return WorkCalendar(overrides)
