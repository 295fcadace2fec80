"""Login lockout rules."""

from datetime import datetime, timedelta


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def lock_after_failure(failures: int, max_failures: int, lockout: timedelta, now: datetime) -> datetime | None:
    """When ``failures`` consecutive failures reach the limit, the time the account stays locked until."""
    return now + lockout if failures >= max_failures else None
