"""The page's proposal imports on the queue, run by this process: claims, retries, the sweep of cut-off runs."""

from datetime import timedelta

import pytest

from engage import jobs
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.proposals.importing import jobs as import_jobs
from engage.proposals.importing import tasks
from engage.proposals.models import ImportJob, ImportState, Proposal
from tests.fixtures.proposals import SESSION

STALE = timedelta(seconds=300)


def csv_bytes(department, count: int = 3) -> bytes:
    rows = "".join(f"{n:03d},标题{n},代表{n},{department.name}\n" for n in range(1, count + 1))
    return ("编号,标题,领衔人,主办单位\n" + rows).encode()


@pytest.fixture
def queued(app, supervisor, department):
    """An import as the page leaves it: the file on its committed row, nothing queued yet."""
    jobs.huey.flush()
    job = import_jobs.create_job("suggestion", SESSION, "名单.csv", actor=supervisor, now=utcnow(),
                                 data=csv_bytes(department))
    db.session.commit()
    return job


def run_queue() -> int:
    """Run every task due, as a consumer would; how many ran."""
    ran = 0
    while (task := jobs.huey.dequeue()) is not None:
        jobs.huey.execute(task)
        ran += 1
    return ran


def cases() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Proposal))


def cut_off(job: ImportJob, *, attempts: int, state=ImportState.IMPORTING, silent_for=timedelta(hours=1)) -> None:
    """Leave the row as a consumer killed mid-import leaves it."""
    job.state, job.attempts, job.heartbeat_at = state, attempts, utcnow() - silent_for
    db.session.commit()


def test_the_queued_task_carries_only_the_import_id(queued):
    tasks.enqueue(queued.id)
    task = jobs.huey.dequeue()
    assert (task.name, task.args, task.kwargs) == ("engage.proposals.importing.tasks.run_queued_import",
                                                   (queued.id,), {})


def test_a_queued_import_runs_from_its_row_and_drops_the_file(queued):
    tasks.enqueue(queued.id)
    assert run_queue() == 1
    db.session.expire_all()
    assert (queued.state, queued.imported_rows, queued.attempts, queued.data) == (ImportState.DONE, 3, 1, None)
    assert cases() == 3


def test_running_a_finished_import_again_stores_nothing_more(queued):
    tasks.enqueue(queued.id)
    tasks.enqueue(queued.id)
    assert run_queue() == 2
    db.session.expire_all()
    assert (queued.state, queued.attempts, cases()) == (ImportState.DONE, 1, 3)


def test_an_import_with_a_live_consumer_is_not_taken(queued):
    cut_off(queued, attempts=1, state=ImportState.VALIDATING, silent_for=timedelta(seconds=5))
    assert tasks.claim(queued.id, utcnow(), STALE) is None


def test_an_import_whose_consumer_went_silent_is_taken_over(queued):
    cut_off(queued, attempts=1)
    assert tasks.claim(queued.id, utcnow(), STALE) == 2
    db.session.expire_all()
    assert (queued.state, queued.processed_rows) == (ImportState.VALIDATING, 0)


def test_a_run_taken_over_can_write_nothing_more(queued):
    first = tasks.claim(queued.id, utcnow(), STALE)
    cut_off(queued, attempts=first)
    assert tasks.claim(queued.id, utcnow(), STALE) == first + 1
    with pytest.raises(tasks.Superseded):
        tasks._beat(queued.id, first)


def test_the_sweep_queues_again_an_import_cut_off_and_it_completes(queued):
    cut_off(queued, attempts=1)
    assert tasks.sweep(utcnow(), STALE) == [queued.id]
    assert run_queue() == 1
    db.session.expire_all()
    assert (queued.state, queued.attempts, cases()) == (ImportState.DONE, 2, 3)


def test_the_sweep_leaves_a_live_import_alone(queued):
    cut_off(queued, attempts=1, silent_for=timedelta(seconds=5))
    assert tasks.sweep(utcnow(), STALE) == []
    assert jobs.huey.pending_count() == 0


def test_the_sweep_queues_an_upload_the_queue_never_got(queued):
    queued.created_at = utcnow() - timedelta(hours=1)  # the queue was unreachable when it was uploaded
    db.session.commit()
    assert tasks.sweep(utcnow(), STALE) == [queued.id]


def test_the_sweep_fails_an_import_cut_off_too_often_with_its_reason(en_client, auth, supervisor, queued):
    cut_off(queued, attempts=tasks.MAX_ATTEMPTS)
    assert tasks.sweep(utcnow(), STALE) == []
    db.session.expire_all()
    assert (queued.state, queued.data) == (ImportState.FAILED, None)
    auth.login(supervisor.email)
    page = en_client.get(f"/staff/proposals/import/{queued.id}").get_data(as_text=True)
    assert "The import was interrupted 3 times. Nothing was imported" in page


def test_an_internal_error_is_retried_then_failed_with_its_reason(app, queued, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(tasks, "run_import", broken)
    with pytest.raises(RuntimeError):
        tasks.execute(queued.id, config=app.config, retries_left=1)
    db.session.expire_all()
    assert (queued.state, queued.attempts) == (ImportState.QUEUED, 1)
    tasks.execute(queued.id, config=app.config, retries_left=0)
    db.session.expire_all()
    assert queued.state == ImportState.FAILED and queued.errors[0]["message"] == tasks.INTERNAL_ERROR
    assert cases() == 0


def test_huey_retries_an_import_that_raised(queued, monkeypatch):
    monkeypatch.setattr(tasks, "run_import", lambda *a, **k: 1 / 0)
    tasks.enqueue(queued.id)
    run_queue()
    assert jobs.huey.scheduled_count() == 1  # back after its retry delay
    db.session.expire_all()
    assert queued.state == ImportState.QUEUED
