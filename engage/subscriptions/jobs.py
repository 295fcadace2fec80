"""The daily digests' periodic task."""

from huey import crontab

from engage import jobs
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.subscriptions import digests


@jobs.periodic(crontab(minute="*/10"))
def send_daily_digests() -> None:
    """Every ten minutes: today's digests once their time has come (each contact's at most once a day)."""
    digests.send_due_digests(now=utcnow())
    db.session.commit()
