"""The published handling figures on a phone (390 px): the supervisor publishes them from the staff page, and the
public figures page shows the dated statement beside the live figures."""

from babel.dates import format_date
from playwright.sync_api import expect

from engage.core.timeutil import china_date, utcnow
from tests.browser.conftest import PHONE, screenshot, turn_care_mode_on
from tests.browser.test_staff import log_in

NOTE = "本届会议共交办建议5件，已答复3件，其余正在办理。\n重新办理1件。"


def test_the_supervisor_publishes_on_a_phone_and_the_public_sees_the_dated_statement(
        open_page, figures_cases, supervisor, check_accessibility):
    staff_phone = open_page(viewport=PHONE)
    log_in(staff_phone, supervisor.email)
    staff_phone.goto("/staff/proposals/figures")
    staff_phone.get_by_label("Summary of the handling (optional)").fill(NOTE)
    staff_phone.get_by_role("button", name="Publish the figures").click()
    expect(staff_phone.get_by_role("status")).to_contain_text("are published, dated")
    expect(staff_phone.locator(".published-note")).to_contain_text("其余正在办理")
    assert staff_phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_accessibility(staff_phone, "publishing the handling figures")

    phone = open_page(lang="zh", viewport=PHONE)
    phone.goto("/proposals/stats")
    statement = phone.locator(".published-figures")
    day = format_date(china_date(utcnow()), "long", locale="zh")
    expect(statement.locator(".published-date")).to_have_text(f"截至{day}公布")
    expect(statement.locator(".published-note")).to_contain_text("重新办理1件")
    expect(statement.locator(".figure-summary")).to_contain_text("5")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "figures-published-zh")
    check_accessibility(phone, "public figures with a published statement")

    statement.get_by_role("link", name="公布的各承办单位数据").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("办理情况")
    expect(phone.locator(".figure-card").last).to_contain_text("5")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "figures-publication-zh")
    check_accessibility(phone, "one publication of the figures")
    turn_care_mode_on(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
