"""Benchmark of the regions: region-filtered public lists and the rolled-up figures of a whole city.

    .venv/bin/python bench/regions.py [--districts 10] [--streets 20] [--departments 30] [--cases 20000]
                                      [--consultations 2000] [--duration 5]

Builds bench/results/regions.sqlite from the migrations: a city with ``--districts`` districts of ``--streets``
streets each, ``--departments`` departments in every street (6,000 with the defaults, 211 regions), one session of
deputies' suggestions per district whose ``--cases`` cases (20,000) go to that district's departments, in every
state of handling (bench/proposals.py's generator), and ``--consultations`` published consultations (2,000) spread
over all departments, a third of them open. Rows are bulk-inserted; the regions go through the services.

Then serves Engage with gunicorn (gunicorn.conf.py, rate limits off) and measures with wrk on one connection
(``-c1``, one request after another: the time one answer takes), for each address: the public lists filtered by a
district and by a street (pages and API), and the portals of the city and of a district with their figures rolled
up from every region below. The portals are cached for anonymous visitors, so they are measured a second time with
a query argument of their own per request (bench/unique_query.lua): built every time. Last, in-process, the
roll-up of the city counted afresh in the database. Target: median under 100 ms for every one.
Results go to the terminal and to bench/results/regions.json.
"""

import argparse
import json
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import proposals as bench_proposals  # noqa: E402  (bench/proposals.py: the cases' generator)
import run as bench_run  # noqa: E402  (bench/run.py: gunicorn, wrk, the machine's description)

