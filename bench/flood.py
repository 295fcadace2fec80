"""A flood of submissions on PostgreSQL with several gunicorn instances behind a proxy.

    .venv/bin/python bench/flood.py [--instances 2] [--workers 3] [--duration 15] [--flood 50000]

Two measurements, each against a fresh database of one open consultation, through nginx spreading requests over
``--instances`` gunicorn instances (gunicorn.conf.py, ``--workers`` each) that share one PostgreSQL and one Redis
(rate limits and the job queue), as production runs several machines:

1. **Intake.** The bare Flask hello-world (bench/hello.py), served the same way, then comment submissions
   (bench/flood.lua, unique texts, each from an address of its own, so that the per-source limits do not
   apply), ``--duration`` seconds each with wrk. Target: submissions per second at least 0.15 x the hello-world's
   requests per second, every 201 one stored comment, no 5xx.
2. **Flood.** ``--flood`` submissions of one text from 500 addresses as fast as 500 connections can send them,
   while 20 citizens each send their own comment every half second from addresses of their own, timing every
   answer. Targets: the citizens' p99 under 2 s, each of their comments stored once with the receipt they were
   given, no 5xx; the flood limited per source (429) but never silently dropped: every copy it was told was
   stored is stored, and staff see it as a suspected campaign with its copies and sources.

The proxy passes the client's X-Forwarded-For on and Engage trusts one proxy (TRUSTED_PROXIES=1): the clients
play the part of a network's many addresses. Results go to the terminal and bench/results/flood-latest.json.
"""

import argparse
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path

import redis
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import events as rush_bench  # noqa: E402  (bench/events.py: a database of its own on the server)
import run as page_bench  # noqa: E402  (bench/run.py: gunicorn and wrk)

RESULTS = ROOT / "bench" / "results"
TARGET_RATIO = 0.15
TARGET_P99_MS = 2000
CITIZENS = 20
FLOOD_TEXT = "坚决反对第十二条，请删除按次收费的规定！"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per instance")
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections for the intake rate")
    parser.add_argument("--flood", type=int, default=50_000, help="submissions of the flood")
    parser.add_argument("--flood-connections", type=int, default=500)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12", help="emptied before each run")
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES_URL",
                                                           "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    return parser.parse_args()


class Proxy:
    """nginx on a free port, round-robin over the instances, passing the client's X-Forwarded-For on."""

    def __init__(self, ports: list[int]):
        self.port = rush_bench.free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="engage-flood-nginx-"))
        upstream = "\n".join(f"    server 127.0.0.1:{port};" for port in ports)
        (self.folder / "nginx.conf").write_text(f"""
worker_processes 1;
pid {self.folder}/nginx.pid;
error_log {self.folder}/error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {self.folder}/body;
  proxy_temp_path {self.folder}/proxy;
  upstream engage {{
{upstream}
    keepalive 64;
  }}
  server {{
    listen 127.0.0.1:{self.port} backlog=4096;
    location / {{
      proxy_pass http://engage;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $http_x_forwarded_for;
      proxy_read_timeout 60s;
    }}
  }}
}}
""")
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run([nginx, "-c", str(self.folder / "nginx.conf"), "-p", str(self.folder)], check=True,
                       stderr=subprocess.DEVNULL)
        return self

    def __exit__(self, *exc):
        pid = int((self.folder / "nginx.pid").read_text())
        os.kill(pid, signal.SIGTERM)
        time.sleep(0.5)
        shutil.rmtree(self.folder, ignore_errors=True)


class Instances:
    """``count`` gunicorn instances of ``target``, each on its own port."""

    def __init__(self, target: list[str], env: dict, count: int, ready_path: str):
        self.ports = [rush_bench.free_port() for _ in range(count)]
        self.servers = [page_bench.Server(target, env, port, ready_path) for port in self.ports]

    def __enter__(self):
        for server in self.servers:
            server.__enter__()
        return self

    def __exit__(self, *exc):
        for server in self.servers:
            server.__exit__()


def wrk_script(url: str, *, threads: int, connections: int, seconds: int, env: dict) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s",
               "-s", str(ROOT / "bench" / "flood.lua"), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True,
                            env=os.environ | env | {"BENCH_THREADS": str(threads)}).stdout
    counts = dict((k, int(v)) for k, v in re.findall(r"(\w+)=(\d+)", output.split("BENCH", 1)[1]))
    return counts | {"p99_ms": page_bench._latency_ms(output, "99")}


