"""The job queue: a real SQLite Huey file (and Redis when it answers), jobs in the app context, health."""

import pytest
import redis

from engage import jobs
from engage.extensions import db
from tests.conftest import IN_CI

SEEN = []


@jobs.job()
def count_users() -> None:
    SEEN.append(db.session.execute(db.text("SELECT count(*) FROM users")).scalar())


def _run_next_job():
    task = jobs.huey.dequeue()
    assert task is not None
    return jobs.huey.execute(task)


def test_enqueued_job_waits_in_the_sqlite_file(app):
    jobs.huey.flush()
    count_users()
    assert jobs.huey.pending_count() == 1
    assert app.config["JOBS_SQLITE_PATH"].endswith("jobs.sqlite")


def test_job_runs_in_the_application_context(app):
    jobs.huey.flush()
    SEEN.clear()
    count_users()
    _run_next_job()
    assert SEEN == [0]
    assert jobs.huey.pending_count() == 0


def test_health_without_consumer_says_so(client):
    jobs.huey.flush()
    jobs.huey.storage.delete_data(jobs.HEARTBEAT_KEY)
    count_users()
    answer = client.get("/healthz").get_json()
    assert answer["jobs"]["consumer_seen"] is False
    assert answer["jobs"]["waiting"] == 1


def test_health_after_heartbeat_sees_the_consumer(client):
    jobs.record_heartbeat()
    assert client.get("/healthz").get_json()["jobs"]["consumer_seen"] is True


def test_stale_heartbeat_counts_as_gone(app):
    jobs.record_heartbeat(now=1000.0)
    assert jobs.health(now=1000.0 + jobs.HEARTBEAT_STALE_SECONDS + 1)["consumer_seen"] is False


def test_redis_queue_when_jobs_url_is_redis(app, make_app):
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        if IN_CI:
            pytest.fail("CI requires Redis at 127.0.0.1:6379")
        pytest.skip("Redis not running at 127.0.0.1:6379")
    make_app(JOBS_URL="redis://127.0.0.1:6379/15")
    try:
        jobs.huey.flush()
        count_users()
        assert jobs.huey.pending_count() == 1
        assert type(jobs.huey.storage).__name__ == "RedisStorage"
        jobs.huey.flush()
    finally:
        jobs.init_app(app)  # back to the session's SQLite queue for the other tests


def test_health_reports_an_unreachable_queue_instead_of_failing(app, client, make_app):
    make_app(JOBS_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        answer = client.get("/healthz")
        assert answer.status_code == 200
        assert answer.get_json()["jobs"] == {"reachable": False, "error": "ConnectionError", "consumer_seen": False}
    finally:
        jobs.init_app(app)
