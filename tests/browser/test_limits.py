"""The server's limits on the tablet, in real Chromium: a change that breaks one (a note too
long, a name too long, a return before the report, an interview before the child came back) is
refused before it is queued, with no signal, the server's own message shown on the field in the
worker's language, and nothing waits in the outbox. The limits are the server's: changed there,
the tablet follows after a sync."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.cases.models import Child, MissingEpisode
from app.interviews.models import InterviewAttempt
from tests.api.helpers import create_episode, create_interview
from tests.browser.steps import shorten_first_names
from tests.conftest import PASSWORD
from tests.sync.http_helpers import API, enrol

PASSCODE = "cod hir iawn 1"
CONDUCTED = "2026-03-03T14:30:00+00:00"
NOTE = "Dim ateb. " * 600  # 6,000 characters; the limit is 5,000
TOO_LONG_NOTE = {"English": "Use 5000 characters or fewer.",
                 "Cymraeg": "Defnyddiwch 5000 nod neu lai."}
NAME = "Gwenllian" * 13 + "Gwen"  # 121 characters; the limit is 120
TOO_LONG_NAME = {"English": "Use from 1 to 120 characters.",
                 "Cymraeg": "Defnyddiwch rhwng 1 a 120 nod."}
RETURN_FIRST = {"English": "The return must be after the report.",
                "Cymraeg": "Rhaid i'r amser dychwelyd fod ar ôl amser yr adroddiad."}
BEFORE_THE_RETURN = {"English": "The interview cannot be before the child returned.",
                     "Cymraeg": "Ni all y cyfweliad fod cyn i'r plentyn ddychwelyd."}
THERE_IS_A_PROBLEM = {"English": "There is a problem", "Cymraeg": "Mae problem"}

# How many records of a collection the tablet's IndexedDB holds (their keys are not secret:
# [user, collection, id]): the outbox is one such collection.
HELD = """async (collection) => new Promise((resolve) => {
  const request = indexedDB.open("adref");
  request.onsuccess = () => {
    const keys = request.result.transaction("records").objectStore("records").getAllKeys();
    keys.onsuccess = () => resolve(keys.result.filter((key) => key[1] === collection).length);
  };
})"""


# --- the steps (the browser tests' shared steps module is on its way: these are its kind) -------

def set_up_tablet(page, live_server, world, language):
    """Language, sign-in online, enrolment, passcode; then one sync, for the cases and the
    reference data (the limits among them)."""
    page.goto(live_server + "/app")
    page.get_by_role("button", name=language).click()
    page.get_by_role("link", name="Mewngofnodi" if language == "Cymraeg" else "Sign in").click()
    page.locator("#email").fill(world.worker.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form", has=page.locator("#email")).locator("button[type=submit]").click()
    page.locator("#passcode").fill(PASSCODE)
    page.locator("#passcode-again").fill(PASSCODE)
    page.locator("form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(
        "Eich plant" if language == "Cymraeg" else "Your children")
    sync_and_wait(page)


def sync_and_wait(page):
    """"Sync now", the sync over, and the screen drawn again after it."""
    page.locator("#sync-now").click()
    expect(page.locator("#sync-now")).to_be_enabled()
    expect(page.locator("#sync-status")).to_contain_text(re.compile("Last synced|Cysonwyd"))
    quiet(page)


def quiet(page):
    """Waits until the app has drawn nothing new for a moment."""
    last = None
    for _ in range(50):
        drawn = page.locator("main").get_attribute("data-drawn")
        if drawn == last:
            return
        last = drawn
        page.wait_for_timeout(300)
    raise AssertionError("the app kept drawing")


def drawn_after(page, action):
    """Does something, then waits until the app has drawn a screen (another, or the same again)
    for the address it shows."""
    before = page.locator("main").get_attribute("data-drawn") or ""
    action()
    expect(page.locator("main")).not_to_have_attribute("data-drawn", before)
    page.wait_for_function("""() => {
      const main = document.querySelector("main");
      return Boolean(main) && main.dataset.shown === location.hash;
    }""")


def go_to(page, address):
    drawn_after(page, lambda: page.evaluate("""(address) => {
      if (location.hash === address) window.dispatchEvent(new HashChangeEvent("hashchange"));
      else location.hash = address;
    }""", address))


def save(page):
    """The form's button; the screen it leads to (or the same again, with what is wrong) drawn."""
    drawn_after(page, lambda: page.locator("main form button[type=submit]").click())


def refused_on_the_field(page, field, message, language):
    """The message beside the field and in the summary at the top, and nothing queued."""
    expect(page.locator(f"#{field}-error")).to_have_text(message)
    expect(page.locator(".error-summary h2")).to_have_text(THERE_IS_A_PROBLEM[language])
    expect(page.locator(".error-summary")).to_contain_text(message)
    assert page.evaluate(HELD, "outbox") == 0


