"""Benchmark of the proposal tracker: the public list with filters, the statistics page, a 5,000-row import.

    .venv/bin/python bench/proposals.py [--cases 20000] [--units 100] [--duration 10]

Builds bench/results/proposals.sqlite from the migrations with ``--cases`` cases across ``--units`` units in two
sessions (70 % suggestions, 30 % proposals): registered, assigned, in progress, replied on time and late,
unpublished replies, ratings of all three kinds, re-handled cases and overdue ones, as the services leave them
(the rows are bulk-inserted through the models: 20,000 cases one by one through the services would take minutes).
Then serves Engage with gunicorn (gunicorn.conf.py, rate limits off) and measures with wrk, for each address:

- latency: one connection, requests one after another (``-c1``): the time one answer takes (target: median
  under 100 ms for the filtered list and the statistics page);
- under load: ``-t2 -c16`` for throughput, with the latency that includes waiting for a free worker;
- the cached pages (list, statistics) once more with a query argument of their own per request
  (bench/unique_query.lua), so that every answer is built: the cost of a page nobody asked for yet.

Last, it writes a 5,000-row CSV with the headings supervisors use and imports it through
``engage.proposals.importing.jobs.run_import`` (the service behind the page and ``flask proposals import``),
checking every row first, then storing (target: under 30 s). Results go to the terminal and to
bench/results/proposals.json.
"""

import argparse
import csv
import io
import json
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import run as bench_run  # noqa: E402  (bench/run.py: gunicorn, wrk, the machine's description)

RESULTS = ROOT / "bench" / "results"
UNIQUE = ROOT / "bench" / "unique_query.lua"
#: pages cached for anonymous visitors: measured a second time with the cache out of play
UNCACHED = ("list_filtered", "list_unit_outcome", "stats_page")
TARGET_MS = 100
TARGET_IMPORT_S = 30
WORDS = ("老旧小区加装电梯", "公交线网优化", "共享单车停放", "校园周边食品安全", "课后服务", "生活垃圾分类",
         "农贸市场", "城区积水点改造", "电动自行车充电", "智慧停车", "普惠性幼儿园", "预付式消费", "老旧管网",
         "城市绿道", "社区托育", "养老服务", "医保报销", "河道整治", "背街小巷", "夜间经济")
CATEGORIES = ("城乡建设", "交通出行", "城市管理", "市场监管", "教育", "民生保障", "生态环境")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--import-rows", type=int, default=5_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (under load)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (under load)")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run (same sizes)")
    parser.add_argument("--no-import", action="store_true", help="skip the import measurement")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    bench_run.ensure_wrk()
    RESULTS.mkdir(parents=True, exist_ok=True)
    db_path, built_path = RESULTS / "proposals.sqlite", RESULTS / "proposals-built.json"
    database_url = f"sqlite:///{db_path}"

    from engage import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": bench_run.SECRET})
    if args.reuse and db_path.exists() and built_path.exists():
        built = json.loads(built_path.read_text())
    else:
        for stale in RESULTS.glob("proposals.sqlite*"):
            stale.unlink()
        print(f"Building {db_path.relative_to(ROOT)}: {args.cases:,} cases across {args.units} units ...", flush=True)
        started = time.perf_counter()
        built = build(app, cases=args.cases, units=args.units)
        print(f"  built in {time.perf_counter() - started:.0f} s: {json.dumps(built['counts'])}", flush=True)
        built_path.write_text(json.dumps(built, ensure_ascii=False))

    env = bench_run.os.environ | {"DATABASE_URL": database_url, "SECRET_KEY": bench_run.SECRET,
                                  "RATELIMIT_ENABLED": "false", "GUNICORN_ACCESSLOG": ""}
    addresses = _addresses(built)
    results = {}
    with bench_run.Server(["wsgi:app"], env, args.port, "/healthz") as server:
        for name, path in addresses.items():
            url = server.url + path
            results[name] = {"path": path,
                             "single": _measure(url, args, threads=1, connections=1),
                             "load": _measure(url, args, threads=args.threads, connections=args.connections)}
        for name in UNCACHED:
            # The same page with a query argument of its own per request: built every time, never from the cache.
            url = server.url + addresses[name]
            results[f"{name}_uncached"] = {"path": addresses[name] + "&nocache=N",
                                           "single": _measure(url, args, threads=1, connections=1, script=UNIQUE),
                                           "load": _measure(url, args, threads=args.threads,
                                                            connections=args.connections, script=UNIQUE)}
    results["figures_counted"] = time_counting(app, built["big_session"])
    results["import"] = ({"rows": 0, "seconds": 0, "ok": True, "skipped": True} if args.no_import
                         else time_import(app, args.import_rows, built["unit_names"]))
    info = bench_run.machine(args) | {"cases": args.cases, "units": args.units, "counts": built["counts"]}
    met = report(results, info)
    (RESULTS / "proposals.json").write_text(json.dumps({"machine": info, "results": results}, indent=2,
                                                       ensure_ascii=False))
    return 0 if met else 1


