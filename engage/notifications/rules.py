"""Outbox rules: plain functions of values and ``now``."""

import math
from datetime import datetime, timedelta

#: seconds before each retry: 10 s, 30 s, 90 s, 270 s, then at most 15 minutes
FIRST_RETRY_SECONDS = 10
MAX_RETRY_SECONDS = 15 * 60
SMS_SEGMENT = 70
#: a text longer than one segment is split into parts of 67 (the rest carries the joining header)
SMS_MULTIPART_SEGMENT = 67
SMS_MAX_SEGMENTS = 3

CLAIMABLE = ("queued", "retrying")


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed try."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 3 ** max(attempts - 1, 0), MAX_RETRY_SECONDS))


def status_after_failure(attempts: int, max_attempts: int, permanent: bool) -> str:
    """'retrying' while tries remain and the fault may pass, else 'failed'."""
    return "failed" if permanent or attempts >= max_attempts else "retrying"


def sms_segments(text: str) -> int:
    """How many segments an SMS of ``text`` takes (Chinese texts are UCS-2: 70 alone, 67 when joined)."""
    if len(text) <= SMS_SEGMENT:
        return 1
    return math.ceil(len(text) / SMS_MULTIPART_SEGMENT)


def sms_max_length() -> int:
    return SMS_MULTIPART_SEGMENT * SMS_MAX_SEGMENTS


def over_limit(sent_last_hour: int, sent_last_day: int, limits: dict) -> str | None:
    """The limit a new message to a recipient would pass ('hour' or 'day'), or None."""
    if sent_last_hour >= limits["hour"]:
        return "hour"
    if sent_last_day >= limits["day"]:
        return "day"
    return None


def is_stale_claim(claimed_at: datetime | None, now: datetime, stale_seconds: int) -> bool:
    return claimed_at is None or now - claimed_at >= timedelta(seconds=stale_seconds)


def mask_contact(contact: str) -> str:
    """``138****5678`` and ``z***@example.cn``: enough to tell contacts apart, not to use them."""
    if "@" in contact:
        name, _, domain = contact.partition("@")
        return f"{name[:1]}***@{domain}"
    if len(contact) >= 7:
        return f"{contact[:3]}****{contact[-4:]}"
    return "****"


def fit_sms(text: str) -> str:
    """``text`` cut to at most three segments; a link at its end is kept whole and the words before it shortened.

    Templates are written to fit one segment; only a long title or name pushes a text past three.
    """
    limit = sms_max_length()
    if len(text) <= limit:
        return text
    link_at = text.rfind("http")
    tail = text[link_at:] if link_at > 0 and len(text) - link_at < limit // 2 else ""
    head = text[: len(text) - len(tail)].rstrip()
    return head[: limit - len(tail) - 2] + "… " + tail if tail else head[: limit - 1] + "…"
