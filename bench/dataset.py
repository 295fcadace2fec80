"""The benchmark's database: one consultation with many published comments and one with few.

The consultations go through the services; the comments are bulk-inserted (100,000 through the comment service
would take minutes) with the kept counters set to match, as the service would have left them.
"""

import random
from datetime import timedelta

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import insert, update

from engage.accounts import services as accounts
from engage.accounts.models import Role
from engage.consultations import rules
from engage.consultations import services as consultations
from engage.consultations.models import Channel, Comment, CommentStatus, Consultation, ConsultationKind
from engage.core.calendar_days import load_work_calendar
from engage.core.timeutil import utcnow
from engage.demo import data
from engage.extensions import db

BATCH = 5000


def build(app, *, big: int, small: int) -> dict[str, int]:
    """Create the schema and both consultations; returns their ids by name ("big", "small")."""
    with app.app_context():
        upgrade()
        now = utcnow()
        admin = accounts.create_user(email="bench-admin@example.gov.cn", name="bench", password="bench-password",
                                     role=Role.ADMIN, department_id=None, actor=None, now=now)
        department = accounts.save_department(None, name="压测局", name_en="Benchmark Bureau", is_active=True,
                                              actor=admin, now=now)
        ids = {}
        for name, count in (("big", big), ("small", small)):
            consultation = _published(department.id, admin, f"压测征求意见稿（{count}条意见）", now)
            _insert_comments(consultation, count, now)
            ids[name] = consultation.id
        db.session.commit()
        return ids


def _published(department_id: int, actor, title: str, now) -> Consultation:
    fields = consultations.DraftFields(
        title=title, kind=ConsultationKind.DRAFT_RULE, summary="用于性能测试的征求意见稿。",
        draft_text=data.WASTE_DRAFT, basis="性能测试", explanation="性能测试", contact_channels="网上意见",
        opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=60),
    )
    consultation = consultations.create_draft(fields, department_id=department_id, actor=actor,
                                              now=now - timedelta(days=10))
    return consultations.publish(consultation, actor=actor, now=now - timedelta(days=10),
                                 config=current_app.config, calendar=load_work_calendar())


def _insert_comments(consultation: Consultation, count: int, now) -> None:
    rng = random.Random(consultation.id)
    article_ids = [None] + [article.id for article in consultation.articles]
    receipts = set()
    while len(receipts) < count:
        receipts.add(rules.new_receipt_number())
    start = now - timedelta(days=10)
    step = timedelta(days=10) / max(count, 1)
    rows = [
        {
            "consultation_id": consultation.id, "article_id": rng.choice(article_ids),
            "body": f"{rng.choice(data.OPENERS)}{rng.choice(data.WASTE_COMMENTS.general)}（第{index}条意见）",
            "display_name": rng.choice(data.DISPLAY_NAMES + [""]), "contact": "", "receipt_number": receipt,
            "status": CommentStatus.PUBLISHED, "rejection_reason": "", "channel": Channel.ONLINE,
            "created_at": start + step * index,
        }
        for index, receipt in enumerate(receipts)
    ]
    for offset in range(0, len(rows), BATCH):
        db.session.execute(insert(Comment), rows[offset:offset + BATCH])
    db.session.execute(
        update(Consultation).where(Consultation.id == consultation.id)
        .values(comment_count=count, published_comment_count=count)
    )
