"""A citizen on a phone follows a consultation by e-mail, confirms from the message the mail server received,
hears of its feedback report, and unsubscribes from that message in one click."""

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from engage import domain_events
from engage.core.timeutil import utcnow
from engage.domain_events.models import EventType
from engage.extensions import db
from engage.subscriptions.models import Subscription, SubscriptionStatus
from tests.browser.conftest import PHONE, writing
from tests.fixtures.messaging import wait_for_messages

EMAIL = "li.ming@example.cn"


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_follow_confirm_and_unsubscribe_in_one_click(messaging, app, open_consultation, open_page, monkeypatch,
                                                     served):
    smtp, _ = messaging
    monkeypatch.setitem(app.config, "PUBLIC_URL", served.url)
    page = open_page(lang="en", viewport=PHONE)
    page.goto(f"/consultations/{open_consultation.id}")
    follow = page.locator("form.follow-form")
    follow.get_by_label("E-mail address or mobile number").fill(EMAIL)
    follow.get_by_label("What to follow").select_option(f"consultation:{open_consultation.id}")
    follow.get_by_label("How often").select_option("immediate")
    follow.get_by_role("button", name="Follow").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")

    [confirmation] = wait_for_messages(lambda: smtp.to(EMAIL), 1)
    assert "List-Unsubscribe" not in confirmation  # asked for: a confirmation, not an update
    link = re.search(r"https?://\S+/follow/confirm/\S+", confirmation.get_body(("plain",)).get_content()).group(0)
    page.goto(_path(link))
    page.get_by_role("button", name="Yes, follow").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My subscriptions")
    expect(page.get_by_role("status")).to_contain_text(open_consultation.title)

    with writing():
        domain_events.emit(EventType.FEEDBACK_PUBLISHED, db.session.get(type(open_consultation),
                                                                        open_consultation.id), now=utcnow())
    _confirmation, update = wait_for_messages(lambda: smtp.to(EMAIL), 2)
    assert open_consultation.title in update["Subject"]
    assert update["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = "".join(str(update["List-Unsubscribe"]).split()).strip("<>")  # a long header comes folded
    page.goto(_path(unsubscribe))
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("status")).to_contain_text("l***@example.cn")

    db.session.commit()  # a fresh read of what the server wrote
    assert db.session.scalars(sa.select(Subscription.status)).all() == [SubscriptionStatus.ENDED]
