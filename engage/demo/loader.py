"""Loading the demo data through the same services staff and citizens use, so it obeys every rule."""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import current_app

from engage.accounts import services as accounts
from engage.accounts.models import Department, Role, User
from engage.consultations import comment_services
from engage.consultations import services as consultations
from engage.consultations.models import Comment, CommentStatus, Consultation
from engage.core.calendar_days import load_work_calendar
from engage.core.timeutil import china_date, from_china
from engage.demo import data
from engage.demo import decisions as demo_decisions
from engage.demo import events as demo_events
from engage.demo import feedback as demo_feedback
from engage.demo import follows as demo_follows
from engage.demo import proposals as demo_proposals
from engage.demo import regions as demo_regions
from engage.demo import supervision as demo_supervision

#: comments are composed from the pieces in ``data`` by a seeded generator: every load writes the same text
SEED = 2026


@dataclass
class LoadResult:
    departments: int
    accounts: int
    consultations: int
    comments: int
    events: int = 0
    proposals: int = 0


def is_loaded() -> bool:
    """The demo administrator exists once the demo is loaded (it is created first, in the same transaction)."""
    return accounts.find_user_by_email(data.ACCOUNTS[0][0]) is not None


def load(*, now: datetime) -> LoadResult | None:
    """Add the demo departments, accounts, consultations and comments; None when they are already there.

    Only flushes: the caller commits, so a failure leaves nothing half-loaded.
    """
    if is_loaded():
        return None
    rng = random.Random(SEED)
    admin_email, admin_name, admin_role, _ = data.ACCOUNTS[0]
    admin = accounts.create_user(email=admin_email, name=admin_name, password=data.DEMO_PASSWORD,
                                 role=admin_role, department_id=None, actor=None, now=now)
    # The regions first: the city's departments below go to the root, 临江市.
    tree = demo_regions.load_tree(admin, now)
    departments = {
        key: accounts.save_department(None, name=name, name_en=name_en, is_active=True, actor=admin, now=now)
        for key, name, name_en in data.DEPARTMENTS
    }
    staff = {data.ACCOUNTS[0][0]: admin} | _create_accounts(data.ACCOUNTS[1:], departments, admin, now)
    demo_follows.load(admin, departments, now)
    authors = {key: next(u for u in staff.values() if u.department_id == d.id) for key, d in departments.items()}
    comment_total = 0
    published = {}
    for spec in data.CONSULTATIONS:
        consultation = _publish_consultation(spec, authors[spec.department], departments[spec.department], now)
        published[spec.key] = consultation
        if spec.comments:
            comment_total += _add_comments(consultation, spec.comments, authors[spec.department], rng, now)
    comment_total += demo_feedback.load(published["catering"], authors["market"], now)
    demo_decisions.load(departments, authors, published, now)
    organiser = next(user for user in staff.values() if user.role == Role.ORGANISER)
    event_total = demo_events.load(organiser, departments, now=now)
    supervisor = next(u for u in staff.values() if u.role == "supervisor")
    proposal_total = demo_proposals.load(supervisor=supervisor, departments=departments, staff=authors, now=now)
    demo_supervision.load(admin=admin, supervisor=supervisor, departments=departments, staff=authors, now=now,
                          proposals_session=demo_proposals.PROPOSALS)
    # Last: the city's office is scoped to the city once its own cases are handled.
    below_departments, below_accounts = demo_regions.load(admin, tree, staff, now)
    return LoadResult(len(departments) + below_departments, len(staff) + below_accounts,
                      len(data.CONSULTATIONS) + len(demo_decisions.DECISIONS) + 1, comment_total, event_total,
                      proposal_total + len(demo_regions.DISTRICT_CASES))


def _create_accounts(rows, departments: dict[str, Department], admin: User, now: datetime) -> dict[str, User]:
    return {
        email: accounts.create_user(
            email=email, name=name, password=data.DEMO_PASSWORD, role=role,
            department_id=departments[key].id if key else None, actor=admin, now=now,
        )
        for email, name, role, key in rows
    }


def _day_at(now: datetime, days: int, at: time) -> datetime:
    """``at`` o'clock China time, ``days`` days from the day of ``now``."""
    return from_china(datetime.combine(china_date(now) + timedelta(days=days), at))