RESULTS = ROOT / "bench" / "results"
UNIQUE = ROOT / "bench" / "unique_query.lua"
TARGET_MS = 100
#: portals cached for anonymous visitors: measured a second time with the cache out of play
UNCACHED = ("city_portal", "district_portal", "proposals_district")
LABELS = {
    "consultations_district": "Consultations of a district (page)",
    "consultations_street_open": "Open consultations of a street (page)",
    "proposals_district": "Cases of a district's session (page)",
    "api_consultations_district": "Consultations of a district (API)",
    "api_proposals_district": "Cases of a district (API)",
    "api_regions": "The tree (API)",
    "city_portal": "City portal, figures of 10 districts",
    "district_portal": "District portal, figures of 20 streets",
    "city_portal_uncached": "City portal, built every time",
    "district_portal_uncached": "District portal, built every time",
    "proposals_district_uncached": "Cases of a district (page), built every time",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--districts", type=int, default=10)
    parser.add_argument("--streets", type=int, default=20)
    parser.add_argument("--departments", type=int, default=30, help="per street")
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--consultations", type=int, default=2_000)
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run (same sizes)")
    parser.add_argument("--in-process", action="store_true",
                        help="no gunicorn nor wrk: each address asked 30 times of Flask's test client, one after "
                             "another (a quick check of the data and the queries, not the figures to publish)")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if not args.in_process:
        bench_run.ensure_wrk()
    RESULTS.mkdir(parents=True, exist_ok=True)
    db_path, built_path = RESULTS / "regions.sqlite", RESULTS / "regions-built.json"
    database_url = f"sqlite:///{db_path}"

    from engage import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": bench_run.SECRET})
    if args.reuse and db_path.exists() and built_path.exists():
        built = json.loads(built_path.read_text())
    else:
        for stale in RESULTS.glob("regions.sqlite*"):
            stale.unlink()
        print(f"Building {db_path.relative_to(ROOT)} ...", flush=True)
        started = time.perf_counter()
        built = build(app, args)
        print(f"  built in {time.perf_counter() - started:.0f} s: {json.dumps(built['counts'])}", flush=True)
        built_path.write_text(json.dumps(built, ensure_ascii=False))

    addresses = _addresses(built)
    results = in_process(app, addresses) if args.in_process else served(database_url, addresses, args)
    results["roll_up_counted"] = time_roll_up(app, built["city"])
    sizes = {key: getattr(args, key) for key in ("districts", "streets", "departments", "cases", "consultations")}
    info = (_in_process_machine() if args.in_process
            else bench_run.machine(argparse.Namespace(threads=1, connections=1, duration=args.duration))) | sizes
    met = report(results, info)
    (RESULTS / "regions.json").write_text(json.dumps({"machine": info, "results": results}, indent=2,
                                                     ensure_ascii=False))
    return 0 if met else 1


def served(database_url: str, addresses: dict, args) -> dict:
    """Each address through gunicorn, measured by wrk on one connection."""
    env = bench_run.os.environ | {"DATABASE_URL": database_url, "SECRET_KEY": bench_run.SECRET,
                                  "RATELIMIT_ENABLED": "false", "GUNICORN_ACCESSLOG": ""}
    results = {}
    with bench_run.Server(["wsgi:app"], env, args.port, "/healthz") as server:
        for name, path in addresses.items():
            results[name] = {"path": path, "single": _measure(server.url + path, args)}
        for name in UNCACHED:
            path = _with_query(addresses[name], "nocache=1")  # the script adds one of its own per request
            results[f"{name}_uncached"] = {"path": path,
                                           "single": _measure(server.url + path, args, script=UNIQUE)}
    return results


def _in_process_machine() -> dict:
    import os
    import platform
    import sqlite3
    from datetime import UTC, datetime

    return {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "cpus": os.cpu_count(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "measured": "in-process, Flask test client, 30 requests per address"}


def in_process(app, addresses: dict, repeats: int = 30) -> dict:
    """Each address asked ``repeats`` times of the test client (the uncached portals with a query of their own)."""
    client = app.test_client()
    asked = dict(addresses) | {f"{name}_uncached": _with_query(addresses[name], "nocache={n}") for name in UNCACHED}
    results = {}
    for name, path in asked.items():
        timings, non_2xx = [], 0
        for n in range(repeats + 2):
            started = time.perf_counter()
            status = client.get(path.format(n=n)).status_code
            if n >= 2:  # the first two warm up
                timings.append((time.perf_counter() - started) * 1000)
                non_2xx += status >= 400
        timings.sort()
        single = {"p50_ms": statistics.median(timings), "p99_ms": timings[-1], "non_2xx": non_2xx}
        print(f"  p50 {single['p50_ms']:6.1f} ms  max {single['p99_ms']:6.1f} ms  non-2xx {non_2xx}  {path}",
              flush=True)
        results[name] = {"path": path, "single": single}
    return results


def _measure(url: str, args, *, script: Path | None = None) -> dict:
    settings = argparse.Namespace(threads=1, connections=1)
    bench_run.wrk(url, settings, duration=1, script=script)  # warm-up
    result = bench_run.wrk(url, settings, duration=args.duration, script=script)
    result.pop("output")
    print(f"  p50 {result['p50_ms']:6.1f} ms  p99 {result['p99_ms']:6.1f} ms  non-2xx {result['non_2xx']}  {url}",
          flush=True)
    return result


def _with_query(path: str, argument: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}{argument}"


def _addresses(built: dict) -> dict[str, str]:
    district, street = built["district"], built["street"]
    return {
        "consultations_district": f"/consultations/?region={district}",
        "consultations_street_open": f"/consultations/?region={street}&status=open",
        "proposals_district": f"/proposals/?region={district}",
        "api_consultations_district": f"/api/v1/consultations?region={district}",
        "api_proposals_district": f"/api/v1/proposals?region={district}&status=replied",
        "api_regions": "/api/v1/regions",
        "city_portal": f"/regions/{built['city']}/",
        "district_portal": f"/regions/{district}/",
    }


# ---- the data set --------------------------------------------------------------------------------------


def build(app, args) -> dict:
    """The schema, the tree, its departments, one session per district with its cases, and the consultations."""
    from flask_migrate import upgrade

    from engage.accounts import services as accounts
    from engage.accounts.models import Role
    from engage.core.timeutil import utcnow
    from engage.extensions import db
    from engage.regions import services as regions

    with app.app_context():
        upgrade()
        now = utcnow()
        admin = accounts.create_user(email="bench-admin@example.gov.cn", name="bench", password="bench-password",
                                     role=Role.ADMIN, department_id=None, actor=None, now=now)
        city = regions.root_for_new_records()
        city = regions.update_region(city, name="临江市", name_en="Linjiang", slug="linjiang", level="city",
                                     actor=admin, now=now)
        units_of: dict[int, list[int]] = {}
        for d in range(1, args.districts + 1):
            district = regions.create_region(name=f"第{d}区", slug=f"d{d}", level="district", parent=city,
                                             actor=admin, now=now)
            streets = [regions.create_region(name=f"第{d}区第{s}街道", slug=f"d{d}-s{s}", level="street",
                                             parent=district, actor=admin, now=now)
                       for s in range(1, args.streets + 1)]
            units_of[district.id] = _insert_departments(streets, args.departments, d)
        counts = _insert_cases(args.cases, units_of, admin.id, now)
        counts["consultations"] = _insert_consultations(args.consultations, units_of, admin.id, now)
        db.session.commit()
        return {"city": "linjiang", "district": "d1", "street": "d1-s1", "counts": counts}


def _insert_departments(streets, per_street: int, district_number: int) -> list[int]:
    from sqlalchemy import insert

    from engage.accounts.models import Department
    from engage.extensions import db
    from engage.regions.models import department_regions

    ids = []
    for street in streets:
        rows = [{"name": f"{street.name}第{i:02d}单位", "name_en": "", "is_active": True}
                for i in range(1, per_street + 1)]
        made = db.session.scalars(insert(Department).returning(Department.id, sort_by_parameter_order=True),
                                  rows).all()
        db.session.execute(insert(department_regions), [{"department_id": i, "region_id": street.id} for i in made])
        ids += made
    return ids


def _insert_cases(total: int, units_of: dict[int, list[int]], actor_id: int, now) -> dict:
    """``total`` suggestions spread over one session per district, each led by that district's departments."""
    from sqlalchemy import insert

    from engage.extensions import db
    from engage.proposals.models import Proposal
    from engage.proposals.services import session_named
    from engage.regions.models import Region, session_regions

    rng = random.Random(2026)
    counts: dict[str, int] = {}
    per_district = total // len(units_of)
    for district_id, unit_ids in units_of.items():
        session = session_named(f"{db.session.get(Region, district_id).name}第五届人大第三次会议", now)
        db.session.execute(insert(session_regions), [{"session_id": session.id, "region_id": district_id}])
        batch = []
        for number in range(1, per_district + 1):
            case = bench_proposals._case_plan(rng, "suggestion", number, session.id, unit_ids, actor_id, now)
            counts[case["status"]] = counts.get(case["status"], 0) + 1
            batch.append(case)
            if len(batch) == 2000:
                bench_proposals._store(batch, db, Proposal)
                batch = []
        if batch:
            bench_proposals._store(batch, db, Proposal)
    return counts


def _insert_consultations(total: int, units_of: dict[int, list[int]], actor_id: int, now) -> int:
    from sqlalchemy import insert

    from engage.consultations.models import Consultation, ConsultationKind, ModerationMode, Stage
    from engage.extensions import db

    rng = random.Random(2027)
    departments = [unit for units in units_of.values() for unit in units]
    rows = []
    for index in range(total):
        opens = now - timedelta(days=rng.randrange(1, 200))
        closes = now + timedelta(days=30) if index % 3 == 0 else opens + timedelta(days=31)
        closes = closes if closes > opens else opens + timedelta(days=31)
        rows.append({"department_id": rng.choice(departments), "kind": ConsultationKind.MAJOR_DECISION,
                     "title": f"第{index + 1}号征求意见稿", "summary": "现公开征求意见。", "opens_at": opens,
                     "closes_at": closes, "moderation": ModerationMode.IMMEDIATE, "stage": Stage.PUBLISHED,
                     "published_at": opens, "created_at": opens, "updated_at": opens, "created_by_id": actor_id,
                     "comment_count": 0, "published_comment_count": rng.randrange(0, 50)})
    db.session.execute(insert(Consultation), rows)
    return total


def time_roll_up(app, city_slug: str, repeats: int = 9) -> dict:
    """The city's figures counted afresh (no cache), in-process."""
    from engage.core.timeutil import china_date, utcnow
    from engage.regions import figures
    from engage.regions import services as regions

    with app.app_context():
        city = regions.find_by_slug(city_slug)
        timings = []
        for _ in range(repeats):
            now = utcnow()
            started = time.perf_counter()
            figures.roll_up(city, china_date(now), now)
            timings.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(timings), 1), "max_ms": round(max(timings), 1)}


