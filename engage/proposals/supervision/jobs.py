"""The periodic run of supervision: reminders, escalations, missed notices, digests."""

from huey import crontab

from engage import jobs
from engage.core.calendar_days import load_work_calendar
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.proposals.supervision import digests, reminders


def run_supervision(now) -> None:
    """One run at ``now``: safe to repeat (what was sent is recorded and never sent again)."""
    calendar = load_work_calendar()
    reminders.send_reminders(now=now, calendar=calendar)
    digests.deliver_missed(now=now)
    digests.send_due_digests(now=now, calendar=calendar)


@jobs.periodic(crontab(minute="*/15"))
def send_supervision_reminders() -> None:
    """Every quarter of an hour: reminders and escalations of the day (once each), then digests that are due."""
    run_supervision(utcnow())
    db.session.commit()
