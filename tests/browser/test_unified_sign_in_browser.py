"""Unified sign-in in Chromium on a phone (390 px), through the real OpenID Connect provider of tests/fixtures."""

import pytest
from playwright.sync_api import expect

from engage.core.timeutil import utcnow
from engage.extensions import db
from engage.identities import services
from tests import factories
from tests.browser.conftest import PHONE, open_menu, screenshot, writing


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def _log_in_at_the_provider(page, subject: str) -> None:
    expect(page.get_by_role("heading", name="统一身份认证（测试）")).to_be_visible()
    page.get_by_label("账号").fill(subject)
    page.get_by_label("密码").fill("any")
    page.get_by_role("button", name="登录").click()


@pytest.mark.parametrize(("lang", "sign_in", "log_out"), [("zh", "统一身份认证登录", "退出登录"),
                                                       ("en", "Sign in with the unified identity", "Log out")])
def test_a_mapped_staff_member_signs_in_on_a_phone(open_page, oidc_provider, staff, admin, check_accessibility,
                                                   lang, sign_in, log_out):
    oidc_provider.add_account("staff-phone", name="王小明", email=staff.email, email_verified=True)
    with writing():
        services.map_identity(issuer=oidc_provider.url, subject="staff-phone", user=staff, actor=admin, now=utcnow())
    page = open_page(lang=lang, viewport=PHONE)
    page.goto("/account/login")
    _fits(page)
    check_accessibility(page, "the login page with unified sign-in")
    screenshot(page, f"oidc-login-phone-{lang}")
    page.get_by_role("link", name=sign_in).click()
    _log_in_at_the_provider(page, "staff-phone")
    expect(page).to_have_url(f"{page.url.split('/staff/')[0]}/staff/consultations/")
    _fits(page)
    open_menu(page)
    expect(page.locator("#site-menu form[action='/account/logout'] button")).to_have_text(log_out)


def test_a_first_sign_in_waits_and_an_administrator_approves_it_on_a_phone(open_page, oidc_provider, admin,
                                                                            department, check_accessibility):
    db.session.commit()  # the department fixture only flushed: its write lock would hold up the server's writes
    oidc_provider.add_account("new-phone", name="李新人", email="li@example.gov.cn", email_verified=True)
    page = open_page(lang="zh", viewport=PHONE)
    page.goto("/account/login")
    page.get_by_role("link", name="统一身份认证登录").click()
    _log_in_at_the_provider(page, "new-phone")
    expect(page.get_by_role("alert")).to_contain_text("等待管理员审核")
    _fits(page)
    screenshot(page, "oidc-waiting-phone")

    admin_page = open_page(lang="zh", viewport=PHONE)
    admin_page.goto("/account/login")
    admin_page.get_by_label("电子邮箱").fill(admin.email)
    admin_page.get_by_label("密码").fill(factories.PASSWORD)
    admin_page.get_by_role("button", name="登录").click()
    admin_page.goto("/admin/identities/")
    _fits(admin_page)
    admin_page.get_by_role("link", name="李新人").click()
    _fits(admin_page)
    check_accessibility(admin_page, "an identity waiting for approval")
    screenshot(admin_page, "oidc-identity-phone")
    admin_page.get_by_label("姓名").fill("李新人")
    admin_page.get_by_label("部门").select_option(str(department.id))
    admin_page.get_by_role("button", name="新建账号并通过").click()
    expect(admin_page.get_by_role("status")).to_contain_text("li@example.gov.cn")

    page.goto("/account/login")
    page.get_by_role("link", name="统一身份认证登录").click()
    expect(page).to_have_url(f"{page.url.split('/staff/')[0]}/staff/consultations/")  # the provider remembers them


def test_a_citizen_sees_their_participation_on_a_phone(open_page, app, oidc_provider, open_consultation,
                                                      check_accessibility):
    app.config["OIDC_CITIZENS"] = True
    with writing():
        comment = factories.make_comment(open_consultation, contact="13800001111", consent=True)
    oidc_provider.add_account("citizen-phone", name="陈市民", phone_number="13800001111", phone_number_verified=True)
    page = open_page(lang="zh", viewport=PHONE)
    page.goto("/")
    open_menu(page)
    page.get_by_role("link", name="我的参与").click()
    page.get_by_role("link", name="统一身份认证登录").click()
    _log_in_at_the_provider(page, "citizen-phone")
    expect(page.get_by_text(comment.receipt_number)).to_be_visible()
    _fits(page)
    check_accessibility(page, "my participation")
    screenshot(page, "oidc-participation-phone")