def switch_language(page, language):
    """The bar's button for the other language; the same screen drawn again in it."""
    drawn_after(page, lambda: page.locator("button.switch").click())
    expect(page.locator("html")).to_have_attribute("lang", "cy" if language == "Cymraeg" else "en")


def interview_of_cerys(world, as_person) -> dict:
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    return create_interview(worker, episode["id"], consent="accepted", conducted_at=CONDUCTED)


# --- the tests ----------------------------------------------------------------------------------

def test_a_note_too_long_is_refused_offline_in_welsh_and_in_english(
        live_server, context, world, session, as_person):
    interview = interview_of_cerys(world, as_person)
    page = context.new_page()
    set_up_tablet(page, live_server, world, "Cymraeg")
    context.set_offline(True)

    for language in ("Cymraeg", "English"):
        go_to(page, f"#/interviews/{interview['id']}/attempts/new")
        page.locator("#method").check()
        page.locator("#outcome").check()
        page.locator("#notes").fill(NOTE)
        save(page)
        refused_on_the_field(page, "notes", TOO_LONG_NOTE[language], language)
        # What the worker typed is still there, to shorten.
        expect(page.locator("#notes")).to_have_value(NOTE.strip())
        if language == "Cymraeg":
            switch_language(page, "English")

    assert page.evaluate(HELD, "attempts") == 0
    # Within the limit, it is saved and queued.
    page.locator("#notes").fill(NOTE[:5000].strip())
    save(page)
    expect(page.locator("h1")).to_have_text("Return interview with Cerys Test")
    assert page.evaluate(HELD, "outbox") == 1
    context.set_offline(False)
    sync_and_wait(page)
    session.expire_all()
    (attempt,) = session.scalars(select(InterviewAttempt)).all()
    assert attempt.notes == NOTE[:5000].strip()


def test_a_name_too_long_is_refused_and_the_limit_is_the_servers(
        live_server, context, world, session, monkeypatch):
    page = context.new_page()
    set_up_tablet(page, live_server, world, "English")
    context.set_offline(True)
    go_to(page, "#/children/new")
    page.locator("#given_name").fill(NAME)
    page.locator("#family_name").fill("Jones")
    save(page)
    refused_on_the_field(page, "given_name", TOO_LONG_NAME["English"], "English")
    switch_language(page, "Cymraeg")
    page.locator("#given_name").fill(NAME)
    page.locator("#family_name").fill("Jones")
    save(page)
    refused_on_the_field(page, "given_name", TOO_LONG_NAME["Cymraeg"], "Cymraeg")
    assert page.evaluate(HELD, "children") == 1  # Cerys alone

    # The server's limit changes (its schema says ten characters now): after the next sync the
    # tablet refuses what it accepted before, in the server's words.
    shorten_first_names(monkeypatch, 10)
    context.set_offline(False)
    sync_and_wait(page)
    context.set_offline(True)
    go_to(page, "#/children/new")
    page.locator("#given_name").fill("Gwenllïanna")  # eleven characters
    page.locator("#family_name").fill("Jones")
    save(page)
    refused_on_the_field(page, "given_name", "Defnyddiwch rhwng 1 a 10 nod.", "Cymraeg")
    session.expire_all()
    assert session.scalars(select(Child).where(Child.family_name == "Jones")).all() == []


def test_a_return_before_the_report_and_an_interview_before_the_return_are_refused(
        live_server, context, world, session, as_person):
    interview = interview_of_cerys(world, as_person)  # back on 2 March 2026, 08:00 UTC
    page = context.new_page()
    set_up_tablet(page, live_server, world, "English")
    context.set_offline(True)

    go_to(page, f"#/children/{world.child.id}/episodes/new")
    page.locator("#reported_missing_at").fill("2026-03-10T10:00")
    page.locator("#returned_at").fill("2026-03-09T22:00")
    save(page)
    refused_on_the_field(page, "returned_at", RETURN_FIRST["English"], "English")
    expect(page.locator("#returned_at")).to_have_value("2026-03-09T22:00")

    go_to(page, f"#/interviews/{interview['id']}/about")
    page.locator("#conducted_at").fill("2026-03-02T07:30")  # half an hour before the return
    save(page)
    refused_on_the_field(page, "conducted_at", BEFORE_THE_RETURN["English"], "English")
    switch_language(page, "Cymraeg")
    page.locator("#conducted_at").fill("2026-03-02T07:30")
    save(page)
    refused_on_the_field(page, "conducted_at", BEFORE_THE_RETURN["Cymraeg"], "Cymraeg")

    context.set_offline(False)
    sync_and_wait(page)
    session.expire_all()
    assert len(session.scalars(select(MissingEpisode)).all()) == 1


