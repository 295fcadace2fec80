"""Public forms work without JavaScript: the page holds no token, so the first send is shown back to confirm."""

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, TIMEOUT_MS
from tests.fixtures.events import make_event


def _page_without_javascript(browser, served, contexts):
    context = browser.new_context(viewport=PHONE, base_url=served.url, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": "lang", "value": "en", "url": served.url}])
    contexts.append(context)
    return context.new_page()


def test_a_comment_is_sent_without_javascript_after_one_confirmation(browser, served, open_consultation):
    contexts = []
    try:
        page = _page_without_javascript(browser, served, contexts)
        page.goto(f"/consultations/{open_consultation.id}")
        page.get_by_label("Your comment", exact=True).fill("没有脚本也能提交的意见")
        page.get_by_role("button", name="Send my comment").click()

        expect(page.locator(".comment-form .notice")).to_contain_text("Your comment has not been sent yet")
        expect(page.get_by_label("Your comment", exact=True)).to_have_value("没有脚本也能提交的意见")
        page.get_by_role("button", name="Send my comment").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your comment has been received")
    finally:
        for context in contexts:
            context.close()


def test_a_sign_up_is_sent_without_javascript_after_one_confirmation(browser, served, campaign, department):
    event = make_event(campaign, department, title="不用脚本报名的活动")
    contexts = []
    try:
        page = _page_without_javascript(browser, served, contexts)
        page.goto(f"/events/{event.id}")
        page.get_by_label("Mobile phone number").fill("13812345678")
        page.get_by_label("Name").fill("王阿姨")
        page.get_by_role("button", name="Sign up").click()

        expect(page.locator(".sign-up-form .notice")).to_contain_text("You are not signed up yet")
        expect(page.get_by_label("Name")).to_have_value("王阿姨")
        page.get_by_role("button", name="Sign up").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("You are signed up")
    finally:
        for context in contexts:
            context.close()
