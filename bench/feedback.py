"""Feedback benchmark: near-duplicate grouping at 100,000 comments, and the report page and API at two sizes.

    .venv/bin/python bench/feedback.py            (--comments, --few, --duration, --rounds, --port)

Builds a SQLite database (bench/results/feedback.sqlite) with a closed consultation of 100,000 comments, half of
them copies of 50 form letters with small edits (characters changed, inserted or dropped, a greeting or a closing
line added, punctuation and spacing varied) and half unrelated comments, plus a consultation of 100 comments
made the same way (5 form letters). Then:

1. Automatic grouping through the service (``answer_services.propose_groups``: reading the comments, MinHash/LSH,
   writing the proposed groups) is timed on the big consultation, and checked: every form letter must come out
   as one group holding only its copies, and no unrelated comment may be grouped.
2. Groups are accepted and answered through the services; the unrelated comments get one bulk SQL answer (a
   benchmark shortcut: through the service they would add 50,000 audit rows and minutes, and are not what is
   measured); the report is published through the service (timed).
3. gunicorn (gunicorn.conf.py) serves Engage and wrk measures the public report page and
   ``GET /api/v1/consultations/{id}/feedback`` of both consultations, back to back in each round (the order
   alternating); the ratio big/small is taken per round and its median over the rounds is what the target checks.

Targets: grouping < 60 s finding the 50 groups; page and API at 100,000 comments >= 0.9x the speed at 100.
Results go to the terminal and bench/results/feedback.json.
"""

import argparse
import json
import random
import socket
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import run  # noqa: E402  (bench/run.py: gunicorn, wrk and the machine description)

SECRET = "benchmark-only-secret"
TARGET_SECONDS = 60
TARGET_RATIO = 0.9
POOL = (
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自之着去过家学对可她里后"
    "小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长"
    "知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最"
    "间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市"
    "眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计"
    "或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题"
)
GREETINGS = ("", "", "尊敬的领导：", "您好！", "我是本市居民，")
CLOSINGS = ("", "", "请予采纳。", "谢谢！", "望重视。")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--few", type=int, default=100)
    parser.add_argument("--letters", type=int, default=50, help="form letters in the big consultation")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk measurement")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    return parser.parse_args()


# ---- the data ------------------------------------------------------------------------------------------


def _random_text(rng, low, high) -> str:
    return "".join(rng.choice(POOL) for _ in range(rng.randint(low, high)))


def _with_small_edits(rng, letter: str) -> str:
    chars = list(letter)
    for _ in range(rng.randint(0, 4)):
        position, choice = rng.randrange(len(chars)), rng.random()
        if choice < 0.4:
            chars[position] = rng.choice(POOL)
        elif choice < 0.7:
            chars.insert(position, rng.choice(POOL))
        else:
            del chars[position]
    text = "".join(chars)
    if rng.random() < 0.3:
        text = text.replace("，", ",").replace("。", ". ")
    return f"{rng.choice(GREETINGS)}{text}{rng.choice(CLOSINGS)}"


def comment_bodies(count: int, letters: int, seed: int) -> tuple[list[str], list[int | None]]:
    """``count`` bodies, every other one a copy of one of ``letters`` form letters; returns bodies and the letter
    each one copies (None for the unrelated ones)."""
    rng = random.Random(seed)
    originals = [f"{_random_text(rng, 40, 90)}，{_random_text(rng, 40, 90)}。" for _ in range(letters)]
    bodies, truth = [], []
    for index in range(count):
        if index % 2 == 0:
            letter = index // 2 % letters
            bodies.append(_with_small_edits(rng, originals[letter]))
            truth.append(letter)
        else:
            bodies.append(_random_text(rng, 20, 300))
            truth.append(None)
    return bodies, truth


