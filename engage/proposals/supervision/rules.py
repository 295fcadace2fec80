"""Rules of supervision: which reminder a case is owed today, when digests go out, how late is late.

Plain functions over dates and a ``WorkCalendar``; no Flask, no database. Reminders and digests go out on
working days only (a statutory holiday sends nothing, a make-up working day 调休上班 does): a reminder whose day
falls on a day off goes out on the last working day before it, so a unit is never told after the fact.
"""

from datetime import UTC, date, datetime, time, timedelta

from engage.core.timeutil import CHINA_TZ, china_date
from engage.core.workdays import WorkCalendar

DUE_SOON, DUE_TODAY, OVERDUE = "due_soon", "due_today", "overdue"
#: how far to look for a working day (the longest run of days off in China is 8 or 9 days)
_SEARCH_DAYS = 31
#: how long overdue cases are, for the dashboard: (lower bound in days, upper bound or None)
OVERDUE_BANDS = ((1, 7), (8, 30), (31, 90), (91, None))


def last_working_day_on_or_before(day: date, calendar: WorkCalendar) -> date:
    for offset in range(_SEARCH_DAYS):
        candidate = day - timedelta(days=offset)
        if calendar.is_working_day(candidate):
            return candidate
    return day


def previous_working_day(day: date, calendar: WorkCalendar) -> date:
    return last_working_day_on_or_before(day - timedelta(days=1), calendar)


def reminder_due(due_on: date, today: date, steps: list[int], calendar: WorkCalendar) -> tuple[str, int] | None:
    """The most urgent reminder a case still owed a reply should have had by ``today``: (kind, step), or None.

    ``steps`` are days before the due date (14, 7, 3 by default). Overdue reminders repeat weekly: step 0 in
    the first week after the due date, 1 in the second... Nothing on a day off. The caller records each
    (kind, step) once, so a step already sent (or one skipped because a later one came first) is never sent.
    """
    if not calendar.is_working_day(today):
        return None
    if today > due_on:
        return OVERDUE, ((today - due_on).days - 1) // 7
    if today >= last_working_day_on_or_before(due_on, calendar):
        return DUE_TODAY, 0
    for step in sorted(steps):
        if today >= last_working_day_on_or_before(due_on - timedelta(days=step), calendar):
            return DUE_SOON, step
    return None


def dedupe_key(kind: str, step: int) -> str:
    return f"{kind}:{step}"


def is_escalation_due(due_on: date, today: date, after_days: int, calendar: WorkCalendar) -> bool:
    """Overdue by more than ``after_days`` days, on a working day: the unit's head contact is told (once)."""
    return calendar.is_working_day(today) and (today - due_on).days > after_days


def days_overdue(due_on: date, today: date) -> int:
    return max((today - due_on).days, 0)


def overdue_band(days: int) -> int:
    """Index in ``OVERDUE_BANDS`` of a case overdue by ``days`` days (at least 1)."""
    for index, (low, high) in enumerate(OVERDUE_BANDS):
        if days >= low and (high is None or days <= high):
            return index
    return 0


# ---- digests -------------------------------------------------------------------------------------------


def digest_cutoff(day: date, at: time) -> datetime:
    """The moment (aware UTC) a day's digest is made: ``at`` on ``day`` in China."""
    return datetime.combine(day, at, CHINA_TZ).astimezone(UTC)


def daily_digest_day(now: datetime, at: time, calendar: WorkCalendar) -> date | None:
    """The China day whose daily digest is due at ``now``: today, once its time has come, on a working day."""
    today = china_date(now)
    if not calendar.is_working_day(today) or now < digest_cutoff(today, at):
        return None
    return today


def digest_window(day: date, at: time, calendar: WorkCalendar) -> tuple[datetime, datetime]:
    """What a day's digest covers: from the previous working day's digest time to this one's.

    It crosses midnight (08:30 yesterday to 08:30 today), and after days off it covers them all, so nothing
    that happened on a holiday is lost.
    """
    return digest_cutoff(previous_working_day(day, calendar), at), digest_cutoff(day, at)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_digest_day(now: datetime, at: time, weekday: int, calendar: WorkCalendar) -> date | None:
    """The Monday naming the week whose weekly digest is due at ``now``, or None.

    It goes out on the first working day of the week from ``weekday`` (0 = Monday) on: a week whose Monday is a
    holiday gets it on Tuesday, and a week without a working day from then on gets none.
    """
    today = daily_digest_day(now, at, calendar)
    if today is None:
        return None
    monday = week_start(today)
    first = monday + timedelta(days=weekday)
    while first <= today and not calendar.is_working_day(first):
        first += timedelta(days=1)
    return monday if first == today else None
