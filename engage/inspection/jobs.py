"""The self-check's periodic task: the daily digest to departments' staff."""

from huey import crontab

from engage import jobs
from engage.core.calendar_days import load_work_calendar
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.inspection import digests


@jobs.periodic(crontab(minute="*/15"))
def send_inspection_digests() -> None:
    """Every quarter of an hour: the day's self-check digest once its time has come (once per person a day)."""
    digests.send_inspection_digests(now=utcnow(), calendar=load_work_calendar())
    db.session.commit()
