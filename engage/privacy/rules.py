"""Retention rules: plain functions of the configured periods and ``now``."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from engage.core.timeutil import china_date


@dataclass(frozen=True)
class Retention:
    """Days personal data is kept once its purpose is over (``RETENTION_*`` settings)."""

    sign_up_days: int
    comment_contact_days: int
    message_body_days: int

    @classmethod
    def from_config(cls, config) -> "Retention":
        return cls(sign_up_days=config["RETENTION_SIGN_UP_DAYS"],
                   comment_contact_days=config["RETENTION_COMMENT_CONTACT_DAYS"],
                   message_body_days=config["RETENTION_MESSAGE_BODY_DAYS"])


def sign_ups_ended_before(retention: Retention, now: datetime) -> datetime:
    """Sign-ups for events that ended before this moment are erased."""
    return now - timedelta(days=retention.sign_up_days)


def decisions_published_on_or_before(retention: Retention, now: datetime) -> date:
    """Commenters' contacts on consultations whose decision was published on or before this day are erased."""
    return china_date(now) - timedelta(days=retention.comment_contact_days)


def messages_queued_before(retention: Retention, now: datetime) -> datetime:
    return now - timedelta(days=retention.message_body_days)