def build(app, args) -> dict:
    from flask_migrate import upgrade
    from sqlalchemy import insert, update

    from engage.accounts import services as accounts
    from engage.accounts.models import Role
    from engage.consultations import rules
    from engage.consultations.models import Channel, Comment, CommentStatus, Consultation
    from engage.core.timeutil import utcnow
    from engage.extensions import db

    with app.app_context():
        upgrade()
        now = utcnow()
        admin = accounts.create_user(email="bench-admin@example.gov.cn", name="bench", password="bench-password",
                                     role=Role.ADMIN, department_id=None, actor=None, now=now)
        department = accounts.save_department(None, name="压测局", name_en="Benchmark Bureau", is_active=True,
                                              actor=admin, now=now)
        built = {}
        for name, count, letters in (("big", args.comments, args.letters), ("small", args.few, 5)):
            consultation = run_dataset()._published(department.id, admin, f"反馈压测（{count}条意见）", now)
            bodies, truth = comment_bodies(count, letters, seed=count)
            receipts = set()
            while len(receipts) < count:
                receipts.add(rules.new_receipt_number())
            rows = [{"consultation_id": consultation.id, "body": body, "display_name": "", "contact": "",
                     "receipt_number": receipt, "status": CommentStatus.PUBLISHED, "rejection_reason": "",
                     "channel": Channel.ONLINE, "created_at": now - timedelta(days=5), "answer_reason": "",
                     "published_reason": ""}
                    for body, receipt in zip(bodies, receipts, strict=True)]
            for offset in range(0, len(rows), 5000):
                db.session.execute(insert(Comment), rows[offset:offset + 5000])
            db.session.execute(update(Consultation).where(Consultation.id == consultation.id).values(
                comment_count=count, published_comment_count=count, closes_at=now - timedelta(days=1)))
            db.session.commit()
            built[name] = {"id": consultation.id, "truth": truth, "admin_id": admin.id}
        return built


def run_dataset():
    import dataset

    return dataset


# ---- grouping, answering, publishing -------------------------------------------------------------------


def check_groups(groups_members: list[list[int]], first_id: int, truth: list[int | None], letters: int) -> dict:
    """Whether the proposed groups are exactly the form letters: one pure group per letter, nothing else."""
    pure, mixed, unrelated = 0, 0, 0
    found_letters = set()
    grouped_copies = 0
    for members in groups_members:
        sources = {truth[member - first_id] for member in members}
        if None in sources:
            unrelated += sum(1 for member in members if truth[member - first_id] is None)
        if len(sources) == 1 and None not in sources:
            pure += 1
            found_letters |= sources
            grouped_copies += len(members)
        else:
            mixed += 1
    copies = sum(1 for source in truth if source is not None)
    return {"groups": len(groups_members), "pure_groups": pure, "mixed_groups": mixed,
            "letters_found": len(found_letters), "letters": letters, "unrelated_grouped": unrelated,
            "copies_grouped": grouped_copies, "copies": copies,
            "ok": pure == letters == len(groups_members) and unrelated == 0}


def group_answer_publish(app, built: dict, name: str, letters: int) -> dict:
    from sqlalchemy import select, update

    from engage.accounts.models import User
    from engage.consultations.models import Comment, Consultation
    from engage.core.timeutil import utcnow
    from engage.extensions import db
    from engage.feedback import answer_services, services
    from engage.feedback.models import OpinionGroup

    entry = built[name]
    with app.app_context():
        actor = db.session.get(User, entry["admin_id"])
        consultation = db.session.get(Consultation, entry["id"])
        started = time.perf_counter()
        groups = answer_services.propose_groups(consultation, actor=actor, now=utcnow())
        db.session.commit()
        grouping_s = time.perf_counter() - started
        first_id = db.session.scalar(select(Comment.id).where(Comment.consultation_id == consultation.id)
                                     .order_by(Comment.id).limit(1))
        members: dict[int, list[int]] = {}
        for comment_id, group_id in db.session.execute(
                select(Comment.id, Comment.opinion_group_id).where(Comment.consultation_id == consultation.id,
                                                                   Comment.opinion_group_id.is_not(None))):
            members.setdefault(group_id, []).append(comment_id)
        check = check_groups(list(members.values()), first_id, entry["truth"], letters)
        now = utcnow()
        for index, group in enumerate(db.session.scalars(select(OpinionGroup).where(
                OpinionGroup.consultation_id == consultation.id))):
            outcome = ("adopted", "partly_adopted", "not_adopted")[index % 3]
            answer_services.answer_group(group, outcome, "" if outcome == "adopted" else "已研究，理由见说明。",
                                         actor=actor, now=now)
        db.session.execute(update(Comment).where(Comment.consultation_id == consultation.id,
                                                 Comment.opinion_group_id.is_(None))
                           .values(answer_outcome="out_of_scope", answer_reason="不属于本次征求意见的范围。",
                                   answered_at=now, answered_by_id=actor.id))
        services.save_explanation(consultation, "共收到意见若干条，集中意见已逐一答复。", actor=actor, now=now)
        started = time.perf_counter()
        revision = services.publish(consultation, actor=actor, now=now)
        db.session.commit()
        publish_s = time.perf_counter() - started
        print(f"  {name}: grouping {grouping_s:.1f} s ({len(groups)} groups), publishing {publish_s:.1f} s; "
              f"check {json.dumps(check)}", flush=True)
        return {"grouping_s": grouping_s, "publish_s": publish_s, "check": check, "revision": revision.number}


# ---- serving -------------------------------------------------------------------------------------------


