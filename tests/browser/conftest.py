"""Browser tests: Debian's chromium driven by Playwright against Engage served from a thread of this process.

The server runs the same app object as the ``app`` fixture, so every browser test runs once per database
and starts from an empty one. Without chromium (or axe-core for the accessibility tests) the tests skip on a
developer's machine and fail in CI (``CI=true``), where a missing browser must never pass unnoticed.
"""

import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from engage import jobs
from engage.core.engine import write_transactions
from engage.extensions import db
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
#: a small tablet: just wide enough (40rem) for tables instead of cards
TABLET = {"width": 660, "height": 900}
DESKTOP = {"width": 1280, "height": 900}
#: Playwright's default of 30 s hides a hung page for too long; our pages answer in milliseconds
TIMEOUT_MS = 10_000


@contextmanager
def writing():
    """Writes of the test's own while the server and the job runner write too, committed at the end.

    On SQLite a transaction that has read cannot wait for the write lock another connection took meanwhile: it
    fails at once ("database is locked"). So the test's transaction ends first, and the new one takes the write
    lock up front, waiting for the runner's job to commit, as the web workers do.
    """
    db.session.commit()
    with write_transactions():
        yield
        db.session.commit()


def open_menu(page):
    """On a phone the navigation folds behind the header's menu link: open it (nothing to do on a desktop)."""
    button = page.locator(".menu-button")
    if button.is_visible():
        button.click()


def screenshot(page, name: str) -> None:
    """Keep a full-page screenshot for a person to look at, when ENGAGE_SCREENSHOTS names a folder."""
    folder = os.environ.get("ENGAGE_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def turn_care_mode_on(page) -> None:
    """Set the care mode cookie for the whole site (as its switch does) and reload; care.css then applies."""
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    page.context.add_cookies([{"name": "care", "value": "on", "url": f"{origin}/"}])
    page.reload()
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 20  # care.css applies


@pytest.fixture(autouse=True)
def _browser_marker(request):
    # Every test under tests/browser counts as a browser test, even without decorating each one.
    request.node.add_marker(pytest.mark.browser)


class LiveServer:
    """Serves a Flask app with werkzeug's threaded server on a free port of 127.0.0.1."""

    def __init__(self, app):
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="live-server", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._thread.join(timeout=10)


class JobRunner:
    """Runs the queued jobs (the page's imports) from a thread, as ``flask jobs consume`` does beside gunicorn."""

    def __init__(self, app):
        self._app, self._stop = app, threading.Event()
        self._thread = threading.Thread(target=self._run, name="job-runner", daemon=True)

    def _run(self):
        while not self._stop.is_set():
            task = jobs.huey.dequeue()
            if task is None:
                self._stop.wait(0.05)
                continue
            with self._app.app_context():
                jobs.huey.execute(task)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)


@pytest.fixture(scope="session")
def _live_server(_migrated_app):
    server = LiveServer(_migrated_app).start()
    yield server
    server.stop()


@pytest.fixture
def _job_runner(app):
    runner = JobRunner(app)
    yield runner
    runner.stop()


@pytest.fixture
def served(app, _live_server, _job_runner):
    """The address of Engage served on the test database (emptied before each test, CSRF protection on)."""
    app.config["WTF_CSRF_ENABLED"] = True
    jobs.huey.flush()
    return _live_server


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # Jobs run only while a browser test runs (the other tests take them from the queue themselves), and only
    # once its fixtures are set up: on SQLite a fixture's transaction that read first cannot wait for the write
    # lock a job holds, so set-up and jobs must not overlap.
    runner = item.funcargs.get("_job_runner")
    if runner is not None:
        runner.start()
    return (yield)


@pytest.fixture(scope="session")
def _playwright():
    if not CHROMIUM.exists():
        skip_or_fail(f"chromium not found at {CHROMIUM}; install Debian's chromium package")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright Python package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def open_page(browser, served, request):
    """Open a page in a fresh browser context: ``open_page(lang="en", viewport=PHONE)``.

    ``lang`` sets the language cookie the switcher sets, so the interface is in that language. Anything the
    Content-Security-Policy blocks (an inline script or style that crept back) fails the test.
    """
    contexts = []
    blocked = []

    def record_csp_violation(message):
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    def open_(*, lang: str = "en", viewport: dict = DESKTOP):
        context = browser.new_context(viewport=viewport, base_url=served.url, locale="zh-CN")
        context.set_default_timeout(TIMEOUT_MS)
        context.add_cookies([{"name": "lang", "value": lang, "url": served.url}])
        contexts.append(context)
        new_page = context.new_page()
        new_page.on("console", record_csp_violation)
        return new_page

    yield open_
    for context in contexts:
        context.close()
    assert not blocked, "the Content-Security-Policy blocked:\n" + "\n".join(blocked)


@pytest.fixture
def page(open_page):
    """A desktop page with the interface in English."""
    return open_page()


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE_SCRIPT.exists():
        skip_or_fail(f"axe-core not found at {AXE_SCRIPT}; run `npm ci` (make test does)")
    return AXE_SCRIPT


def _describe(violation: dict) -> str:
    nodes = "\n".join(
        f"      {' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1].strip()}"
        for node in violation["nodes"][:5]
    )
    return f"  [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})\n{nodes}"


@pytest.fixture
def check_accessibility(axe_source):
    """Run axe-core on the page and fail on every serious or critical violation, listing them."""

    def check(page, what: str = ""):
        # Evaluated through the DevTools protocol: a <script> tag with axe inline would break our own CSP.
        page.evaluate(axe_source.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, f"axe found serious accessibility problems on {what or page.url}:\n" + "\n".join(
            _describe(v) for v in serious
        )

    return check
