"""Feedback services: grouping, answering, publishing, revisions and the hash chain, against the database."""

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import update

from engage.consultations.models import Channel, Comment, CommentStatus, Stage
from engage.core.errors import NotAllowed, RuleViolation, ValidationFailed
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.feedback import answer_services, offline_services, services
from engage.feedback.models import FeedbackRevision, GroupStatus
from tests import factories


def test_unanswered_counts_count_comments_without_own_or_group_answer(closed_consultation, staff, comments_of):
    comments = comments_of(closed_consultation)
    assert services.unanswered_counts([closed_consultation.id]) == {closed_consultation.id: 4}
    group = answer_services.create_group(closed_consultation, [comments[0].id, comments[1].id], "组", actor=staff,
                                         now=utcnow())
    answer_services.answer_group(group, "adopted", "", actor=staff, now=utcnow())
    assert services.unanswered_counts([closed_consultation.id]) == {closed_consultation.id: 2}


def test_unanswered_counts_leave_out_rejected_comments(closed_consultation, staff, comments_of):
    comment = comments_of(closed_consultation)[0]
    comment.status = CommentStatus.REJECTED
    assert services.unanswered_count(closed_consultation.id) == 3


def test_proposed_groups_hold_the_near_identical_copies(closed_consultation, staff, comments_of):
    comments = comments_of(closed_consultation)
    groups = answer_services.propose_groups(closed_consultation, actor=staff, now=utcnow())
    assert len(groups) == 1
    assert groups[0].status == GroupStatus.PROPOSED and groups[0].size == 3
    db.session.expire_all()
    assert [c.opinion_group_id for c in comments_of(closed_consultation)] == [groups[0].id] * 3 + [None]
    assert groups[0].representative_id in {c.id for c in comments[:3]}


def test_proposing_again_replaces_proposals_but_keeps_accepted_groups(closed_consultation, staff, comments_of):
    first = answer_services.propose_groups(closed_consultation, actor=staff, now=utcnow())[0]
    answer_services.accept_groups(closed_consultation, [first.id], actor=staff, now=utcnow())
    assert answer_services.propose_groups(closed_consultation, actor=staff, now=utcnow()) == []
    db.session.expire_all()
    assert db.session.get(type(first), first.id).status == GroupStatus.ACCEPTED


def test_split_moves_members_to_a_new_group(closed_consultation, staff, comments_of):
    comments = comments_of(closed_consultation)
    group = answer_services.create_group(closed_consultation, [c.id for c in comments[:3]], "组", actor=staff,
                                         now=utcnow())
    new = answer_services.split_group(group, [comments[2].id], "另一组", actor=staff, now=utcnow())
    db.session.expire_all()
    assert (db.session.get(type(group), group.id).size, new.size) == (2, 1)


def test_merge_keeps_target_and_removes_the_others(closed_consultation, staff, comments_of):
    comments = comments_of(closed_consultation)
    first = answer_services.create_group(closed_consultation, [comments[0].id], "一", actor=staff, now=utcnow())
    second = answer_services.create_group(closed_consultation, [comments[1].id], "二", actor=staff, now=utcnow())
    second_id = second.id
    merged = answer_services.merge_groups(closed_consultation, [first.id, second_id], into_id=first.id, actor=staff,
                                          now=utcnow())
    assert merged.size == 2
    assert db.session.get(type(first), second_id) is None


def test_answer_needs_reason_unless_adopted(closed_consultation, staff, comments_of):
    comment = comments_of(closed_consultation)[3]
    with pytest.raises(ValidationFailed) as error:
        answer_services.answer_comments(closed_consultation, [comment.id], "not_adopted", " ", actor=staff,
                                        now=utcnow())
    assert "reason" in error.value.errors


def test_other_department_cannot_answer(closed_consultation, other_staff, comments_of):
    with pytest.raises(NotAllowed):
        answer_services.answer_comments(closed_consultation, [comments_of(closed_consultation)[0].id], "adopted",
                                        "", actor=other_staff, now=utcnow())


def test_publish_refused_while_a_comment_is_unanswered(closed_consultation, staff):
    services.save_explanation(closed_consultation, "说明", actor=staff, now=utcnow())
    with pytest.raises(ValidationFailed) as error:
        services.publish(closed_consultation, actor=staff, now=utcnow())
    assert "publish" in error.value.errors
    assert services.current_revision(closed_consultation.id) is None


def test_publish_refused_while_the_period_is_open(open_consultation, staff):
    with pytest.raises(RuleViolation):
        services.publish(open_consultation, actor=staff, now=utcnow())


def test_publish_sets_stage_version_and_published_answers(answered_consultation, staff, comments_of):
    version = answered_consultation.public_version
    revision = services.publish(answered_consultation, actor=staff, now=utcnow())
    db.session.expire_all()
    assert revision.number == 1 and revision.previous_hash == ""
    assert answered_consultation.stage == Stage.FEEDBACK_PUBLISHED
    assert answered_consultation.public_version > version
    assert revision.content["outcomes"] == {"adopted": 3, "partly_adopted": 0, "not_adopted": 1, "out_of_scope": 0}
    assert revision.content["groups"][0]["size"] == 3
    comments = comments_of(answered_consultation)
    assert [c.published_outcome for c in comments] == ["adopted"] * 3 + ["not_adopted"]
    assert comments[3].published_reason == "施行日期已征求多方意见。"


def test_draft_changes_after_publishing_do_not_reach_authors(answered_consultation, staff, comments_of):
    services.publish(answered_consultation, actor=staff, now=utcnow())
    comment = comments_of(answered_consultation)[3]
    answer_services.answer_comments(answered_consultation, [comment.id], "adopted", "", actor=staff, now=utcnow())
    db.session.expire_all()
    assert comment.published_outcome == "not_adopted"
    assert services.verify(answered_consultation.id).valid


