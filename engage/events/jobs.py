"""The events' periodic tasks on the job queue: reminders before events, questionnaire links after them."""

from huey import crontab

from engage import jobs
from engage.core.timeutil import utcnow
from engage.events.opinions import invitations
from engage.events.registrations import reminders
from engage.extensions import db


@jobs.periodic(crontab(minute="*/5"))
def send_event_reminders() -> None:
    """Every five minutes: the reminders that have come due (at most once per sign-up)."""
    reminders.send_due_reminders(now=utcnow())
    db.session.commit()


@jobs.periodic(crontab(minute="*/10"))
def send_questionnaire_links() -> None:
    """Every ten minutes: the questionnaire links of events that have ended (at most once per sign-up)."""
    invitations.send_links_after_events(now=utcnow())
    db.session.commit()