def _measure(url: str, args, *, threads: int, connections: int, script: Path | None = None) -> dict:
    settings = argparse.Namespace(threads=threads, connections=connections)
    bench_run.wrk(url, settings, duration=2, script=script)  # warm-up
    result = bench_run.wrk(url, settings, duration=args.duration, script=script)
    result.pop("output")
    print(f"  -c{connections:<3} {result['requests_per_s']:8.1f} req/s  p50 {result['p50_ms']:6.1f} ms"
          f"  p99 {result['p99_ms']:6.1f} ms  non-2xx {result['non_2xx']}  {url}", flush=True)
    return result


def _addresses(built: dict) -> dict[str, str]:
    big, unit = built["big_session"], built["busy_unit"]
    return {
        "list_filtered": f"/proposals/?kind=suggestion&session={big}&status=replied&q=%E7%94%B5%E6%A2%AF",
        "list_unit_outcome": f"/proposals/?unit={unit}&outcome=A&q=%E5%8A%A0%E8%A3%85",
        "list_all": "/proposals/?page=3",
        "stats_page": f"/proposals/stats?session={big}",
        "api_list_filtered": f"/api/v1/proposals?kind=suggestion&session={big}&status=replied&q=%E7%94%B5%E6%A2%AF",
        "api_stats": f"/api/v1/proposals/stats?session={big}",
        "case_page": f"/proposals/{built['sample_case']}",
    }


# ---- the data set --------------------------------------------------------------------------------------


def build(app, *, cases: int, units: int) -> dict:
    """The schema, ``units`` departments, a supervisor, two sessions and ``cases`` cases; returns ids and counts."""
    from flask_migrate import upgrade

    from engage.accounts import services as accounts
    from engage.accounts.models import Role
    from engage.core.timeutil import utcnow
    from engage.extensions import db
    from engage.proposals.services import session_named

    with app.app_context():
        upgrade()
        now = utcnow()
        admin = accounts.create_user(email="bench-admin@example.gov.cn", name="bench", password="bench-password",
                                     role=Role.ADMIN, department_id=None, actor=None, now=now)
        departments = [accounts.save_department(None, name=f"临江市第{i:03d}局", name_en=f"Bureau {i:03d}",
                                                is_active=True, actor=admin, now=now) for i in range(1, units + 1)]
        sessions = {"suggestion": session_named("第十八届人大第三次会议", now),
                    "proposal": session_named("政协第十五届第三次会议", now)}
        counts = _insert_cases(cases, [d.id for d in departments], sessions, admin.id, now)
        db.session.commit()
        from sqlalchemy import func, select

        from engage.proposals.models import Proposal, ProposalUnit
        busy_unit = db.session.execute(select(ProposalUnit.department_id, func.count()).group_by(
            ProposalUnit.department_id).order_by(func.count().desc()).limit(1)).first()[0]
        sample = db.session.scalar(select(Proposal.id).where(Proposal.round_number == 2).limit(1))
        return {"big_session": sessions["suggestion"].id, "busy_unit": busy_unit, "sample_case": sample,
                "unit_names": [d.name for d in departments], "counts": counts}


