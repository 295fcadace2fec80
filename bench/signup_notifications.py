"""The sign-up rush with a confirmation SMS per sign-up, against the same rush without (target: ≥ 0.9 ×).

    .venv/bin/python bench/signup_notifications.py [--rounds 2] [--requests 2000] [--clients 100] [--workers 4]

The rush of bench/events.py (distinct phones, one person each, 100 client threads released together, gunicorn with
4 sync workers on PostgreSQL), run alternately without notifications (``bench/signup_silent_wsgi.py``: the
confirmations switched off) and with them (``wsgi:app``: every sign-up queues its confirmation SMS in its own
transaction, the job is enqueued after the commit). With notifications, one consumer (``flask jobs consume``, 2
threads) delivers the SMS to the SMS platform stand-in during the rush, on the same 2 cores, as ``make run`` would
have it. Each round gets a fresh database; the ratio is taken per round pair (on, then the off run just before it)
and the median kept. Afterwards: the checks of bench/events.py for every round, and for the rounds with
notifications one outbox row per sign-up and every SMS received once (waiting up to 5 minutes for the consumer to
finish). Results go to bench/results/signup-notifications-latest.json.
"""

import argparse
import json
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import redis
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import events as rush_bench  # noqa: E402  (bench/events.py)

RESULTS = ROOT / "bench" / "results"
GUNICORN = Path(sys.executable).parent / "gunicorn"
TARGET_RATIO = 0.9


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="pairs of runs (off, on)")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--capacity", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--queue", choices=("redis", "sqlite"), default="redis",
                        help="where the job queue lives: Redis (as production has it) or a SQLite file")
    parser.add_argument("--deliver", choices=("during", "after"), default="during",
                        help="start the consumer with gunicorn, or only after the rush (to tell the two costs apart)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13", help="emptied before each run")
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES_URL",
                                                           "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    return parser.parse_args()


