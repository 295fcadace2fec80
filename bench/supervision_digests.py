"""Benchmark of supervision digests: the supervisor's and 100 units' daily digests over 20,000 cases.

    .venv/bin/python bench/supervision_digests.py [--cases 20000] [--units 100] [--repeats 5] [--reuse]

Builds bench/results/supervision.sqlite from the migrations with the cases of bench/proposals.py (``build``:
20,000 cases across 100 units, assigned 10 to 200 days ago, replied, rated, reopened, overdue), then adds one
supervisor and one member of staff per unit, all on the daily digest, 200 replies held for review, and a
reminder run on the previous working day (so the digests have the day's notices to list). Then, at 09:00 China
time on a working day, it times in-process:

- computing every digest (the 100 units' and the supervisor's: ``digests.unit_digests`` and
  ``digests.supervisor_digests``), ``--repeats`` times (target: under 10 s);
- the whole periodic run that sends them (``jobs.run_supervision``: reminders, missed notices, digests claimed
  and queued in the outbox), in a transaction rolled back after each of ``--repeats`` runs.

Results go to the terminal and to bench/results/supervision-digests.json.
"""

import argparse
import json
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import proposals as proposals_bench  # noqa: E402  (bench/proposals.py: the 20,000 cases)
import run as bench_run  # noqa: E402  (bench/run.py: the benchmark's secret key)

RESULTS = ROOT / "bench" / "results"
TARGET_S = 10
UNDER_REVIEW = 200


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run (same sizes)")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    db_path = RESULTS / "supervision.sqlite"
    from engage import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SECRET_KEY": bench_run.SECRET,
                      "JOBS_IMMEDIATE": False, "JOBS_SQLITE_PATH": str(RESULTS / "supervision-jobs.sqlite")})
    if not (args.reuse and db_path.exists()):
        for stale in RESULTS.glob("supervision.sqlite*"):
            stale.unlink()
        started = time.perf_counter()
        print(f"Building {db_path.relative_to(ROOT)}: {args.cases:,} cases across {args.units} units ...", flush=True)
        proposals_bench.build(app, cases=args.cases, units=args.units)
        with app.app_context():
            add_staff_and_reviews(app)
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    with app.app_context():
        results = measure(app, args.repeats)
    info = {"cases": args.cases, "units": args.units, "repeats": args.repeats, **machine()}
    (RESULTS / "supervision-digests.json").write_text(json.dumps({"results": results, "machine": info},
                                                                 ensure_ascii=False, indent=2))
    return 0 if report(results, info) else 1


def machine() -> dict:
    """The machine, and how busy it was (it is shared with other work)."""
    import os
    import platform
    import sqlite3
    from datetime import UTC

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "cpus": os.cpu_count(), "cpu_model": cpu,
            "load_average": [round(n, 1) for n in os.getloadavg()], "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version}


def digest_moment(calendar) -> datetime:
    """09:00 in China on the first working day from today: the digests are due then."""
    from engage.core.timeutil import CHINA_TZ, china_date, utcnow

    day = china_date(utcnow())
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, clock(9), CHINA_TZ)


def add_staff_and_reviews(app) -> None:
    """A supervisor and one daily-digest member of staff per unit (one password hash for all: hashing 101 at
    production cost would take longer than what is measured), replies under review, yesterday's reminders."""
    from sqlalchemy import insert, select

    from engage.accounts.models import Department, MessageTiming, Role, User
    from engage.accounts.passwords import hash_password
    from engage.core.calendar_days import load_work_calendar
    from engage.extensions import db
    from engage.proposals import rules as case_rules
    from engage.proposals.models import Proposal
    from engage.proposals.supervision import reminders, rules
    from engage.proposals.supervision.models import ReplyDraft, ReviewState

    calendar = load_work_calendar()
    now = digest_moment(calendar)
    password = hash_password("bench-password")
    units = db.session.scalars(select(Department.id).order_by(Department.id)).all()
    users = [{"email": "bench-supervisor@example.gov.cn", "name": "督办", "role": Role.SUPERVISOR,
              "message_timing": MessageTiming.DAILY}]
    users += [{"email": f"unit{unit}@example.gov.cn", "name": f"单位{unit}", "role": Role.DEPARTMENT_STAFF,
               "department_id": unit, "message_timing": MessageTiming.DAILY} for unit in units]
    db.session.execute(insert(User), [{"password_hash": password, "created_at": now, "is_active": True,
                                       "department_id": None, **user} for user in users])
    authors = dict(db.session.execute(select(User.department_id, User.id).where(User.department_id.is_not(None))).all())
    held = db.session.execute(select(Proposal.id, Proposal.lead_unit_id).where(
        Proposal.status == case_rules.IN_PROGRESS).limit(UNDER_REVIEW)).all()
    db.session.execute(insert(ReplyDraft), [
        {"proposal_id": pid, "round_number": 1, "state": ReviewState.PENDING, "body": "经研究，答复如下。",
         "replied_on": now.date(), "outcome": "A", "is_published": True, "unpublished_reason": "", "pdf_filename": "",
         "pdf_size": 0, "author_id": authors[unit], "submitted_at": now - timedelta(hours=20), "return_reason": ""}
        for pid, unit in held])
    yesterday = rules.previous_working_day(now.date(), calendar)
    made = reminders.send_reminders(now=datetime.combine(yesterday, clock(10), now.tzinfo), calendar=calendar)
    db.session.commit()
    print(f"  {len(users)} staff, {len(held)} replies under review, {len(made):,} reminders of {yesterday}")


def measure(app, repeats: int) -> dict:
    from engage.core.calendar_days import load_work_calendar
    from engage.extensions import db
    from engage.proposals.supervision import digests, jobs

    calendar = load_work_calendar()
    now = digest_moment(calendar)
    computed, items, sent = [], 0, []
    for _ in range(repeats):
        started = time.perf_counter()
        unit_digests = digests.unit_digests(now.date(), calendar)
        supervisor_digests = digests.supervisor_digests(now, calendar)
        computed.append(time.perf_counter() - started)
        items = sum(len(d.params["items"]) for d in unit_digests)
        db.session.rollback()
    for _ in range(repeats):
        started = time.perf_counter()
        jobs.run_supervision(now)
        db.session.flush()
        sent.append(time.perf_counter() - started)
        db.session.rollback()
    return {"computed_s": [round(s, 3) for s in computed], "computed_median_s": round(statistics.median(computed), 3),
            "run_s": [round(s, 3) for s in sent], "run_median_s": round(statistics.median(sent), 3),
            "unit_digests": len(unit_digests), "supervisor_digests": len(supervisor_digests),
            "notices_listed": items, "day": now.date().isoformat()}


def report(results: dict, info: dict) -> bool:
    print(f"\nDigests of {results['day']}: {results['unit_digests']} units' ({results['notices_listed']:,} notices "
          f"listed) and {results['supervisor_digests']} supervisor's over {info['cases']:,} cases")
    print(f"computed: median {results['computed_median_s']} s {results['computed_s']}")
    print(f"whole periodic run, queued in the outbox: median {results['run_median_s']} s {results['run_s']}")
    met = results["computed_median_s"] < TARGET_S and results["run_median_s"] < TARGET_S
    print(f"{'MET   ' if met else 'MISSED'} digests in under {TARGET_S} s")
    print(f"\nMachine: {json.dumps(info, ensure_ascii=False)}")
    return met


if __name__ == "__main__":
    sys.exit(main())
