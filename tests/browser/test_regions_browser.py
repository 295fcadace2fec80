"""A region's portal on a phone: its path, the regions below it and its figures, without sideways scrolling."""

import pytest

from tests import factories
from tests.browser.conftest import PHONE, screenshot


@pytest.fixture
def portal_city(city):
    factories.make_consultation(city.east_department, city.east_staff, title="江东区老旧小区改造方案（征求意见稿）")
    return city


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_portal_fits_a_phone_with_its_path_and_figures(lang, portal_city, open_page):
    page = open_page(lang=lang, viewport=PHONE)
    page.goto("/regions/jiangdong/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    crumbs = page.locator(".region-path li").all_inner_texts()
    assert crumbs[1:] == (["临江市", "江东区"] if lang == "zh" else ["Linjiang", "Jiangdong"])
    assert page.locator(".figure-cards").is_visible()  # the cards, not the wide table, on a phone
    assert page.get_by_role("link", name="江东区老旧小区改造方案（征求意见稿）").is_visible()
    screenshot(page, f"region-portal-{lang}")


def test_a_breadcrumb_leads_up_to_the_city(portal_city, open_page):
    page = open_page(lang="zh", viewport=PHONE)
    page.goto("/regions/jiangdong-jd/")
    page.locator(".region-path").get_by_role("link", name="临江市").click()
    assert page.url.endswith("/regions/linjiang/")
    assert page.locator("h1").inner_text().startswith("临江市")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", ["/regions/", "/regions/linjiang/", "/consultations/?region=jiangdong",
                                  "/admin/regions/"])
def test_region_pages_have_no_serious_accessibility_violation(lang, path, portal_city, open_page,
                                                              check_accessibility):
    page = open_page(lang=lang, viewport=PHONE)
    if path.startswith("/admin/"):
        page.goto("/account/login")
        page.fill("input[name=email]", portal_city.city_admin.email)
        page.fill("input[name=password]", factories.PASSWORD)
        page.locator("main form button[type=submit]").click()
    response = page.goto(path)
    assert response.status == 200
    check_accessibility(page, f"{path} ({lang})")
