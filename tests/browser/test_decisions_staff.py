"""Staff in the browser on a phone: link a decision and its interpretation, keep the catalogue; axe on each page."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from engage.core.timeutil import china_date
from tests import factories
from tests.browser.conftest import PHONE, open_menu
from tests.browser.test_staff import log_in

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def closed(department, staff, now):
    return factories.make_consultation(department, staff, opens_at=now - timedelta(days=40),
                                       closes_at=now - timedelta(days=5))


def test_staff_link_decision_and_interpretation(staff, closed, open_page, check_accessibility, now, tmp_path):
    page = open_page(viewport=PHONE)
    log_in(page, staff.email)
    page.goto(f"/staff/consultations/{closed.id}/decision")
    page.get_by_label("Title of the decision").fill("生活垃圾分类管理办法")
    page.get_by_label("Document number (文号)").fill("临府规〔2026〕5号")
    page.get_by_label("Publication date", exact=True).fill(china_date(now).isoformat())
    page.get_by_role("button", name="Link the decision").click()
    expect(page.locator(".error-summary")).to_contain_text("Upload the document or give the address")
    check_accessibility(page, "decision form with errors")

    document = tmp_path / "管理办法.pdf"
    document.write_bytes(MINIMAL_PDF)
    page.get_by_label("Decision document").set_input_files(str(document))
    page.get_by_role("button", name="Link the decision").click()
    expect(page.get_by_role("status")).to_contain_text("The decision is linked")
    expect(page.locator(".interpretation-due")).to_be_visible()
    check_accessibility(page, "decision page")

    page.get_by_label("Publication date of the interpretation").fill(china_date(now).isoformat())
    page.get_by_label("Web address of the interpretation").fill("https://www.linjiang.gov.cn/zcjd/5.htm")
    page.get_by_role("button", name="Save the interpretation").click()
    expect(page.get_by_role("status")).to_contain_text("The interpretation is linked")

    page.get_by_role("link", name="See the public page").click()
    expect(page.locator(".decision-box")).to_contain_text("临府规〔2026〕5号")
    expect(page.locator(".interpretation-on_time")).to_be_visible()
    open_menu(page)
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Interpretations due or late")).to_be_visible()
    check_accessibility(page, "dashboard")


def test_staff_add_and_postpone_a_catalogue_entry(staff, closed, open_page, check_accessibility):
    page = open_page(viewport=PHONE)
    log_in(page, staff.email)
    page.goto("/staff/catalogue/new?year=2026")
    check_accessibility(page, "new catalogue entry")
    page.get_by_label("Name of the decision").fill("生活垃圾分类管理办法")
    page.get_by_label("Planned year").fill("2026")
    page.get_by_label("Planned quarter or month").select_option(label="2nd quarter")
    page.get_by_label("Consultation on the draft").select_option(label=closed.title)
    page.get_by_label("Reason for the change").fill("列入年度目录")
    page.get_by_role("button", name="Add to the catalogue").click()
    expect(page.get_by_role("status")).to_contain_text("added to the 2026 catalogue")

    page.get_by_label("Postpone", exact=True).check()
    page.get_by_label("Reason", exact=True).fill("需补充论证")
    page.get_by_role("button", name="Record the change").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter the planned year")
    check_accessibility(page, "catalogue entry with errors")
    page.get_by_label("New planned year (when postponing)").fill("2026")
    page.get_by_label("New planned quarter or month (when postponing)").select_option(label="November")
    page.get_by_label("Reason", exact=True).fill("需补充论证")
    page.get_by_role("button", name="Record the change").click()
    expect(page.get_by_role("status")).to_contain_text("recorded and published")

    open_menu(page)
    page.get_by_role("link", name="Decision catalogue").click()
    page.get_by_role("link", name="Catalogue 2026").click()
    expect(page.locator(".entry-changes")).to_contain_text("需补充论证")
    expect(page.locator(".catalogue .card > .meta").first).to_contain_text("Planned: November 2026")
