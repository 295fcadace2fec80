"""The waitlist closes its loop: a citizen joins it on a phone, a confirmed person cancels, and the promoted
citizen's SMS reaches the SMS platform with the right text and a link that opens their seat."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.fixtures.events import make_event
from tests.fixtures.messaging import wait_for_messages

FIRST, SECOND = "13900000001", "13812345678"
LINK = re.compile(r"https?://\S+$")


def _sign_up(page, event_id: int, phone: str, name: str):
    page.goto(f"/events/{event_id}")
    page.locator("input[name=phone]").fill(phone)
    page.locator("input[name=name]").fill(name)
    page.locator("form.sign-up-form button[type=submit]").click()


def _wait_for_sms(gateway, phone: str, count: int) -> list[dict]:
    return wait_for_messages(lambda: gateway.to(phone), count)


def test_the_promoted_citizen_gets_an_sms_whose_link_opens_the_seat(messaging, app, campaign, department,
                                                                    open_page, monkeypatch):
    _, gateway = messaging
    # Links in SMS are built on the public address, not on the request's.
    monkeypatch.setitem(app.config, "PUBLIC_URL", "http://engage.example.gov.cn")
    event = make_event(campaign, department, title="走进市生态环境局", capacity=1)
    holder = open_page(lang="zh", viewport=PHONE)
    _sign_up(holder, event.id, FIRST, "李四")
    expect(holder.get_by_role("heading", level=1)).to_have_text("报名成功")

    waiting = open_page(lang="zh", viewport=PHONE)
    _sign_up(waiting, event.id, SECOND, "王阿姨")
    expect(waiting.get_by_role("heading", level=1)).to_have_text("您已登记候补")
    [told_waiting] = _wait_for_sms(gateway, SECOND, 1)
    assert "候补" in told_waiting["text"]

    holder.get_by_role("button", name="取消我的报名").click()
    holder.get_by_role("button", name="是的，取消报名").click()
    expect(holder.locator(".flash-success")).to_be_visible()

    _told_waiting, promoted = _wait_for_sms(gateway, SECOND, 2)
    assert promoted["template"] == "event_promoted"
    text = promoted["text"]
    assert text.startswith(f"【{app.config['SMS_SIGNATURE']}】好消息：「走进市生态环境局」")
    assert "您已由候补转为报名成功" in text and len(text) <= 70 * 3
    link = LINK.search(text).group(0)
    assert link.startswith("http://engage.example.gov.cn/events/")
    code = promoted["params"]["code"]
    assert code in text

    # The link in the SMS opens the citizen's own sign-up, now holding the seat, without logging in.
    parts = urlsplit(link)
    waiting.goto(f"{parts.path}?{parts.query}")
    expect(waiting.get_by_role("heading", level=1)).to_have_text("报名成功")
    expect(waiting.locator(".receipt-large")).to_have_text(code)
    assert waiting.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
