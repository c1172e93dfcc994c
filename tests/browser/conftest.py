"""Real Chromium (Debian's, installed by `make test`) driven by Playwright, against the app
served on 127.0.0.1 (a secure context: service workers, IndexedDB and WebCrypto work there).
The steps a person takes are in steps.py; here, the fixtures made of them."""

import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.browser.steps import open_tablet

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


class RequestsInFlight:
    """Counts the requests the live server is answering, so that a test's end can wait for them:
    a page closed mid-sync leaves its last request running on the server, and the database must
    not be emptied under it."""

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.idle = threading.Condition()

    def __call__(self, environ, start_response):
        with self.idle:
            self.count += 1
        try:
            return list(self.app(environ, start_response))  # the whole answer, inside the count
        finally:
            with self.idle:
                self.count -= 1
                self.idle.notify_all()

    def wait_until_idle(self, timeout=30):
        with self.idle:
            assert self.idle.wait_for(lambda: self.count == 0, timeout), "the server stayed busy"


@pytest.fixture(scope="session")
def served_app(app):
    return RequestsInFlight(app)


@pytest.fixture(scope="session")
def live_server(served_app):
    server = make_server("127.0.0.1", 0, served_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    assert CHROMIUM.exists(), "Chromium is missing: `make test` installs Debian's chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser, served_app):
    opened = browser.new_context(viewport={"width": 1024, "height": 768})
    yield opened
    opened.close()
    served_app.wait_until_idle()


@pytest.fixture
def page(context):
    """A tab in the test's browser context."""
    return context.new_page()


@pytest.fixture
def tablet(page, live_server, world):
    """The worker's tablet, set up in English (signed in, enrolled, PASSCODE chosen) and synced:
    the page, open at the list of their children, with the signal on."""
    open_tablet(page, live_server, world)
    return page
