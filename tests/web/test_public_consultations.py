"""Public pages: home, the filtered list, a consultation with its articles, attachments."""

import io
from datetime import timedelta

import pytest

from engage.consultations import services
from engage.consultations.models import Stage
from engage.core.timeutil import utcnow
from engage.extensions import db
from tests import factories

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture
def consultations(department, other_department, staff, other_staff, now):
    """One consultation per public status, in two departments."""
    make = factories.make_consultation
    made = {
        "open": make(department, staff, title="生活垃圾分类管理办法（征求意见稿）"),
        "scheduled": make(other_department, other_staff, title="公交线网优化方案", summary="优化公交线路。",
                          opens_at=now + timedelta(days=3), closes_at=now + timedelta(days=40)),
        "closed": make(department, staff, title="扬尘污染防治规定", summary="防治扬尘污染。",
                       opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=2)),
    }
    made["draft"] = make(department, staff, title="尚未发布的草稿", publish=False)
    return made


def test_home_lists_open_and_coming_consultations(en_client, consultations):
    page = en_client.get("/").get_data(as_text=True)
    assert "Open for comment now" in page and "生活垃圾分类管理办法" in page
    assert "Coming soon" in page and "公交线网优化方案" in page
    assert "尚未发布的草稿" not in page and 'action="/consultations/"' in page


def test_list_shows_every_public_consultation_but_no_draft(en_client, consultations):
    page = en_client.get("/consultations/").get_data(as_text=True)
    for key in ("open", "scheduled", "closed"):
        assert consultations[key].title in page
    assert "尚未发布的草稿" not in page


@pytest.mark.parametrize(("status", "expected"), [("open", "open"), ("scheduled", "scheduled"), ("closed", "closed")])
def test_list_filters_by_status(en_client, consultations, status, expected):
    page = en_client.get(f"/consultations/?status={status}").get_data(as_text=True)
    shown = {key for key, c in consultations.items() if c.title in page}
    assert shown == {expected}


def test_list_filters_by_department(en_client, consultations, other_department):
    page = en_client.get(f"/consultations/?department={other_department.id}").get_data(as_text=True)
    assert "公交线网优化方案" in page and "生活垃圾分类管理办法" not in page


def test_search_finds_two_character_chinese_word(en_client, consultations):
    page = en_client.get("/consultations/?q=垃圾").get_data(as_text=True)
    assert "生活垃圾分类管理办法" in page and "扬尘污染防治规定" not in page
    assert "1 consultation found" in page


def test_unknown_filter_values_are_ignored(en_client, consultations):
    response = en_client.get("/consultations/?status=bogus&department=abc&page=-3")
    assert response.status_code == 200
    assert "3 consultations found" in response.get_data(as_text=True)


def test_detail_shows_articles_with_anchors_and_comment_links(en_client, open_consultation):
    page = en_client.get(f"/consultations/{open_consultation.id}").get_data(as_text=True)
    for number in (1, 2, 3, 4):
        assert f'id="article-{number}"' in page
    assert f'href="/consultations/{open_consultation.id}#article-3"' in page
    assert f'href="/consultations/{open_consultation.id}?article=3#comment-form"' in page
    assert "第一章 总则" in page and "《中华人民共和国固体废物污染环境防治法》" in page
    assert "电子邮箱：hj@example.gov.cn" in page and "Open for comment" in page


@pytest.mark.parametrize(("opens_in_days", "closes_in_days"), [(-40, -1), (3, 40)])  # closed, not yet open
def test_no_comment_links_outside_the_period(en_client, department, staff, now, opens_in_days, closes_in_days):
    consultation = factories.make_consultation(department, staff, opens_at=now + timedelta(days=opens_in_days),
                                               closes_at=now + timedelta(days=closes_in_days))
    page = en_client.get(f"/consultations/{consultation.id}").text
    assert 'id="article-3"' in page and f'href="/consultations/{consultation.id}#article-3"' in page
    assert "?article=" not in page and "Comment on" not in page


