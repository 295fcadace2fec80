"""Finding things on a phone (390 px), in both languages and in care mode: a consultation's published comments by
article and by a word, and a campaign's events (coming first, past apart, searched) with the venue's access."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from engage.core.timeutil import utcnow
from engage.extensions import db
from tests import factories
from tests.browser.conftest import PHONE
from tests.fixtures.events import make_event

#: where the screenshots go, to be looked at (the test checks the layout; a person checks how it reads)
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/finding-shots"))
WORDS = {
    "zh": {"article": "条款", "words": "意见中的词语", "show": "显示意见",
           "found": "关于第三条的意见中，有2条包含“垃圾”。", "refused": "请输入2至50个字进行搜索。",
           "search_events": "搜索活动", "coming": "即将举行的活动", "past": "往期活动",
           "step_free": "无障碍通道（坡道或电梯，无台阶）"},
    "en": {"article": "Article", "words": "Words in the comment", "show": "Show comments",
           "found": "2 comments on 第三条 contain “垃圾”.",
           "refused": "Enter between 2 and 50 characters to search for.",
           "search_events": "Search events", "coming": "Coming events", "past": "Past events",
           "step_free": "Step-free access (ramp or lift, no steps)"},
}


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


@pytest.fixture
def commented_consultation(open_consultation):
    for body, number in [("建议第三条明确厨余垃圾的定义", 3), ("第三条垃圾分类标准应与国家标准一致", 3),
                         ("第三条的分类过细", 3), ("第一条的依据应写明", 1), ("整体上同意，垃圾分类势在必行", None)]:
        factories.make_comment(open_consultation, body, article_number=number)
    return open_consultation


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_comments_are_found_by_article_and_word_on_a_phone(lang, open_page, commented_consultation,
                                                           check_accessibility):
    words = WORDS[lang]
    page = open_page(lang=lang, viewport=PHONE)
    page.goto(f"/consultations/{commented_consultation.id}")
    page.get_by_label(words["article"], exact=True).select_option("3")
    expect(page.get_by_label(words["article"], exact=True).locator("option:checked")).to_have_text("第三条 (3)")
    page.get_by_label(words["words"]).fill("垃圾")
    page.get_by_role("button", name=words["show"]).click()
    page.wait_for_load_state("load")
    assert "article=3" in page.url and page.url.endswith("#comments")
    expect(page.get_by_role("status").filter(has_text=words["found"])).to_be_visible()
    comments = page.locator(".comment .comment-body")
    expect(comments).to_have_count(2)
    expect(comments.first).to_have_text("第三条垃圾分类标准应与国家标准一致")
    _fits_the_phone(page)
    check_accessibility(page, f"filtered comments ({lang})")
    page.locator(".comment-filters").scroll_into_view_if_needed()
    _shoot(page, f"comments-filtered-{lang}")
    # One character: the browser holds the form back itself (minlength); the hint says what is needed, and a
    # request that gets through anyway is answered with the reason (tests/web/test_public_consultations.py).
    search = page.get_by_label(words["words"])
    search.fill("垃")
    page.get_by_role("button", name=words["show"]).click()
    assert search.evaluate("input => input.validity.tooShort") and "%E5%9E%83%E5%9C%BE" in page.url
    page.goto(f"/consultations/{commented_consultation.id}?q=垃#comments")
    expect(page.locator(".comment-filters .error-message")).to_have_text(words["refused"])


@pytest.fixture
def campaign_with_past_and_access(campaign, department):
    now = utcnow()
    coming = make_event(campaign, department, title="走进垃圾焚烧发电厂", starts_at=now + timedelta(days=3))
    coming.step_free_access, coming.hearing_loop = True, True
    coming.accessibility_notes = "无障碍电梯在东门，前排座位留给轮椅使用者。"
    make_event(campaign, department, title="图书馆开放日", starts_at=now + timedelta(days=5))
    make_event(campaign, department, title="上月垃圾站参观", starts_at=now - timedelta(days=30))
    db.session.commit()
    return campaign, coming


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_events_coming_first_past_apart_searched_with_access_on_a_phone(lang, open_page, check_accessibility,
                                                                       campaign_with_past_and_access):
    words = WORDS[lang]
    campaign, coming = campaign_with_past_and_access
    page = open_page(lang=lang, viewport=PHONE)
    page.goto(f"/events/campaigns/{campaign.id}")
    headings = page.locator("h2").all_inner_texts()
    assert headings.index(words["coming"]) < [h.split(" (")[0] for h in headings].index(words["past"])
    expect(page.locator(".past-events")).to_contain_text("上月垃圾站参观")
    _fits_the_phone(page)
    check_accessibility(page, f"campaign ({lang})")
    page.get_by_label(words["search_events"]).fill("垃圾")
    page.get_by_role("button", name="查询" if lang == "zh" else "Show", exact=True).click()
    page.wait_for_load_state("load")
    upcoming = page.locator("section[aria-labelledby=upcoming-heading] .event-card")
    expect(upcoming).to_have_count(1)
    expect(upcoming).to_contain_text("走进垃圾焚烧发电厂")
    expect(page.locator(".past-events .event-card")).to_have_count(1)
    page.locator("#upcoming-heading").evaluate("heading => heading.scrollIntoView()")
    _shoot(page, f"events-searched-{lang}")
    upcoming.get_by_role("link", name="走进垃圾焚烧发电厂").click()
    page.wait_for_load_state("load")
    access = page.locator(".event-facts .access")
    expect(access).to_contain_text(words["step_free"])
    expect(access).to_contain_text("无障碍电梯在东门")
    _fits_the_phone(page)
    check_accessibility(page, f"event with access ({lang})")
    access.scroll_into_view_if_needed()
    _shoot(page, f"event-access-{lang}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_new_parts_read_well_in_care_mode(lang, open_page, axe_source, commented_consultation,
                                              campaign_with_past_and_access):
    from tests.browser.test_care_mode import _axe_with_aaa_contrast, _small_targets, _turn_on

    campaign, coming = campaign_with_past_and_access
    page = open_page(lang=lang, viewport=PHONE)
    page.goto(f"/consultations/{commented_consultation.id}?article=3&q=垃圾#comments")
    _turn_on(page, lang)
    for path in (f"/consultations/{commented_consultation.id}?article=3&q=垃圾",
                 f"/events/campaigns/{campaign.id}?q=垃圾", f"/events/{coming.id}"):
        page.goto(path)
        _axe_with_aaa_contrast(page, axe_source, f"{path} in care mode ({lang})")
        assert _small_targets(page) == [], path
        _fits_the_phone(page)
    page.goto(f"/consultations/{commented_consultation.id}?article=3&q=垃圾#comments")
    page.locator(".comment-filters").scroll_into_view_if_needed()
    _shoot(page, f"comments-filtered-care-{lang}")
