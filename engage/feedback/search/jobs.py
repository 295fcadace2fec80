"""Indexing new comments on the job queue, a moment after they arrive.

Segmenting a comment takes jieba 0.1 ms for a usual one and 8 ms for one of 3,000 characters, and loading its
dictionary takes a process 1-2 s on first use (measured, docs/PERFORMANCE.md): a web worker taking in comments
must not pay that. So a commit that stored comments (any way: the form, the API, offline opinions, an import)
asks for an indexing run ``COMMENT_SEARCH_INDEX_SECONDS`` later; commits within that time are covered by the same
run. A run asked for but lost (the queue unreachable, a consumer killed) is made up by the sweep every minute,
which also indexes comments stored by bulk inserts, which no session event sees.
"""

from __future__ import annotations

import logging
import threading
import time

import sqlalchemy as sa
from flask import current_app, has_app_context
from huey import crontab
from sqlalchemy.orm import Session

from engage.consultations.models import Comment
from engage.core.engine import write_transactions
from engage.feedback.search import index
from engage.jobs import job, periodic

log = logging.getLogger(__name__)

_FLAG = "engage_comments_to_index"


class RunRequests:
    """Schedules an indexing run at most once per window in this process.

    A run is scheduled ``window`` seconds ahead; a commit made before that moment is covered by it (the run cannot
    start earlier, and the commit is already done when it asks), so it asks for nothing."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.covered_until = -float("inf")
        self.lock = threading.Lock()

    def request(self, window: float) -> bool:
        """True when a run was asked for, False when one already covers this moment or the queue is unreachable."""
        now = self.clock()
        with self.lock:
            if now < self.covered_until:
                return False
            self.covered_until = now + window
        try:
            if window > 0:
                index_new_comments.schedule(delay=window)
            else:
                index_new_comments()
        except Exception:  # the queue's storage is down: the sweep finds the comments
            log.warning("could not ask the queue for an indexing run; the sweep will", exc_info=True)
            with self.lock:
                self.covered_until = -float("inf")
            return False
        return True


requests = RunRequests()


@sa.event.listens_for(Session, "after_flush")
def _note_new_comments(session, _flush_context) -> None:
    if any(isinstance(instance, Comment) for instance in session.new):
        session.info[_FLAG] = True


@sa.event.listens_for(Session, "after_commit")
def _ask_for_indexing(session) -> None:
    if session.info.pop(_FLAG, False) and has_app_context():
        window = current_app.config["COMMENT_SEARCH_INDEX_SECONDS"]
        if window >= 0:  # negative: no run is asked for, the minute's sweep indexes new comments
            requests.request(window)


@sa.event.listens_for(Session, "after_soft_rollback")
def _forget_new_comments(session, previous_transaction) -> None:
    if not session.in_transaction():
        session.info.pop(_FLAG, None)


@job()
def index_new_comments() -> None:
    with write_transactions():
        _done, more = index.index_pending()
    if more:  # a large import: another run takes the rest, and other jobs get a turn in between
        index_new_comments()


@periodic(crontab(minute="*"))
def sweep_comment_words() -> None:
    """Every minute, index what no run took (a lost request, comments inserted in bulk)."""
    if index.pending_count():
        index_new_comments()
