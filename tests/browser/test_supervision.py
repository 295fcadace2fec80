"""Supervision on a phone (390 px): the supervisor sends a chasing notice and reads the dashboard; the unit
answers the notice from its case page."""

from datetime import timedelta

from playwright.sync_api import expect

from engage.core.timeutil import utcnow
from tests.browser.conftest import PHONE, screenshot
from tests.browser.test_staff import log_in
from tests.fixtures.proposals import assign_case, make_case


def test_a_chasing_notice_on_a_phone_and_its_answer(open_page, supervisor, staff, department, check_accessibility):
    case = assign_case(make_case(actor=supervisor), [department], actor=supervisor,
                       now=utcnow() - timedelta(days=100))
    phone = open_page(viewport=PHONE)
    log_in(phone, supervisor.email)
    phone.goto(f"/staff/proposals/{case.id}#supervision")
    phone.get_by_label("Text of the chasing notice").fill("请于本周五前报送办理进度。")
    phone.get_by_role("button", name="Send the chasing notice").click()
    expect(phone.get_by_role("status")).to_contain_text("Chasing notice sent to the unit.")
    expect(phone.locator(".chasing-notice")).to_contain_text("请于本周五前报送办理进度。")
    expect(phone.locator("#timeline")).to_contain_text("Chasing notice sent")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    phone.goto("/staff/proposals/supervision")
    expect(phone.get_by_role("heading", name="Overdue by unit and by how long")).to_be_visible()
    expect(phone.get_by_role("row").filter(has_text="Municipal Ecology")).to_contain_text("1")
    expect(phone.locator(".chasing-notice")).to_contain_text("Not answered yet.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_accessibility(phone, "supervision dashboard")
    screenshot(phone, "supervision-dashboard-phone")

    unit = open_page(viewport=PHONE)
    log_in(unit, staff.email)
    unit.goto(f"/staff/proposals/{case.id}#chasing")
    unit.get_by_label("Your answer to the supervising office").fill("已召开协调会，月底前答复。")
    unit.get_by_role("button", name="Send the answer").click()
    expect(unit.get_by_role("status")).to_contain_text("Your answer was sent to the supervising office.")
    expect(unit.locator(".chasing-notice")).to_contain_text("已召开协调会，月底前答复。")
    check_accessibility(unit, "case page with an answered chasing notice")

    phone.reload()
    expect(phone.locator(".chasing-notice")).to_contain_text("已召开协调会，月底前答复。")