class PatientServer(run.Server):
    """bench/run.py's server, given longer to boot: on a shared 2-core machine five workers may take over 30 s."""

    def __enter__(self):
        deadline = time.monotonic() + 180
        self._process = run.subprocess.Popen(self._command, cwd=run.ROOT, env=self._env, start_new_session=True,
                                             stdout=run.subprocess.DEVNULL, stderr=run.subprocess.DEVNULL)
        while time.monotonic() < deadline:
            try:
                with run.urllib.request.urlopen(self._ready_url, timeout=5) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        sys.exit(f"gunicorn did not answer {self._ready_url}")


def serve_and_measure(built: dict, args, env: dict) -> tuple[dict, dict]:
    """Each address's median round, and the median of the big/small ratios measured back to back per round.

    On two shared cores the same address varies by up to 20 % from one 10-second run to the next; a ratio of two
    runs made seconds apart (in alternating order, so a drift favours neither) varies far less.
    """
    results: dict[str, list] = {key: [] for key in ("page_small", "page_big", "api_small", "api_big")}
    with PatientServer(["wsgi:app"], env, args.port, "/healthz") as server:
        for number in range(args.rounds):
            for what, path in (("page", "/consultations/{}/feedback"), ("api", "/api/v1/consultations/{}/feedback")):
                sizes = ("small", "big") if number % 2 == 0 else ("big", "small")
                for size in sizes:
                    url = server.url + path.format(built[size]["id"])
                    results[f"{what}_{size}"].append(run.measure(url, args))
    medians = {}
    for key, runs in results.items():
        median = sorted(runs, key=lambda item: item["requests_per_s"])[len(runs) // 2]
        medians[key] = {k: v for k, v in median.items() if k != "output"}
    ratios = {}
    for what in ("page", "api"):
        per_round = [big["requests_per_s"] / small["requests_per_s"]
                     for big, small in zip(results[f"{what}_big"], results[f"{what}_small"], strict=True)]
        ratios[what] = {"median": statistics.median(per_round), "rounds": [round(r, 3) for r in per_round]}
    return medians, ratios


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> int:
    args = parse_args()
    args.port = args.port or free_port()
    run.ensure_wrk()
    run.RESULTS.mkdir(parents=True, exist_ok=True)
    db_path = run.RESULTS / "feedback.sqlite"
    for stale in run.RESULTS.glob("feedback.sqlite*"):
        stale.unlink()
    database_url = f"sqlite:///{db_path}"
    from engage import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})
    print(f"Building {db_path.relative_to(run.ROOT)}: {args.comments:,} + {args.few:,} comments ...", flush=True)
    built = build(app, args)
    grouping = {"big": group_answer_publish(app, built, "big", args.letters),
                "small": group_answer_publish(app, built, "small", 5)}
    env = run.os.environ | {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "RATELIMIT_ENABLED": "false",
                            "GUNICORN_ACCESSLOG": ""}
    print("Engage (report page and API, alternating rounds):", flush=True)
    served, ratios = serve_and_measure(built, args, env)
    page_ratio, api_ratio = ratios["page"]["median"], ratios["api"]["median"]
    big = grouping["big"]
    verdicts = [
        (f"grouping {args.comments:,} comments: {big['grouping_s']:.1f} s", big["grouping_s"] < TARGET_SECONDS,
         f"< {TARGET_SECONDS} s"),
        (f"form letters found: {big['check']['letters_found']} of {args.letters}, "
         f"{big['check']['mixed_groups']} mixed groups, {big['check']['unrelated_grouped']} unrelated grouped",
         big["check"]["ok"], "every letter one pure group"),
        (f"report page at {args.comments:,} vs {args.few:,}: {page_ratio:.2f}x", page_ratio >= TARGET_RATIO,
         f">= {TARGET_RATIO}x"),
        (f"report API at {args.comments:,} vs {args.few:,}: {api_ratio:.2f}x", api_ratio >= TARGET_RATIO,
         f">= {TARGET_RATIO}x"),
    ]
    print("\n| Measurement | Requests/s | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: |")
    for key, figure in served.items():
        print(f"| {key} | {figure['requests_per_s']:,.0f} | {figure['p50_ms']} | {figure['p99_ms']} |")
    print(f"\nbig/small per round: page {ratios['page']['rounds']}, API {ratios['api']['rounds']}")
    for text, met, target in verdicts:
        print(f"{'MET   ' if met else 'MISSED'} {text} (target {target})")
    info = run.machine(args) | {"comments": args.comments, "few": args.few}
    (run.RESULTS / "feedback.json").write_text(json.dumps(
        {"machine": info, "grouping": grouping, "served": served, "ratios": ratios}, indent=2, ensure_ascii=False))
    return 0 if all(met for _, met, _ in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