def _insert_cases(total: int, unit_ids: list[int], sessions: dict, actor_id: int, now: datetime) -> dict:
    from engage.extensions import db
    from engage.proposals.models import Proposal

    rng = random.Random(2026)
    counts: dict[str, int] = {}
    batch = []
    numbers = {"suggestion": 0, "proposal": 0}
    for _ in range(total):
        kind = "suggestion" if rng.random() < 0.7 else "proposal"
        numbers[kind] += 1
        case = _case_plan(rng, kind, numbers[kind], sessions[kind].id, unit_ids, actor_id, now)
        counts[case["status"]] = counts.get(case["status"], 0) + 1
        batch.append(case)
        if len(batch) == 2000:
            _store(batch, db, Proposal)
            batch = []
    if batch:
        _store(batch, db, Proposal)
    return counts


def _case_plan(rng, kind, number, session_id, unit_ids, actor_id, now) -> dict:
    """One case's fields and its children, in a state the services could have left it in."""
    from engage.core.timeutil import china_date
    from engage.proposals import rules

    today = china_date(now)
    words = rng.sample(WORDS, 2)
    plan = {
        "kind": kind, "session_id": session_id, "number": f"{number:05d}", "category": rng.choice(CATEGORIES),
        "title": f"关于{words[0]}和{words[1]}的{'建议' if kind == 'suggestion' else '提案'}",
        "body": f"建议统筹推进{words[0]}工作，同步研究{words[1]}问题。", "created_at": now, "updated_at": now,
        "created_by_id": actor_id, "round_number": 1, "reply_published": False,
        "proposers": [f"代表{rng.randrange(10_000):04d}" for _ in range(rng.choice((1, 1, 2, 3)))],
    }
    plan["lead_proposer_name"] = plan["proposers"][0]
    if rng.random() < 0.05:
        return plan | {"status": rules.REGISTERED, "units": []}
    assigned_on = today - timedelta(days=rng.randrange(10, 200))
    due_on = rules.add_months(assigned_on, 3)
    lead = rng.choice(unit_ids)
    co = rng.sample([u for u in unit_ids if u != lead], rng.choice((0, 0, 1, 2)))
    plan |= {"assigned_on": assigned_on, "due_on": due_on, "lead_unit_id": lead, "units": [lead, *co],
             "status": rules.IN_PROGRESS if rng.random() < 0.8 else rules.ASSIGNED}
    past_due = due_on < today
    if rng.random() < (0.8 if past_due else 0.5):
        _reply_plan(plan, rng, today, past_due)
    return plan


def _reply_plan(plan: dict, rng, today: date, past_due: bool) -> None:
    from engage.proposals import rules

    late = past_due and rng.random() < 0.2
    span = (plan["due_on"] - plan["assigned_on"]).days
    replied_on = plan["due_on"] + timedelta(days=rng.randrange(1, 30)) if late else (
        plan["assigned_on"] + timedelta(days=rng.randrange(5, span)))
    replied_on = min(replied_on, today)
    plan |= {"status": rules.REPLIED, "replied_on": replied_on, "replied_on_time": replied_on <= plan["due_on"],
             "outcome": rng.choice("AABBCD" if plan["kind"] == "suggestion" else "AABBC"),
             "reply_published": rng.random() < 0.9, "ratings": []}
    if rng.random() < 0.5 and replied_on + timedelta(days=10) <= today:
        plan["ratings"] = [rng.choices(rules.SATISFACTIONS, (6, 3, 1))[0] for _ in plan["proposers"]]
        plan["rated_on"] = replied_on + timedelta(days=10)
        plan["satisfaction"] = rules.round_satisfaction(plan["ratings"])
        if plan["satisfaction"] == rules.UNSATISFIED:
            plan |= {"status": rules.REOPENED, "round_number": 2,
                     "due_on": rules.reopened_due_date(plan["rated_on"], 1)}
        else:
            plan["status"] = rules.RATED


_CASE_COLUMNS = ("kind", "session_id", "number", "title", "body", "category", "status", "lead_proposer_name",
                 "assigned_on", "due_on", "round_number", "lead_unit_id", "replied_on", "replied_on_time", "outcome",
                 "reply_published", "satisfaction", "created_at", "updated_at", "created_by_id")


def _store(batch: list[dict], db, Proposal) -> None:
    """Insert a batch of cases, then their proposers, units, rounds, replies, ratings and status history."""
    from sqlalchemy import insert

    ids = db.session.scalars(
        insert(Proposal).returning(Proposal.id, sort_by_parameter_order=True),
        [{column: plan.get(column) for column in _CASE_COLUMNS} for plan in batch],
    ).all()
    for model, rows in _children(batch, ids):
        if rows:
            db.session.execute(insert(model), rows)
    ratings = _ratings(batch, ids)  # after the proposers: a rating names one
    if ratings:
        from engage.proposals.models import Rating

        db.session.execute(insert(Rating), ratings)


