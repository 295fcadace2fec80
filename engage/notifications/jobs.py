"""The outbox's jobs: delivery runs that work through the due rows, and the sweeper that takes up what a crash or
an outage left."""

import math
import time

from huey import crontab

from engage import jobs
from engage.core.timeutil import utcnow
from engage.notifications import delivery
from engage.notifications.models import MessageStatus

#: a run hands over to a fresh one after this long, so that other jobs get a worker during a long delivery
RUN_SECONDS = 30


@jobs.job()
def deliver_due_messages() -> None:
    """Deliver due rows batch after batch until none is left, then ask for runs when the retries fall due."""
    began = time.monotonic()
    retry_at = set()
    while outcomes := delivery.deliver_due():
        retry_at.update(o.next_try_at for o in outcomes if o.status == MessageStatus.RETRYING)
        if time.monotonic() - began > RUN_SECONDS:
            delivery.request_run()
            break
    # one run per second in which retries fall due (the back-off spreads them): as many jobs as the one-per-row
    # design scheduled at most, usually far fewer
    now = utcnow()
    for delay in sorted({max(math.ceil((at - now).total_seconds()), 1) for at in retry_at}):
        delivery.request_run(delay=delay)


@jobs.job()
def deliver_message(message_id: int) -> None:
    """A job of the earlier one-job-per-row design, still in a queue at the upgrade: a run delivers its row."""
    deliver_due_messages.call_local()


@jobs.job()
def deliver_messages(message_ids: list[int]) -> None:
    """As ``deliver_message``, for the chunks of rows the earlier design queued together."""
    deliver_due_messages.call_local()


@jobs.periodic(crontab(minute="*"))
def sweep_outbox() -> None:
    if delivery.sweep():
        delivery.request_run()