def engage_env(args, database_url: str) -> dict:
    return os.environ | {
        "DATABASE_URL": database_url, "SECRET_KEY": "benchmark-only-secret", "WEB_CONCURRENCY": str(args.workers),
        "GUNICORN_ACCESSLOG": "", "TRUSTED_PROXIES": "1", "RATELIMIT_STORAGE_URL": args.redis_url,
        "JOBS_URL": args.redis_url, "SMS_BACKEND": "console", "MAIL_BACKEND": "console",
    }


def prepared_database(args) -> tuple[str, object, int]:
    import dataset

    from engage import create_app

    database_url, admin = rush_bench.create_database(args.server)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    ids = dataset.build(app, big=1, small=1)
    redis.Redis.from_url(args.redis_url).flushdb()
    return database_url, admin, ids["big"]


def drop(admin, database_url: str) -> None:
    name = sa.make_url(database_url).database
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stored(database_url: str, consultation_id: int) -> dict:
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT receipt_number, body, source_key FROM comments WHERE consultation_id = :c"),
            {"c": consultation_id}).all()
    engine.dispose()
    return {"rows": rows}


def measure_intake(args) -> dict:
    hello_env = os.environ | {"WEB_CONCURRENCY": str(args.workers), "GUNICORN_ACCESSLOG": ""}
    with Instances(["--pythonpath", str(ROOT / "bench"), "hello:app"], hello_env, args.instances, "/") as hello, \
            Proxy(hello.ports) as proxy:
        hello_result = page_bench.wrk(proxy.url + "/", argparse.Namespace(threads=args.threads,
                                                                          connections=args.connections),
                                      duration=args.duration)
    database_url, admin, consultation_id = prepared_database(args)
    try:
        with Instances(["wsgi:app"], engage_env(args, database_url), args.instances, "/healthz") as engage, \
                Proxy(engage.ports) as proxy:
            started = time.time()
            stop_at = math.ceil(started) + args.duration
            counts = wrk_script(proxy.url + "/", threads=args.threads, connections=args.connections,
                                seconds=math.ceil(stop_at - started) + 3,
                                env={"BENCH_POST_PATH": f"/api/v1/consultations/{consultation_id}/comments",
                                     "BENCH_STOP_AT": str(stop_at), "BENCH_MODE": "unique",
                                     "BENCH_RUN_ID": uuid.uuid4().hex[:8]})
            window = stop_at - started
        rows = stored(database_url, consultation_id)["rows"]
    finally:
        drop(admin, database_url)
    rate = counts["created"] / window
    ratio = rate / hello_result["requests_per_s"]
    return {"hello_per_s": round(hello_result["requests_per_s"], 1), "submissions_per_s": round(rate, 1),
            "ratio": round(ratio, 3), "counts": counts,
            "checks": {"every 201 stored once": len(rows) - 1 == counts["created"],  # the dataset's one comment
                       "no 5xx": counts["server_errors"] == 0}}


def citizen(port_url: str, consultation_id: int, number: int, stop: threading.Event, answers: list) -> None:
    sent = 0
    while not stop.is_set():
        sent += 1
        body = json.dumps({"body": f"市民{number}的第{sent}条意见：建议在每个小区设置两处以上投放点。"}).encode()
        request = urllib.request.Request(
            f"{port_url}/api/v1/consultations/{consultation_id}/comments", data=body, method="POST",
            headers={"Content-Type": "application/json", "X-Forwarded-For": f"192.168.{number}.{sent % 250 + 1}"})
        began = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                status, receipt = answer.status, json.loads(answer.read()).get("receipt_number")
        except urllib.error.HTTPError as error:
            status, receipt = error.code, None
        except OSError:
            status, receipt = 0, None
        answers.append({"status": status, "ms": (time.perf_counter() - began) * 1000, "receipt": receipt})
        stop.wait(0.5)