def _children(batch: list[dict], ids: list[int]) -> list:
    from engage.proposals.models import (
        HandlingRound,
        ProposalUnit,
        Proposer,
        Reply,
        StatusChange,
    )

    people, units, rounds, replies, changes = [], [], [], [], []
    for plan, case_id in zip(batch, ids, strict=True):
        people += [{"proposal_id": case_id, "name": name, "is_lead": i == 0, "position": i, "phone": "13900000000",
                    "email": f"p{case_id}-{i}@example.cn", "address": "临江市人民路1号"}
                   for i, name in enumerate(plan["proposers"])]
        changes.append(_change(case_id, None, "registered", "register", plan["created_at"]))
        if not plan["units"]:
            continue
        units += [{"proposal_id": case_id, "department_id": unit, "role": "lead" if i == 0 else "co",
                   "assigned_on": plan["assigned_on"]} for i, unit in enumerate(plan["units"])]
        rounds.append({"proposal_id": case_id, "number": 1, "started_on": plan["assigned_on"],
                       "due_on": plan["due_on"] if plan["round_number"] == 1 else plan["assigned_on"]})
        changes.append(_change(case_id, "registered", "assigned", "assign", plan["created_at"]))
        if "replied_on" in plan:
            replies.append({"proposal_id": case_id, "round_number": 1, "body": "经研究，答复如下：已列入计划。",
                            "replied_on": plan["replied_on"], "signing_unit_id": plan["units"][0],
                            "outcome": plan["outcome"], "is_published": plan["reply_published"],
                            "unpublished_reason": "" if plan["reply_published"] else "涉及未公开内容",
                            "created_at": plan["created_at"]})
        if plan["round_number"] == 2:
            rounds.append({"proposal_id": case_id, "number": 2, "started_on": plan["rated_on"],
                           "due_on": plan["due_on"], "reason": "答复不具体"})
    return [(Proposer, people), (ProposalUnit, units), (HandlingRound, rounds), (Reply, replies),
            (StatusChange, changes)]


def _ratings(batch: list[dict], ids: list[int]) -> list[dict]:
    """Ratings point at proposers, whose ids are known only after they are stored."""
    from sqlalchemy import select

    from engage.extensions import db
    from engage.proposals.models import Proposer

    rated = [(plan, case_id) for plan, case_id in zip(batch, ids, strict=True) if plan.get("ratings")]
    if not rated:
        return []
    proposer_ids: dict[int, list[int]] = {}
    for proposal_id, proposer_id in db.session.execute(
            select(Proposer.proposal_id, Proposer.id).where(Proposer.proposal_id.in_([c for _, c in rated]))
            .order_by(Proposer.proposal_id, Proposer.position)):
        proposer_ids.setdefault(proposal_id, []).append(proposer_id)
    moment = datetime.now(UTC)
    return [{"proposal_id": case_id, "proposer_id": proposer_id, "round_number": 1, "satisfaction": satisfaction,
             "rated_at": moment}
            for plan, case_id in rated
            for proposer_id, satisfaction in zip(proposer_ids[case_id], plan["ratings"], strict=True)]


def _change(case_id, from_status, to_status, action, moment) -> dict:
    return {"proposal_id": case_id, "from_status": from_status, "to_status": to_status, "action": action,
            "round_number": 1, "changed_at": moment}


