"""The outbox's jobs: delivering one row, and the sweeper that takes up what a crash or an outage left."""

from huey import crontab

from engage import jobs
from engage.notifications import services
from engage.notifications.models import MessageStatus


@jobs.job()
def deliver_message(message_id: int) -> None:
    """Deliver one outbox row; a retry is scheduled for when the row says (the sweeper is the safety net)."""
    status = services.deliver(message_id)
    if status == MessageStatus.RETRYING:
        message = services.get_message(message_id)
        delay = max((message.next_try_at - services.utcnow()).total_seconds(), 1)
        services.enqueue([message_id], delay=delay)


@jobs.job()
def deliver_messages(message_ids: list[int]) -> None:
    """Deliver a chunk of rows queued together (``bulk.queue_messages``), one after the other."""
    for message_id in message_ids:
        deliver_message.call_local(message_id)


@jobs.periodic(crontab(minute="*"))
def sweep_outbox() -> None:
    services.enqueue(services.sweep())
