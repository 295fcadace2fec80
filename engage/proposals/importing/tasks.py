"""The page's imports on the job queue: claimed by id, stored in one transaction, retried or failed with a reason.

How an import survives a consumer that dies (SIGKILL, a machine lost):

- The file is on the job row, so the queued task carries only the row's id and any consumer on any machine
  can run it, again if need be.
- A consumer *claims* the row before running it (compare-and-set on its state and heartbeat) and counts the
  attempt; whatever it writes afterwards is conditional on that attempt, so a run that was given up for dead
  and taken over can never store or report anything.
- Checking commits its progress with a heartbeat; storing runs in one transaction that holds the job row (a
  row lock on PostgreSQL, the write lock on SQLite). A consumer killed while storing leaves nothing, and no
  other consumer can take the row until that transaction has committed or died with its connection.
- A run silent for ``PROPOSAL_IMPORT_STALE_SECONDS`` was cut off: the sweep (every minute, and when a consumer
  starts) queues it again, or after ``MAX_ATTEMPTS`` fails it with that reason. Errors raised inside a run (the
  database went away) are retried by Huey the same way.
"""

import logging
from datetime import datetime, timedelta

from flask import current_app
from huey import crontab
from sqlalchemy import and_, or_, select, update

from engage.accounts.models import User
from engage.core.engine import write_transactions
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.jobs import enqueue_or_leave_to_sweep, huey, job, periodic
from engage.proposals.importing.jobs import fail, run_import
from engage.proposals.importing.rows import N_, RowError
from engage.proposals.models import ImportJob, ImportState

log = logging.getLogger(__name__)

#: a file that kills its consumer every time (say, out of memory) is given up after this many runs
MAX_ATTEMPTS = 3
RUNNING = (ImportState.VALIDATING, ImportState.IMPORTING)
WAITING = (ImportState.QUEUED, *RUNNING)

INTERRUPTED = N_("The import was interrupted %(count)d times. Nothing was imported; try again, or ask the "
                 "administrator to look at the job consumer.")
INTERNAL_ERROR = N_("The import stopped because of an internal error. Nothing was imported; try again.")


class Superseded(Exception):
    """This run was given up for dead and another took the import over: it must write nothing more."""


def enqueue(job_id: int) -> bool:
    """Queue the import; False when the queue cannot be reached (the upload is safe on its row all the same)."""
    return enqueue_or_leave_to_sweep(run_queued_import, job_id, what=f"import {job_id}")


@job(retries=MAX_ATTEMPTS - 1, retry_delay=10, context=True)
def run_queued_import(job_id: int, task=None) -> None:
    """Run one import from its row, if no live consumer is running it and it has not finished."""
    with write_transactions():
        retries_left = task.retries if task is not None else 0
        execute(job_id, config=current_app.config, retries_left=retries_left)


def execute(job_id: int, *, config, retries_left: int) -> None:
    """Claim the import, run it and commit its outcome; on an internal error retry it or fail it."""
    attempt = claim(job_id, utcnow(), _stale_after(config))
    if attempt is None:
        return
    job = db.session.get(ImportJob, job_id)
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    try:
        run_import(job, job.data, actor=actor, now=utcnow(), config=config,
                   progress=lambda state, done, total: _progress(job, attempt, state, done))
        job.data = None  # done or refused: the file is not needed any more
        _beat(job_id, attempt)  # still ours (a run refused before any progress has not checked since the claim)
        db.session.commit()
    except Superseded:
        db.session.rollback()
        log.warning("Import %s was taken over by another consumer; this run stops", job_id)
    except Exception:
        db.session.rollback()
        log.exception("Import %s failed (attempt %s)", job_id, attempt)
        if _give_back(job_id, attempt, retry=retries_left > 0 and attempt < MAX_ATTEMPTS):
            raise  # Huey queues it again after its retry delay