@pytest.mark.parametrize("stage", [Stage.FEEDBACK_PUBLISHED, Stage.DECIDED])
def test_an_answered_or_decided_consultation_shows_no_comment_links(client, department, staff, now, stage):
    consultation = factories.make_consultation(department, staff, opens_at=now - timedelta(days=40),
                                               closes_at=now - timedelta(days=1))
    consultation.stage = stage  # written directly: only the page's reading of the stage is tested here
    db.session.commit()
    client.set_cookie("lang", "zh")
    page = client.get(f"/consultations/{consultation.id}").text
    assert 'id="article-3"' in page and "对第三条提意见" not in page and "?article=" not in page


def test_detail_preselects_article_from_query(client, open_consultation):
    page = client.get(f"/consultations/{open_consultation.id}?article=2").get_data(as_text=True)
    assert '<option selected value="2">' in page


def test_detail_shows_days_left_and_short_period_reason(en_client, department, staff, now):
    consultation = factories.make_consultation(
        department, staff, kind="normative_document", closes_at=now + timedelta(days=3, hours=1),
        short_period_reason="汛期临近，须尽快出台。",
    )
    page = en_client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "汛期临近，须尽快出台。" in page and "Why the period is shorter than usual" in page
    assert "days left to comment" in page


@pytest.mark.parametrize(("key", "notice"), [("scheduled", "has not started yet"), ("closed", "no longer accepted")])
def test_detail_without_open_period_has_notice_instead_of_form(en_client, consultations, key, notice):
    page = en_client.get(f"/consultations/{consultations[key].id}").get_data(as_text=True)
    assert notice in page and 'name="body"' not in page


def test_draft_is_not_found(client, consultations):
    assert client.get(f"/consultations/{consultations['draft'].id}").status_code == 404


def test_unknown_consultation_is_not_found(client, app):
    assert client.get("/consultations/999999").status_code == 404


def test_published_comments_are_paginated_newest_first(en_client, open_consultation):
    for n in range(23):
        factories.make_comment(open_consultation, f"第{n}条意见")
    first = en_client.get(f"/consultations/{open_consultation.id}").get_data(as_text=True)
    assert "第22条意见" in first and "第3条意见" in first and "第2条意见" not in first
    assert 'rel="prev"' not in first
    second = en_client.get(_link(first, "next")).get_data(as_text=True)
    assert "第2条意见" in second and "第0条意见" in second and "第22条意见" not in second
    assert 'rel="next"' not in second
    again = en_client.get(_link(second, "prev")).get_data(as_text=True)
    assert "第22条意见" in again and "第3条意见" in again and "第2条意见" not in again


def test_a_cursor_that_is_not_a_number_starts_the_list_from_the_top(en_client, open_consultation):
    factories.make_comment(open_consultation, "唯一的意见")
    for query in ("after=abc", "before=-5", "after=0", "after=99999999999999999999"):
        page = en_client.get(f"/consultations/{open_consultation.id}?{query}")
        assert page.status_code == 200 and "唯一的意见" in page.get_data(as_text=True)


def _link(page: str, rel: str) -> str:
    """The address of the page link marked ``rel`` (next or prev), as a browser would follow it."""
    import html
    import re

    [href] = re.findall(rf'<a href="([^"]+)" rel="{rel}">', page)
    return html.unescape(href)


def test_comments_filter_by_article(en_client, open_consultation):
    factories.make_comment(open_consultation, "关于第三条的意见", article_number=3)
    factories.make_comment(open_consultation, "对整体的意见")
    page = en_client.get(f"/consultations/{open_consultation.id}?article=3").get_data(as_text=True)
    assert "关于第三条的意见" in page and "对整体的意见" not in page
    assert "1 comment on 第三条." in page


def test_detail_page_query_count_does_not_grow_with_comments(client, open_consultation, app):
    factories.make_comment(open_consultation, "一", article_number=1)
    few = factories.statements_of(client, f"/consultations/{open_consultation.id}")
    for n in range(30):
        factories.make_comment(open_consultation, f"意见{n}", article_number=(n % 4) + 1)
    many = factories.statements_of(client, f"/consultations/{open_consultation.id}")
    assert len(many) == len(few) <= 8
    assert not any("count(" in statement.lower() and "comments" in statement.lower() for statement in many)