def test_correction_needs_reason_and_chains_to_the_first(answered_consultation, staff, comments_of):
    first = services.publish(answered_consultation, actor=staff, now=utcnow())
    comment = comments_of(answered_consultation)[3]
    answer_services.answer_comments(answered_consultation, [comment.id], "partly_adopted", "部分采纳：推迟三个月。",
                                    actor=staff, now=utcnow())
    with pytest.raises(ValidationFailed):
        services.publish(answered_consultation, actor=staff, now=utcnow())
    second = services.publish(answered_consultation, reason="重新研究后部分采纳", actor=staff,
                              now=utcnow() + timedelta(seconds=1))
    assert second.number == 2 and second.previous_hash == first.content_hash
    assert {"kind": "answers"} in second.changes
    assert services.verify(answered_consultation.id).valid
    assert [r.number for r in services.list_revisions(answered_consultation.id)] == [2, 1]


def test_a_correction_without_any_change_is_refused(answered_consultation, staff, comments_of):
    first = services.publish(answered_consultation, actor=staff, now=utcnow())
    db.session.commit()
    with pytest.raises(RuleViolation) as refused:
        services.publish(answered_consultation, reason="再次公布", actor=staff, now=utcnow() + timedelta(seconds=1))
    assert refused.value.field == "publish"
    with force_locale("en"):
        assert str(refused.value.message) == "Nothing has changed since revision 1 was published: there is nothing " \
                                             "to correct."
    db.session.rollback()
    assert [r.number for r in services.list_revisions(answered_consultation.id)] == [1]
    assert services.verify(answered_consultation.id).valid and first.number == 1


def test_a_changed_draft_answer_is_a_correction(answered_consultation, staff, comments_of):
    """A changed answer alone is enough: the published answers differ once copied, though no count moves."""
    services.publish(answered_consultation, actor=staff, now=utcnow())
    comment = comments_of(answered_consultation)[3]
    answer_services.answer_comments(answered_consultation, [comment.id], "not_adopted", "经研究仍不采纳。",
                                    actor=staff, now=utcnow())
    second = services.publish(answered_consultation, reason="补充理由", actor=staff,
                              now=utcnow() + timedelta(seconds=1))
    assert second.number == 2 and second.changes == [{"kind": "answers"}]
    db.session.refresh(comment)
    assert comment.published_reason == "经研究仍不采纳。"


def test_editing_a_revision_in_the_database_breaks_verification(answered_consultation, staff):
    revision = services.publish(answered_consultation, actor=staff, now=utcnow())
    content = dict(revision.content, explanation="悄悄改过的说明")
    db.session.execute(update(FeedbackRevision).where(FeedbackRevision.id == revision.id).values(content=content))
    db.session.commit()
    db.session.expire_all()
    check = services.verify(answered_consultation.id)
    assert not check.valid and check.broken_at == 1 and check.problem == "content"


def test_altering_a_published_answer_in_the_database_breaks_verification(answered_consultation, staff, comments_of):
    services.publish(answered_consultation, actor=staff, now=utcnow())
    comment = comments_of(answered_consultation)[3]
    db.session.execute(update(Comment).where(Comment.id == comment.id).values(published_outcome="adopted"))
    db.session.commit()
    check = services.verify(answered_consultation.id)
    assert not check.valid and check.problem == "answers"


def test_offline_opinion_is_counted_but_not_published(closed_consultation, staff):
    count = closed_consultation.published_comment_count
    opinion = offline_services.add_offline_opinion(closed_consultation, offline_services.OfflineOpinion(
        body="来信：建议增加宣传。", channel=Channel.LETTER, received_on=utcnow().date()), actor=staff, now=utcnow())
    db.session.expire_all()
    assert opinion.status == CommentStatus.RECORDED and closed_consultation.published_comment_count == count
    assert services.unanswered_count(closed_consultation.id) == 5
    channels, _outcomes, _unanswered = services.report_counts(closed_consultation.id)
    assert channels["letter"] == 1 and channels["online"] == 4


def test_a_published_offline_opinion_counts_on_its_article(closed_consultation, staff):
    before = next(a.published_comment_count for a in closed_consultation.articles if a.number == 2)
    offline_services.add_offline_opinion(closed_consultation, offline_services.OfflineOpinion(
        body="座谈会：第二条应细化。", channel=Channel.FORUM, received_on=utcnow().date(), article_number=2,
        publish=True), actor=staff, now=utcnow())
    db.session.expire_all()
    assert next(a.published_comment_count for a in closed_consultation.articles if a.number == 2) == before + 1


def test_offline_opinion_needs_a_past_date_and_an_offline_channel(closed_consultation, staff):
    with pytest.raises(ValidationFailed) as error:
        offline_services.add_offline_opinion(closed_consultation, offline_services.OfflineOpinion(
            body="意见", channel=Channel.ONLINE, received_on=utcnow().date() + timedelta(days=2)),
            actor=staff, now=utcnow())
    assert set(error.value.errors) == {"channel", "received_on"}


def test_recent_reports_lists_each_revision_newest_first(answered_consultation, staff, department):
    services.publish(answered_consultation, actor=staff, now=utcnow() - timedelta(minutes=5))
    services.save_explanation(answered_consultation, "共收到意见4条，采纳3条，1条未采纳。", actor=staff, now=utcnow())
    services.publish(answered_consultation, reason="更正", actor=staff, now=utcnow())
    rows = services.recent_reports(10)
    assert [(c.id, number) for c, _at, number in rows] == [(answered_consultation.id, 2), (answered_consultation.id, 1)]
    assert factories  # the module is shared with other tests
