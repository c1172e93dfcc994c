"""The app under its content security policy, in Chromium: a tablet set up and an interview drawn,
and a supervisor's review of an interview, with not one thing refused by the policy and nothing
said in the console; and the policy in force, so that silence means something."""

import pytest
from playwright.sync_api import expect

from tests.browser.steps import open_tablet, sign_in, start_an_interview_with_cerys
from tests.review.conftest import tell_interview

# Every page of the context reports what the policy refused, to the test, as soon as it happens.
REPORT_REFUSALS = """document.addEventListener("securitypolicyviolation", (event) =>
  window.policyRefused(`${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
                       + ` in ${event.sourceFile}:${event.lineNumber}`));"""

ANSWERED = "Failed to load resource: the server responded with a status of"


class Watch:
    """What the policy refused (securitypolicyviolation), what the pages said in their console as
    an error or a warning (Chromium says there too what the policy refused), but for the
    server's answers, and any uncaught error."""

    def __init__(self, context):
        self.refused, self.said = [], []
        context.expose_binding("policyRefused", lambda source, text: self.refused.append(text))
        context.add_init_script(REPORT_REFUSALS)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.said.append(f"uncaught: {error.error}"))

    def _console(self, message):
        # An answer of 401 or 404 is said too (the app asks who is signed in before anyone is;
        # the web's pages have no /favicon.ico): the server answered, nothing was refused.
        if message.text.startswith(ANSWERED):
            return
        if message.type in {"error", "warning"}:
            self.said.append(f"{message.type}: {message.text} ({message.location['url']})")


@pytest.fixture
def watch(context):
    return Watch(context)


def test_a_tablet_is_set_up_and_an_interview_drawn_with_nothing_refused(watch, page,
                                                                         live_server, world):
    open_tablet(page, live_server, world)
    start_an_interview_with_cerys(page)
    expect(page.locator("h1")).to_have_text("Return interview with Cerys Test")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    assert watch.refused == []
    assert watch.said == []


def test_a_supervisor_reads_an_interview_with_nothing_refused(watch, page, live_server, world,
                                                              as_person):
    tell_interview(as_person(world.worker), given="Gwenllïan", family="Prŷs")
    page.goto(live_server + "/review/?lang=en")
    sign_in(page, world.supervisor)
    expect(page.locator("h1")).to_have_text("Interviews")
    page.get_by_role("link", name="Gwenllïan Prŷs").click()
    expect(page.locator("h1")).to_contain_text("Gwenllïan Prŷs")
    assert watch.refused == []
    assert watch.said == []


def test_the_policy_is_in_force(watch, page, live_server):
    """An inline script, an inline style and a script of another site, written into a page as an
    attacker's markup would be: none runs or applies, and each refusal is seen."""
    page.goto(live_server + "/")
    page.evaluate("""() => {
      const inline = document.createElement("script");
      inline.textContent = "window.ranInline = true";
      document.body.append(inline);
      const style = document.createElement("style");
      style.textContent = "body { display: none }";
      document.head.append(style);
      const remote = document.createElement("script");
      remote.src = "https://example.org/attack.js";
      document.body.append(remote);
    }""")
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate("window.ranInline") is None
    for _ in range(50):  # the refusals come to the test a moment after they happen
        if len(watch.refused) >= 3:
            break
        page.wait_for_timeout(100)
    directives = sorted(text.split(" ")[0] for text in watch.refused)
    assert directives == ["script-src-elem", "script-src-elem", "style-src-elem"]
    assert any("Content Security Policy" in text for text in watch.said)
