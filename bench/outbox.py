"""Outbox benchmark: one consumer delivers 5,000 SMS to a local SMS platform stand-in (target: under 60 s).

    .venv/bin/python bench/outbox.py [--messages 5000] [--workers 4] [--database sqlite|postgresql]

An organiser cancels an event with 5,000 sign-ups on its page (timed: the page must answer in under 2 s; its
request queues the 5,000 SMS in its transaction, ``bulk.queue_messages``, in delivery jobs of 100). Then
one consumer process (``flask --app wsgi jobs consume --workers N --no-periodic``, the queue in a SQLite file of
its own, as ``make run`` has it) delivers them to the SMS platform stand-in of the tests
(``tests/fixtures/messaging.py``: the platform's HTTP contract, in a thread of this process). Timed from the
consumer's start (its start-up included) until the database says every row is 'sent'; afterwards it checks that
the platform received 5,000 requests with 5,000 distinct ids, every one a row's key: none lost, none twice.
Results go to the terminal and bench/results/outbox-latest.json.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
TARGET_SECONDS = 60
PAGE_TARGET_SECONDS = 2


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=4, help="consumer worker threads")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES_URL",
                                                           "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    return parser.parse_args()


def create_database(args) -> tuple[str, object]:
    """A fresh database; returns its URL and a function that drops it."""
    if args.database == "sqlite":
        path = RESULTS / "outbox.sqlite"
        for stale in RESULTS.glob("outbox.sqlite*"):
            stale.unlink()
        return f"sqlite:///{path}", lambda: None
    admin = sa.create_engine(sa.make_url(args.server), isolation_level="AUTOCOMMIT")
    name = f"engage_bench_outbox_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop():
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return sa.make_url(args.server).set(database=name).render_as_string(hide_password=False), drop


def make_app(settings: dict):
    from engage import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": settings["DATABASE_URL"], "SECRET_KEY": settings["SECRET_KEY"],
                      "JOBS_URL": "", "JOBS_SQLITE_PATH": settings["JOBS_SQLITE_PATH"],
                      # One number per sign-up: the per-recipient limits are not what is measured.
                      "OUTBOX_LIMITS": {"sms": {"hour": 1000, "day": 1000}, "email": {"hour": 1000, "day": 1000}}})
    return app


def _event_with_sign_ups(messages: int):
    """A published event with ``messages`` confirmed sign-ups, one phone each, and its organiser's e-mail."""
    from engage.events.models import Registration, RegistrationStatus
    from engage.extensions import db
    from tests import factories
    from tests.fixtures.events import make_campaign, make_event

    department = factories.make_department("市生态环境局")
    organiser = factories.make_user("organiser@bench.gov.cn", role="organiser", department=department)
    event = make_event(make_campaign(), department, capacity=messages, max_party_size=1)
    now = event.created_at
    db.session.execute(sa.insert(Registration), [
        dict(event_id=event.id, number=n + 1, code=f"B{n:07d}", cancel_token_hash=f"{n:064d}", name=f"参加者{n}",
             phone=f"137{n:08d}", active_phone=f"137{n:08d}", party_size=1, status=RegistrationStatus.CONFIRMED,
             created_at=now, updated_at=now, language="zh")
        for n in range(messages)])
    event.seats_taken = messages
    db.session.commit()
    return event.id, organiser.email


def queue(app, messages: int) -> tuple[float, set[str]]:
    """The organiser cancels an event with ``messages`` sign-ups on its page; returns the page's answer time
    (its request queues every SMS in its transaction) and the rows' keys."""
    from flask_migrate import upgrade

    from engage.extensions import db
    from engage.notifications.models import OutboxMessage
    from tests.factories import PASSWORD

    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        upgrade()
        event_id, organiser = _event_with_sign_ups(messages)
        client = app.test_client()
        client.post("/account/login", data={"email": organiser, "password": PASSWORD})
        began = time.perf_counter()
        answer = client.post(f"/staff/events/{event_id}/cancel", data={"reason": "场馆临时检修，活动取消。"})
        seconds = time.perf_counter() - began
        if answer.status_code not in (302, 303):
            raise SystemExit(f"cancelling answered {answer.status_code}: {answer.get_data(as_text=True)[:500]}")
        keys = set(db.session.scalars(sa.select(OutboxMessage.idempotency_key)))
        if len(keys) != messages:
            raise SystemExit(f"the cancellation queued {len(keys)} messages, not {messages}")
        db.engine.dispose()
    return seconds, keys


