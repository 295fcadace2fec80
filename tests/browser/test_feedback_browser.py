"""Adoption feedback in the browser: staff group and answer comments, publish the report and correct it; a
citizen finds the answer with their receipt number; axe-core on the report pages and the staff work pages."""

import re

import pytest
from playwright.sync_api import expect

from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.feedback import services
from tests.browser.conftest import PHONE
from tests.browser.test_staff import log_in


def test_staff_group_answer_publish_correct_and_citizen_finds_answer(staff, closed_consultation, comments_of,
                                                                     open_page):
    receipts = [comment.receipt_number for comment in comments_of(closed_consultation)]
    page = open_page(lang="en")
    log_in(page, staff.email)

    page.goto(f"/staff/consultations/{closed_consultation.id}/feedback/groups")
    page.get_by_role("button", name="Propose groups").click()
    # The job queue runs the search; the page refreshes itself (every 5 s) until it is done.
    expect(page.locator(".flash-success")).to_contain_text("The search for similar comments has started")
    expect(page.locator(".grouping-run")).to_contain_text("proposed 1 group", timeout=15_000)
    group = page.locator(".opinion-group").first
    expect(group).to_contain_text("3 comments")
    group.get_by_text("Rename or dissolve").click()
    group.get_by_label("Name of the group").fill("增设厨余垃圾投放点")
    group.get_by_role("button", name="Rename").click()
    group = page.locator(".opinion-group").first
    group.get_by_text("Answer this group").click()
    group.get_by_label("Partly adopted").check()
    group.get_by_label("Reason or explanation (published with the answer)").fill(
        "每个小区设置一个投放点，条件具备的设置两个。")
    group.get_by_role("button", name="Save answer").click()
    expect(page.get_by_role("status")).to_contain_text("saved")

    page.get_by_role("link", name="Comments to answer").click()
    page.get_by_label("Answer", exact=True).select_option("unanswered")
    page.get_by_role("button", name="Filter").click()
    page.get_by_label(f"Select comment {receipts[3]}").check()
    page.locator("#bulk-answer").get_by_label("Adopted", exact=True).check()
    page.get_by_role("button", name="Answer selected").click()
    expect(page.get_by_role("status")).to_contain_text("1 comment answered")

    page.get_by_role("link", name="Report and publishing").click()
    page.get_by_label("Overall explanation").fill("共收到意见4条，均已答复。")
    page.get_by_role("button", name="Save explanation").click()
    page.get_by_role("button", name="Publish the report").click()
    expect(page.get_by_role("heading", name="Feedback on the comments received")).to_be_visible()
    expect(page.locator("main")).to_contain_text("增设厨余垃圾投放点")
    expect(page.locator("svg.chart-svg").first).to_be_visible()

    page.goto(f"/staff/consultations/{closed_consultation.id}/feedback/groups")
    group = page.locator(".opinion-group").first
    group.get_by_text("Answer this group").click()
    group.get_by_label("Adopted", exact=True).check()
    group.get_by_label("Reason or explanation (published with the answer)").fill("")
    group.get_by_role("button", name="Save answer").click()
    page.get_by_role("link", name="Report and publishing").click()
    page.get_by_label("Reason for the correction").fill("经再次研究，改为全部采纳。")
    page.get_by_role("button", name="Publish the correction").click()
    expect(page.locator("main")).to_contain_text("Revision 2")
    expect(page.locator("#revisions")).to_contain_text("经再次研究，改为全部采纳。")
    expect(page.locator("#revisions")).to_contain_text("changed from Partly adopted to Adopted")

    citizen = open_page(lang="en", viewport=PHONE)
    citizen.goto("/consultations/receipt")
    citizen.get_by_label("Receipt number").fill(receipts[1].lower().replace("-", ""))
    citizen.get_by_role("button", name="Find").click()
    expect(citizen.locator(".comment-answer")).to_contain_text("Adopted")
    citizen.get_by_role("link", name="Read the feedback report").click()
    expect(citizen).to_have_url(re.compile(rf"/consultations/{closed_consultation.id}/feedback$"))


@pytest.fixture
def published_report(answered_consultation, staff):
    services.publish(answered_consultation, actor=staff, now=utcnow())
    db.session.commit()
    return answered_consultation


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("viewport", [PHONE, None], ids=["phone", "desktop"])
def test_report_page_has_no_serious_accessibility_violation(lang, viewport, published_report, open_page,
                                                            check_accessibility):
    page = open_page(lang=lang, **({"viewport": viewport} if viewport else {}))
    assert page.goto(f"/consultations/{published_report.id}/feedback").status == 200
    check_accessibility(page, f"feedback report ({lang})")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unpublished_report_page_has_no_serious_accessibility_violation(lang, closed_consultation, open_page,
                                                                        check_accessibility):
    page = open_page(lang=lang)
    assert page.goto(f"/consultations/{closed_consultation.id}/feedback").status == 200
    check_accessibility(page, f"feedback report not yet published ({lang})")


@pytest.mark.parametrize("path", ["", "groups", "offline", "report"])
def test_staff_feedback_pages_have_no_serious_accessibility_violation(path, staff, answered_consultation,
                                                                      open_page, check_accessibility):
    page = open_page(lang="zh", viewport=PHONE)
    log_in_zh = open_page(lang="en")
    log_in(log_in_zh, staff.email)
    page.context.add_cookies(log_in_zh.context.cookies())
    assert page.goto(f"/staff/consultations/{answered_consultation.id}/feedback/{path}").status == 200
    check_accessibility(page, f"staff feedback {path or 'work view'}")


def test_select_all_ticks_every_comment_on_the_page(staff, closed_consultation, open_page):
    page = open_page(lang="en")
    log_in(page, staff.email)
    page.goto(f"/staff/consultations/{closed_consultation.id}/feedback/")
    page.get_by_label("Select all comments on this page").check()
    expect(page.locator("input[name=comment_ids]:checked")).to_have_count(4)
    page.get_by_label("Name of the new group").fill("全部")
    page.get_by_role("button", name="Group selected").click()
    expect(page.get_by_role("status")).to_contain_text("全部")


#: the width of a right single quotation mark (’) in em: about 0.3 in a Latin font, 1 in a CJK one
QUOTE_WIDTH = """() => {
  const mark = document.createElement('span');
  mark.textContent = '’';
  document.querySelector('main').append(mark);
  const width = mark.getBoundingClientRect().width / parseFloat(getComputedStyle(mark).fontSize);
  mark.remove();
  return width;
}"""


def test_english_apostrophes_are_set_narrow(open_page, answered_consultation, staff, comments_of):
    """English pages reach a Latin font first: “The department’s answer” has no full-width gap in it."""
    services.publish(answered_consultation, actor=staff, now=utcnow())
    db.session.commit()
    page = open_page(lang="en", viewport=PHONE)
    page.goto(f"/consultations/receipts/{comments_of(answered_consultation)[3].receipt_number}")
    expect(page.get_by_role("heading", name="The department’s answer")).to_be_visible()
    assert page.evaluate(QUOTE_WIDTH) < 0.5
