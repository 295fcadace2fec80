"""A sign-up rush: hundreds of simultaneous sign-ups from several processes at one event with 50 seats.

The server is gunicorn with several worker processes on the test database (SQLite and PostgreSQL), so the
sign-ups really race: on PostgreSQL they queue on the event row's lock, on SQLite on the write lock. Exactly
50 seats are confirmed, the rest waitlisted in sign-up order, no request fails with a server error, and no
phone ends up with two active sign-ups even when the same phone is sent twice at the same moment.
"""

import json
import multiprocessing
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from engage.events.models import Event, Registration, RegistrationStatus
from engage.extensions import db
from tests.concurrency.test_shared_rate_limit import ROOT, _free_port, _wait_until_serving
from tests.fixtures.events import make_event

CAPACITY = 50
DISTINCT_PHONES = 220
#: phones also sent a second time, at the same moment as the first
DOUBLED_PHONES = 30
CLIENT_PROCESSES = 4
THREADS_PER_PROCESS = 16
WORKERS = 4


@pytest.fixture
def server(app, instance_dir):
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "rush-secret",
        "RATELIMIT_SIGN_UPS": "1000000 per minute",
        "RATELIMIT_STORAGE_URL": "memory://",
        "UPLOAD_FOLDER": str(instance_dir / "uploads"),
        "GUNICORN_ACCESSLOG": "",
    }
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_serving(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def _sign_up(args) -> tuple[str, int]:
    port, event_id, phone = args
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/events/{event_id}/registrations",
        data=json.dumps({"name": "市民", "phone": phone, "party_size": 1}).encode(),
        headers={"Content-Type": "application/json"}, method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return phone, response.status
    except urllib.error.HTTPError as error:
        return phone, error.code


def _client_process(jobs: list) -> list[tuple[str, int]]:
    with ThreadPoolExecutor(THREADS_PER_PROCESS) as pool:
        return list(pool.map(_sign_up, jobs))


def _rush(port: int, event_id: int) -> list[tuple[str, int]]:
    phones = [f"137{i:08d}" for i in range(DISTINCT_PHONES)]
    jobs = [(port, event_id, phone) for phone in phones + phones[:DOUBLED_PHONES]]
    # Interleave, so that each doubled phone is sent by two different processes at about the same time.
    chunks = [jobs[i::CLIENT_PROCESSES] for i in range(CLIENT_PROCESSES)]
    with multiprocessing.get_context("fork").Pool(CLIENT_PROCESSES) as pool:
        return [result for chunk in pool.map(_client_process, chunks) for result in chunk]


def test_sign_up_rush_never_overbooks(app, campaign, department, server):
    event = make_event(campaign, department, capacity=CAPACITY, max_party_size=1)
    results = _rush(server, event.id)

    statuses = Counter(status for _phone, status in results)
    assert len(results) == DISTINCT_PHONES + DOUBLED_PHONES >= 200
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses == {201: DISTINCT_PHONES, 409: DOUBLED_PHONES}, statuses

    db.session.rollback()  # a new transaction, which sees what the server committed
    event = db.session.get(Event, event.id)
    registrations = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id).order_by(Registration.number)
    ).all()
    confirmed = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    waitlisted = [r for r in registrations if r.status == RegistrationStatus.WAITLISTED]
    assert len(confirmed) == CAPACITY and event.seats_taken == CAPACITY
    assert len(waitlisted) == DISTINCT_PHONES - CAPACITY
    # In order: the first fifty sign-ups got the seats, every later one is waitlisted.
    assert [r.number for r in registrations] == list(range(1, DISTINCT_PHONES + 1))
    assert max(r.number for r in confirmed) < min(r.number for r in waitlisted)

    doubled = db.session.execute(
        select(Registration.phone).where(Registration.event_id == event.id, Registration.active_phone.is_not(None))
        .group_by(Registration.phone).having(func.count() > 1)
    ).all()
    assert doubled == []


def _cancel(args) -> int:
    port, code, token = args
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/registrations/{code}/cancel", data=json.dumps({"token": token}).encode(),
        headers={"Content-Type": "application/json"}, method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _cancel_in_threads(jobs: list) -> list[int]:
    with ThreadPoolExecutor(THREADS_PER_PROCESS) as pool:
        return list(pool.map(_cancel, jobs))


def test_simultaneous_cancellations_promote_the_waitlist_in_order(app, campaign, department, server):
    event = make_event(campaign, department, capacity=CAPACITY, max_party_size=1)
    answers = []
    for i in range(2 * CAPACITY):
        request = urllib.request.Request(
            f"http://127.0.0.1:{server}/api/v1/events/{event.id}/registrations",
            data=json.dumps({"name": "市民", "phone": f"136{i:08d}"}).encode(),
            headers={"Content-Type": "application/json"}, method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            answers.append(json.loads(response.read()))
    leaving = [(server, a["code"], a["cancel_token"]) for a in answers[:30]]

    with multiprocessing.get_context("fork").Pool(CLIENT_PROCESSES) as pool:
        statuses = [s for chunk in pool.map(_cancel_in_threads, [leaving[i::CLIENT_PROCESSES]
                                                                 for i in range(CLIENT_PROCESSES)]) for s in chunk]

    assert statuses == [200] * 30
    db.session.rollback()
    event = db.session.get(Event, event.id)
    by_number = {r.number: r.status for r in db.session.scalars(
        select(Registration).where(Registration.event_id == event.id))}
    assert event.seats_taken == CAPACITY
    assert [n for n, s in sorted(by_number.items()) if s == RegistrationStatus.CONFIRMED] == list(range(31, 81))
    assert [n for n, s in sorted(by_number.items()) if s == RegistrationStatus.WAITLISTED] == list(range(81, 101))