def sent_count(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(sa.text("SELECT count(*) FROM outbox_messages WHERE status = 'sent'"))


def deliver(settings: dict, workers: int, messages: int, gateway) -> dict:
    """Start one consumer and wait until every row is sent (or 10 minutes pass)."""
    engine = sa.create_engine(settings["DATABASE_URL"])
    log = open(RESULTS / "outbox-consumer.log", "w")  # noqa: SIM115 (closed below)
    began = time.perf_counter()
    consumer = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "consume", "--workers", str(workers),
         "--no-periodic"], cwd=ROOT, env=os.environ | settings, stdout=log, stderr=subprocess.STDOUT)
    first_at = None
    try:
        while (done := sent_count(engine)) < messages and time.perf_counter() - began < 600:
            if first_at is None and gateway.received:
                first_at = time.perf_counter()
            time.sleep(0.2)
        seconds = time.perf_counter() - began
    finally:
        consumer.terminate()
        consumer.wait(timeout=30)
        log.close()
        engine.dispose()
    return {"seconds": round(seconds, 2), "sent": done,
            "seconds_from_first_arrival": round(seconds - ((first_at or began) - began), 2)}


def main() -> int:
    from tests.fixtures.messaging import SmsGateway

    args = parse_args()
    RESULTS.mkdir(exist_ok=True)
    database_url, drop = create_database(args)
    jobs_file = RESULTS / "outbox-jobs.sqlite"
    for stale in RESULTS.glob("outbox-jobs.sqlite*"):
        stale.unlink()
    gateway = SmsGateway()
    gateway.thread.start()
    settings = {"DATABASE_URL": database_url, "SECRET_KEY": "benchmark-only-secret", "JOBS_URL": "",
                "JOBS_SQLITE_PATH": str(jobs_file), "SMS_BACKEND": "gateway", "SMS_GATEWAY_URL": gateway.url,
                "SMS_GATEWAY_TOKEN": gateway.token, "MAIL_BACKEND": "console"}
    try:
        queue_seconds, keys = queue(make_app(settings), args.messages)
        delivery = deliver(settings, args.workers, args.messages, gateway)
    finally:
        gateway.server.shutdown()
        drop()
    ids = Counter(sms["id"] for sms in gateway.received)
    checks = {
        "every row sent": delivery["sent"] == args.messages,
        "every message received once (distinct ids = messages)": len(ids) == args.messages,
        "no raw repeat": sum(ids.values()) == args.messages,
        "the ids are the rows' keys": set(ids) == keys,
    }
    return report(args, queue_seconds, delivery, checks)


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def report(args, queue_seconds: float, delivery: dict, checks: dict) -> int:
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "cpus": os.cpu_count(), "load_average": _load(),
        "database": args.database, "messages": args.messages, "consumer_workers": args.workers,
        "cancel_page_seconds": round(queue_seconds, 2), **delivery,
        "sms_per_s": round(args.messages / delivery["seconds"], 1), "checks": checks,
    }
    (RESULTS / "outbox-latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"{args.messages} SMS, one consumer with {args.workers} threads, {args.database}, "
          f"load {result['load_average']}")
    print(f"  the cancel page answered in {result['cancel_page_seconds']} s (target under {PAGE_TARGET_SECONDS} s), "
          f"every SMS queued in its transaction")
    print(f"  delivered in {delivery['seconds']} s from the consumer's start ({result['sms_per_s']}/s; "
          f"{delivery['seconds_from_first_arrival']} s from the first arrival)")
    for name, passed in checks.items():
        print(f"  {'ok  ' if passed else 'FAIL'} {name}")
    met = delivery["seconds"] < TARGET_SECONDS and queue_seconds < PAGE_TARGET_SECONDS and all(checks.values())
    print(f"  targets: page under {PAGE_TARGET_SECONDS} s, all delivered once each in under {TARGET_SECONDS} s: "
          f"{'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
