"""The comment form by keyboard alone: Tab moves through it in order, Space ticks, Enter sends."""

from playwright.sync_api import expect

#: more Tab presses than any page of ours needs to reach its comment form
MAX_TABS = 150


def focused(page) -> str:
    """What has the keyboard focus, named by its id (or tag) so failures say where focus went."""
    return page.evaluate("document.activeElement.id || document.activeElement.tagName.toLowerCase()")


def tab_until(page, element_id: str) -> int:
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if focused(page) == element_id:
            return presses
    raise AssertionError(f"Tab never reached #{element_id}; focus ended on {focused(page)!r}")


def test_comment_form_can_be_filled_and_sent_with_the_keyboard_alone(open_consultation, page):
    page.goto(f"/consultations/{open_consultation.id}")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    tab_until(page, "article")
    page.keyboard.press("ArrowDown")  # a closed select changes its choice with the arrow keys
    page.keyboard.press("Tab")
    assert focused(page) == "body"
    page.keyboard.type("建议增加夜间投放点。")
    page.keyboard.press("Tab")
    assert focused(page) == "name"
    page.keyboard.type("李女士")
    page.keyboard.press("Tab")
    assert focused(page) == "contact"
    page.keyboard.type("li@example.com")
    page.keyboard.press("Tab")
    assert focused(page) == "consent"
    page.keyboard.press("Space")
    expect(page.locator("#consent")).to_be_checked()
    page.keyboard.press("Tab")
    assert focused(page) == "send_receipt"  # left unticked: no receipt by message
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Send my comment"
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your comment has been received")
    status = page.locator(".comment-status")
    expect(status).to_contain_text("建议增加夜间投放点。")
    expect(status).to_contain_text("李女士")
    expect(status).to_contain_text("第一条")  # chosen with ArrowDown from "The whole draft"
    expect(status).not_to_contain_text("li@example.com")  # contact details are never shown back


def test_skip_link_moves_the_focus_to_the_main_content(open_consultation, page):
    page.goto(f"/consultations/{open_consultation.id}")

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    assert focused(page) == "main"