def claim(job_id: int, now: datetime, stale_after: timedelta) -> int | None:
    """Take a queued import, or one whose consumer went silent; the attempt's number, or None if not ours."""
    taken = db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.attempts < MAX_ATTEMPTS, or_(
            ImportJob.state == ImportState.QUEUED,
            and_(ImportJob.state.in_(RUNNING), _silent_since(now - stale_after)),
        ))
        .values(state=ImportState.VALIDATING, processed_rows=0, attempts=ImportJob.attempts + 1, heartbeat_at=now)
    )
    attempt = db.session.scalar(select(ImportJob.attempts).where(ImportJob.id == job_id)) if taken.rowcount else None
    db.session.commit()
    return attempt


def _silent_since(cutoff: datetime):
    return or_(ImportJob.heartbeat_at.is_(None), ImportJob.heartbeat_at < cutoff)


def _progress(job: ImportJob, attempt: int, state, done: int) -> None:
    """Checking commits its progress and a heartbeat; storing begins one transaction that holds the row."""
    if state == ImportState.IMPORTING and done > 0:
        return  # inside the storing transaction: nothing can be shown before it commits
    job.state, job.processed_rows = state, done
    _beat(job.id, attempt)
    db.session.commit()
    if state == ImportState.IMPORTING:
        # The storing transaction starts with this write to the row, which keeps it locked until the end.
        _beat(job.id, attempt)


def _beat(job_id: int, attempt: int) -> None:
    beaten = db.session.execute(
        update(ImportJob).where(ImportJob.id == job_id, ImportJob.attempts == attempt).values(heartbeat_at=utcnow())
    )
    if not beaten.rowcount:
        raise Superseded()


def _give_back(job_id: int, attempt: int, *, retry: bool) -> bool:
    """After an internal error: queue the import for Huey's retry, or fail it; False if another run has it."""
    job = db.session.get(ImportJob, job_id)
    if job is None or job.attempts != attempt or job.state not in WAITING:
        return False
    if retry:
        job.state, job.processed_rows, job.heartbeat_at = ImportState.QUEUED, 0, utcnow()
    else:
        job.data = None
        fail(job, [RowError(0, "file", INTERNAL_ERROR)], utcnow())
    db.session.commit()
    return retry


def sweep(now: datetime, stale_after: timedelta) -> list[int]:
    """Queue again the imports cut off or never queued; fail those cut off too often. The ids queued."""
    cutoff = now - stale_after
    silent = or_(and_(ImportJob.state.in_(RUNNING), _silent_since(cutoff)),
                 and_(ImportJob.state == ImportState.QUEUED, or_(ImportJob.heartbeat_at < cutoff, and_(
                     ImportJob.heartbeat_at.is_(None), ImportJob.created_at < cutoff))))
    found = db.session.execute(select(ImportJob.id, ImportJob.attempts).where(silent)).all()
    again = [job_id for job_id, attempts in found if attempts < MAX_ATTEMPTS]
    for job_id, attempts in found:
        if attempts >= MAX_ATTEMPTS:
            # Conditional, so that on PostgreSQL a run still storing (it holds the row) is not failed once it
            # commits: the condition is checked again when the lock is released.
            error = RowError(0, "file", INTERRUPTED, {"count": attempts}).as_dict()
            db.session.execute(update(ImportJob).where(ImportJob.id == job_id, ImportJob.attempts == attempts, silent)
                               .values(state=ImportState.FAILED, errors=[error], finished_at=now, data=None))
    db.session.commit()
    for job_id in again:
        enqueue(job_id)
    return again


@periodic(crontab(minute="*"))
def sweep_stale_imports() -> None:
    """Every minute, take up the imports whose consumer died."""
    with write_transactions():
        queued = sweep(utcnow(), _stale_after(current_app.config))
    if queued:
        log.warning("Queued again the imports %s, cut off by a consumer that stopped", queued)


@huey.on_startup()
def _sweep_when_a_consumer_starts() -> None:
    # A consumer coming back after a crash takes up what it left without waiting for the minute.
    sweep_stale_imports()


def _stale_after(config) -> timedelta:
    return timedelta(seconds=config["PROPOSAL_IMPORT_STALE_SECONDS"])
