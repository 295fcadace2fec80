"""Sign-up rush benchmark: 2,000 sign-ups from 100 concurrent clients at one event, on PostgreSQL.

    .venv/bin/python bench/events.py [--requests 2000] [--clients 100] [--capacity 500] [--workers 4]

Creates a database of its own on the PostgreSQL server (BENCH_POSTGRES_URL, default
postgresql+psycopg://postgres@127.0.0.1:5432/test), migrates it, adds one published event, and serves Engage
with gunicorn (gunicorn.conf.py, 4 sync workers, access log off, the sign-up rate limit raised out of the way).
100 client threads, released together, send 2,000 `POST /api/v1/events/{id}/registrations` with distinct
phone numbers, each on a fresh connection (sync workers do not keep connections alive). The client times
every request itself, so the p99 is exact, not sampled.

Correctness, checked in the database afterwards: every 201 answer is one stored sign-up; exactly ``capacity``
seats are confirmed and the counter equals them; order is kept (sign-up numbers 1..N without gaps, the
confirmed ones exactly numbers 1..capacity, every later one waitlisted, the waitlist positions answered are
1..N-capacity once each); no phone twice. The database is dropped at the end. Results go to the terminal and
bench/results/events-latest.json.
"""

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
GUNICORN = Path(sys.executable).parent / "gunicorn"
CONFIG = ROOT / "gunicorn.conf.py"
TARGET_PER_S = 150


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--capacity", type=int, default=500, help="seats of the event (the rest are waitlisted)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES_URL",
                                                           "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def create_database(server_url: str) -> tuple[str, sa.Engine]:
    admin = sa.create_engine(sa.make_url(server_url), isolation_level="AUTOCOMMIT")
    name = f"engage_bench_events_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return sa.make_url(server_url).set(database=name).render_as_string(hide_password=False), admin


def prepare(database_url: str, capacity: int) -> int:
    """Migrate and add one published event taking sign-ups now; returns its id."""
    from flask_migrate import upgrade

    from engage import create_app
    from engage.accounts.models import Department
    from engage.events.models import Campaign, CampaignStatus, Event, EventKind, EventStatus
    from engage.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        now = datetime.now(UTC)
        department = Department(name="区政务服务管理局", name_en="District Government Services Bureau", is_active=True)
        campaign = Campaign(title="2026年政府开放月", status=CampaignStatus.PUBLISHED, created_at=now, updated_at=now)
        db.session.add_all([department, campaign])
        db.session.flush()
        event = Event(
            campaign_id=campaign.id, department_id=department.id, kind=EventKind.INSTITUTION_VISIT,
            title="走进区政务服务中心", venue="区政务服务中心", starts_at=now + timedelta(days=7),
            ends_at=now + timedelta(days=7, hours=2), registration_opens_at=now - timedelta(days=1),
            registration_closes_at=now + timedelta(days=6), capacity=capacity, max_party_size=1,
            status=EventStatus.PUBLISHED, published_at=now, created_at=now, updated_at=now,
        )
        db.session.add(event)
        db.session.commit()
        event_id = event.id
        db.engine.dispose()
    return event_id


class Server:
    def __init__(self, database_url: str, workers: int):
        self.port = free_port()
        self.env = os.environ | {
            "DATABASE_URL": database_url, "SECRET_KEY": "benchmark-only-secret", "WEB_CONCURRENCY": str(workers),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_ACCESSLOG": "",
            "RATELIMIT_SIGN_UPS": "1000000 per minute",
        }

    def __enter__(self):
        self.process = subprocess.Popen([str(GUNICORN), "--config", str(CONFIG), "wsgi:app"], cwd=ROOT, env=self.env,
                                        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2)
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        sys.exit("gunicorn did not start")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def warm_up(port: int, event_id: int) -> None:
    """Read the event a few times, so every worker has imported, connected and rendered once before the rush."""
    for _ in range(20):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/events/{event_id}", timeout=10).read()


