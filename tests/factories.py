"""Creators for test records. They go through the services where one exists, so tests see real data."""

from datetime import date, timedelta

import sqlalchemy as sa

from engage.accounts import services as accounts
from engage.accounts.models import Department, Role
from engage.consultations import comment_services
from engage.consultations import services as consultations
from engage.consultations.models import ConsultationKind, ModerationMode
from engage.core.calendar_days import load_work_calendar
from engage.core.timeutil import china_date, utcnow
from engage.extensions import db

PASSWORD = "correct horse battery"

DRAFT_TEXT = """某某市生活垃圾分类管理办法（征求意见稿）
第一章 总则
第一条 为了加强生活垃圾分类管理，改善人居环境，根据有关法律法规，结合本市实际，制定本办法。
第二条 本市行政区域内生活垃圾的分类投放、收集、运输、处理及其监督管理，适用本办法。
第二章 分类投放
第三条 生活垃圾分为可回收物、有害垃圾、厨余垃圾和其他垃圾。
第四条 本办法自2027年1月1日起施行。"""


def make_department(name: str, name_en: str = "") -> Department:
    department = Department(name=name, name_en=name_en, is_active=True)
    db.session.add(department)
    db.session.flush()
    return department


def make_user(email: str, *, role: str = "department_staff", department: Department | None = None,
              password: str = PASSWORD, name: str | None = None):
    user = accounts.create_user(
        email=email, name=name or email.split("@")[0], password=password, role=Role(role),
        department_id=department.id if department else None, actor=None, now=utcnow(),
    )
    db.session.commit()
    return user


def make_consultation(department, author, *, title="生活垃圾分类管理办法（征求意见稿）", publish=True,
                      opens_at=None, closes_at=None, kind=ConsultationKind.MAJOR_DECISION,
                      moderation=ModerationMode.IMMEDIATE, draft_text=DRAFT_TEXT, short_period_reason="",
                      summary="为推进生活垃圾分类，现公开征求意见。"):
    """A consultation of ``department``; published (with its period) unless ``publish`` is False.

    A period wholly in the past is written directly, since publishing checks it against the clock.
    """
    now = utcnow()
    opens_at = opens_at or now - timedelta(minutes=1)
    closes_at = closes_at or now + timedelta(days=31)
    fields = consultations.DraftFields(
        title=title, kind=kind, summary=summary, draft_text=draft_text,
        basis="《中华人民共和国固体废物污染环境防治法》", explanation="起草说明：……",
        contact_channels="电子邮箱：hj@example.gov.cn", opens_at=opens_at,
        closes_at=closes_at, short_period_reason=short_period_reason, moderation=moderation,
    )
    consultation = consultations.create_draft(fields, department_id=department.id, actor=author, now=now)
    if publish:
        from flask import current_app

        publish_at = min(now, opens_at)
        consultations.publish(consultation, actor=author, now=publish_at, config=current_app.config,
                              calendar=load_work_calendar())
        consultation.opens_at = opens_at
    db.session.commit()
    return consultation


def day_after_close(consultation, days: int = 1) -> date:
    """A China date ``days`` after the day ``consultation`` closed: a valid publication date for its decision."""
    return china_date(consultation.closes_at) + timedelta(days=days)


def make_comment(consultation, body="建议增加分类投放点。", *, now=None, **kwargs):
    comment, _ = comment_services.submit_comment(
        consultation.id, comment_services.CommentInput(body=body, **kwargs), now=now or utcnow()
    )
    db.session.commit()
    return comment


def statements_of(client, url: str) -> list[str]:
    """The SQL statements a GET of ``url`` runs (it must answer 200): for tests that the count stays flat."""
    seen = []

    def record(_connection, _cursor, statement, *_args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return seen
