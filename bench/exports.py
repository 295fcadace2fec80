"""Exports of all comments at national scale: 423,719 comments as CSV and as XLSX, in constant memory.

    .venv/bin/python bench/exports.py [--comments 423719] [--database postgresql|sqlite]

Builds one consultation with ``--comments`` published comments and one with 1,000 (bench/dataset.py, bulk
inserts), then downloads each consultation's comments with contact details in each format the way a member of
its department does (the staff page's download, through the Flask test client), each download in a fresh
process. Per download: seconds until the last byte, bytes, and how much the process's peak memory (max RSS)
grew while it ran, against the same process just before. The 1,000-comment downloads are the baseline: constant
memory means the large downloads grow the peak by about what the small ones do, not by what the file weighs.
Results go to the terminal and bench/results/exports-latest.json.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
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


def download(database_url: str, consultation_id: int, extension: str) -> dict:
    """In this process: log in, download, read the body a chunk at a time; what it cost."""
    from engage import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    login = client.post("/account/login", data={"email": STAFF_EMAIL, "password": "bench-password-2026"})
    assert login.status_code == 302, login.status_code
    client.get("/")  # imports and first queries out of the way
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    response = client.get(f"/staff/consultations/{consultation_id}/feedback/comments.{extension}", buffered=False)
    size = 0
    for chunk in response.response:
        size += len(chunk)
    seconds = time.perf_counter() - began
    response.close()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"status": response.status_code, "seconds": round(seconds, 2), "bytes": size,
            "peak_growth_mb": round((after - before) / 1024, 1)}


def main() -> int:
    args = parse_args()
    if args.download:
        url, consultation_id, extension = args.download
        print(json.dumps(download(url, int(consultation_id), extension)))
        return 0
    RESULTS.mkdir(exist_ok=True)
    database_url, drop = create_database(args)
    try:
        began = time.perf_counter()
        ids = build(database_url, args.comments, args.small)
        print(f"built {args.comments:,} + {args.small:,} comments in {time.perf_counter() - began:.0f} s")
        results = {}
        for name, count in (("small", args.small), ("big", args.comments)):
            for extension in ("csv", "xlsx"):
                answer = subprocess.run([sys.executable, __file__, "--download", database_url, str(ids[name]),
                                         extension], capture_output=True, text=True, check=True, cwd=ROOT)
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
