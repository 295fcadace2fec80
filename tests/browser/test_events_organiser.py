"""An organiser at the door with a phone: finds the event, checks people in by code, sees refusals clearly."""

from playwright.sync_api import expect

from engage.events.models import Registration
from engage.extensions import db
from tests.browser.conftest import PHONE, writing
from tests.browser.test_staff import log_in

#: a 390 px phone at 150 % zoom (a larger text setting, as many elderly people use) lays pages out 260 px wide
PHONE_ZOOMED = {"width": 260, "height": 563}


def _sign_ups():
    return db.session.scalars(db.select(Registration).order_by(Registration.number)).all()


def test_organiser_checks_someone_in_on_a_phone(organiser, started_event, open_page):
    page = open_page(viewport=PHONE)
    log_in(page, organiser.email)
    pair = _sign_ups()[1]  # a party of two

    expect(page.get_by_role("heading", name="Events I organise")).to_be_visible()  # organisers land on their desk
    page.get_by_role("link", name="Check-in · " + started_event.title).click()
    code_input = page.get_by_label("Type or scan the confirmation code")
    expect(code_input).to_be_focused()  # a hardware scanner can type at once
    code_input.fill(pair.code.lower())
    code_input.press("Enter")

    expect(page.get_by_role("heading", name=pair.name)).to_be_visible()
    expect(page.get_by_text("2 people")).to_be_visible()
    page.get_by_role("button", name="Confirm check-in").click()
    expect(page.get_by_role("status")).to_contain_text(f"Checked in: {pair.name}")

    page.get_by_label("Type or scan the confirmation code").fill(pair.code)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Already checked in")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    db.session.rollback()  # end the test's read transaction, to see what the server committed
    assert db.session.get(Registration, pair.id).status == "attended"


def test_check_in_screen_is_accessible(organiser, started_event, open_page, check_accessibility):
    page = open_page(viewport=PHONE)
    log_in(page, organiser.email)
    page.goto(f"/staff/events/{started_event.id}/check-in")
    check_accessibility(page, "the check-in screen")
    page.get_by_label("Type or scan the confirmation code").fill(_sign_ups()[0].code)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Confirm check-in")).to_be_visible()
    check_accessibility(page, "the check-in confirmation")


def test_organiser_pages_are_accessible(organiser, started_event, open_page, check_accessibility):
    page = open_page()
    log_in(page, organiser.email)
    for path in ("", "/registrations", "/opinions"):
        page.goto(f"/staff/events/{started_event.id}{path}")
        check_accessibility(page, path or "the event overview")


def test_attendee_gives_an_opinion_and_reads_the_feedback(app, organiser, started_event, open_page,
                                                          check_accessibility):
    from engage.core.timeutil import utcnow
    from engage.events.opinions import rules as opinion_rules
    from engage.events.opinions import services as opinion_services

    now = utcnow()
    with writing():  # the sign-ups' SMS are being delivered meanwhile
        questionnaire = opinion_services.ensure_questionnaire(started_event, actor=organiser, now=now)
        for spec in (opinion_rules.QuestionSpec("rating", "总体评价", is_required=True),
                     opinion_rules.QuestionSpec("free_text", "意见建议")):
            opinion_services.add_question(questionnaire, started_event, spec, actor=organiser, now=now)
        opinion_services.set_open(questionnaire, started_event, True, actor=organiser, now=now)
    link = "/events/opinions/" + opinion_services.opinion_token(_sign_ups()[0], app.config["SECRET_KEY"])

    page = open_page(viewport=PHONE)
    page.goto(link)
    check_accessibility(page, "the attendee's questionnaire")
    page.get_by_label("4").check()
    page.get_by_label("意见建议").fill("希望增加周末场次")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you!")

    db.session.rollback()  # see what the server committed
    with writing():
        item = opinion_services.opinions(questionnaire)[0]
        opinion_services.answer_opinions(questionnaire, started_event, [item.id], "", "adopted", "",
                                         actor=organiser, now=now)
        opinion_services.publish_feedback(questionnaire, started_event, "", actor=organiser, now=now)
    page.goto(f"/events/{started_event.id}/feedback")
    expect(page.get_by_role("heading", name="希望增加周末场次")).to_be_visible()
    check_accessibility(page, "the feedback page")
    page.goto("/events/opinions/find")
    check_accessibility(page, "the questionnaire finder")


def test_feedback_page_does_not_scroll_sideways_on_a_zoomed_phone(organiser, started_event, open_page):
    from engage.core.timeutil import utcnow
    from engage.events.opinions import rules as opinion_rules
    from engage.events.opinions import services as opinion_services

    now = utcnow()
    with writing():  # the sign-ups' SMS are being delivered meanwhile
        questionnaire = opinion_services.ensure_questionnaire(started_event, actor=organiser, now=now)
        question = opinion_services.add_question(questionnaire, started_event,
                                                 opinion_rules.QuestionSpec("free_text", "意见建议"), actor=organiser,
                                                 now=now)
        opinion_services.set_open(questionnaire, started_event, True, actor=organiser, now=now)
        opinion_services.submit_response(_sign_ups()[0], {question.id: "希望增加周末场次"}, now=now)
        item = opinion_services.opinions(questionnaire)[0]
        opinion_services.answer_opinions(questionnaire, started_event, [item.id], "", "partly_adopted", "每月开放一次",
                                         actor=organiser, now=now)
        opinion_services.publish_feedback(questionnaire, started_event, "", actor=organiser, now=now)

    page = open_page(viewport=PHONE_ZOOMED)
    page.goto(f"/events/{started_event.id}/feedback")
    expect(page.get_by_role("heading", name="希望增加周末场次")).to_be_visible()
    # The outcome chart's table for screen readers is hidden: its width must not widen the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_ZOOMED["width"]
