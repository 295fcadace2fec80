"""Comment search benchmark: staff searches by words over 500,000 comments, on SQLite and on PostgreSQL.

    .venv/bin/python bench/comment_search.py [--comments 500000] [--db sqlite|postgresql|both]
        [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--repeat 30] [--keep]

Builds one consultation of ``--comments`` comments (bulk inserts; texts from the themes benchmark's points on
waste sorting in many wordings, the demo's remarks on each article, unrelated remarks, two form letters, and a
rare remark in 1 of 2,000), about 8 % of them offline opinions (letters, calls, forums; a third of those recorded,
not published), some answered. The index is built in bulk (jieba over two processes; one ``UPDATE ... FROM`` on
PostgreSQL, FTS5 inserts on SQLite), and its cost per comment is reported. Then each search below runs
``--repeat`` times through the service the work view and the API use (``answer_services.list_comments``: the
page of 50 and its total counted up to 10,000), with median and p95 against the target of a 100 ms median.

SQLite: bench/results/comment_search.sqlite; PostgreSQL: a database ``engage_bench_search`` made (and dropped
unless ``--keep``) on the server of ``--postgres-url``. Results: the terminal and
bench/results/comment_search.json.
"""

import argparse
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGET_MS = 100
BATCH = 5000
RARE = "垃圾清运车凌晨作业，噪音扰民，影响休息。"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=500_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--postgres-url", default=os.environ.get("TEST_POSTGRES_URL")
                        or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--repeat", type=int, default=30, help="runs of each search")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    return parser.parse_args()


# ---- the data ------------------------------------------------------------------------------------------------


def _texts():
    import themes  # bench/themes.py: points on waste sorting in many wordings

    from engage.demo import data

    remarks = list(data.WASTE_COMMENTS.general) + [r for rs in data.WASTE_COMMENTS.on_articles.values() for r in rs]
    points = [wording for wordings in themes.POINTS.values() for wording in wordings]
    return themes, remarks, points


def comment_text(rng, parts, index: int) -> str:
    themes, remarks, points = parts
    if index % 2000 == 1:
        return RARE
    roll = rng.random()
    if roll < 0.05:
        return rng.choice(list(themes.FORM_LETTERS.values()))
    if roll < 0.12:
        return rng.choice(themes.UNRELATED)
    if roll < 0.5:
        return rng.choice(remarks)
    aside = rng.choice(themes.ASIDES)
    return (rng.choice(themes.OPENINGS) + rng.choice(points) + ("，" + aside if aside else "")
            + rng.choice(themes.CLOSINGS))


def _segment(batch):
    from engage.feedback.search.words import index_words

    started = time.perf_counter()
    words = [(comment_id, index_words(body)) for comment_id, body in batch]
    return words, time.perf_counter() - started


def build(app, count: int) -> dict:
    """The consultation and its comments; returns its id and what building cost."""
    from dataset import _published  # bench/dataset.py: a published consultation through the services
    from flask_migrate import upgrade

    from engage.accounts import services as accounts
    from engage.accounts.models import Role
    from engage.consultations.models import Channel, Comment, CommentStatus, Consultation
    from engage.core.answers import AnswerOutcome
    from engage.core.timeutil import utcnow
    from engage.extensions import db

    with app.app_context():
        upgrade()
        now = utcnow()
        admin = accounts.create_user(email="bench-admin@example.gov.cn", name="bench", password="bench-password",
                                     role=Role.ADMIN, department_id=None, actor=None, now=now)
        department = accounts.save_department(None, name="压测局", name_en="Benchmark Bureau", is_active=True,
                                              actor=admin, now=now)
        consultation = _published(department.id, admin, f"压测征求意见稿（{count}条意见）", now)
        db.session.commit()
        consultation_id = consultation.id
        article_ids = [None] + [article.id for article in consultation.articles]
        rng, parts = random.Random(7), _texts()
        start, step = now - timedelta(days=10), timedelta(days=10) / max(count, 1)
        offline = [Channel.LETTER, Channel.PHONE, Channel.FORUM, Channel.EMAIL]
        outcomes = list(AnswerOutcome)
        started = time.perf_counter()
        for offset in range(0, count, BATCH):
            rows = []
            for index in range(offset, min(count, offset + BATCH)):
                created = start + step * index
                is_offline = rng.random() < 0.08
                answered = rng.random() < 0.3
                rows.append({
                    "consultation_id": consultation_id, "article_id": rng.choice(article_ids),
                    "body": comment_text(rng, parts, index), "receipt_number": f"B{index:011d}",
                    "status": (CommentStatus.RECORDED if is_offline and rng.random() < 0.33
                               else CommentStatus.PUBLISHED),
                    "channel": rng.choice(offline) if is_offline else Channel.ONLINE,
                    "received_on": (created - timedelta(days=1)).date() if is_offline else None,
                    "created_at": created, "answer_outcome": rng.choice(outcomes) if answered else None,
                })
            if db.engine.dialect.name == "postgresql":
                _copy(db, rows)
            else:
                db.session.execute(sa.insert(Comment), rows)
        db.session.execute(sa.update(Consultation).where(Consultation.id == consultation_id)
                           .values(comment_count=count, published_comment_count=count))
        db.session.commit()
        inserted = time.perf_counter() - started
        segmented, written = build_index(db)
        return {"consultation_id": consultation_id, "insert_s": round(inserted, 1), **segmented,
                "index_write_s": round(written, 1)}


