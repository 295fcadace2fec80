"""Finding published comments: by article, by the words they contain, and the count on each article."""


from engage.consultations import comment_services
from engage.consultations.models import ModerationMode
from engage.core.timeutil import utcnow
from engage.extensions import db
from tests import factories


def _article_id(consultation, number):
    return next(a.id for a in consultation.articles if a.number == number)


def _bodies(page):
    return [c.body for c in page.items]


def _count_on(consultation, number):
    db.session.expire_all()
    return next(a.published_comment_count for a in consultation.articles if a.number == number)


def test_an_article_counts_its_published_comments_only(department, staff):
    consultation = factories.make_consultation(department, staff, moderation=ModerationMode.REVIEW)
    pending = factories.make_comment(consultation, "待审核的意见", article_number=3)
    factories.make_comment(consultation, "整体意见")
    assert _count_on(consultation, 3) == 0
    comment_services.moderate(consultation, [pending.id], approve=True, actor=staff, now=utcnow())
    assert _count_on(consultation, 3) == 1 and _count_on(consultation, 2) == 0
    comment_services.moderate(consultation, [pending.id], approve=False, reason="重复", actor=staff, now=utcnow())
    assert _count_on(consultation, 3) == 0


def test_an_immediately_published_comment_counts_on_its_article(open_consultation):
    factories.make_comment(open_consultation, "一", article_number=2)
    factories.make_comment(open_consultation, "二", article_number=2)
    assert _count_on(open_consultation, 2) == 2


def test_listing_one_article_takes_its_total_from_the_count(open_consultation):
    for body in ("一", "二", "三"):
        factories.make_comment(open_consultation, body, article_number=1)
    factories.make_comment(open_consultation, "整体")
    db.session.expire_all()
    page = comment_services.list_published_comments(open_consultation, article_id=_article_id(open_consultation, 1),
                                                    per_page=2)
    assert page.total == 3 and _bodies(page) == ["三", "二"]


def test_search_finds_a_two_character_word_inside_a_longer_one(open_consultation):
    factories.make_comment(open_consultation, "建议增设厨余垃圾投放点")
    factories.make_comment(open_consultation, "同意本办法")
    page = comment_services.list_published_comments(open_consultation, q="垃圾")
    assert _bodies(page) == ["建议增设厨余垃圾投放点"] and page.total == 1


def test_search_and_article_together_keep_comments_matching_both(open_consultation):
    factories.make_comment(open_consultation, "第三条垃圾分类", article_number=3)
    factories.make_comment(open_consultation, "第三条其他", article_number=3)
    factories.make_comment(open_consultation, "第二条垃圾分类", article_number=2)
    page = comment_services.list_published_comments(open_consultation, q="垃圾",
                                                    article_id=_article_id(open_consultation, 3))
    assert _bodies(page) == ["第三条垃圾分类"] and page.total == 1


def test_search_treats_percent_and_underscore_as_text(open_consultation):
    factories.make_comment(open_consultation, "增长10%以上")
    factories.make_comment(open_consultation, "增长100以上")
    assert _bodies(comment_services.list_published_comments(open_consultation, q="0%")) == ["增长10%以上"]


def test_search_never_shows_unpublished_comments(department, staff):
    consultation = factories.make_consultation(department, staff, moderation=ModerationMode.REVIEW)
    factories.make_comment(consultation, "垃圾分类待审核")
    assert comment_services.list_published_comments(consultation, q="垃圾").total == 0


def test_search_results_are_paged_newest_first_by_cursor(open_consultation):
    for n in (1, 2, 3):
        factories.make_comment(open_consultation, f"垃圾{n}")
    factories.make_comment(open_consultation, "无关")
    first = comment_services.list_published_comments(open_consultation, q="垃圾", per_page=2)
    assert _bodies(first) == ["垃圾3", "垃圾2"] and first.total == 3 and first.prev_cursor is None
    second = comment_services.list_published_comments(open_consultation, q="垃圾", per_page=2,
                                                      after=first.next_cursor)
    assert _bodies(second) == ["垃圾1"] and second.next_cursor is None
    back = comment_services.list_published_comments(open_consultation, q="垃圾", per_page=2,
                                                    before=second.prev_cursor)
    assert _bodies(back) == ["垃圾3", "垃圾2"] and back.prev_cursor is None and back.next_cursor == first.next_cursor


def test_cursor_pages_walk_every_comment_once_both_ways(open_consultation):
    for n in range(11):
        factories.make_comment(open_consultation, f"意见{n}")
    db.session.expire_all()
    seen, page = [], comment_services.list_published_comments(open_consultation, per_page=3)
    pages = [page]
    while page.next_cursor is not None:
        page = comment_services.list_published_comments(open_consultation, per_page=3, after=page.next_cursor)
        pages.append(page)
    for page in pages:
        seen += _bodies(page)
    assert seen == [f"意见{n}" for n in reversed(range(11))] and [len(p.items) for p in pages] == [3, 3, 3, 2]
    walked_back = []
    while page.prev_cursor is not None:
        page = comment_services.list_published_comments(open_consultation, per_page=3, before=page.prev_cursor)
        walked_back.insert(0, _bodies(page))
    assert [body for bodies in walked_back for body in bodies] == seen[:9]
