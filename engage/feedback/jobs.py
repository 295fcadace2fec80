"""The feedback's jobs: the search for similar comments, and the sweep that takes up runs a crash cut off."""

from datetime import timedelta

from flask import current_app
from huey import crontab

from engage.core.engine import write_transactions
from engage.core.timeutil import utcnow
from engage.feedback import grouping_runs
from engage.jobs import enqueue_or_leave_to_sweep, job, periodic


def _stale_after() -> timedelta:
    return timedelta(seconds=current_app.config["FEEDBACK_GROUPING_STALE_SECONDS"])


def enqueue(run_id: int) -> bool:
    """Queue the run; False when the queue cannot be reached (the run waits on its row for the sweep)."""
    return enqueue_or_leave_to_sweep(propose_groups, run_id, what=f"grouping run {run_id}")


@job()
def propose_groups(run_id: int) -> None:
    with write_transactions():
        grouping_runs.execute(run_id, clock=utcnow, stale_after=_stale_after())


@periodic(crontab(minute="*"))
def sweep_grouping_runs() -> None:
    with write_transactions():
        for run_id in grouping_runs.stale_runs(utcnow(), _stale_after()):
            enqueue(run_id)
