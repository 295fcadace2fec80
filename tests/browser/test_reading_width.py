"""Long text on a desktop keeps to about 40 characters a line; on a phone it still fills the screen."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import make_consultation

LONG_ARTICLE = "第一条 " + "为了加强生活垃圾分类管理，改善人居环境，根据有关法律法规，结合本市实际，制定本办法。" * 6

#: the widths (in em of the element's own font) of every block of draft text, and of the viewport
WIDTHS = """() => [...document.querySelectorAll('.draft-text, .comment-body')].map(e =>
    e.getBoundingClientRect().width / parseFloat(getComputedStyle(e).fontSize))"""


@pytest.fixture
def long_draft(app, department, staff):
    return make_consultation(department, staff, draft_text=LONG_ARTICLE, summary="摘要" * 80,
                             title="长条文的征求意见稿")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_article_keeps_to_about_40_em_on_a_desktop(lang, long_draft, open_page):
    page = open_page(lang=lang, viewport=DESKTOP)
    page.goto(f"/consultations/{long_draft.id}")
    widths = page.evaluate(WIDTHS)
    assert widths and max(widths) <= 40.5
    assert max(widths) >= 39  # the long article does use the whole measure, not a narrow column


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_phone_the_article_fills_the_screen_without_sideways_scroll(lang, long_draft, open_page):
    page = open_page(lang=lang, viewport=PHONE)
    page.goto(f"/consultations/{long_draft.id}")
    article = page.locator(".draft-text").first.bounding_box()
    assert article["width"] >= PHONE["width"] - 80  # only the page's and the article's padding around it
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
