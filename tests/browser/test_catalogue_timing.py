"""The decision catalogue on a phone: planned timings in the visitor's language, and read by planned timing."""

import pytest
from playwright.sync_api import expect

from engage.decisions import catalogue
from engage.decisions.catalogue import EntryFields
from engage.decisions.models import ChangeKind
from engage.decisions.timing import PlannedTiming
from engage.extensions import db
from tests.browser.conftest import PHONE, screenshot, turn_care_mode_on
from tests.browser.test_care_mode import _axe_with_aaa_contrast

WORDS = {"zh": {"late": "2026年第四季度", "early": "2026年3月", "moved": "2027年第一季度", "sort": "按计划时间"},
         "en": {"late": "Q4 2026", "early": "March 2026", "moved": "Q1 2027", "sort": "by planned timing"}}


@pytest.fixture
def catalogue_2026(department, staff, now):
    late = catalogue.add_entry(2026, department.id, EntryFields("临江市养老服务条例", PlannedTiming(2026, quarter=4)),
                               "列入年度目录", actor=staff, now=now)
    early = catalogue.add_entry(2026, department.id, EntryFields("临江市停车管理办法", PlannedTiming(2026, month=3)),
                                "列入年度目录", actor=staff, now=now)
    moved = catalogue.add_entry(2026, department.id, EntryFields("临江市公交线网优化方案", PlannedTiming(2026, 3)),
                                "列入年度目录", actor=staff, now=now)
    catalogue.change_status(moved, ChangeKind.POSTPONED, "需补充开展专家论证", planned=PlannedTiming(2027, quarter=1),
                            actor=staff, now=now)
    db.session.commit()
    return late, early, moved


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_catalogue_reads_by_planned_timing_on_a_phone(lang, catalogue_2026, open_page, check_accessibility):
    late, early, moved = catalogue_2026
    page = open_page(lang=lang, viewport=PHONE)
    page.goto("/catalogue/2026")
    for key in ("late", "early", "moved"):
        expect(page.locator(".catalogue").first).to_contain_text(WORDS[lang][key])
    page.get_by_role("link", name=WORDS[lang]["sort"]).click()
    expect(page.locator(".catalogue-order strong")).to_have_text(WORDS[lang]["sort"])
    assert page.locator(".catalogue > li h2").all_text_contents() == [early.name, late.name, moved.name]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"catalogue-by-timing-{lang}")
    check_accessibility(page, f"catalogue by planned timing ({lang})")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_catalogue_in_care_mode_keeps_aaa_contrast(lang, catalogue_2026, open_page, axe_source):
    page = open_page(lang=lang, viewport=PHONE)
    page.goto("/catalogue/2026?sort=planned")
    turn_care_mode_on(page)
    _axe_with_aaa_contrast(page, axe_source, f"catalogue in care mode ({lang})")
