"""Check-in by the phone's camera: the scanner script loads under the site's CSP, reads a QR code from Chromium's
fake camera and looks the code up; without a camera, typing the code still works, in both languages."""

import pytest
import qrcode
from playwright.sync_api import expect

from engage.events.models import Registration
from engage.extensions import db
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, TIMEOUT_MS, screenshot
from tests.browser.test_staff import log_in

SCAN = {"en": "Scan the QR code with the camera", "zh": "用摄像头扫描二维码"}
CODE_LABEL = {"en": "Type or scan the confirmation code", "zh": "输入或扫描确认码"}
CONFIRM = {"en": "Confirm check-in", "zh": "确认签到"}


def _first_sign_up() -> tuple[str, str]:
    """(code, name) of the first sign-up, read in a transaction that ends at once: on SQLite a read left open
    in the test would make the server's writes (the login) wait and fail."""
    first = db.session.scalars(db.select(Registration).order_by(Registration.number)).first()
    code, name = first.code, first.name
    db.session.rollback()
    return code, name


def write_qr_video(path, text: str, *, width: int = 640, height: int = 480, frames: int = 10) -> None:
    """A Y4M video (what Chromium's fake camera plays) of a black-on-white QR code of ``text``."""
    matrix = qrcode.QRCode(border=4, box_size=1)
    matrix.add_data(text)
    modules = matrix.get_matrix()
    scale = min(width, height) * 3 // 4 // len(modules)
    left, top = (width - scale * len(modules)) // 2, (height - scale * len(modules)) // 2
    luma = bytearray([235]) * (width * height)
    for row, cells in enumerate(modules):
        for column, dark in enumerate(cells):
            if dark:
                for y in range(top + row * scale, top + (row + 1) * scale):
                    start = y * width + left + column * scale
                    luma[start:start + scale] = bytes([16]) * scale
    chroma = bytes([128]) * (width * height // 4)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


def _open_check_in(page, organiser, event, lang: str) -> None:
    log_in(page, organiser.email)  # the login form's labels are English: the language is chosen after
    page.context.add_cookies([{"name": "lang", "value": lang, "url": page.url}])
    page.goto(f"/staff/events/{event.id}/check-in")


@pytest.fixture
def camera_browser(_playwright, tmp_path, started_event):
    """A Chromium whose camera films the QR code of the first sign-up's confirmation code."""
    video = tmp_path / "qr.y4m"
    write_qr_video(video, _first_sign_up()[0])
    browser = _playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
        *CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    yield browser
    browser.close()


@pytest.fixture
def phone_page(served):
    """``phone_page(browser, permissions=[...])``: a phone-sized page and the console errors it logs."""
    contexts = []

    def open_(browser, *, permissions=()):
        context = browser.new_context(viewport=PHONE, base_url=served.url, permissions=list(permissions))
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        problems = []
        page.on("console", lambda message: problems.append(message.text)
                if "Content Security Policy" in message.text or message.type == "error" else None)
        return page, problems

    yield open_
    for context in contexts:
        context.close()
    db.session.rollback()  # end the test's read transaction before the next test writes


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_camera_reads_the_code_and_finds_the_sign_up(lang, camera_browser, phone_page, organiser, started_event,
                                                        check_accessibility):
    _code, name = _first_sign_up()  # read before the server works: nothing of the test's is open meanwhile
    page, problems = phone_page(camera_browser, permissions=["camera"])
    _open_check_in(page, organiser, started_event, lang)
    check_accessibility(page, f"check-in with the camera button ({lang})")
    page.get_by_role("button", name=SCAN[lang]).click()
    # decoding frames is the slow part on a busy machine: give it longer than a page load
    expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=3 * TIMEOUT_MS)
    expect(page.get_by_role("button", name=CONFIRM[lang])).to_be_visible()
    screenshot(page, f"check-in-scanned-{lang}")
    assert not problems, problems


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_the_camera_the_code_is_typed(lang, browser, phone_page, organiser, started_event,
                                              check_accessibility):
    code, _name = _first_sign_up()
    page, problems = phone_page(browser)  # no camera permission: the page says so and keeps the field
    _open_check_in(page, organiser, started_event, lang)
    scan = page.get_by_role("button", name=SCAN[lang])
    expect(scan).to_be_visible()  # the scanner script loaded (the CSP lets this site's own scripts run)
    scan.click()
    expect(page.locator(".scan-status")).not_to_be_empty()
    expect(scan).to_be_visible()  # ready to try again, and nothing left to stop
    expect(page.locator(".scan-stop")).to_be_hidden()
    expect(page.locator(".scan-video")).to_be_hidden()
    expect(page.get_by_label(CODE_LABEL[lang])).to_be_focused()
    screenshot(page, f"check-in-no-camera-{lang}")
    check_accessibility(page, f"check-in without a camera ({lang})")
    page.get_by_label(CODE_LABEL[lang]).fill(code)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=CONFIRM[lang])).to_be_visible()
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_without_javascript_the_camera_button_stays_hidden(browser, served, organiser, started_event):
    context = browser.new_context(viewport=PHONE, base_url=served.url, java_script_enabled=False)
    page = context.new_page()
    _open_check_in(page, organiser, started_event, "en")
    expect(page.get_by_role("button", name=SCAN["en"])).to_be_hidden()
    expect(page.get_by_label(CODE_LABEL["en"])).to_be_visible()
    context.close()
