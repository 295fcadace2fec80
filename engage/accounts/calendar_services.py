"""The administrator's working-day calendar: enter or remove a day for years chinesecalendar does not know."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from engage.accounts import permissions
from engage.core import audit
from engage.core.calendar_days import is_official_year
from engage.core.errors import NotAllowed, NotFound, ValidationFailed
from engage.core.models import CalendarDay
from engage.extensions import db


@dataclass(frozen=True)
class _CalendarSubject:
    """Lets the audit history point at a calendar day, whose key is a date rather than an id."""

    day: date
    __tablename__ = CalendarDay.__tablename__

    @property
    def id(self) -> int:
        return int(self.day.strftime("%Y%m%d"))


def _check_actor(actor) -> None:
    # actor is None for the operator's command line, which runs with the server's own rights.
    if actor is not None and not permissions.can_manage_accounts(actor):
        raise NotAllowed()


def set_calendar_day(
    day: date, *, is_working_day: bool, note: str, actor, now: datetime, correction: bool = False
) -> CalendarDay:
    """Enter whether ``day`` is a working day, replacing what was entered for it before.

    Years chinesecalendar knows already have the official calendar; a day in such a year is accepted only as
    an explicit ``correction``, so nobody overrides the State Council's calendar by mistake.
    """
    _check_actor(actor)
    if is_official_year(day.year) and not correction:
        raise ValidationFailed({"correction": [
            _l("The official calendar for %(year)d is built in. Confirm that this day corrects it.", year=day.year)
        ]})
    row = db.session.get(CalendarDay, day)
    before = None if row is None else {"is_working_day": row.is_working_day, "note": row.note}
    if row is None:
        row = CalendarDay(day=day)
        db.session.add(row)
    row.is_working_day, row.note = is_working_day, note.strip()
    db.session.flush()
    audit.record("calendar_day.set", _CalendarSubject(day), actor=actor, now=now, day=day.isoformat(),
                 is_working_day=is_working_day, note=row.note, before=before, correction=correction)
    return row


def unset_calendar_day(day: date, *, actor, now: datetime) -> None:
    """Remove an entered day, so the official calendar (or Monday to Friday) counts again."""
    _check_actor(actor)
    row = db.session.get(CalendarDay, day)
    if row is None:
        raise NotFound(_l("No working-day entry exists for this date."))
    before = {"is_working_day": row.is_working_day, "note": row.note}
    db.session.delete(row)
    db.session.flush()
    audit.record("calendar_day.removed", _CalendarSubject(day), actor=actor, now=now, day=day.isoformat(),
                 before=before)


def calendar_days(year: int) -> list[CalendarDay]:
    """The days entered for ``year``, in date order."""
    return list(db.session.scalars(
        db.select(CalendarDay)
        .where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
        .order_by(CalendarDay.day)
    ))


def years_with_entries() -> list[int]:
    return sorted({row.year for row in db.session.scalars(db.select(CalendarDay.day))})
