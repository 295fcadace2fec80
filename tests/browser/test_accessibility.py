"""axe-core on every public page, in Chinese and in English: no serious or critical violation."""

from datetime import timedelta

import pytest

from tests import factories
from tests.browser.conftest import PHONE


@pytest.fixture
def public_pages(department, staff, open_consultation, now) -> dict[str, str]:
    """The address of each public page, with content on it: comments, a closed consultation, a receipt."""
    closed = factories.make_consultation(
        department, staff, title="城市道路占用挖掘管理办法（征求意见稿）", opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=20),
    )
    factories.make_comment(open_consultation, "建议明确厨余垃圾的投放时间。\n第二段：晚上也应当可以投放。",
                           article_number=3, display_name="张先生")
    receipt = factories.make_comment(open_consultation, "支持。").receipt_number
    return {
        "home": "/",
        "list": "/consultations/",
        "list-filtered": "/consultations/?status=open&q=垃圾",
        "detail-open": f"/consultations/{open_consultation.id}",
        "detail-closed": f"/consultations/{closed.id}",
        "receipt": f"/consultations/receipts/{receipt}",
        "receipt-lookup": "/consultations/receipt",
        "receipt-lookup-result": f"/consultations/receipt?receipt_number={receipt}",
        "receipt-lookup-unknown": "/consultations/receipt?receipt_number=AAAA-BBBB-CCCC",
        "login": "/account/login",
        "not-found": "/consultations/999999",
        "unknown-address": "/no-such-page",
    }


EXPECTED_STATUS = {"not-found": 404, "unknown-address": 404, "receipt-lookup-unknown": 404}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "name",
    ["home", "list", "list-filtered", "detail-open", "detail-closed", "receipt", "receipt-lookup",
     "receipt-lookup-result", "receipt-lookup-unknown", "login", "not-found", "unknown-address"],
)
def test_public_page_has_no_serious_accessibility_violation(name, lang, public_pages, open_page,
                                                           check_accessibility):
    page = open_page(lang=lang)

    response = page.goto(public_pages[name])

    assert response.status == EXPECTED_STATUS.get(name, 200)
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh" else "en")
    check_accessibility(page, f"{name} ({lang})")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_comment_form_with_errors_has_no_serious_accessibility_violation(lang, open_consultation, open_page,
                                                                        check_accessibility):
    page = open_page(lang=lang, viewport=PHONE)
    page.goto(f"/consultations/{open_consultation.id}")

    page.locator("form.comment-form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator(".error-summary").is_visible()
    check_accessibility(page, f"comment form with errors ({lang})")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_phone_sized_home_page_has_no_serious_accessibility_violation(lang, open_consultation, open_page,
                                                                     check_accessibility):
    page = open_page(lang=lang, viewport=PHONE)

    page.goto("/")

    check_accessibility(page, f"home on a phone ({lang})")
