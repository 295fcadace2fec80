"""The home page on a phone, in both languages and both modes: four parts, each reachable, nothing too wide."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, screenshot, turn_care_mode_on
from tests.browser.test_care_mode import _axe_with_aaa_contrast
from tests.web.test_home_page import all_four  # noqa: F401  (fixture)

HEADINGS = {"zh": ["正在征集", "尚有名额的近期活动", "建议提案最新答复", "最近公布的意见采纳情况反馈"],
            "en": ["Open for comment now", "Upcoming events with seats left",
                   "Latest replies to suggestions and proposals", "Recently published feedback reports"]}


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_four_parts_read_on_a_phone(lang, all_four, open_page, check_accessibility):  # noqa: F811
    page = open_page(lang=lang, viewport=PHONE)
    page.goto("/")
    for heading in HEADINGS[lang]:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    _no_sideways_scroll(page)
    screenshot(page, f"home-{lang}")
    check_accessibility(page, f"home with all four parts on a phone ({lang})")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_part_links_to_its_full_list(lang, all_four, open_page):  # noqa: F811
    page = open_page(lang=lang, viewport=PHONE)
    page.goto("/")
    page.locator("#latest-replies ~ .section-more a").click()
    assert page.url.endswith("/proposals/")
    page.go_back()
    page.locator("#latest-reports ~ .section-more a").click()
    assert page.url.endswith("/consultations/?status=feedback_published")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_four_parts_in_care_mode_keep_aaa_contrast(lang, all_four, open_page, axe_source):  # noqa: F811
    page = open_page(lang=lang, viewport=PHONE)
    page.goto("/")
    turn_care_mode_on(page)
    _no_sideways_scroll(page)
    screenshot(page, f"home-care-{lang}")
    _axe_with_aaa_contrast(page, axe_source, f"home in care mode ({lang})")
