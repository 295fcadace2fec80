"""Subscription rules: plain functions of values and ``now``."""

import hashlib
from datetime import date, datetime, time, timedelta

from engage.core.timeutil import china_date, from_china

#: the domain events a follower hears of (the rest are for webhooks)
TOLD_EVENTS = frozenset({"consultation.opened", "consultation.feedback_published", "consultation.decision_published",
                         "event.registration_opened", "proposal.replied"})
CODE_LENGTH = 6


def digest_time(setting: str) -> time:
    """``"08:00"`` as a time of day (China time)."""
    hours, _, minutes = setting.partition(":")
    return time(int(hours), int(minutes or 0))


def due_digest(now: datetime, at: time) -> tuple[date, datetime] | None:
    """The China day whose digest is due at ``now`` and the moment it covers events up to, or None before it.

    A day's digest lists what happened since the previous day's, so its window crosses midnight: with digests at
    08:00 the 14 May digest covers 13 May 08:00 to 14 May 08:00.
    """
    today = china_date(now)
    cutoff = from_china(datetime.combine(today, at))
    return (today, cutoff) if now >= cutoff else None


def digest_window_start(day: date, at: time) -> datetime:
    return from_china(datetime.combine(day - timedelta(days=1), at))


def hashed(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def is_expired(confirm_by: datetime | None, now: datetime) -> bool:
    return confirm_by is None or now > confirm_by


def code_attempts_left(attempts: int, allowed: int) -> int:
    return max(allowed - attempts, 0)