def report(results: dict, info: dict) -> bool:
    print("\n| Address | 1 connection p50 ms | p99 ms |")
    print("| --- | ---: | ---: |")
    for key, label in LABELS.items():
        single = results[key]["single"]
        print(f"| {label} | {single['p50_ms']:.1f} | {single['p99_ms']:.1f} |")
    counted = results["roll_up_counted"]
    print(f"\nCity roll-up counted afresh (in-process): median {counted['median_ms']} ms, max {counted['max_ms']} ms")
    verdicts = [(f"{label}: median {results[key]['single']['p50_ms']:.1f} ms",
                 results[key]["single"]["p50_ms"] < TARGET_MS) for key, label in LABELS.items()]
    verdicts.append((f"city roll-up counted afresh: median {counted['median_ms']} ms",
                     counted["median_ms"] < TARGET_MS))
    print()
    for text, met in verdicts:
        print(f"{'MET   ' if met else 'MISSED'} {text} (target < {TARGET_MS} ms)")
    bad = [key for key in LABELS if results[key]["single"]["non_2xx"]]
    if bad:
        print(f"WARNING: non-2xx answers during: {', '.join(bad)}")
    print(f"\nMachine: {json.dumps(info, ensure_ascii=False)}")
    return all(met for _, met in verdicts) and not bad


if __name__ == "__main__":
    sys.exit(main())
