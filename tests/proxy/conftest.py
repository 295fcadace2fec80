"""Proxy tests: Debian's nginx, configured with docs/nginx-engage-cache.conf, in front of gunicorn serving Engage.

Both run as child processes on free ports of 127.0.0.1, started afresh for each test (so neither nginx's cache
nor the workers' page caches carry one test's pages into the next), on the test database. Without nginx or
gunicorn the tests skip on a developer's machine and fail in CI (``CI=true``), as the browser tests do.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import skip_or_fail
from tests.fixtures.messaging import free_port
from tests.proxy.nginx import NGINX, nginx_config

pytestmark = pytest.mark.proxy

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
#: what the proxied Engage tells caches: a short max-age, so that a test can watch a page expire
MAX_AGE = 2
STATE_SECONDS = 1


@pytest.fixture(autouse=True)
def _proxy_marker(request):
    request.node.add_marker(pytest.mark.proxy)


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            requests.get(url, timeout=2)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s:\n{log.read_text(errors='replace')}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Proxied:
    """nginx (``url``) in front of gunicorn (``upstream_url``), both serving the test database."""

    def __init__(self, url: str, upstream_url: str):
        self.url, self.upstream_url = url, upstream_url

    def get(self, path: str, client=None, **kwargs) -> requests.Response:
        return (client or requests).get(self.url + path, allow_redirects=False, timeout=10, **kwargs)


def _gunicorn_environment(app, workdir: Path, port: int) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": app.config["SECRET_KEY"],
        "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", "GUNICORN_ACCESSLOG": "",
        "TRUSTED_PROXIES": "1", "RATELIMIT_ENABLED": "false", "PUBLIC_CACHE_SECONDS": str(MAX_AGE),
        "PUBLIC_CACHE_STALE_SECONDS": "30", "PAGE_CACHE_STATE_SECONDS": str(STATE_SECONDS),
        "JOBS_SQLITE_PATH": str(workdir / "jobs.sqlite"), "UPLOAD_FOLDER": str(workdir / "uploads"),
        "MAIL_FILE_PATH": str(workdir / "email"), "SMS_FILE_PATH": str(workdir / "sms"),
    }


@pytest.fixture
def proxied(app, tmp_path):
    """Engage through nginx's cache, on the test database (emptied before each test, CSRF protection on)."""
    if not NGINX.exists():
        skip_or_fail(f"nginx not found at {NGINX}; install Debian's nginx package")
    if not GUNICORN.exists():
        skip_or_fail(f"gunicorn not found at {GUNICORN}; pip install -e '.[test]'")
    upstream_port, nginx_port = free_port(), free_port()
    (tmp_path / "cache").mkdir()
    gunicorn_log, nginx_log = tmp_path / "gunicorn.log", tmp_path / "nginx-error.log"
    with open(gunicorn_log, "wb") as out:
        gunicorn = subprocess.Popen([str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"], cwd=ROOT,
                                    env=_gunicorn_environment(app, tmp_path, upstream_port), stdout=out,
                                    stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{upstream_port}/healthz", gunicorn, gunicorn_log)
        config = tmp_path / "nginx.conf"
        config.write_text(nginx_config(tmp_path, nginx_port, upstream_port), encoding="utf-8")
        nginx_log.touch()
        nginx = subprocess.Popen([str(NGINX), "-c", str(config), "-p", str(tmp_path)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        try:
            wait_until_up(f"http://127.0.0.1:{nginx_port}/healthz", nginx, nginx_log)
            yield Proxied(f"http://127.0.0.1:{nginx_port}", f"http://127.0.0.1:{upstream_port}")
        finally:
            stop(nginx)
    finally:
        stop(gunicorn)
