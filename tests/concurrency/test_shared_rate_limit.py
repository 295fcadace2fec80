"""Several instances of Engage share one Redis for rate limits, so a client cannot spread its requests over them.

Two gunicorn instances run as separate processes on the test database with RATELIMIT_STORAGE_URL pointing at
Redis; comments sent alternately to both count against one limit.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        if IN_CI:
            pytest.fail(f"CI requires Redis at {REDIS_URL}: {error}")
        pytest.skip(f"Redis unreachable at {REDIS_URL}")
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on port {port} exited with {process.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn on port {port} did not start")


@pytest.fixture
def two_instances(app, redis_url, instance_dir):
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "shared-secret",
        "RATELIMIT_STORAGE_URL": redis_url,
        "RATELIMIT_COMMENTS": "3 per minute",
        "UPLOAD_FOLDER": str(instance_dir / "uploads"),
    }
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            _wait_until_serving(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


def _post_comment(port: int, consultation_id: int, body: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/consultations/{consultation_id}/comments",
        data=json.dumps({"body": body}).encode(), headers={"Content-Type": "application/json"}, method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_comment_limit_is_shared_by_all_instances(open_consultation, two_instances):
    first, second = two_instances
    statuses = [_post_comment(port, open_consultation.id, f"意见{i}") for i, port in
                enumerate([first, second, first, second])]
    assert statuses == [201, 201, 201, 429]
