"""Engine set-up: SQLite in WAL mode with write transactions that queue instead of failing."""

import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, has_request_context, request
from sqlalchemy import event

from engage.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 15000
#: set by work outside a request (a job, a command) whose next transaction reads and then writes
_WRITES_AHEAD: ContextVar[bool] = ContextVar("engage_sqlite_writes_ahead", default=False)


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
    writes = _WRITES_AHEAD.get() or (has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS"))
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


@contextmanager
def write_transaction():
    """Outside a request: a transaction begun inside reads and then writes, so on SQLite it takes the write lock
    up front (``BEGIN IMMEDIATE``), as a writing request's does. End the transaction before leaving."""
    token = _WRITES_AHEAD.set(True)
    try:
        yield
    finally:
        _WRITES_AHEAD.reset(token)


def lock_row(statement):
    """Lock the selected rows until commit where the database can (PostgreSQL); SQLite writers are serial."""
    return statement.with_for_update() if db.engine.dialect.name == "postgresql" else statement
