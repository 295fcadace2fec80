"""The search for similar comments as a background run: asked for by staff, done by a job consumer.

Grouping a national consultation's comments takes longer than a page may wait (and than gunicorn lets a request
run), so the page or the API only records a run and the queue does the work. How a run survives a consumer that
dies:

- A consumer *claims* the run (compare-and-set on its state, counting the attempt) before it works on it, and
  holds the consultation's row (a row lock on PostgreSQL, the write lock on SQLite) while it does.
- The proposals it writes and the run's end are one transaction: a consumer killed half-way leaves nothing.
- A run still 'running' after ``FEEDBACK_GROUPING_STALE_SECONDS`` was cut off: the sweep (every minute) queues
  it again, or after ``MAX_ATTEMPTS`` fails it with that reason; an attempt given up for dead that wakes up
  again sees that its attempt is no longer the run's and writes nothing.
"""

import logging
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select, update

from engage.accounts.models import User
from engage.consultations.models import Consultation
from engage.core.engine import lock_row
from engage.core.errors import NotAllowed, NotFound, RuleViolation
from engage.extensions import db
from engage.feedback import answer_services, permissions
from engage.feedback.models import GroupingRun, GroupKind, RunState

log = logging.getLogger(__name__)

#: a consultation that kills its consumer every time (say, out of memory) is given up after this many runs
MAX_ATTEMPTS = 3
WAITING = (RunState.QUEUED, RunState.RUNNING)

#: shown to staff; kept as message ids on the row and translated when shown
INTERRUPTED = "interrupted"
INTERNAL_ERROR = "internal_error"
ERRORS = {
    INTERRUPTED: _l("The search was interrupted %(count)d times and nothing was changed. Start it again, or ask "
                    "the administrator to look at the job consumer."),
    INTERNAL_ERROR: _l("The search stopped because of an internal error and nothing was changed. Start it again."),
}


class Superseded(Exception):
    """This attempt was given up for dead and another took the run over: it must write nothing."""


def request_run(consultation: Consultation, *, actor, now: datetime, kind: GroupKind = GroupKind.COPIES
                ) -> GroupingRun:
    """Record a new search for copies or themes in ``consultation``; refused while one waits or runs (of either
    kind: each looks only at comments in no group). The caller commits, then ``enqueue``s it."""
    if not permissions.can_answer(actor, consultation):
        raise NotAllowed()
    waiting = latest_run(consultation.id)
    if waiting is not None and waiting.is_waiting:
        raise RuleViolation(_l("A search for similar comments is already under way; its result will show here."))
    run = GroupingRun(consultation_id=consultation.id, state=RunState.QUEUED, kind=GroupKind(kind),
                      requested_by_id=actor.id, requested_at=now, attempts=0, error="")
    db.session.add(run)
    db.session.flush()
    return run


def latest_run(consultation_id: int) -> GroupingRun | None:
    return db.session.scalar(select(GroupingRun).where(GroupingRun.consultation_id == consultation_id)
                             .order_by(GroupingRun.id.desc()).limit(1))


def get_run(consultation: Consultation, run_id: int) -> GroupingRun:
    run = db.session.get(GroupingRun, run_id)
    if run is None or run.consultation_id != consultation.id:
        raise NotFound()
    return run


def error_message(run: GroupingRun) -> str:
    message = ERRORS.get(run.error)
    return str(message % {"count": run.attempts}) if message is not None else ""


def claim(run_id: int, now: datetime, stale_after: timedelta) -> int | None:
    """Take a queued run, or one whose attempt went silent; the attempt's number, or None if it is not ours."""
    taken = db.session.execute(
        update(GroupingRun)
        .where(GroupingRun.id == run_id, GroupingRun.attempts < MAX_ATTEMPTS, or_(
            GroupingRun.state == RunState.QUEUED,
            and_(GroupingRun.state == RunState.RUNNING, GroupingRun.started_at < now - stale_after),
        ))
        .values(state=RunState.RUNNING, started_at=now, attempts=GroupingRun.attempts + 1)
    )
    attempt = None
    if taken.rowcount:
        attempt = db.session.scalar(select(GroupingRun.attempts).where(GroupingRun.id == run_id))
    db.session.commit()
    return attempt


def execute(run_id: int, *, clock, stale_after: timedelta) -> None:
    """Claim the run and do it: the proposals and the run's end are committed together, or not at all.

    ``clock`` gives the time (a run takes long enough for its start and end to differ).
    """
    attempt = claim(run_id, clock(), stale_after)
    if attempt is None:
        return
    run = db.session.get(GroupingRun, run_id)
    try:
        # Held until the commit: a run taken over from this one waits here instead of proposing beside it.
        db.session.execute(lock_row(select(Consultation.id).where(Consultation.id == run.consultation_id)))
        consultation = db.session.get(Consultation, run.consultation_id)
        actor = db.session.get(User, run.requested_by_id) if run.requested_by_id else None
        propose = answer_services.propose_themes if run.kind == GroupKind.THEME else answer_services.propose_groups
        groups = propose(consultation, actor=actor, now=clock())
        finished = db.session.execute(
            update(GroupingRun).where(GroupingRun.id == run_id, GroupingRun.attempts == attempt)
            .values(state=RunState.DONE, finished_at=clock(), groups_proposed=len(groups),
                    comments_grouped=sum(group.size for group in groups))
        )
        if not finished.rowcount:
            raise Superseded()
        db.session.commit()
    except Superseded:
        db.session.rollback()
        log.warning("Grouping run %s was taken over by another consumer; this attempt stops", run_id)
    except Exception:
        db.session.rollback()
        log.exception("Grouping run %s failed (attempt %s)", run_id, attempt)
        _fail(run_id, attempt, INTERNAL_ERROR, clock())


def _fail(run_id: int, attempt: int, reason: str, now: datetime) -> None:
    db.session.execute(update(GroupingRun).where(GroupingRun.id == run_id, GroupingRun.attempts == attempt,
                                                 GroupingRun.state.in_(WAITING))
                       .values(state=RunState.FAILED, finished_at=now, error=reason))
    db.session.commit()


def stale_runs(now: datetime, stale_after: timedelta) -> list[int]:
    """Runs to queue again (cut off, attempts left, or never picked up); those out of attempts are failed."""
    cutoff = now - stale_after
    silent = or_(and_(GroupingRun.state == RunState.RUNNING, GroupingRun.started_at < cutoff),
                 and_(GroupingRun.state == RunState.QUEUED, GroupingRun.requested_at < cutoff))
    rows = db.session.execute(select(GroupingRun.id, GroupingRun.attempts).where(silent)).all()
    again = []
    for run_id, attempts in rows:
        if attempts >= MAX_ATTEMPTS:
            _fail(run_id, attempts, INTERRUPTED, now)
        else:
            again.append(run_id)
    return again
