"""Background jobs on Huey: one queue for the web workers, the consumers and the periodic tasks.

Where the queue lives:
- by default a SQLite file under ``instance/`` (``instance/jobs.sqlite``), for one machine and ``make run``;
- ``JOBS_URL=redis://host:6379/0`` puts it in Redis, for any number of consumers on any number of machines.

Writing a job::

    from engage.jobs import huey, job

    @job(retries=2, retry_delay=30)
    def publish_report(report_id: int) -> None:
        ...                       # runs inside the Flask application context

    publish_report(report_id)     # enqueues; returns at once

Jobs carry ids, never model instances, and must be safe to run twice (a consumer killed after the work but
before the acknowledgement runs it again). Periodic tasks use ``huey.periodic_task(crontab(...))`` wrapped
by :func:`periodic`. ``flask jobs consume`` runs a consumer; ``engage.jobs.health()`` says whether one was
seen lately and how many jobs wait (shown by ``/healthz``).
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import time

import redis
from flask import Flask, has_app_context
from huey import Huey, crontab
from huey.constants import EmptyData
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

#: The one queue. Decorators register on it at import time; ``init_app`` points it at its storage.
log = logging.getLogger(__name__)

huey = Huey("engage", results=False, utc=True, storage_class=MemoryStorage)

HEARTBEAT_KEY = "engage:consumer-heartbeat"
#: A consumer that wrote no heartbeat for this long counts as gone (the heartbeat task runs every minute).
HEARTBEAT_STALE_SECONDS = 150

_app: Flask | None = None


def init_app(app: Flask) -> None:
    """Point the queue at SQLite under instance/ or at Redis (``JOBS_URL``); jobs then run in ``app``."""
    global _app
    _app = app
    url = app.config.get("JOBS_URL") or ""
    if app.config.get("JOBS_IMMEDIATE"):
        huey.immediate = True
    elif url.startswith(("redis://", "rediss://", "unix://")):
        _use_storage(RedisStorage, url=url)
    else:
        _use_storage(SqliteStorage, filename=app.config["JOBS_SQLITE_PATH"])
    app.extensions["engage_jobs"] = huey


def _use_storage(storage_class, **kwargs) -> None:
    huey.immediate = False
    huey.storage_class = storage_class
    huey.storage_kwargs = kwargs
    huey.storage = huey.create_storage()


def _in_app_context(fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        if has_app_context():
            return fn(*args, **kwargs)
        if _app is None:
            raise RuntimeError("engage.jobs.init_app was not called (create_app does it)")
        with _app.app_context():
            return fn(*args, **kwargs)

    return run


def enqueue_or_leave_to_sweep(task, *args, what: str) -> bool:
    """Queue ``task(*args)``; False when the queue cannot be reached (Redis down, its SQLite file locked).

    Nothing is lost then: every job acts on a row kept in the database, and a periodic sweep queues again the
    rows still waiting.
    """
    try:
        task(*args)
    except Exception:
        log.warning("Could not queue %s; the sweep will", what, exc_info=True)
        return False
    return True


def job(**options):
    """Register a background job (Huey ``task`` options) that runs in the application context."""
    return lambda fn: huey.task(name=f"{fn.__module__}.{fn.__name__}", **options)(_in_app_context(fn))


def periodic(schedule: crontab, **options):
    """Register a periodic task (a Huey ``crontab``) that runs in the application context."""
    return lambda fn: huey.periodic_task(schedule, name=f"{fn.__module__}.{fn.__name__}",
                                         **options)(_in_app_context(fn))


def record_heartbeat(now: float | None = None) -> None:
    """Note that a consumer is alive (kept in the queue's own storage, so every machine sees it)."""
    huey.storage.put_data(HEARTBEAT_KEY, str(now if now is not None else time.time()).encode())


def last_heartbeat() -> float | None:
    value = huey.storage.peek_data(HEARTBEAT_KEY)
    return None if value is EmptyData else float(value)


def health(now: float | None = None) -> dict:
    """Whether a consumer was seen recently, when, and how many jobs wait (due now or scheduled).

    An unreachable queue (Redis down, the SQLite file unreadable) is reported, not raised: the web side still
    serves pages, so a load balancer reading ``/healthz`` must not take it out of service for that.
    """
    now = now if now is not None else time.time()
    try:
        seen = last_heartbeat()
        waiting, scheduled = huey.pending_count(), huey.scheduled_count()
    except (redis.RedisError, sqlite3.Error, OSError) as error:
        return {"reachable": False, "error": type(error).__name__, "consumer_seen": False}
    return {
        "reachable": True,
        "consumer_seen": seen is not None and now - seen <= HEARTBEAT_STALE_SECONDS,
        "consumer_seen_seconds_ago": None if seen is None else round(now - seen),
        "waiting": waiting,
        "scheduled": scheduled,
    }


@periodic(crontab(minute="*"))
def heartbeat() -> None:
    """Every minute, tell the web side a consumer runs."""
    record_heartbeat()
