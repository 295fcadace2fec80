"""Department staff in the browser: log in, draft, preview and publish a consultation, moderate comments."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from engage.consultations.models import ModerationMode
from engage.core.timeutil import to_china
from tests import factories

TITLE = "城市绿地管理办法（征求意见稿）"
DRAFT = """城市绿地管理办法（征求意见稿）
第一章 总则
第一条 为了加强城市绿地管理，改善生态环境，制定本办法。
第二条 本办法适用于本市城市规划区内绿地的规划、建设、保护和管理。
第二章 保护
第三条 任何单位和个人不得擅自占用城市绿地。"""


def _local(moment) -> str:
    """A moment as a datetime-local input takes it, in China time."""
    return to_china(moment).strftime("%Y-%m-%dT%H:%M")


def log_in(page, email: str):
    page.goto("/account/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Logged in: the header offers to log out (behind the menu on a phone).
    expect(page.locator("#site-menu form[action='/account/logout'] button")).to_have_text("Log out")


def test_staff_drafts_previews_and_publishes_a_consultation(staff, page, now):
    log_in(page, staff.email)

    page.get_by_role("link", name="Staff desk").click()
    page.get_by_role("link", name="New consultation").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Kind of document").select_option(label="Major administrative decision")
    page.get_by_label("Summary").fill("为加强城市绿地保护，现公开征求意见。")
    page.get_by_label("Draft text").fill(DRAFT)
    page.get_by_label("Basis for the decision").fill("《城市绿化条例》")
    page.get_by_label("Comment period opens").fill(_local(now))
    page.get_by_label("Comment period closes").fill(_local(now + timedelta(days=40)))
    page.get_by_label("Publish comments at once").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved")

    page.get_by_role("button", name="Save and preview").click()
    expect(page.get_by_role("note")).to_contain_text("Preview — not public.")
    expect(page.get_by_text("3 articles recognised")).to_be_visible()
    expect(page.locator(".chapter-heading")).to_have_text(["第一章 总则", "第二章 保护"])

    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_role("status")).to_contain_text("The consultation is published.")

    page.get_by_role("link", name="Consultations", exact=True).click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("button", name="Send my comment")).to_be_visible()


@pytest.fixture
def reviewed_consultation(department, staff, now):
    consultation = factories.make_consultation(
        department, staff, title="公园开放时间调整方案（征求意见稿）", moderation=ModerationMode.REVIEW,
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
    )
    worthy = factories.make_comment(consultation, "建议夏季延长开放时间到晚上十点。")
    unworthy = factories.make_comment(consultation, "专业开锁，电话一三九零零零零零零零零。")
    return consultation, worthy.receipt_number, unworthy.receipt_number


def test_staff_approves_one_comment_and_rejects_another_with_a_reason(staff, reviewed_consultation, page):
    consultation, worthy, unworthy = reviewed_consultation
    log_in(page, staff.email)

    page.get_by_role("link", name="Staff desk").click()
    page.get_by_role("list", name=f"Actions for {consultation.title}").get_by_role(
        "link", name=re.compile(r"^Moderation \(2\)")
    ).click()
    page.get_by_role("button", name=f"Approve {worthy}").click()
    expect(page.get_by_role("status")).to_be_visible()
    page.get_by_role("listitem").filter(has_text=unworthy).get_by_label("Reason, if you reject it").fill(
        "含有广告信息，不予公开。"
    )
    page.get_by_role("button", name=f"Reject {unworthy}").click()
    expect(page.get_by_text("No comments here.")).to_be_visible()

    page.goto(f"/consultations/{consultation.id}")
    comments = page.get_by_role("region", name=re.compile("Published comments"))
    expect(comments).to_contain_text("建议夏季延长开放时间到晚上十点。")
    expect(comments).not_to_contain_text("专业开锁")

    page.goto(f"/consultations/receipt?receipt_number={unworthy}")
    expect(page.locator(".comment-status")).to_contain_text("Not published")
    expect(page.locator(".comment-status")).to_contain_text("含有广告信息，不予公开。")
