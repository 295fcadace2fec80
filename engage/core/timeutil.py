"""China Standard Time helpers: stored times are aware UTC, people see and type Asia/Shanghai time."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

CHINA_TZ = ZoneInfo("Asia/Shanghai")


def to_china(moment: datetime) -> datetime:
    return moment.astimezone(CHINA_TZ)


def china_date(moment: datetime) -> date:
    """The calendar date in China at ``moment``."""
    return moment.astimezone(CHINA_TZ).date()


def from_china(local: datetime) -> datetime:
    """Read a naive wall-clock time typed in China and return it as aware UTC."""
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    return local.replace(tzinfo=CHINA_TZ).astimezone(UTC)


def end_of_china_day(day: date) -> datetime:
    """The last moment of ``day`` in China, as aware UTC (deadlines run to the end of their day)."""
    return datetime.combine(day, time(23, 59, 59), CHINA_TZ).astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)
