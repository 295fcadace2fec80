"""A citizen on a phone: finds an event, signs up, downloads the calendar file, cancels; the waitlist moves up."""

import re

import icalendar
from playwright.sync_api import expect

from engage.events.models import Registration, RegistrationStatus
from engage.events.registrations import services
from engage.extensions import db
from tests.browser.conftest import PHONE, open_menu, writing
from tests.fixtures.events import make_event

CODE = re.compile(r"^[2-9A-HJ-NP-Z]{8}$")


def test_citizen_signs_up_on_a_phone_downloads_the_calendar_and_cancels(campaign, department, now, open_page,
                                                                      check_accessibility):
    event = make_event(campaign, department, title="走进市生态环境局", capacity=2)
    services.register(event.id, services.SignUpInput("李四", "13900000001", 1), now=now)
    db.session.commit()
    page = open_page(viewport=PHONE)

    page.goto("/")
    open_menu(page)
    page.get_by_role("link", name="Open days").click()
    page.get_by_role("link", name=campaign.title).click()
    page.get_by_role("link", name="走进市生态环境局").click()
    expect(page.locator(".event-facts")).to_contain_text("1 seat left")

    page.get_by_label("Mobile phone number").fill("138 1234 5678")
    page.get_by_label("Name").fill("王阿姨")
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You are signed up")
    code = page.locator(".receipt-large").inner_text().strip()
    assert CODE.match(code), code
    expect(page.locator(".qr-code img")).to_be_visible()
    # Nothing sticks out sideways on a 390 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download calendar file (.ics)").click()
    entry = icalendar.Calendar.from_ical(download_info.value.path().read_bytes()).walk("VEVENT")[0]
    assert str(entry["SUMMARY"]) == "走进市生态环境局" and code in str(entry["DESCRIPTION"])

    # Someone else finds the event full and joins the waitlist (while the sign-ups' SMS are being delivered).
    db.session.rollback()
    with writing():
        services.register(event.id, services.SignUpInput("赵五", "13900000002", 1), now=now)

    page.get_by_role("button", name="Cancel my sign-up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel this sign-up?")
    check_accessibility(page, "the question before cancelling")
    page.get_by_role("button", name="Yes, cancel my sign-up").click()
    expect(page.locator(".flash-success")).to_contain_text("Your sign-up is cancelled")
    expect(page.locator(".receipt-box")).to_contain_text("Cancelled")
    expect(page.get_by_role("button", name="Cancel my sign-up")).to_have_count(0)

    db.session.rollback()
    promoted = db.session.scalar(db.select(Registration).where(Registration.phone == "13900000002"))
    assert promoted.status == RegistrationStatus.CONFIRMED


def test_citizen_looks_up_a_sign_up_by_phone_and_code(open_event, now, open_page):
    registration, _token = services.register(open_event.id, services.SignUpInput("王阿姨", "13812345678", 2), now=now)
    db.session.commit()
    page = open_page(viewport=PHONE)

    page.goto("/events/lookup")
    page.get_by_label("Confirmation code").fill(registration.code.lower())
    page.get_by_label("Mobile phone number").fill("13812345678")
    page.locator("form.lookup-form button[type=submit]").click()

    expect(page.locator(".receipt-box")).to_contain_text(registration.code)
    expect(page.locator(".receipt-box")).to_contain_text("138****5678")
