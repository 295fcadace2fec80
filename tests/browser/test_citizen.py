"""A citizen on a phone: reads a draft, comments on one article, keeps the receipt and looks the comment up."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import PHONE

RECEIPT = re.compile(r"^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")
COMMENT = "建议明确可回收物的投放时间。\n第二段：晚上下班后也应当可以投放。"


def test_citizen_comments_on_an_article_and_finds_the_comment_by_receipt(open_consultation, open_page):
    page = open_page(viewport=PHONE)

    page.goto("/")
    page.get_by_role("link", name=open_consultation.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(open_consultation.title)
    expect(page.locator("#article-3")).to_contain_text("生活垃圾分为可回收物、有害垃圾、厨余垃圾和其他垃圾。")

    page.get_by_role("link", name="Comment on 第三条").click()
    expect(page.get_by_label("Your comment is about")).to_have_value("3")
    page.get_by_label("Your comment", exact=True).fill(COMMENT)
    page.get_by_label("Name to show (optional)").fill("张先生")
    page.get_by_role("button", name="Send my comment").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your comment has been received")
    receipt = page.locator(".receipt-large").inner_text().strip()
    assert RECEIPT.match(receipt), receipt

    page.get_by_role("link", name="Find my comment later").click()
    # People type receipt numbers as they hear them: lower case, no dashes.
    page.get_by_label("Receipt number").fill(receipt.replace("-", "").lower())
    page.get_by_role("button", name="Find", exact=True).click()

    result = page.locator(".comment-status")
    expect(result).to_contain_text(receipt)
    expect(result).to_contain_text("Published")
    expect(result).to_contain_text("第三条")
    # innerText follows the CSS: the line break must survive (white-space: pre-wrap).
    assert result.locator(".comment-body").inner_text() == COMMENT


def test_published_comment_appears_on_the_consultation_page_as_typed(open_consultation, open_page):
    page = open_page(viewport=PHONE)
    page.goto(f"/consultations/{open_consultation.id}?article=3#comment-form")

    typed = COMMENT + "\n<script>alert('x')</script>"
    page.get_by_label("Your comment", exact=True).fill(typed)
    page.get_by_role("button", name="Send my comment").click()
    page.get_by_role("link", name="Back to the consultation").click()

    comment = page.get_by_role("region", name=re.compile("Published comments")).locator(".comment").first
    expect(comment).to_contain_text("Anonymous")
    assert comment.locator(".comment-body").inner_text() == typed
    assert page.locator(".comment-body script").count() == 0
