"""Care mode (关怀版) on a phone, in both languages: larger text, 48 px targets, text contrast at AAA (7:1), one
column, a header in one row whose menu works without JavaScript, and a switch reachable by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_accessibility import event_pages, proposal_pages, public_pages  # noqa: F401  (fixtures)

#: the labels of the switches and the menu, by language
LABELS = {"zh": {"on": "关怀版", "off": "标准版", "menu": "菜单"},
          "en": {"on": "Care mode", "off": "Standard", "menu": "Menu"}}
#: the tallest a one-row header may be on a phone (a second row of switches would add about 50 px)
ONE_ROW_PX = 80


def _axe_with_aaa_contrast(page, axe_source, what: str) -> None:
    page.evaluate(axe_source.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => await axe.run(document, {
        rules: {'color-contrast-enhanced': {enabled: true}}, resultTypes: ['violations']})""")
    serious = [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert not serious, f"{what}: " + "; ".join(serious)


def _switch(page, lang: str, to: str) -> None:
    """Follow the switch to care mode (``to="on"``) or back, and wait for the page in the new mode."""
    other = "off" if to == "on" else "on"
    page.get_by_role("link", name=LABELS[lang][to], exact=True).click()
    page.wait_for_load_state("load")
    # Unstyled, a page shows both switches: the one just followed is hidden once the stylesheets apply.
    expect(page.get_by_role("link", name=LABELS[lang][to], exact=True)).to_be_hidden()
    expect(page.get_by_role("link", name=LABELS[lang][other], exact=True)).to_be_visible()


def _turn_on(page, lang: str) -> None:
    _switch(page, lang, "on")


def _html_without_tokens(page) -> str:
    """The page's HTML without the per-request form tokens and nonces (the same for every visitor otherwise)."""
    return re.sub(r'(nonce|value)="[^"]*"', "", page.content())


def _small_targets(page) -> list[str]:
    """Links and buttons of the header, the forms and the page's navigation lower than 48 px."""
    return page.evaluate("""() => [...document.querySelectorAll(
            '.site-header a, .site-header button, main button, main input:not([type=hidden]):not([type=checkbox]),'
            + ' main select, .pagination a')]
        .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 47.5)
        .map(e => e.outerHTML.slice(0, 80))""")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_header_is_one_row_and_its_menu_opens_without_javascript(lang, browser, served, open_consultation):
    context = browser.new_context(viewport=PHONE, base_url=served.url, java_script_enabled=False)
    context.add_cookies([{"name": "lang", "value": lang, "url": served.url}])
    page = context.new_page()
    try:
        page.goto(f"/consultations/{open_consultation.id}")
        for care in (False, True):
            assert page.locator(".site-header").bounding_box()["height"] <= ONE_ROW_PX, f"care mode {care}"
            expect(page.locator("#site-menu")).to_be_hidden()
            page.get_by_role("link", name=LABELS[lang]["menu"], exact=True).click()
            nav = page.locator("#site-menu")
            expect(nav).to_be_visible()
            expect(nav.get_by_role("link").first).to_be_visible()
            if not care:
                _turn_on(page, lang)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_care_mode_is_larger_and_remembered_and_the_page_itself_is_unchanged(lang, open_page, open_consultation):
    page = open_page(lang=lang, viewport=PHONE)
    page.goto(f"/consultations/{open_consultation.id}")
    standard_html = _html_without_tokens(page)
    standard_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    _turn_on(page, lang)
    assert page.url.endswith(f"/consultations/{open_consultation.id}")  # back where the visitor was
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 20 > standard_size
    assert page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight) / "
                         "parseFloat(getComputedStyle(document.body).fontSize)") >= 1.8
    assert _small_targets(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The same HTML for everyone: only the stylesheet follows the choice, so shared caches may keep the page.
    assert _html_without_tokens(page) == standard_html
    page.goto("/consultations/")
    expect(page.get_by_role("link", name=LABELS[lang]["off"], exact=True)).to_be_visible()  # remembered
    _switch(page, lang, "off")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == standard_size


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_public_page_in_care_mode_has_text_contrast_of_7_to_1_and_no_serious_violation(
        lang, open_page, public_pages, event_pages, proposal_pages, axe_source):  # noqa: F811
    page = open_page(lang=lang, viewport=PHONE)
    page.goto("/")
    _turn_on(page, lang)
    paths = [*public_pages.values(), *event_pages.values(), *proposal_pages.values(), "/lost-codes/"]
    for path in paths:
        page.goto(path)
        _axe_with_aaa_contrast(page, axe_source, f"{path} in care mode ({lang})")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 20, path


def test_care_mode_is_reached_and_left_by_keyboard_alone(open_page, open_consultation):
    page = open_page(lang="zh", viewport=PHONE)
    page.goto(f"/consultations/{open_consultation.id}")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "关怀版":
            break
    else:
        pytest.fail("the care-mode switch is not among the first ten stops of the keyboard")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    expect(page.get_by_role("link", name="关怀版", exact=True)).to_be_hidden()
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 20
    # The skip link still comes first, and the focus ring is drawn.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
