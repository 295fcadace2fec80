"""The work view's search by words and its filters on a phone (390 px): an offline opinion typed in by staff is
found by a word a few seconds later (indexed by the job runner), filters fold away, nothing scrolls sideways."""

from playwright.sync_api import expect

from engage.feedback.search import index
from tests.browser.conftest import PHONE, screenshot, writing
from tests.browser.test_staff import log_in


def test_staff_search_a_new_offline_opinion_by_words_on_a_phone(app, staff, closed_consultation, open_page):
    with writing():
        index.index_pending()
    app.config["COMMENT_SEARCH_INDEX_SECONDS"] = 0  # the job runner indexes each new comment at once
    page = open_page(lang="en", viewport=PHONE)
    log_in(page, staff.email)

    page.goto(f"/staff/consultations/{closed_consultation.id}/feedback/offline")
    page.get_by_label("Received by").select_option("letter")
    page.get_by_label("Received on").fill("2026-03-01")
    page.get_by_label("The opinion").fill("来信反映：垃圾清运车凌晨作业，噪音扰民。")
    page.get_by_role("button", name="Record the opinion").click()
    expect(page.locator(".flash-success")).to_contain_text("Offline opinion recorded")

    page.goto(f"/staff/consultations/{closed_consultation.id}/feedback/")
    expect(page.locator(".more-filters-fields")).to_be_hidden()  # folded on a phone until asked for
    page.get_by_label("Words").fill("噪音")
    page.get_by_label("Order").select_option("newest")
    page.locator(".more-filters summary").click()
    page.get_by_label("Received by").select_option("letter")
    page.get_by_role("button", name="Filter").click()
    # Indexed by the job runner in the background: the next search finds it.
    for _attempt in range(50):
        if page.locator(".work-list .comment").count():
            break
        page.wait_for_timeout(200)
        page.reload()
    expect(page.locator(".work-list .comment")).to_have_count(1)
    expect(page.locator(".work-list")).to_contain_text("噪音扰民")
    expect(page.locator("main")).to_contain_text("1 comment matches.")
    expect(page.locator(".more-filters")).to_have_attribute("open", "")  # a filter in use stays in view
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "work-view-search-phone")

    page.get_by_label("Words").fill("的")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#q-error")).to_contain_text("Search for at least one word of two characters")
    expect(page.locator(".work-list .comment")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "work-view-search-too-short-phone")