def rush(port: int, event_id: int, requests: int, clients: int) -> tuple[list[dict], float]:
    """Send the sign-ups from ``clients`` threads released together; returns each answer and the wall time."""
    phones = iter([f"135{i:08d}" for i in range(requests)])
    lock, start = threading.Lock(), threading.Barrier(clients + 1)
    answers: list[dict] = []

    def client():
        start.wait()
        while True:
            with lock:
                phone = next(phones, None)
            if phone is None:
                return
            answers.append(sign_up(port, event_id, phone))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return answers, time.perf_counter() - began


def sign_up(port: int, event_id: int, phone: str) -> dict:
    body = json.dumps({"name": "压测市民", "phone": phone, "party_size": 1})
    began = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("POST", f"/api/v1/events/{event_id}/registrations", body, {"Content-Type": "application/json"})
        response = conn.getresponse()
        answer = json.loads(response.read() or b"{}")
        status = response.status
        conn.close()
    except OSError as error:
        status, answer = 0, {"error": str(error)}
    return {"phone": phone, "status": status, "ms": (time.perf_counter() - began) * 1000, "answer": answer}


def check(database_url: str, event_id: int, answers: list[dict], capacity: int) -> dict:
    created = [a for a in answers if a["status"] == 201]
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT number, status, phone FROM event_registrations WHERE event_id = :e ORDER BY number"
        ), {"e": event_id}).all()
        seats_taken = conn.scalar(sa.text("SELECT seats_taken FROM events WHERE id = :e"), {"e": event_id})
    engine.dispose()
    confirmed = [r.number for r in rows if r.status == "confirmed"]
    waitlisted = [r.number for r in rows if r.status == "waitlisted"]
    positions = sorted(a["answer"]["waitlist_position"] for a in created if a["answer"]["status"] == "waitlisted")
    checks = {
        "every 201 is one stored sign-up": len(rows) == len(created),
        "confirmed seats = capacity": len(confirmed) == capacity == seats_taken,
        "numbers 1..N without gaps": [r.number for r in rows] == list(range(1, len(rows) + 1)),
        "first come first served (confirmed = numbers 1..capacity)": confirmed == list(range(1, capacity + 1)),
        "everyone after is waitlisted": waitlisted == list(range(capacity + 1, len(rows) + 1)),
        "waitlist positions answered 1..N-capacity once each": positions == list(range(1, len(rows) - capacity + 1)),
        "no phone twice": len({r.phone for r in rows}) == len(rows),
    }
    return checks


def main() -> int:
    args = parse_args()
    database_url, admin = create_database(args.server)
    try:
        event_id = prepare(database_url, args.capacity)
        with Server(database_url, args.workers) as server:
            warm_up(server.port, event_id)
            answers, wall = rush(server.port, event_id, args.requests, args.clients)
        checks = check(database_url, event_id, answers, args.capacity)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{sa.make_url(database_url).database}" WITH (FORCE)')
        admin.dispose()
    return report(args, answers, wall, checks)


def report(args, answers: list[dict], wall: float, checks: dict) -> int:
    latencies = sorted(a["ms"] for a in answers)
    errors = [a for a in answers if a["status"] != 201]
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "cpus": os.cpu_count(),
        "requests": len(answers), "clients": args.clients, "workers": args.workers, "capacity": args.capacity,
        "seconds": round(wall, 2), "sign_ups_per_s": round(len(answers) / wall, 1),
        "p50_ms": round(statistics.median(latencies), 1), "p99_ms": round(p99, 1), "max_ms": round(latencies[-1], 1),
        "errors": len(errors), "error_statuses": sorted({a["status"] for a in errors}), "checks": checks,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "events-latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"{result['requests']} sign-ups from {args.clients} clients, {args.workers} workers, PostgreSQL")
    print(f"  {result['sign_ups_per_s']} sign-ups/s in {result['seconds']} s; p50 {result['p50_ms']} ms, "
          f"p99 {result['p99_ms']} ms, max {result['max_ms']} ms; errors {result['errors']} {result['error_statuses']}")
    for name, passed in checks.items():
        print(f"  {'ok  ' if passed else 'FAIL'} {name}")
    met = result["sign_ups_per_s"] >= TARGET_PER_S and not errors and all(checks.values())
    print(f"  target ≥ {TARGET_PER_S}/s with zero errors and every check: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