def _publish_consultation(spec: data.DemoConsultation, author: User, department: Department, now: datetime):
    # Past periods are published "back then": the services take ``now``, so every rule is checked as it was.
    opens_at = now + timedelta(days=spec.opens_in_days) if spec.opens_in_days <= 0 else (
        _day_at(now, spec.opens_in_days, time(9, 0)))
    published_at = min(now, opens_at)
    fields = consultations.DraftFields(
        title=spec.title, kind=spec.kind, summary=spec.summary, draft_text=spec.draft_text, basis=spec.basis,
        explanation=spec.explanation, contact_channels=spec.contact_channels, opens_at=opens_at,
        closes_at=_day_at(now, spec.closes_in_days, time(17, 30)), short_period_reason=spec.short_period_reason,
        moderation=spec.moderation,
    )
    consultation = consultations.create_draft(fields, department_id=department.id, actor=author,
                                              now=published_at - timedelta(days=2))
    return consultations.publish(consultation, actor=author, now=published_at, config=current_app.config,
                                 calendar=load_work_calendar())


def _compose(plan: data.CommentPlan, rng: random.Random) -> tuple[str, int | None]:
    """A citizen's comment made of an opener, a remark on an article or the whole draft, and a closing."""
    on_articles = [(number, remark) for number, remarks in plan.on_articles.items() for remark in remarks]
    if on_articles and rng.random() < plan.article_share:
        article_number, remark = rng.choice(on_articles)
    else:
        article_number, remark = None, rng.choice(plan.general)
    body = rng.choice(data.OPENERS) + remark + rng.choice(data.EXTRAS) + rng.choice(data.CLOSINGS)
    if rng.random() < 0.15:
        body += "\n\n" + rng.choice(plan.general)  # a second paragraph: line breaks must survive
    return body, article_number


def _comment_input(body: str, article_number: int | None, rng: random.Random) -> comment_services.CommentInput:
    name = "" if rng.random() < 0.4 else rng.choice(data.DISPLAY_NAMES)  # 匿名 when empty
    contact = ""
    if rng.random() < 0.2:
        contact = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
    return comment_services.CommentInput(body=body, article_number=article_number, display_name=name,
                                      contact=contact, consent=bool(contact))


def _add_comments(consultation: Consultation, plan: data.CommentPlan, author: User, rng: random.Random,
                  now: datetime) -> int:
    """Comments sent at moments spread over the period so far, then moderated as staff would."""
    start, end = consultation.opens_at, min(consultation.closes_at, now)
    moments = sorted(start + (end - start) * rng.uniform(0, 0.999) for _ in range(plan.count))
    rejected_at = dict(zip(rng.sample(range(plan.count), len(plan.rejected)), plan.rejected, strict=True))
    sent: list[tuple[Comment, datetime, str]] = []
    for index, moment in enumerate(moments):
        body, article_number, reason = *_compose(plan, rng), ""
        if index in rejected_at:
            (body, reason), article_number = rejected_at[index], None
        comment, _ = comment_services.submit_comment(consultation.id, _comment_input(body, article_number, rng),
                                                  now=moment)
        sent.append((comment, moment, reason))
    _moderate(consultation, plan, sent, author, now)
    return len(sent)


def _moderate(consultation: Consultation, plan: data.CommentPlan, sent, author: User, now: datetime) -> None:
    waiting = {comment.id for comment, _, _ in sent[len(sent) - plan.left_pending:]} if plan.left_pending else set()
    for comment, moment, reason in sent:
        reviewed_at = min(moment + _review_delay(comment), now)
        if reason:
            comment_services.moderate(consultation, [comment.id], approve=False, reason=reason, actor=author,
                                   now=reviewed_at)
        elif comment.status == CommentStatus.PENDING and comment.id not in waiting:
            comment_services.moderate(consultation, [comment.id], approve=True, actor=author, now=reviewed_at)


def _review_delay(comment: Comment) -> timedelta:
    """Staff review within a day or so; varied but repeatable."""
    return timedelta(hours=2 + comment.id % 20)
