"""The demo data (`flask demo load`): loads on an empty database, through the services, exactly once."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from engage.accounts import services as account_services
from engage.accounts.models import Department, Role, User
from engage.accounts.services import authenticate
from engage.consultations import rules
from engage.consultations.models import Comment, CommentStatus, Consultation, ModerationMode
from engage.core.models import AuditEvent
from engage.demo import data, loader
from engage.demo import regions as demo_regions
from engage.extensions import db

TABLES = (Department, User, Consultation, Comment, AuditEvent)


def _row_counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in TABLES}


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Eight argon2 hashes at production cost take seconds; the demo's logic is the same with a cheap hash."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(account_services, "hash_password", cheap.hash)


@pytest.fixture
def loaded(app, now):
    result = loader.load(now=now)
    db.session.commit()
    return result


def _statuses(now) -> dict[str, list[Consultation]]:
    found: dict[str, list[Consultation]] = {}
    for consultation in db.session.scalars(sa.select(Consultation)):
        found.setdefault(consultation.status(now), []).append(consultation)
    return found


def test_demo_loads_on_an_empty_database(loaded):
    assert loaded.departments == len(data.DEPARTMENTS) + len(demo_regions.DEPARTMENTS)
    assert loaded.accounts == len(data.ACCOUNTS) + len(demo_regions.ACCOUNTS)
    assert _row_counts()["Comment"] == loaded.comments


def test_second_load_changes_nothing(loaded, now):
    before = _row_counts()

    assert loader.load(now=now) is None
    db.session.commit()

    assert _row_counts() == before


def test_cli_loads_once_and_then_says_it_is_there(app):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["demo", "load"])
    second = runner.invoke(args=["demo", "load"])

    assert first.exit_code == 0, first.output
    assert "Loaded the demo data" in first.output
    assert second.exit_code == 0, second.output
    assert "already loaded" in second.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Department)) == (
        len(data.DEPARTMENTS) + len(demo_regions.DEPARTMENTS))


def test_every_role_has_a_demo_account_that_can_log_in(loaded, now):
    users = db.session.scalars(sa.select(User)).all()

    assert {user.role for user in users} == set(Role)
    for user in users:
        authenticate(user.email, data.DEMO_PASSWORD, now=now, max_failures=5, lockout=timedelta(minutes=15))


def test_demo_has_open_scheduled_and_answered_consultations(loaded, now):
    statuses = _statuses(now)

    assert len(statuses[rules.OPEN]) >= 2
    assert statuses[rules.SCHEDULED]
    # The closed catering consultation was answered and its feedback report published (engage/demo/feedback.py).
    assert statuses[rules.FEEDBACK_PUBLISHED]


def test_an_open_consultation_has_chapters_and_many_articles(loaded, now):
    largest = max(_statuses(now)[rules.OPEN], key=lambda c: len(c.articles))

    assert len(largest.articles) >= 15
    assert len({article.chapter for article in largest.articles if article.chapter}) >= 3
    assert largest.basis and largest.explanation and largest.contact_channels


def test_one_consultation_has_hundreds_of_comments_across_articles(loaded):
    busiest = db.session.scalars(sa.select(Consultation).order_by(Consultation.comment_count.desc())).first()
    comments = db.session.scalars(sa.select(Comment).where(Comment.consultation_id == busiest.id)).all()

    assert len(comments) >= 300
    assert len({comment.article_id for comment in comments if comment.article_id}) >= 10
    assert any(not comment.display_name for comment in comments)
    assert len({comment.body for comment in comments}) > len(comments) // 2


def test_rejected_comments_carry_a_reason(loaded):
    rejected = db.session.scalars(sa.select(Comment).where(Comment.status == CommentStatus.REJECTED)).all()

    assert rejected
    assert all(comment.rejection_reason.strip() for comment in rejected)


def test_a_reviewed_consultation_has_comments_waiting(loaded):
    reviewed = db.session.scalars(
        sa.select(Consultation).where(Consultation.moderation == ModerationMode.REVIEW)
    ).all()

    assert any(
        comment.status == CommentStatus.PENDING
        for consultation in reviewed
        for comment in db.session.scalars(sa.select(Comment).where(Comment.consultation_id == consultation.id))
    )


def test_kept_counters_match_the_rows(loaded):
    for consultation in db.session.scalars(sa.select(Consultation)):
        statuses = db.session.scalars(
            sa.select(Comment.status).where(Comment.consultation_id == consultation.id)
        ).all()
        assert consultation.comment_count == len(statuses)
        assert consultation.published_comment_count == statuses.count(CommentStatus.PUBLISHED)


def test_a_shortened_period_states_its_reason(loaded, now):
    shortened = [c for c in db.session.scalars(sa.select(Consultation)) if c.short_period_reason]

    assert shortened
    assert all(c.status(now) == rules.OPEN for c in shortened)


def test_demo_feedback_report_answers_every_comment_and_its_chain_holds(loaded, now):
    from engage.feedback import services as feedback

    reported = _statuses(now)[rules.FEEDBACK_PUBLISHED][0]
    assert feedback.unanswered_count(reported.id) == 0
    assert [r.number for r in feedback.list_revisions(reported.id)] == [2, 1]
    assert feedback.verify(reported.id).valid


def test_the_demo_city_has_districts_and_streets_with_scoped_accounts(loaded):
    from engage.regions import permissions as region_permissions
    from engage.regions import services as region_services

    city = region_services.find_by_slug("linjiang")
    assert city.parent_id is None
    assert {r.slug for r in region_services.children_of(city)} == {"jiangbei", "jiangnan"}
    assert all(d.region is not None for d in db.session.scalars(sa.select(Department)))
    supervisor = account_services.find_user_by_email("supervisor@demo.gov.cn")
    district = region_services.find_by_slug("jiangbei")
    assert region_permissions.oversees_region(supervisor, district)
    assert not region_permissions.supervises_region(supervisor, district)


def test_the_city_supervisor_sees_the_district_session_read_only(loaded):
    from engage.proposals import permissions as case_permissions
    from engage.proposals.models import Proposal, ProposalSession

    session = db.session.scalar(sa.select(ProposalSession).where(ProposalSession.name == demo_regions.DISTRICT_SESSION))
    assert session.region.slug == "jiangbei"
    case = db.session.scalar(sa.select(Proposal).where(Proposal.session_id == session.id).limit(1))
    city = account_services.find_user_by_email("supervisor@demo.gov.cn")
    district = account_services.find_user_by_email("jiangbei-supervisor@demo.gov.cn")
    sibling = account_services.find_user_by_email("jiangnan-supervisor@demo.gov.cn")
    assert case_permissions.can_view_staff_side(city, case) and not case_permissions.can_assign(city, case)
    assert case_permissions.can_assign(district, case)
    assert not case_permissions.can_view_staff_side(sibling, case)
