"""Staff search of comments by words (engage/feedback/search) and the work view's filters and orders, on both
databases: the index is FTS5 on SQLite and a GIN-indexed tsvector on PostgreSQL."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from engage import jobs
from engage.consultations import comment_services
from engage.consultations.models import Channel, Comment, CommentStatus, ModerationMode
from engage.core.answers import AnswerOutcome
from engage.core.errors import ValidationFailed
from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.feedback import answer_services, offline_services
from engage.feedback.answer_services import CommentFilter, list_comments
from engage.feedback.search import index, words
from engage.feedback.search import jobs as search_jobs
from tests import factories
from tests.fixtures.feedback import make_closed_consultation
from tests.fixtures.messaging import run_queued_jobs

SORTING = "建议推进生活垃圾分类，在小区设置投放点。"
PROPERTY = "第四条施行日期过早，建议推迟半年，给物业企业留出准备时间。"
CLEARING = "小区物业应当负责垃圾清运。"
PARKING = "停车收费标准太高，希望降低。"


@pytest.fixture
def consultation(department, staff):
    consultation, _comments = make_closed_consultation(department, staff, [SORTING, PROPERTY, CLEARING, PARKING])
    index.index_pending()
    return consultation


def _bodies(consultation, actor, **filters) -> list[str]:
    page = list_comments(consultation, CommentFilter(**filters), actor=actor, per_page=50)
    return [comment.body for comment in page.items]


# ---- words ---------------------------------------------------------------------------------------------------


def test_a_comment_is_indexed_with_the_words_inside_long_words():
    found = words.index_words(CLEARING)
    assert {"垃圾", "清运", "垃圾清运", "小区", "物业"} <= set(found)
    assert "。" not in found and all(len(word) >= 2 for word in found)


def test_a_query_is_cut_into_whole_words_and_single_characters_are_left_out():
    assert words.query_words("垃圾清运") == ["垃圾清运"]
    assert words.query_words("在 物业 的 PM2.5") == ["物业", "pm2.5"]


@pytest.mark.parametrize("query", ["的", "在 的 了", "，。！", " "])
def test_a_query_without_a_word_of_two_characters_is_refused(app, query):
    with pytest.raises(ValidationFailed) as refused:
        words.query_words(query)
    assert "q" in refused.value.errors


# ---- searching -----------------------------------------------------------------------------------------------


def test_every_word_of_the_query_must_be_in_the_comment(consultation, staff):
    assert _bodies(consultation, staff, text="物业") == [PROPERTY, CLEARING]
    assert _bodies(consultation, staff, text="物业 垃圾") == [CLEARING]
    assert _bodies(consultation, staff, text="物业 停车") == []


def test_a_word_finds_the_comments_holding_it_inside_a_longer_word(consultation, staff):
    # 垃圾清运 is one word to the precise segmenter; the index holds its parts too.
    assert _bodies(consultation, staff, text="清运") == [CLEARING]
    assert _bodies(consultation, staff, text="垃圾") == [SORTING, CLEARING]
    assert _bodies(consultation, staff, text="第四") == [PROPERTY]


def test_a_query_too_short_is_refused_by_the_list(consultation, staff):
    with pytest.raises(ValidationFailed):
        list_comments(consultation, CommentFilter(text="的"), actor=staff)


def test_words_with_quotes_and_backslashes_are_searched_as_text(consultation, staff):
    assert _bodies(consultation, staff, text="物业' | '停车") == []
    assert _bodies(consultation, staff, text='物业" OR "停车') == []
    assert _bodies(consultation, staff, text="物业\\停车") == []


# ---- keeping the index ---------------------------------------------------------------------------------------


def test_a_comment_with_an_endless_word_is_indexed_without_it(consultation, staff):
    body = "链接 https://example.gov.cn/" + "a" * 3000 + "。小区门口的路灯坏了很久没人修。"
    factories.make_comment(consultation, body, now=consultation.closes_at - timedelta(days=2))
    assert index.index_pending() == (1, False)
    assert len(_bodies(consultation, staff, text="路灯")) == 1


def test_a_new_comment_is_found_once_indexed(consultation, staff):
    offline_services.add_offline_opinion(consultation, offline_services.OfflineOpinion(
        body="来信：垃圾清运车噪音扰民。", channel=Channel.LETTER, received_on=date(2026, 3, 1)),
        actor=staff, now=utcnow())
    db.session.commit()
    assert index.pending_count(consultation.id) == 1
    assert _bodies(consultation, staff, text="噪音") == []
    assert index.index_pending() == (1, False)
    assert index.pending_count() == 0
    assert _bodies(consultation, staff, text="噪音") == ["来信：垃圾清运车噪音扰民。"]


def test_a_commit_of_new_comments_asks_for_one_indexing_run(app, open_consultation, staff, monkeypatch):
    app.config["COMMENT_SEARCH_INDEX_SECONDS"] = 0
    monkeypatch.setattr(search_jobs, "requests", search_jobs.RunRequests())
    factories.make_comment(open_consultation, "公交站台应当增设遮阳棚。")
    assert jobs.huey.pending_count() == 1
    db.session.commit()  # a commit that stored no comment asks for nothing
    assert jobs.huey.pending_count() == 1
    assert run_queued_jobs() == 1
    page = list_comments(open_consultation, CommentFilter(text="遮阳棚"), actor=staff)
    assert [comment.body for comment in page.items] == ["公交站台应当增设遮阳棚。"]


def test_commits_within_the_window_share_one_run(app, open_consultation, monkeypatch):
    app.config["COMMENT_SEARCH_INDEX_SECONDS"] = 5
    clock = [100.0]
    monkeypatch.setattr(search_jobs, "requests", search_jobs.RunRequests(clock=lambda: clock[0]))
    factories.make_comment(open_consultation, "第一条意见。")
    factories.make_comment(open_consultation, "第二条意见。")
    assert jobs.huey.pending_count() == 1  # scheduled five seconds ahead, covering the second commit
    clock[0] += 6
    factories.make_comment(open_consultation, "第三条意见。")
    assert jobs.huey.pending_count() == 2


def test_a_rolled_back_comment_asks_for_nothing(app, open_consultation, monkeypatch):
    app.config["COMMENT_SEARCH_INDEX_SECONDS"] = 0
    monkeypatch.setattr(search_jobs, "requests", search_jobs.RunRequests())
    comment_services.submit_comment(open_consultation.id, comment_services.CommentInput(body="撤回的意见。"),
                                    now=utcnow())
    db.session.rollback()
    db.session.commit()
    assert jobs.huey.pending_count() == 0


def test_the_sweep_indexes_comments_inserted_in_bulk(consultation, staff):
    first = db.session.scalar(sa.select(Comment).where(Comment.consultation_id == consultation.id))
    db.session.execute(sa.insert(Comment), [{
        "consultation_id": consultation.id, "body": "批量导入：路灯太暗。", "receipt_number": "BULK-0001",
        "status": CommentStatus.PUBLISHED, "channel": Channel.ONLINE, "created_at": first.created_at,
    }])
    db.session.commit()
    search_jobs.sweep_comment_words.call_local()
    assert run_queued_jobs() == 1
    assert _bodies(consultation, staff, text="路灯") == ["批量导入：路灯太暗。"]
    search_jobs.sweep_comment_words.call_local()
    assert run_queued_jobs() == 0  # nothing left: the sweep asks for nothing


def test_a_large_backlog_is_indexed_in_several_runs(consultation, staff):
    rows = [{"consultation_id": consultation.id, "body": f"积压的意见：绿化带缺少维护{n}。",
             "receipt_number": f"BACK-{n:04d}", "status": CommentStatus.PUBLISHED, "channel": Channel.ONLINE,
             "created_at": utcnow()} for n in range(5)]
    db.session.execute(sa.insert(Comment), rows)
    db.session.commit()
    ticks = iter(range(100))
    assert index.index_pending(batch=2, budget_seconds=2, clock=lambda: next(ticks)) == (4, True)
    assert index.index_pending(batch=2) == (1, False)
    assert len(_bodies(consultation, staff, text="绿化带")) == 5


def test_moderation_changes_what_is_listed_without_indexing_again(department, staff, now):
    consultation = factories.make_consultation(department, staff, opens_at=now - timedelta(days=1),
                                               closes_at=now + timedelta(days=30),
                                               moderation=ModerationMode.REVIEW)
    comment = factories.make_comment(consultation, "建议延长垃圾清运时间。")
    index.index_pending()
    assert _bodies(consultation, staff, text="清运") == []  # awaiting review: not one to answer yet
    comment_services.moderate(consultation, [comment.id], approve=True, actor=staff, now=now)
    db.session.commit()
    assert index.pending_count() == 0
    assert _bodies(consultation, staff, text="清运") == ["建议延长垃圾清运时间。"]


def test_reindexing_rewrites_every_entry(app, consultation, staff):
    db.session.execute(sa.update(Comment).values(words_indexed=False))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["comments", "reindex", "--batch", "3"])
    assert result.exit_code == 0 and "4 comments indexed" in result.output
    assert index.pending_count() == 0
    assert _bodies(consultation, staff, text="物业 垃圾") == [CLEARING]


# ---- filters and orders --------------------------------------------------------------------------------------


@pytest.fixture
def varied(consultation, staff, comments_of):
    """The four online comments, sent on 1 March 2026 at 17:00 UTC (2 March in China) and after, and a letter
    received on 1 March (recorded, not published)."""
    comments = comments_of(consultation)
    for number, comment in enumerate(comments):
        comment.created_at = datetime(2026, 3, 1, 17, 0, tzinfo=UTC) + timedelta(days=number)
    offline_services.add_offline_opinion(consultation, offline_services.OfflineOpinion(
        body="来信：小区垃圾分类宣传不够。", channel=Channel.LETTER, received_on=date(2026, 3, 1)),
        actor=staff, now=datetime(2026, 3, 10, tzinfo=UTC))
    db.session.commit()
    index.index_pending()
    return comments_of(consultation)


LETTER = "来信：小区垃圾分类宣传不够。"


def test_filter_by_channel_and_status(varied, consultation, staff):
    assert _bodies(consultation, staff, text="垃圾", channel=Channel.LETTER) == [LETTER]
    assert _bodies(consultation, staff, channel=Channel.ONLINE) == [SORTING, PROPERTY, CLEARING, PARKING]
    assert _bodies(consultation, staff, status=CommentStatus.RECORDED) == [LETTER]
    assert _bodies(consultation, staff, text="垃圾", status=CommentStatus.PUBLISHED) == [SORTING, CLEARING]
    # A status outside those to answer shows those to answer, never the rejected ones.
    assert len(_bodies(consultation, staff, status=CommentStatus.REJECTED)) == 5


def test_filter_by_china_date_received(varied, consultation, staff):
    # 17:00 UTC on 1 March is 01:00 on 2 March in China; the letter counts from the day it came.
    assert _bodies(consultation, staff, received_to=date(2026, 3, 1)) == [LETTER]
    assert _bodies(consultation, staff, received_from=date(2026, 3, 2), received_to=date(2026, 3, 2)) == [SORTING]
    assert _bodies(consultation, staff, received_from=date(2026, 3, 4)) == [CLEARING, PARKING]
    assert _bodies(consultation, staff, text="垃圾", received_from=date(2026, 3, 1),
                   received_to=date(2026, 3, 3)) == [SORTING, LETTER]


def test_filter_by_answer_outcome_own_or_group(varied, consultation, staff, now):
    group = answer_services.create_group(consultation, [varied[0].id, varied[2].id], "垃圾", actor=staff, now=now)
    answer_services.answer_group(group, "adopted", "", actor=staff, now=now)
    answer_services.answer_comments(consultation, [varied[2].id], "not_adopted", "已有规定。", actor=staff, now=now)
    answer_services.answer_comments(consultation, [varied[3].id], "adopted", "", actor=staff, now=now)
    db.session.commit()
    assert _bodies(consultation, staff, outcome=AnswerOutcome.ADOPTED) == [SORTING, PARKING]
    assert _bodies(consultation, staff, outcome=AnswerOutcome.NOT_ADOPTED) == [CLEARING]
    assert _bodies(consultation, staff, text="垃圾", outcome=AnswerOutcome.ADOPTED) == [SORTING]
    assert _bodies(consultation, staff, text="垃圾", group_id=group.id) == [SORTING, CLEARING]
    assert _bodies(consultation, staff, text="垃圾", ungrouped=True) == [LETTER]


@pytest.mark.parametrize("text", ["", "垃圾"])
def test_both_orders_page_by_cursor_forth_and_back(varied, consultation, staff, text):
    expected = [c.body for c in varied if not text or text in c.body]
    for sort, order in (("oldest", expected), ("newest", expected[::-1])):
        filters = CommentFilter(text=text, sort=sort)
        seen, after, pages = [], None, []
        while True:
            page = list_comments(consultation, filters, actor=staff, per_page=2, after=after)
            pages.append(page)
            seen += [c.body for c in page.items]
            if not page.has_next:
                break
            after = page.next_cursor
        assert seen == order, sort
        back = list_comments(consultation, filters, actor=staff, per_page=2, before=pages[-1].prev_cursor)
        assert [c.body for c in back.items] == [c.body for c in pages[-2].items]
        assert all(page.total == len(order) and not page.total_capped for page in pages)


def test_the_total_is_counted_up_to_the_cap(varied, consultation, staff, monkeypatch):
    monkeypatch.setattr(answer_services, "COUNT_CAP", 3)
    page = list_comments(consultation, CommentFilter(), actor=staff, per_page=2)
    assert (page.total, page.total_capped) == (3, True)
    page = list_comments(consultation, CommentFilter(text="垃圾"), actor=staff, per_page=2)
    assert (page.total, page.total_capped) == (3, False)
    assert len(page.items) == 2 and page.has_next


def test_a_filter_checked_row_by_row_is_counted_among_the_first_matches(varied, consultation, staff, monkeypatch):
    # 垃圾 is in three comments (in id order: SORTING, CLEARING, LETTER); the letter is the only one by letter.
    monkeypatch.setattr(answer_services, "SCAN_CAP", 2)
    page = list_comments(consultation, CommentFilter(text="垃圾", channel=Channel.LETTER), actor=staff)
    assert [c.body for c in page.items] == [LETTER]  # the list itself is whole
    # None among the first two: at least the one shown, then.
    assert (page.total, page.total_capped) == (1, True)
    page = list_comments(consultation, CommentFilter(text="垃圾", channel=Channel.ONLINE), actor=staff)
    assert (page.total, page.total_capped) == (2, True)
    monkeypatch.setattr(answer_services, "SCAN_CAP", 3)
    page = list_comments(consultation, CommentFilter(text="垃圾", channel=Channel.LETTER), actor=staff)
    assert (page.total, page.total_capped) == (1, False)
    page = list_comments(consultation, CommentFilter(text="垃圾"), actor=staff)
    assert (page.total, page.total_capped) == (3, False)
