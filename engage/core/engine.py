"""Engine set-up: SQLite in WAL mode with write transactions that queue instead of failing."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, has_request_context, request
from sqlalchemy import event

from engage.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 15000

#: True: transactions take the write lock up front; False: they never do; None: as the request's method says
_writing: ContextVar[bool | None] = ContextVar("engage_writing", default=None)


def configure_engine(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_on_connect)
            event.listen(engine, "begin", _sqlite_on_begin)


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record) -> None:
    # Let SQLAlchemy's "begin" event start transactions instead of the driver (SQLAlchemy's pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_on_begin(connection) -> None:
    # A request that writes takes the write lock up front. A deferred transaction that reads and then writes
    # fails with SQLITE_BUSY at once when another worker wrote in between; busy_timeout cannot help it.
    writes = _writing.get()
    if writes is None:
        writes = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


@contextmanager
def write_transactions() -> Iterator[None]:
    """Outside a request (a background job), make transactions take the SQLite write lock up front, as POSTs do."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


@contextmanager
def read_transactions() -> Iterator[None]:
    """Transactions that only read, whatever request is under way: a job's long read (writing a file of
    400,000 comments) must not hold the SQLite write lock while it runs, or every other writer waits."""
    token = _writing.set(False)
    try:
        yield
    finally:
        _writing.reset(token)


def lock_row(statement):
    """Lock the selected rows until commit where the database can (PostgreSQL); SQLite writers are serial."""
    return statement.with_for_update() if db.engine.dialect.name == "postgresql" else statement