def time_counting(app, session_id: int, repeats: int = 7) -> dict:
    """The figures counted in the database without the cache (in-process): the cost after every change."""
    from engage.core.timeutil import china_date, utcnow
    from engage.proposals import stats

    with app.app_context():
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            stats.count_figures(session_id, china_date(utcnow()))
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(f"Figures counted afresh (in-process): median {timings[len(timings) // 2]:.1f} ms", flush=True)
    return {"median_ms": round(timings[len(timings) // 2], 1), "max_ms": round(timings[-1], 1)}


# ---- the import ----------------------------------------------------------------------------------------


def time_import(app, rows: int, unit_names: list[str]) -> dict:
    """Write a ``rows``-row CSV and import it through the import service; returns the seconds it took."""
    from engage.core.timeutil import utcnow
    from engage.extensions import db
    from engage.proposals.importing import jobs as import_jobs
    from engage.proposals.models import ImportState

    rng = random.Random(5000)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["编号", "标题", "内容", "类别", "领衔人", "代表团", "联系电话", "附议人", "主办单位", "协办单位",
                     "交办日期"])
    for number in range(1, rows + 1):
        lead, co = rng.sample(unit_names, 2)
        writer.writerow([f"{number:04d}", f"关于{rng.choice(WORDS)}的建议", "建议加快推进。", rng.choice(CATEGORIES),
                         f"代表{number:04d}", "滨江代表团", "13900001111", "代表甲、代表乙", lead, co, "2026-03-15"])
    data = buffer.getvalue().encode("utf-8-sig")
    print(f"Importing {rows:,} rows ({len(data) / 1024:.0f} KiB CSV) ...", flush=True)
    with app.app_context():
        now = utcnow()
        job = import_jobs.create_job("suggestion", "第十八届人大第四次会议", "bench.csv", actor=None, now=now)
        db.session.commit()
        started = time.perf_counter()
        import_jobs.run_import(job, data, actor=None, now=now, config=app.config)
        db.session.commit()
        seconds = time.perf_counter() - started
        ok = job.state == ImportState.DONE and job.imported_rows == rows
        print(f"  {seconds:.1f} s, state {job.state}, {job.imported_rows:,} imported, errors {job.errors[:3]}",
              flush=True)
    return {"rows": rows, "seconds": round(seconds, 2), "ok": ok}


# ---- the report ----------------------------------------------------------------------------------------

LABELS = {
    "list_filtered": "public list: kind + session + status + search 电梯",
    "list_unit_outcome": "public list: unit + outcome A + search 加装",
    "list_all": "public list: no filter, page 3",
    "stats_page": "statistics page (largest session)",
    "api_list_filtered": "API list: kind + session + status + search 电梯",
    "api_stats": "API statistics (largest session)",
    "case_page": "case page (two rounds)",
    "list_filtered_uncached": "public list: kind + session + status + 电梯, never cached",
    "list_unit_outcome_uncached": "public list: unit + outcome A + 加装, never cached",
    "stats_page_uncached": "statistics page, page never cached (figures cached)",
}


def report(results: dict, info: dict) -> bool:
    print("\n| Address | 1 connection p50 ms | p99 ms | 16 connections req/s | p50 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for key, label in LABELS.items():
        single, load = results[key]["single"], results[key]["load"]
        print(f"| {label} | {single['p50_ms']:.1f} | {single['p99_ms']:.1f} | {load['requests_per_s']:,.0f} "
              f"| {load['p50_ms']:.1f} | {load['p99_ms']:.1f} |")
    print(f"\nFigures counted afresh in the database (in-process, {info['cases']:,} cases): median "
          f"{results['figures_counted']['median_ms']} ms, max {results['figures_counted']['max_ms']} ms")
    imported = results["import"]
    verdicts = [(f"{LABELS[key]}: median {results[key]['single']['p50_ms']:.1f} ms",
                 results[key]["single"]["p50_ms"] < TARGET_MS, f"< {TARGET_MS} ms")
                for key in ("list_filtered", "list_unit_outcome", "stats_page", "list_filtered_uncached",
                            "list_unit_outcome_uncached", "stats_page_uncached")]
    verdicts.append((f"import of {imported['rows']:,} rows: {imported['seconds']:.1f} s",
                     imported["ok"] and imported["seconds"] < TARGET_IMPORT_S, f"< {TARGET_IMPORT_S} s, all stored"))
    print()
    for text, met, target in verdicts:
        print(f"{'MET   ' if met else 'MISSED'} {text} (target {target})")
    bad = [key for key in LABELS if results[key]["single"]["non_2xx"] or results[key]["load"]["non_2xx"]]
    if bad:
        print(f"WARNING: non-2xx answers during: {', '.join(bad)}")
    print(f"\nMachine: {json.dumps(info, ensure_ascii=False)}")
    return all(met for _, met, _ in verdicts) and not bad


if __name__ == "__main__":
    sys.exit(main())