def _attach_png(consultation, actor, app, name="垃圾分类示意图.png"):
    consultation.stage = Stage.DRAFT
    attachment = services.add_attachment(
        consultation, io.BytesIO(PNG), name, actor=actor, now=utcnow(), folder=app.config["UPLOAD_FOLDER"],
        max_bytes=1024 * 1024,
    )
    db.session.commit()
    return attachment


def test_attachment_downloads_with_its_type_and_utf8_name(client, app, department, staff):
    consultation = factories.make_consultation(department, staff, publish=False)
    attachment = _attach_png(consultation, staff, app)
    consultation.stage = Stage.PUBLISHED
    db.session.commit()
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert f"/consultations/attachments/{attachment.id}" in page
    response = client.get(f"/consultations/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data == PNG
    assert response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "filename*=UTF-8''" in disposition
    assert "%E5%9E%83%E5%9C%BE" in disposition  # 垃圾


def test_attachment_of_draft_is_not_found(client, app, department, staff):
    consultation = factories.make_consultation(department, staff, publish=False)
    attachment = _attach_png(consultation, staff, app)
    assert client.get(f"/consultations/attachments/{attachment.id}").status_code == 404


def test_comment_filter_lists_every_article_with_its_count(en_client, open_consultation):
    factories.make_comment(open_consultation, "第三条一", article_number=3)
    factories.make_comment(open_consultation, "第三条二", article_number=3)
    factories.make_comment(open_consultation, "整体意见")
    page = en_client.get(f"/consultations/{open_consultation.id}").get_data(as_text=True)
    assert ">All comments (3)</option>" in page and ">第三条 (2)</option>" in page and ">第一条 (0)</option>" in page
    assert "2 published comments on 第三条" in page


def test_comments_are_searched_by_a_two_character_word(en_client, open_consultation):
    factories.make_comment(open_consultation, "建议增设厨余垃圾投放点", article_number=3)
    factories.make_comment(open_consultation, "同意本办法")
    page = en_client.get(f"/consultations/{open_consultation.id}?q=垃圾").get_data(as_text=True)
    assert "建议增设厨余垃圾投放点" in page and "同意本办法" not in page
    assert "1 comment contains “垃圾”." in page
    assert "contain these characters exactly as typed" in page


def test_search_and_article_filter_combine_and_pages_keep_both(en_client, open_consultation):
    for n in range(23):
        factories.make_comment(open_consultation, f"垃圾意见{n}", article_number=3)
    factories.make_comment(open_consultation, "垃圾整体")
    url = f"/consultations/{open_consultation.id}?article=3&q=垃圾"
    page = en_client.get(url).get_data(as_text=True)
    assert "23 comments on 第三条 contain “垃圾”." in page and "垃圾整体" not in page
    following = _link(page, "next")
    assert "article=3&q=%E5%9E%83%E5%9C%BE&after=" in following
    second = en_client.get(following).get_data(as_text=True)
    assert "23 comments on 第三条 contain “垃圾”." in second and "垃圾意见0" in second and "垃圾意见22" not in second


def test_a_one_character_search_is_refused_with_a_reason(en_client, open_consultation):
    factories.make_comment(open_consultation, "建议")
    page = en_client.get(f"/consultations/{open_consultation.id}?q=垃").get_data(as_text=True)
    assert "Enter between 2 and 50 characters to search for." in page
    assert "建议" in page  # the list stays unfiltered


def test_a_searched_page_stays_public_and_cacheable(client, open_consultation):
    factories.make_comment(open_consultation, "垃圾分类")
    response = client.get(f"/consultations/{open_consultation.id}?q=垃圾&article=3")
    assert response.status_code == 200 and response.headers["Cache-Control"].startswith("public")
    assert "Set-Cookie" not in response.headers


def test_search_page_query_count_does_not_grow_with_articles_commented(client, open_consultation):
    factories.make_comment(open_consultation, "垃圾一", article_number=1)
    few = factories.statements_of(client, f"/consultations/{open_consultation.id}?q=垃圾&article=1")
    for n in range(12):
        factories.make_comment(open_consultation, f"垃圾{n}", article_number=(n % 4) + 1)
    assert len(factories.statements_of(client, f"/consultations/{open_consultation.id}?q=垃圾&article=2")) == len(few)
