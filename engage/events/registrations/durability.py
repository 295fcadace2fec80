"""Releasing a hot row's lock before the disk flush, without ever answering before the data is durable.

Every sign-up for one event takes that event's row lock, and PostgreSQL releases it only when the commit has
been flushed to disk. On a disk that needs ~10 ms per flush, sign-ups for one event could never pass ~100/s,
however fast the rest. So a sign-up commits *asynchronously* (``synchronous_commit = off``: the lock is
released as soon as the commit is written to the WAL buffers) and then, before the request answers, waits
for the WAL to be flushed past its commit, outside the lock, where concurrent requests share one flush
(group commit).

Nothing is reported before it is durable, and nothing durable depends on what is not: the WAL is written in
order, so any later commit that read this sign-up (a sign-up that saw the seat taken) is flushed only with it.
A crash can lose only sign-ups that were never answered, exactly as a crash just before a commit would.
"""

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from engage.extensions import db

_PENDING_FLUSH = "events.wal_flush_pending"


def commit_without_waiting_for_disk() -> None:
    """Let this transaction's commit release its locks at once; the flush then happens after commit (PostgreSQL)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return  # SQLite's WAL commit holds no row locks worth freeing early
    db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    db.session.info[_PENDING_FLUSH] = True


@event.listens_for(Session, "after_commit")
def _wait_for_disk(session: Session) -> None:
    if not session.info.pop(_PENDING_FLUSH, False):
        return
    # A transaction with an id commits with a WAL record; committing it synchronously flushes the WAL up to
    # there, and so past the asynchronous commit that came before it.
    with session.get_bind().connect() as connection:
        connection.execute(text("SELECT txid_current()"))
        connection.commit()


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING_FLUSH, None)
