"""A real consumer (``flask jobs consume`` in a subprocess, on the SQLite queue) killed with SIGKILL mid-import.

The page queues the import; the consumer is killed while it stores the cases; nothing of them is left. A new
consumer takes the cut-off import up (the sweep it runs when it starts) and stores every case exactly once.
Runs on SQLite and on PostgreSQL.
"""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from engage import jobs
from engage.extensions import db
from engage.proposals.models import HandlingRound, ImportJob, ImportState, Proposal, Proposer, StatusChange
from tests.fixtures.proposals import SESSION

ROOT = Path(__file__).resolve().parents[2]
ROWS = 3000  # storing them takes a few seconds: long enough to be caught at it
STALE_SECONDS = 2


def list_file(department) -> bytes:
    lines = ["编号,标题,领衔人,附议人,主办单位"]
    lines += [f"{n:05d},关于第{n}件事的建议,代表{n},甲{n}、乙{n},{department.name}" for n in range(1, ROWS + 1)]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def start_consumer(app) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
           "JOBS_URL": "", "JOBS_SQLITE_PATH": app.config["JOBS_SQLITE_PATH"], "SECRET_KEY": "test-secret",
           "PROPOSAL_IMPORT_STALE_SECONDS": str(STALE_SECONDS), "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"]}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "consume", "--workers", "2"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture
def reader(app):
    """A connection of the test's own for reading what the consumer commits (plain reads, never a write lock)."""
    engine = sa.create_engine(db.engine.url)
    yield engine
    engine.dispose()


def read_job(engine, job_id: int):
    with engine.connect() as conn:
        table = ImportJob.__table__
        return conn.execute(sa.select(table.c.state, table.c.imported_rows, table.c.attempts,
                                      table.c.data.is_(None).label("file_dropped"))
                            .where(table.c.id == job_id)).one()


def wait_until(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.01)
    pytest.fail(f"timed out waiting for {what}")


def count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(model.__table__))


def test_an_import_killed_while_storing_completes_exactly_once_after_a_restart(client, auth, supervisor, department,
                                                                              reader):
    jobs.huey.flush()
    auth.login(supervisor.email)
    sent = client.post("/staff/proposals/import", data={
        "kind": "suggestion", "session": SESSION, "file": (io.BytesIO(list_file(department)), "名单.csv"),
    })
    assert sent.status_code == 302
    job_id = int(sent.location.rsplit("/", 1)[-1])
    consumers = [start_consumer(client.application)]
    try:
        wait_until(lambda: read_job(reader, job_id).state == ImportState.IMPORTING, 60,
                   "the consumer to store the cases")
        consumers[0].send_signal(signal.SIGKILL)
        consumers[0].wait(10)
        # The storing transaction died with its process: not one case, and the page still says "importing".
        assert (read_job(reader, job_id).state, count(reader, Proposal)) == (ImportState.IMPORTING, 0)
        assert client.get(sent.location + "/progress").json["finished"] is False

        time.sleep(STALE_SECONDS + 0.5)  # the killed run is now silent for longer than a live one ever is
        consumers.append(start_consumer(client.application))
        wait_until(lambda: read_job(reader, job_id).state in (ImportState.DONE, ImportState.FAILED), 120,
                   "the restarted consumer to finish the import")
    finally:
        for consumer in consumers:
            if consumer.poll() is None:
                consumer.send_signal(signal.SIGTERM)
                consumer.wait(30)
    job = read_job(reader, job_id)
    assert (job.state, job.imported_rows, job.attempts, job.file_dropped) == (ImportState.DONE, ROWS, 2, True)
    progress = client.get(sent.location + "/progress").json
    assert (progress["finished"], progress["imported"]) == (True, ROWS)
    with reader.connect() as conn:
        numbers = conn.scalars(sa.select(Proposal.__table__.c.number)).all()
    assert len(numbers) == len(set(numbers)) == ROWS
    assert [count(reader, model) for model in (Proposer, HandlingRound, StatusChange)] == [3 * ROWS, ROWS, 2 * ROWS]