class Serving:
    """gunicorn on ``target`` (and, with notifications, one consumer), in process groups of their own."""

    def __init__(self, target: str, env: dict, port: int, consumer: bool):
        self.target, self.env, self.port, self.consumer = target, env, port, consumer
        self.processes: list[subprocess.Popen] = []

    def __enter__(self):
        self.processes.append(subprocess.Popen(
            [str(GUNICORN), "--config", str(ROOT / "gunicorn.conf.py"), "--pythonpath", str(ROOT / "bench"),
             self.target], cwd=ROOT, env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        if self.consumer:
            self.start_consumer()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2)
                return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        sys.exit("gunicorn did not start")

    def start_consumer(self):
        self.processes.append(subprocess.Popen(
            # At the priority make run gives it (Procfile): the rush's requests come first.
            ["nice", "-n", "10", sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "consume", "--workers", "2",
             "--no-periodic"], cwd=ROOT, env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def __exit__(self, *exc):
        for process in self.processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            process.wait(timeout=60)


def one_run(args, notifications: bool, gateway, round_number: int) -> dict:
    database_url, admin = rush_bench.create_database(args.server)
    jobs_file = RESULTS / f"signup-jobs-{round_number}-{int(notifications)}.sqlite"
    for stale in RESULTS.glob(jobs_file.name + "*"):
        stale.unlink()
    if args.queue == "redis":
        redis.Redis.from_url(args.redis_url).flushdb()
    port = rush_bench.free_port()
    env = os.environ | {
        "DATABASE_URL": database_url, "SECRET_KEY": "benchmark-only-secret",
        "WEB_CONCURRENCY": str(args.workers), "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESSLOG": "",
        "RATELIMIT_SIGN_UPS": "1000000 per minute", "JOBS_URL": args.redis_url if args.queue == "redis" else "",
        "JOBS_SQLITE_PATH": str(jobs_file),
        "SMS_BACKEND": "gateway", "SMS_GATEWAY_URL": gateway.url, "SMS_GATEWAY_TOKEN": gateway.token,
    }
    before = len(gateway.received)
    try:
        event_id = rush_bench.prepare(database_url, args.capacity)
        target = "wsgi:app" if notifications else "signup_silent_wsgi:app"
        with Serving(target, env, port, consumer=notifications and args.deliver == "during") as serving:
            rush_bench.warm_up(port, event_id)
            answers, wall = rush_bench.rush(port, event_id, args.requests, args.clients)
            checks = rush_bench.check(database_url, event_id, answers, args.capacity)
            if notifications and args.deliver == "after":
                serving.start_consumer()
            delivery = wait_for_delivery(database_url, answers) if notifications else {}
        if notifications:
            checks.update(outbox_checks(database_url, answers, gateway.received[before:]))
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{sa.make_url(database_url).database}" WITH (FORCE)')
        admin.dispose()
    errors = [a for a in answers if a["status"] != 201]
    latencies = sorted(a["ms"] for a in answers)
    run = {"notifications": notifications, "sign_ups_per_s": round(len(answers) / wall, 1),
           "p50_ms": round(statistics.median(latencies), 1),
           "p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)], 1), "errors": len(errors),
           "load_average": " ".join(f"{v:.1f}" for v in os.getloadavg()), "checks": checks, **delivery}
    delivered = f", SMS delivered {delivery['seconds_after_rush']} s after the rush" if delivery else ""
    print(f"  round {round_number} notifications {'on ' if notifications else 'off'}: "
          f"{run['sign_ups_per_s']} sign-ups/s, p50 {run['p50_ms']} ms, p99 {run['p99_ms']} ms, errors "
          f"{run['errors']}{delivered}, load {run['load_average']}", flush=True)
    return run


def wait_for_delivery(database_url: str, answers: list[dict]) -> dict:
    engine = sa.create_engine(database_url)
    began, expected = time.perf_counter(), sum(1 for a in answers if a["status"] == 201)
    try:
        while time.perf_counter() - began < 300:
            with engine.connect() as conn:
                sent = conn.scalar(sa.text("SELECT count(*) FROM outbox_messages WHERE status = 'sent'"))
            if sent >= expected:
                break
            time.sleep(0.5)
    finally:
        engine.dispose()
    return {"seconds_after_rush": round(time.perf_counter() - began, 1), "sms_sent": sent}


def outbox_checks(database_url: str, answers: list[dict], received: list[dict]) -> dict:
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT recipient, status, idempotency_key FROM outbox_messages")).all()
    engine.dispose()
    phones = {a["phone"] for a in answers if a["status"] == 201}
    ids = Counter(sms["id"] for sms in received)
    return {
        "one outbox row per sign-up": sorted(r.recipient for r in rows) == sorted(phones),
        "every SMS sent": all(r.status == "sent" for r in rows),
        "every SMS received once": set(ids) == {r.idempotency_key for r in rows} and set(ids.values()) <= {1},
    }


def _serve_platform(commands) -> None:
    """In a process of its own: the SMS platform stand-in, answering ``received`` and ``stop`` over the pipe."""
    from tests.fixtures.messaging import SmsGateway

    gateway = SmsGateway()
    gateway.thread.start()
    commands.send((gateway.url, gateway.token))
    while (command := commands.recv()) != "stop":
        with gateway.lock:
            commands.send(list(gateway.received) if command == "received" else None)
    gateway.server.shutdown()


class SmsPlatform:
    """The SMS platform stand-in of the tests, served from another process: in this one its work would take the
    load generator's GIL and slow down only the runs with notifications."""

    def __init__(self):
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=_serve_platform, args=(child,), daemon=True)
        self._process.start()
        self.url, self.token = self._pipe.recv()

    @property
    def received(self) -> list[dict]:
        self._pipe.send("received")
        return self._pipe.recv()

    def stop(self) -> None:
        self._pipe.send("stop")
        self._process.join(timeout=10)


def main() -> int:
    args = parse_args()
    RESULTS.mkdir(exist_ok=True)
    gateway = SmsPlatform()
    runs = []
    try:
        print(f"{args.rounds} rounds of {args.requests} sign-ups from {args.clients} clients, {args.workers} "
              "workers, PostgreSQL", flush=True)
        for round_number in range(1, args.rounds + 1):
            for notifications in (False, True):
                runs.append(one_run(args, notifications, gateway, round_number) | {"round": round_number})
    finally:
        gateway.stop()
    return report(args, runs)


def report(args, runs: list[dict]) -> int:
    ratios = [on["sign_ups_per_s"] / off["sign_ups_per_s"] for off, on in zip(runs[::2], runs[1::2], strict=True)]
    ratio = statistics.median(ratios)
    checks_passed = all(all(run["checks"].values()) and not run["errors"] for run in runs)
    result = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "cpus": os.cpu_count(),
              "requests": args.requests, "clients": args.clients, "workers": args.workers, "runs": runs,
              "ratios": [round(r, 3) for r in ratios], "median_ratio": round(ratio, 3), "checks_passed": checks_passed}
    (RESULTS / "signup-notifications-latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    for run in runs:
        for name, passed in run["checks"].items():
            if not passed:
                print(f"  FAIL round {run['round']} notifications {run['notifications']}: {name}")
    met = ratio >= TARGET_RATIO and checks_passed
    print(f"  with / without notifications per round: {', '.join(f'{r:.2f}' for r in ratios)}; median {ratio:.2f}"
          f" (target ≥ {TARGET_RATIO}): {'met' if met else 'NOT met'}; every check passed: {checks_passed}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
