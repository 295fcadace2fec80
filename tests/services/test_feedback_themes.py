"""Themes: comments making the same point in other words are proposed as groups with keywords, article by
article, through a run on the job queue; copies found before are left alone, and nothing is accepted by itself."""

from datetime import timedelta

import sqlalchemy as sa

from engage.consultations.models import Comment
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.feedback import answer_services, grouping_runs, themes
from engage.feedback.models import GroupKind, GroupStatus, OpinionGroup, RunState
from tests import factories
from tests.fixtures.feedback import make_closed_consultation
from tests.fixtures.messaging import run_queued_jobs

FINES = [
    "对个人不分类的罚款标准过高，应当降低。",
    "罚款金额太重了，建议以教育为主。",
    "个人罚款的标准太高，希望降低罚款金额。",
    "建议降低罚款标准，罚款金额过高。",
]
HOURS = [
    "垃圾投放时间太短，建议延长投放时间。",
    "定时投放的时间太短，上班族赶不上，请延长。",
    "希望延长垃圾投放时间，晚上也能投放。",
    "投放时间应当延长，现在的时间太短。",
]
OTHER = ["小区门口的路灯坏了。", "菜市场价格有点高。"]


def test_the_pure_function_finds_the_two_points_with_their_keywords():
    found = themes.propose_themes(enumerate(FINES + HOURS + OTHER))
    by_members = {frozenset(theme.comment_ids): theme for theme in found}
    assert frozenset(range(4)) in by_members and frozenset(range(4, 8)) in by_members
    assert "罚款" in by_members[frozenset(range(4))].keywords
    assert "投放" in by_members[frozenset(range(4, 8))].keywords
    assert all(8 not in theme.comment_ids and 9 not in theme.comment_ids for theme in found)
    assert by_members[frozenset(range(4))].representative_ids[0] in range(4)


def test_too_few_comments_or_no_shared_word_propose_nothing():
    assert themes.propose_themes(enumerate(FINES[:2])) == []
    assert themes.propose_themes(enumerate(["同意", "反对", "好", "支持", "不好", "一般"])) == []


def test_a_theme_run_proposes_groups_per_article_and_leaves_copies_alone(department, staff):
    consultation, comments = make_closed_consultation(department, staff, FINES + HOURS + OTHER)
    copies = answer_services.create_group(
        consultation, [comments[-1].id, comments[-2].id], "其他", actor=staff, now=utcnow()
    )
    db.session.commit()
    run = grouping_runs.request_run(consultation, actor=staff, now=utcnow(), kind=GroupKind.THEME)
    db.session.commit()
    from engage.feedback import jobs as feedback_jobs

    feedback_jobs.enqueue(run.id)
    assert run_queued_jobs() == 1
    db.session.expire_all()
    run = db.session.get(type(run), run.id)
    assert (run.state, run.kind, run.groups_proposed, run.comments_grouped) == (RunState.DONE, GroupKind.THEME, 2, 8)
    proposed = db.session.scalars(sa.select(OpinionGroup).where(OpinionGroup.kind == GroupKind.THEME)).all()
    assert {group.status for group in proposed} == {GroupStatus.PROPOSED}  # a person accepts them, not Engage
    assert all(group.keywords and " · " in group.title for group in proposed)
    assert db.session.get(OpinionGroup, copies.id).size == 2  # the accepted group kept its comments
    # Running again replaces the theme proposals, not the copies.
    answer_services.propose_themes(consultation, actor=staff, now=utcnow() + timedelta(seconds=1))
    db.session.commit()
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(OpinionGroup).where(OpinionGroup.kind == GroupKind.THEME)
        )
        == 2
    )
    assert db.session.get(OpinionGroup, copies.id) is not None


def test_themes_do_not_mix_articles(department, staff, now):
    consultation = factories.make_consultation(
        department, staff, opens_at=now - timedelta(days=40), closes_at=now + timedelta(days=1)
    )
    for number, body in [(2, text) for text in FINES[:2]] + [(3, text) for text in FINES[2:]]:
        factories.make_comment(consultation, body, article_number=number, now=now - timedelta(days=3))
    for body in HOURS:
        factories.make_comment(consultation, body, article_number=2, now=now - timedelta(days=3))
    consultation.closes_at = now - timedelta(hours=1)
    db.session.commit()
    groups = answer_services.propose_themes(consultation, actor=staff, now=now)
    for group in groups:
        articles = set(db.session.scalars(sa.select(Comment.article_id).where(Comment.opinion_group_id == group.id)))
        assert len(articles) == 1
