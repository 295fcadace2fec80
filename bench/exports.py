"""Exports of all comments at national scale: 423,719 comments as CSV and as XLSX, in constant memory.

    .venv/bin/python bench/exports.py [--comments 423719] [--database postgresql|sqlite]

Builds one consultation with ``--comments`` published comments and one with 1,000 (bench/dataset.py, bulk
inserts). The small one is downloaded the way a member of its department does (the staff page's download,
written while the request waits, through the Flask test client); the large one, above ``EXPORT_DIRECT_ROWS``,
is prepared the way the job consumer does it (``feedback.exports.services.execute``: the file written a row at a
time, then sent from disk). Each in a fresh process, per format. Per export: seconds, bytes, and how much the
process's memory (RSS, sampled every 20 ms) rose above what it was just before. The 1,000-comment downloads are
the baseline: constant memory means the large exports raise it by about what the small ones do, not by what
the file weighs. Results go to the terminal and bench/results/exports-latest.json.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
RESULTS = ROOT / "bench" / "results"
STAFF_EMAIL = "bench-staff@example.gov.cn"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=423_719)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--server", default=os.environ.get("BENCH_POSTGRES_URL",
                                                           "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--download", nargs=3, metavar=("URL", "CONSULTATION", "FORMAT"), help=argparse.SUPPRESS)
    parser.add_argument("--prepare", nargs=3, metavar=("URL", "CONSULTATION", "FORMAT"), help=argparse.SUPPRESS)
    return parser.parse_args()


def create_database(args) -> tuple[str, object]:
    if args.database == "sqlite":
        path = RESULTS / "exports.sqlite"
        for stale in RESULTS.glob("exports.sqlite*"):
            stale.unlink()
        return f"sqlite:///{path}", lambda: [p.unlink() for p in RESULTS.glob("exports.sqlite*")]
    admin = sa.create_engine(sa.make_url(args.server), isolation_level="AUTOCOMMIT")
    name = f"engage_bench_exports_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop():
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return sa.make_url(args.server).set(database=name).render_as_string(hide_password=False), drop


def build(database_url: str, big: int, small: int) -> dict[str, int]:
    import dataset

    from engage import create_app
    from engage.accounts import services as accounts
    from engage.accounts.models import Role
    from engage.consultations.models import Consultation
    from engage.core.timeutil import utcnow
    from engage.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    ids = dataset.build(app, big=big, small=small)
    with app.app_context():
        department_id = db.session.get(Consultation, ids["big"]).department_id
        accounts.create_user(email=STAFF_EMAIL, name="压测人员", password="bench-password-2026",
                             role=Role.DEPARTMENT_STAFF, department_id=department_id, actor=None, now=utcnow())
        db.session.commit()
    return ids


class RssSampler:
    """The process's resident memory, sampled in a thread: the highest seen above the start."""

    def __init__(self):
        self.start = self.peak = rss_bytes()
        self.running = True
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def sample(self):
        while self.running:
            self.peak = max(self.peak, rss_bytes())
            time.sleep(0.02)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, rss_bytes())

    @property
    def growth_mb(self) -> float:
        return round((self.peak - self.start) / 2**20, 1)


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def prepare(database_url: str, consultation_id: int, extension: str) -> dict:
    """In this process: what the consumer does for a large consultation, and what it cost."""
    from engage import create_app
    from engage.accounts.models import User
    from engage.consultations.models import Consultation
    from engage.core.timeutil import utcnow
    from engage.extensions import db
    from engage.feedback.exports import services
    from engage.feedback.exports.models import CommentExport, ExportState

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    with app.app_context():
        staff = db.session.scalar(sa.select(User).where(User.email == STAFF_EMAIL))
        export = services.request_export(db.session.get(Consultation, consultation_id), extension, actor=staff,
                                         now=utcnow())
        db.session.commit()
        export_id = export.id
        with RssSampler() as memory:
            began = time.perf_counter()
            services.execute(export_id, clock=utcnow, stale_after=timedelta(minutes=5))
            seconds = time.perf_counter() - began
        export = db.session.get(CommentExport, export_id)
        size = (services.folder() / export.stored_name).stat().st_size
        ok = export.state == ExportState.DONE and export.rows_done == db.session.scalar(
            sa.select(sa.func.count()).select_from(sa.text("comments")).where(
                sa.text("consultation_id = :c")).params(c=consultation_id))
        rows = export.rows_done
        services.delete_expired(utcnow() + timedelta(days=30))
    return {"status": 200 if ok else 500, "seconds": round(seconds, 2), "bytes": size,
            "memory_growth_mb": memory.growth_mb, "rows": rows}


def download(database_url: str, consultation_id: int, extension: str) -> dict:
    """In this process: log in, download, read the body a chunk at a time; what it cost."""
    from engage import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    login = client.post("/account/login", data={"email": STAFF_EMAIL, "password": "bench-password-2026"})
    assert login.status_code == 302, login.status_code
    client.get("/")  # imports and first queries out of the way
    with RssSampler() as memory:
        began = time.perf_counter()
        response = client.get(f"/staff/consultations/{consultation_id}/feedback/comments.{extension}",
                              buffered=False)
        size = 0
        for chunk in response.response:
            size += len(chunk)
        seconds = time.perf_counter() - began
        response.close()
    return {"status": response.status_code, "seconds": round(seconds, 2), "bytes": size,
            "memory_growth_mb": memory.growth_mb}


def main() -> int:
    args = parse_args()
    if args.download or args.prepare:
        url, consultation_id, extension = args.download or args.prepare
        measure = download if args.download else prepare
        print(json.dumps(measure(url, int(consultation_id), extension)))
        return 0
    RESULTS.mkdir(exist_ok=True)
    database_url, drop = create_database(args)
    try:
        began = time.perf_counter()
        ids = build(database_url, args.comments, args.small)
        print(f"built {args.comments:,} + {args.small:,} comments in {time.perf_counter() - began:.0f} s")
        results = {}
        for name, count in (("small", args.small), ("big", args.comments)):
            how = "--download" if name == "small" else "--prepare"
            for extension in ("csv", "xlsx"):
                answer = subprocess.run([sys.executable, __file__, how, database_url, str(ids[name]), extension],
                                        capture_output=True, text=True, cwd=ROOT)
                if answer.returncode:
                    sys.exit(answer.stderr[-3000:])
                result = json.loads(answer.stdout.strip().splitlines()[-1])
                results[f"{extension} {count}"] = result
                print(f"{extension:4} {count:>8,} comments: {result}")
    finally:
        drop()
    summary = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "database": args.database,
               "comments": args.comments, "downloads": results, "cpus": os.cpu_count()}
    (RESULTS / "exports-latest.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0 if all(r["status"] == 200 for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