def measure_flood(args) -> dict:
    database_url, admin, consultation_id = prepared_database(args)
    try:
        with Instances(["wsgi:app"], engage_env(args, database_url), args.instances, "/healthz") as engage, \
                Proxy(engage.ports) as proxy:
            stop, answers = threading.Event(), []
            citizens = [threading.Thread(target=citizen, args=(proxy.url, consultation_id, n, stop, answers))
                        for n in range(1, CITIZENS + 1)]
            for thread in citizens:
                thread.start()
            time.sleep(2)
            began = time.time()
            counts = flood_until_quota(proxy.url, consultation_id, args)
            flood_seconds = time.time() - began
            stop.set()
            for thread in citizens:
                thread.join()
        rows = stored(database_url, consultation_id)["rows"]
        campaigns = suspected(database_url, consultation_id)
    finally:
        drop(admin, database_url)
    times = sorted(a["ms"] for a in answers)
    receipts = [a["receipt"] for a in answers if a["status"] == 201]
    stored_receipts = {row.receipt_number for row in rows}
    flood_rows = sum(1 for row in rows if row.body.replace(" ", "") == FLOOD_TEXT)
    return {
        "flood_seconds": round(flood_seconds, 1), "flood": counts, "citizen_requests": len(answers),
        "citizen_p50_ms": round(statistics.median(times), 1),
        "citizen_p99_ms": round(times[min(len(times) - 1, math.ceil(len(times) * 0.99) - 1)], 1),
        "campaign": campaigns[0] if campaigns else None,
        "checks": {
            "every citizen answered 201": all(a["status"] == 201 for a in answers),
            "each citizen receipt stored once": len(set(receipts)) == len(receipts)
                                                  and set(receipts) <= stored_receipts,
            "every flood 201 stored": flood_rows == counts["created"],
            "no 5xx": counts["server_errors"] == 0 and all(a["status"] < 500 for a in answers),
            "the flood is shown as a campaign": bool(campaigns) and campaigns[0]["copies"] == flood_rows,
        },
    }


def flood_until_quota(url: str, consultation_id: int, args) -> dict:
    """wrk until each of its threads has had its share of the flood answered (it leaves a marker file), then
    interrupted: wrk still prints its figures and calls done()."""
    done_dir = Path(tempfile.mkdtemp(prefix="engage-flood-"))
    command = ["wrk", f"-t{args.threads}", f"-c{args.flood_connections}", "-d900s", "--latency", "--timeout", "30s",
               "-s", str(ROOT / "bench" / "flood.lua"), url + "/"]
    env = os.environ | {"BENCH_POST_PATH": f"/api/v1/consultations/{consultation_id}/comments",
                        "BENCH_STOP_AT": str(int(time.time()) + 900), "BENCH_MODE": "flood", "BENCH_SOURCES": "500",
                        "BENCH_QUOTA": str(args.flood), "BENCH_THREADS": str(args.threads),
                        "BENCH_DONE_DIR": str(done_dir)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    while process.poll() is None and len(list(done_dir.iterdir())) < args.threads:
        time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    output = process.communicate(timeout=60)[0]
    shutil.rmtree(done_dir, ignore_errors=True)
    counts = dict((k, int(v)) for k, v in re.findall(r"(\w+)=(\d+)", output.split("BENCH", 1)[1]))
    return counts | {"p99_ms": page_bench._latency_ms(output, "99")}


def suspected(database_url: str, consultation_id: int) -> list[dict]:
    from engage import create_app
    from engage.consultations import campaigns

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    with app.app_context():
        return [{"copies": c.copies, "sources": c.sources} for c in
                campaigns.suspected_campaigns(consultation_id, min_copies=20)]


def main() -> int:
    args = parse_args()
    page_bench.ensure_wrk()
    RESULTS.mkdir(exist_ok=True)
    intake = measure_intake(args)
    print(f"intake: {intake}")
    flood = measure_flood(args)
    print(f"flood: {flood}")
    met = {"intake >= 0.15 x hello-world": intake["ratio"] >= TARGET_RATIO,
           "citizens' p99 under a flood < 2 s": flood["citizen_p99_ms"] < TARGET_P99_MS}
    result = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "cpus": os.cpu_count(),
              "load_before": os.getloadavg(), "args": vars(args), "intake": intake, "flood": flood,
              "targets": met}
    (RESULTS / "flood-latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    print(json.dumps(met, ensure_ascii=False))
    return 0 if all(met.values()) and all(intake["checks"].values()) and all(flood["checks"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
