"""The exports' jobs: write a prepared download; take up exports a crash cut off; delete expired files."""

from datetime import timedelta

from flask import current_app
from huey import crontab

from engage.core.engine import write_transactions
from engage.core.timeutil import utcnow
from engage.feedback.exports import services
from engage.jobs import enqueue_or_leave_to_sweep, job, periodic


def _stale_after() -> timedelta:
    return timedelta(seconds=current_app.config["EXPORT_STALE_SECONDS"])


def enqueue(export_id: int) -> bool:
    """Queue the export; False when the queue cannot be reached (the export waits on its row for the sweep)."""
    return enqueue_or_leave_to_sweep(write_export, export_id, what=f"comment export {export_id}")


@job()
def write_export(export_id: int) -> None:
    # Not in write_transactions: the long read of the comments must not hold SQLite's write lock.
    services.execute(export_id, clock=utcnow, stale_after=_stale_after())


@periodic(crontab(minute="*"))
def sweep_exports() -> None:
    with write_transactions():
        for export_id in services.stale_exports(utcnow(), _stale_after()):
            enqueue(export_id)


@periodic(crontab(minute="7"))
def delete_expired_exports() -> None:
    with write_transactions():
        services.delete_expired(utcnow())