COPIED = ("consultation_id", "article_id", "body", "receipt_number", "status", "channel", "received_on", "created_at",
          "answer_outcome", "display_name", "contact", "rejection_reason")


def _copy(db, rows) -> None:
    """PostgreSQL: COPY instead of INSERTs (a tenth of the time for 500,000 rows)."""
    raw = db.session.connection().connection.driver_connection
    with raw.cursor().copy(f"COPY comments ({', '.join(COPIED)}) FROM STDIN") as copy:
        for row in rows:
            values = {"display_name": "", "contact": "", "rejection_reason": "", **row}
            copy.write_row([values[name].value if hasattr(values[name], "value") else values[name]
                            for name in COPIED])


def build_index(db) -> tuple[dict, float]:
    """Segment every comment over two processes and write the index in bulk."""
    from engage.feedback.search import index

    rows = db.session.execute(sa.select(sa.column("id"), sa.column("body")).select_from(sa.table("comments"))
                              .order_by(sa.column("id"))).all()
    batches = [[tuple(row) for row in rows[i:i + BATCH]] for i in range(0, len(rows), BATCH)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        results = pool.map(_segment, batches)
    wall = time.perf_counter() - started
    cpu = sum(seconds for _words, seconds in results)
    started = time.perf_counter()
    postgres = db.engine.dialect.name == "postgresql"
    connection = db.session.connection()
    if postgres:
        # One statement over a table of the words: per-row UPDATEs of 500,000 rows take minutes.
        connection.exec_driver_sql(f"DROP INDEX {index.GIN_INDEX}")
        connection.exec_driver_sql("CREATE TEMPORARY TABLE bench_words (id integer PRIMARY KEY, words text[])")
        raw = connection.connection.driver_connection
        with raw.cursor().copy("COPY bench_words (id, words) FROM STDIN") as copy:
            for words, _seconds in results:
                for comment_id, found in words:
                    copy.write_row((comment_id, found))
        connection.exec_driver_sql("UPDATE comments c SET search_words = array_to_tsvector(w.words), "
                                   "words_indexed = true FROM bench_words w WHERE w.id = c.id")
        connection.exec_driver_sql(f"CREATE INDEX {index.GIN_INDEX} ON comments USING gin ({index.TSVECTOR_COLUMN})")
        connection.exec_driver_sql("ANALYZE comments")
    else:
        connection.execute(sa.text(f"INSERT INTO {index.FTS_TABLE} (rowid, words) VALUES (:id, :words)"),
                           [{"id": cid, "words": " ".join(found)} for words, _s in results for cid, found in words])
        connection.exec_driver_sql("UPDATE comments SET words_indexed = 1")
        connection.exec_driver_sql(f"INSERT INTO {index.FTS_TABLE} ({index.FTS_TABLE}) VALUES ('optimize')")
        connection.exec_driver_sql("ANALYZE")
    db.session.commit()
    return ({"segment_wall_s": round(wall, 1), "segment_us_per_comment": round(cpu / max(len(rows), 1) * 1e6, 1)},
            time.perf_counter() - started)


# ---- the searches --------------------------------------------------------------------------------------------


def searches(consultation_id: int, count: int):
    from engage.consultations.models import Channel, Comment
    from engage.core.answers import AnswerOutcome
    from engage.extensions import db
    from engage.feedback.answer_services import CommentFilter

    # a cursor four fifths of the way through the list
    deep = db.session.scalar(sa.select(sa.func.min(Comment.id)).where(Comment.consultation_id == consultation_id))
    deep += int(count * 0.8)
    yesterday = date.today() - timedelta(days=3)
    return [
        ("rare word, page 1", CommentFilter(text="噪音"), {}),
        ("common word, page 1", CommentFilter(text="垃圾"), {}),
        ("very common word, page 1", CommentFilter(text="建议"), {}),
        ("two words, page 1", CommentFilter(text="厨余 投放"), {}),
        ("common word + channel letter", CommentFilter(text="垃圾", channel=Channel.LETTER), {}),
        ("common word + outcome + dates", CommentFilter(text="垃圾", outcome=AnswerOutcome.ADOPTED,
                                                        received_from=yesterday - timedelta(days=3),
                                                        received_to=yesterday), {}),
        ("common word, newest first", CommentFilter(text="垃圾", sort="newest"), {}),
        ("common word, deep cursor page", CommentFilter(text="垃圾"), {"after": deep}),
        ("rare word, deep cursor page", CommentFilter(text="噪音"), {"after": deep}),
        ("no words, unanswered, page 1", CommentFilter(answered="unanswered"), {}),
    ]


def measure(app, consultation_id: int, count: int, repeat: int) -> list[dict]:
    from engage.accounts.models import User
    from engage.consultations.models import Consultation
    from engage.extensions import db
    from engage.feedback.answer_services import list_comments

    rows = []
    with app.app_context():
        actor = db.session.scalar(sa.select(User).where(User.email == "bench-admin@example.gov.cn"))
        consultation = db.session.get(Consultation, consultation_id)
        list_comments(consultation, searches(consultation_id, count)[0][1], actor=actor)  # jieba's dictionary
        for name, filters, cursor in searches(consultation_id, count):
            times, page = [], None
            for _ in range(repeat):
                started = time.perf_counter()
                page = list_comments(consultation, filters, actor=actor, per_page=50, **cursor)
                times.append((time.perf_counter() - started) * 1000)
                db.session.rollback()
            times.sort()
            rows.append({"search": name, "median_ms": round(statistics.median(times), 2),
                         "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 2),
                         "items": len(page.items), "total": f"{page.total}{'+' if page.total_capped else ''}",
                         "meets_target": statistics.median(times) < TARGET_MS})
    return rows


def run_one(kind: str, args) -> dict:
    from engage import create_app

    RESULTS.mkdir(parents=True, exist_ok=True)
    config = {"SECRET_KEY": "bench", "JOBS_SQLITE_PATH": str(RESULTS / "comment_search-jobs.sqlite"),
              "COMMENT_SEARCH_INDEX_SECONDS": -1, "RATELIMIT_ENABLED": False}
    admin_engine = None
    if kind == "sqlite":
        path = RESULTS / "comment_search.sqlite"
        for leftover in RESULTS.glob("comment_search.sqlite*"):
            leftover.unlink()
        url = f"sqlite:///{path}"
    else:
        server = sa.make_url(args.postgres_url)
        admin_engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        with admin_engine.connect() as connection:
            connection.exec_driver_sql("DROP DATABASE IF EXISTS engage_bench_search WITH (FORCE)")
            connection.exec_driver_sql("CREATE DATABASE engage_bench_search")
        url = server.set(database="engage_bench_search").render_as_string(hide_password=False)
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": url})
    try:
        built = build(app, args.comments)
        rows = measure(app, built["consultation_id"], args.comments, args.repeat)
    finally:
        with app.app_context():
            from engage.extensions import db

            db.engine.dispose()
        if admin_engine is not None:
            if not args.keep:
                with admin_engine.connect() as connection:
                    connection.exec_driver_sql("DROP DATABASE IF EXISTS engage_bench_search WITH (FORCE)")
            admin_engine.dispose()
    print(f"\n{kind}: {args.comments} comments; build {json.dumps(built)}")
    print(f"{'search':34} {'median ms':>10} {'p95 ms':>8} {'items':>6} {'total':>7}  target")
    for row in rows:
        print(f"{row['search']:34} {row['median_ms']:>10} {row['p95_ms']:>8} {row['items']:>6} {row['total']:>7}  "
              f"{'met' if row['meets_target'] else 'MISSED'}")
    return {"database": kind, "build": built, "searches": rows}


def main() -> int:
    args = parse_args()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "comments": args.comments,
               "repeat": args.repeat, "target_median_ms": TARGET_MS, "runs": [run_one(kind, args) for kind in kinds]}
    (RESULTS / "comment_search.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return 0 if all(row["meets_target"] for run in results["runs"] for row in run["searches"]) else 1


if __name__ == "__main__":
    sys.exit(main())