# The limits module on its own: the limits as served, a change, the record as held.
PROBLEMS = """async ({ limits, codeLists, language, cases }) => {
  const i18n = await import("/static/app/i18n.js");
  await i18n.loadCatalog(language, `/static/i18n/${language}.json`);
  const { problems } = await import("/static/app/limits.js");
  const own = (name) => limits.find((item) => item.collection === name);
  return cases.map(([collection, current, fields, ancestors]) =>
    problems(own(collection), current, fields, { ancestors: ancestors || {}, codeLists }));
}"""
INTERVIEW = "0190f1a2-0000-7000-8000-000000000001"
ATTEMPT = {"interview_id": INTERVIEW, "attempted_at": "2026-03-02T09:00:00.000Z",
           "method": "phone", "outcome": "no_answer"}


@pytest.fixture
def served_limits(app, world, as_person):
    tablet = enrol(app, as_person(world.worker))
    response = tablet.client.get(f"{API}/sync/reference", headers=tablet.headers)
    reference = response.json["reference"]
    return reference["limits"]["data"], reference["code_lists"]["data"]


def test_the_limits_module_checks_a_change_as_the_server_would(
        live_server, context, served_limits):
    limits, code_lists = served_limits
    page = context.new_page()
    page.goto(live_server + "/static/i18n/en.json")
    cases = [
        ["attempts", None, {**ATTEMPT, "notes": "n" * 5001}, None],
        # Characters as the server counts them: 5,000 emoji are 10,000 UTF-16 units.
        ["attempts", None, {**ATTEMPT, "notes": "\U0001F600" * 5000}, None],
        ["attempts", None, {"interview_id": INTERVIEW, "method": "carrier_pigeon"}, None],
        ["attempts", {**ATTEMPT, "id": "x"}, {"notes": "Ffoniais eto."}, None],
        ["children", None, {"given_name": "Gwen", "family_name": "Jones",
                            "preferred_language": "fr", "looked_after": None}, None],
        ["episodes", {"reported_missing_at": "2026-03-01T10:00:00+00:00"},
         {"returned_at": "2026-03-01T09:59:00+00:00"}, None],
        ["episodes", {"reported_missing_at": "2026-03-01T10:00:00+00:00"},
         {"returned_at": "2026-03-01T10:00:00+00:00"}, None],
        ["interviews", {"episode_id": INTERVIEW}, {"conducted_at": "2026-03-02T07:00:00Z"},
         {"episodes": {"returned_at": "2026-03-02T08:00:00+00:00"}}],
        ["interviews", {"episode_id": INTERVIEW}, {"offered_at": "2026-03-02T07:59:00Z"},
         {"episodes": {"returned_at": "2026-03-02T08:00:00+00:00"}}],
        # At the return is not before it; a change setting neither time is not refused for them.
        ["interviews", {"episode_id": INTERVIEW}, {"offered_at": "2026-03-02T08:00:00Z"},
         {"episodes": {"returned_at": "2026-03-02T08:00:00+00:00"}}],
        ["interviews", {"episode_id": INTERVIEW, "offered_at": "2026-03-01T08:00:00Z"},
         {"notes": "Nodyn"}, {"episodes": {"returned_at": "2026-03-02T08:00:00+00:00"}}],
        ["attempts", None, {**ATTEMPT, "attempted_at": "2026-03-02T07:00:00Z"},
         {"interviews": {"episode_id": INTERVIEW},
          "episodes": {"returned_at": "2026-03-02T08:00:00+00:00"}}],
        ["interviews", {"episode_id": INTERVIEW}, {"harms": ["unknown_harm"] + ["x"] * 50,
                                                   "local_answers": {"k" * 65: True}}, None],
    ]
    found = page.evaluate(PROBLEMS, {"limits": limits, "codeLists": code_lists,
                                     "language": "en", "cases": cases})
    assert found == [
        {"notes": ["Use 5000 characters or fewer."]},
        {},
        {"method": ["Unknown code: carrier_pigeon."], "attempted_at": ["This is required."],
         "outcome": ["This is required."]},
        {},
        {"preferred_language": ["Choose one of: cy, en."],
         "looked_after": ["This cannot be empty."]},
        {"returned_at": ["The return must be after the report."]},
        {},
        {"conducted_at": ["The interview cannot be before the child returned."]},
        {"offered_at": ["The offer must be after the child came back."]},
        {},
        {},
        {"attempted_at": ["The attempt must be after the child came back."]},
        {"harms": ["Use 50 characters or fewer."],
         "local_answers": ["Use 64 characters or fewer."]},
    ]
    welsh = page.evaluate(PROBLEMS, {"limits": limits, "codeLists": code_lists,
                                     "language": "cy", "cases": cases[:1] + cases[2:3]})
    assert welsh == [{"notes": ["Defnyddiwch 5000 nod neu lai."]},
                     {"method": ["Cod anhysbys: carrier_pigeon."],
                      "attempted_at": ["Mae angen hwn."], "outcome": ["Mae angen hwn."]}]
