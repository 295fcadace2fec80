"""axe-core on every public page, in Chinese and in English: no serious or critical violation."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import PHONE


@pytest.fixture
def public_pages(department, staff, open_consultation, now) -> dict[str, str]:
    """The address of each public page, with content on it: comments, a closed consultation, a receipt."""
    closed = factories.make_consultation(
        department, staff, title="城市道路占用挖掘管理办法（征求意见稿）", opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=20),
    )
    factories.make_comment(open_consultation, "建议明确厨余垃圾的投放时间。\n第二段：晚上也应当可以投放。",
                           article_number=3, display_name="张先生")
    receipt = factories.make_comment(open_consultation, "支持。").receipt_number
    decided, entry = _decided_with_catalogue_entry(department, staff, closed, now)
    return {
        "home": "/",
        "list": "/consultations/",
        "list-filtered": "/consultations/?status=open&q=垃圾",
        "detail-open": f"/consultations/{open_consultation.id}",
        "detail-closed": f"/consultations/{closed.id}",
        "receipt": f"/consultations/receipts/{receipt}",
        "receipt-lookup": "/consultations/receipt",
        "receipt-lookup-result": f"/consultations/receipt?receipt_number={receipt}",
        "receipt-lookup-unknown": "/consultations/receipt?receipt_number=AAAA-BBBB-CCCC",
        "detail-decided": f"/consultations/{decided.id}",
        "catalogue-years": "/catalogue/",
        "catalogue-year": f"/catalogue/{entry.year}",
        "catalogue-empty-year": "/catalogue/2031",
        "login": "/account/login",
        "not-found": "/consultations/999999",
        "unknown-address": "/no-such-page",
    }


def _decided_with_catalogue_entry(department, staff, consultation, now):
    """The closed consultation with its decision linked (interpretation late), in a catalogue entry postponed."""
    from engage.core.calendar_days import load_work_calendar
    from engage.decisions import catalogue, services
    from engage.decisions.models import ChangeKind
    from engage.decisions.timing import PlannedTiming
    from engage.extensions import db

    services.link_decision(consultation, services.DecisionFields("城市道路占用挖掘管理办法", "临府规〔2026〕2号",
                                                                 factories.day_after_close(consultation, 5),
                                                                 "https://www.linjiang.gov.cn/2.htm"),
                           None, actor=staff, now=now, working_days=3, calendar=load_work_calendar(),
                           store=services.FileStore("/nonexistent", 1))
    fields = catalogue.EntryFields("城市道路占用挖掘管理办法", PlannedTiming(now.year, quarter=2), consultation.id)
    entry = catalogue.add_entry(now.year, department.id, fields, "列入", actor=staff, now=now)
    catalogue.change_status(entry, ChangeKind.POSTPONED, "需补充论证", planned=PlannedTiming(now.year, quarter=4),
                            actor=staff, now=now)
    db.session.commit()
    return consultation, entry


EXPECTED_STATUS = {"not-found": 404, "unknown-address": 404, "receipt-lookup-unknown": 404}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "name",
    ["home", "list", "list-filtered", "detail-open", "detail-closed", "receipt", "receipt-lookup",
     "receipt-lookup-result", "receipt-lookup-unknown", "login", "not-found", "unknown-address",
     "detail-decided", "catalogue-years", "catalogue-year", "catalogue-empty-year"],
)
def test_public_page_has_no_serious_accessibility_violation(name, lang, public_pages, open_page,
                                                           check_accessibility):
    page = open_page(lang=lang)

    response = page.goto(public_pages[name])

    assert response.status == EXPECTED_STATUS.get(name, 200)
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh" else "en")
    check_accessibility(page, f"{name} ({lang})")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_comment_form_with_errors_has_no_serious_accessibility_violation(lang, open_consultation, open_page,
                                                                        check_accessibility):
    page = open_page(lang=lang, viewport=PHONE)
    page.goto(f"/consultations/{open_consultation.id}")

    page.locator("form.comment-form button[type=submit]").click()
    page.wait_for_load_state()

    expect(page.locator(".error-summary")).to_be_visible()  # the form first fetches its tokens, then posts
    check_accessibility(page, f"comment form with errors ({lang})")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_phone_sized_home_page_has_no_serious_accessibility_violation(lang, open_consultation, open_page,
                                                                     check_accessibility):
    page = open_page(lang=lang, viewport=PHONE)

    page.goto("/")

    check_accessibility(page, f"home on a phone ({lang})")


# ---- events (the citizen's pages) ----------------------------------------------------------------------


@pytest.fixture
def event_pages(campaign, department, now) -> dict[str, str]:
    """Each public events page with content: an agenda, an open and a full event, a private sign-up page."""
    from engage.events.registrations import services
    from engage.extensions import db
    from tests.fixtures.events import make_event

    event = make_event(campaign, department)
    full = make_event(campaign, department, title="区政府常务会议列席", capacity=1, requires_id_number=True)
    registration, token = services.register(event.id, services.SignUpInput("王阿姨", "13812345678", 2), now=now)
    services.register(full.id, services.SignUpInput("李四", "13812345679", 1, "11010519491231002X"), now=now)
    waiting, waiting_token = services.register(full.id, services.SignUpInput("赵五", "13812345670", 1,
                                                                              "11010519491231002X"), now=now)
    db.session.commit()
    return {
        "events": "/events/",
        "campaign": f"/events/campaigns/{campaign.id}",
        "campaign-filtered": f"/events/campaigns/{campaign.id}?kind=forum&seats_left=y",
        "event": f"/events/{event.id}",
        "event-full": f"/events/{full.id}",
        "confirmation": f"/events/sign-ups/{registration.code}/{token}",
        "waitlisted": f"/events/sign-ups/{waiting.code}/{waiting_token}",
        "lookup": "/events/lookup",
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["events", "campaign", "campaign-filtered", "event", "event-full", "confirmation",
                                  "waitlisted", "lookup"])
def test_events_page_has_no_serious_accessibility_violation(name, lang, event_pages, open_page, check_accessibility):
    page = open_page(lang=lang, viewport=PHONE)

    response = page.goto(event_pages[name])

    assert response.status == 200
    check_accessibility(page, f"{name} ({lang})")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sign_up_form_with_errors_has_no_serious_accessibility_violation(lang, open_event, open_page,
                                                                         check_accessibility):
    page = open_page(lang=lang, viewport=PHONE)
    page.goto(f"/events/{open_event.id}")

    page.locator("form.sign-up-form button[type=submit]").click()
    page.wait_for_load_state()

    expect(page.locator(".error-summary")).to_be_visible()  # the form first fetches its tokens, then posts
    check_accessibility(page, f"sign-up form with errors ({lang})")


# ---- proposal handling, public pages (proposals-public) ------------------------------------------------


@pytest.fixture
def proposal_pages(figures_cases) -> dict[str, str]:
    """The public proposal pages, on a session with every kind of case (reopened, unpublished reply...)."""
    return {
        "proposals-list": "/proposals/",
        "proposals-list-filtered": "/proposals/?q=电梯&status=rated",
        "proposals-list-empty": "/proposals/?q=不存在的词",
        "proposal-rated": f"/proposals/{figures_cases[0].id}",
        "proposal-reopened": f"/proposals/{figures_cases[1].id}",
        "proposal-unpublished-reply": f"/proposals/{figures_cases[4].id}",
        "proposal-registered": f"/proposals/{figures_cases[5].id}",
        "proposals-stats": "/proposals/stats",
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "name",
    ["proposals-list", "proposals-list-filtered", "proposals-list-empty", "proposal-rated", "proposal-reopened",
     "proposal-unpublished-reply", "proposal-registered", "proposals-stats"],
)
def test_public_proposal_page_has_no_serious_accessibility_violation(name, lang, proposal_pages, open_page,
                                                                    check_accessibility):
    page = open_page(lang=lang, viewport=PHONE)

    response = page.goto(proposal_pages[name])

    assert response.status == 200
    check_accessibility(page, f"{name} ({lang})")


@pytest.mark.parametrize("path", ["/proposals/", "/proposals/stats"])
def test_public_proposal_page_fits_a_phone_screen(path, figures_cases, open_page):
    page = open_page(lang="zh", viewport=PHONE)

    page.goto(path)

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
