"""The periodic task noticing what happens by the clock."""

from huey import crontab

from engage import jobs
from engage.core.timeutil import utcnow
from engage.domain_events import timed
from engage.extensions import db


@jobs.periodic(crontab(minute="*"))
def notice_timed_events() -> None:
    """Every minute: consultations whose period began or ended, events whose sign-up opened."""
    timed.notice_timed_events(now=utcnow())
    db.session.commit()
