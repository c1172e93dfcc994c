"""What a person does and sees in the browser tests, written once for every test module: setting
a tablet up, moving between screens, the accessibility check, and the check that a screen shows
nothing of the other language. A plain module (no tests here): test modules import from it, and
never from each other. The fixtures built on it are in conftest.py."""

import dataclasses
import functools
import json
import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pyotp
from babel import Locale
from babel.messages.pofile import read_po
from babel.support import Translations
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import object_session

from app.auth.models import Device
from app.auth.second_factor.models import SecondFactor
from app.cases.models import Child, MissingEpisode
from app.cases.schemas import ChildSchema
from app.i18n import CATALOG_DIR, date_locale
from app.interviews.models import InterviewAttempt, ReturnInterview
from app.syncing.collections import COLLECTIONS
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
LONDON = ZoneInfo("Europe/London")


# --- the accessibility check ----------------------------------------------------------------------

AXE = ROOT / ".cache/npm/node_modules/axe-core/axe.min.js"


def violations(page) -> list:
    """What axe-core objects to on the screen shown: (rule, impact, first three places)."""
    assert AXE.exists(), "axe-core is missing: `make test` installs it"
    # Run by the test's own channel, as the page's policy lets no script in but the app's files
    # (a script tag, as add_script_tag writes, would be refused).
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    found = page.evaluate("async () => (await axe.run()).violations")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found]


# --- what the server holds ------------------------------------------------------------------------

def device_of(session, person) -> Device:
    """The one tablet the person has set up, as the server holds it now."""
    session.expire_all()
    return session.scalars(select(Device).where(Device.person_id == person.id)).one()


def children_named(session, given) -> list[Child]:
    """The children of that first name the server holds now."""
    session.expire_all()
    return session.scalars(select(Child).where(Child.given_name == given)).all()


def episode_of(session, child) -> MissingEpisode:
    """The child's one missing episode, as the server holds it now."""
    session.expire_all()
    return session.scalars(select(MissingEpisode).where(MissingEpisode.child_id == child.id)).one()


def without_the_active_offer(session, child) -> None:
    """The child taken out of care on the server, for a flow that submits their interview from
    the tablet and is about something else: the server refuses a looked-after child's interview
    until its Active Offer of advocacy is recorded (tests/browser/test_what_follows.py records
    it on the tablet)."""
    child.looked_after = False
    session.commit()


def interview_of(session, child) -> ReturnInterview:
    """The return interview of the child's one missing episode, as the server holds it now."""
    episode = episode_of(session, child)
    return session.scalars(select(ReturnInterview).where(
        ReturnInterview.episode_id == episode.id)).one()


def attempts_of(session, interview) -> list[InterviewAttempt]:
    """The attempts to reach the young person the server holds for the interview."""
    return session.scalars(select(InterviewAttempt).where(
        InterviewAttempt.interview_id == interview.id)).all()


# --- opening the app, signing in, setting a tablet up ---------------------------------------------

PASSCODE = "a long passcode 1"


def open_the_app(page, live_server):
    """Opens the worker's app, which first offers its two languages."""
    page.goto(live_server + "/app")
    expect(page.get_by_role("button", name="Cymraeg")).to_be_visible()


def sign_in(page, person):
    """On the web's sign-in page: the person's email address and password, then the form's
    button (a person already signed in has a form to sign out too); then the second step when
    asked for one (supervisors and admins)."""
    page.locator("#email").fill(person.email)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form", has=page.locator("#email")).locator("button[type=submit]").click()
    path = urlsplit(page.url).path
    if path == "/sign-in/second-factor":
        enrol_second_factor(page)
    elif path == "/sign-in/code":
        give_code(page, person)


def enrol_second_factor(page):
    """On "Set up a second factor": the key typed into an app (here pyotp), its code, then the
    recovery codes' button."""
    secret = page.locator("#secret-key").inner_text().replace(" ", "")
    page.locator("#code").fill(pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]").click()
    expect(page.locator("ul.recovery-codes li")).to_have_count(10)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def give_code(page, person):
    """On "Enter your code": the code the person's app shows now. A person signs in once in a
    while, tests the same person many times a minute: the step last used is forgotten first,
    as each code is accepted once."""
    session = object_session(person)
    factor = session.get(SecondFactor, person.id, populate_existing=True)
    factor.last_step = None
    session.commit()
    page.locator("#code").fill(pyotp.TOTP(factor.secret).now())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


@contextmanager
def at_the_rescue_page(browser, live_server, supervisor):
    """The supervisor, signed in on a computer of their own, at the rescue page (which axe
    finds nothing wrong with)."""
    office = browser.new_context()
    try:
        desk = office.new_page()
        desk.goto(live_server + "/sign-in?lang=en&next=/review/rescue")
        sign_in(desk, supervisor)
        expect(desk.locator("h1")).to_have_text("Import a rescue file")
        assert violations(desk) == []
        yield desk
    finally:
        office.close()


def choose_passcode(page, passcode, again=None):
    """On "Choose a passcode": the passcode, then again (the same, unless `again` is another)."""
    page.locator("#passcode").fill(passcode)
    page.locator("#passcode-again").fill(passcode if again is None else again)
    page.locator("form button[type=submit]").click()


def try_passcode(page, passcode, button="Agor"):
    """On "Enter your passcode": the passcode, then the button to open the app."""
    page.locator("#passcode").fill(passcode)
    page.get_by_role("button", name=button).click()


def set_up_tablet(page, live_server, world, language="Cymraeg", passcode=PASSCODE):
    """The worker's whole set-up: language, sign-in online, enrolment, passcode. Ends on their
    list of children."""
    open_the_app(page, live_server)
    page.get_by_role("button", name=language).click()
    page.get_by_role("link", name="Mewngofnodi" if language == "Cymraeg" else "Sign in").click()
    sign_in(page, world.worker)
    choose_passcode(page, passcode)
    expect(page.locator("h1")).to_have_text(
        "Eich plant" if language == "Cymraeg" else "Your children")


def open_tablet(page, live_server, world):
    """A tablet set up in English by the worker, with PASSCODE, and synced once by hand."""
    set_up_tablet(page, live_server, world, language="English")
    sync_and_wait(page)
    expect(status(page)).to_contain_text("Last synced")


# --- reading the screen, and what a copy of the tablet's storage shows ----------------------------

# Everything the tablet's IndexedDB holds, in every store (the sealed copies too), as text, the
# encrypted parts read as if they were text: what someone who copied the tablet's storage would see.
RAW_STORAGE = """async () => new Promise((resolve) => {
  const request = indexedDB.open("adref");
  request.onsuccess = () => {
    const db = request.result;
    const tx = db.transaction([...db.objectStoreNames]);
    const found = [];
    const text = (value) => value instanceof Uint8Array
      ? new TextDecoder("utf-8", {fatal: false}).decode(value) : "";
    for (const name of db.objectStoreNames) {
      tx.objectStore(name).getAll().onsuccess = (e) => found.push(...e.target.result.map(
        (r) => JSON.stringify(r) + Object.values(r).map(text).join("")));
    }
    tx.oncomplete = () => { db.close(); resolve(found.join("\\n")); };
  };
})"""

# A JSON Web Token as the tablet is given one: a header and claims, each base64 of a JSON object,
# so each begins "eyJ". Looking for the two together, not for "eyJ" alone: three chosen letters
# turn up by chance in the encrypted megabytes read as text about once in fifty runs.
TOKEN_IN_PLAIN = re.compile(r"eyJ[\w-]{8,}\.eyJ[\w-]{8,}")


def holds_no_token(raw: str) -> bool:
    return TOKEN_IN_PLAIN.search(raw) is None and "access_token" not in raw


def heading(page, text):
    """A heading of exactly that text is shown."""
    expect(page.get_by_role("heading", name=text, exact=True)).to_be_visible()


def children_listed(page):
    """The names in the worker's list of children."""
    return page.locator("ul.children li a")


def status(page):
    """The status bar: online or offline, the changes waiting to be sent, the last sync."""
    return page.locator("#sync-status")


def waiting(count: int) -> str:
    """The status bar's count of changes waiting, in English."""
    return f"{count} change waiting to be sent" if count == 1 else \
        f"{count} changes waiting to be sent"


# --- moving between screens -----------------------------------------------------------------------

def screen_drawn(page):
    """Waits until the screen for the page's current address has been drawn (read in one go in
    the page, so an address changing meanwhile cannot be missed)."""
    page.wait_for_function("""() => {
      const main = document.querySelector("main");
      return Boolean(main) && main.dataset.shown === location.hash;
    }""")


def drawn_after(page, action):
    """Does something, then waits until the app has drawn a screen (another, or the same again)."""
    before = page.locator("main").get_attribute("data-drawn") or ""
    action()
    expect(page.locator("main")).not_to_have_attribute("data-drawn", before)


def click(page, role, name, exact=True):
    """Clicks, then waits for the screen it leads to (or the same one, redrawn)."""
    drawn_after(page, lambda: page.get_by_role(role, name=name, exact=exact).click())


def go_to(page, address):
    """Goes to an address of the app (drawn again if it is the one shown), and waits for it."""
    drawn_after(page, lambda: page.evaluate("""(address) => {
      if (location.hash === address) window.dispatchEvent(new HashChangeEvent("hashchange"));
      else location.hash = address;
    }""", address))
    screen_drawn(page)


def continue_on(page):
    """"Save and continue", and the next screen of the interview drawn."""
    address = page.url
    page.get_by_role("button", name="Save and continue").click()
    expect(page).not_to_have_url(address)
    screen_drawn(page)


# --- syncing --------------------------------------------------------------------------------------

PUSH = "**/api/v1/sync/push*"


def sync_and_wait(page):
    """"Sync now", and the sync over."""
    page.locator("#sync-now").click()
    expect(page.locator("#sync-now")).to_be_enabled()
    expect(status(page)).not_to_contain_text("Fetching")


def push_fails(page):
    """Around what is done inside it: waits for a push that fails on its way."""
    return page.expect_event("requestfailed", lambda r: r.url.endswith("/sync/push"))


def held_request(page, held, number=1, what="request"):
    """Waits (ten seconds at most) for the request of that number to be held on its way, by a
    route that keeps it in `held`, and gives it."""
    for _ in range(200):
        if len(held) >= number:
            return held[number - 1]
        page.wait_for_timeout(50)
    raise AssertionError(f"{what} number {number} never came")


# --- the server's limits changed -----------------------------------------------------------------

def shorten_first_names(monkeypatch, most: int) -> None:
    """The server's limit on a child's first name is `most` characters from now on (its schema
    says so; the collection is registered again with it), until the test ends."""
    shorter = ChildSchema()
    monkeypatch.setattr(shorter.fields["given_name"], "validators",
                        [type(shorter.fields["given_name"].validators[0])(min=1, max=most)])
    monkeypatch.setitem(COLLECTIONS, "children",
                        dataclasses.replace(COLLECTIONS["children"], schema=shorter))


# --- a child, a missing episode, an interview -----------------------------------------------------

def london_input(moment: datetime) -> str:
    """The moment as a datetime-local field shows it: the wall time in London."""
    return moment.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")


def add_child(page, given, family="Test"):
    """From the list of children: a child added, and their page shown."""
    go_to(page, "#/")
    click(page, "link", "Add a child")
    page.locator("#given_name").fill(given)
    page.locator("#family_name").fill(family)
    click(page, "button", "Save")
    expect(page.locator("h1")).to_have_text(f"{given} {family}")


def enter_the_return(page):
    """On the missing episode's form: reported 30 hours ago, came back 20 hours ago; saved."""
    now = datetime.now(UTC)
    page.locator("#reported_missing_at").fill(london_input(now - timedelta(hours=30)))
    page.locator("#returned_at").fill(london_input(now - timedelta(hours=20)))
    page.get_by_label("Came back").check()
    click(page, "button", "Save")
    expect(page.locator(".episodes .clock")).to_have_text("Interview due within 52 hours")


def add_returned_episode(page):
    """On a child's page: a missing episode added, the child back 20 hours ago."""
    click(page, "link", "Add a missing episode")
    enter_the_return(page)


def start_interview(page, child):
    """On the child's page, with the episode: the return interview started."""
    click(page, "button", "Start the return interview")
    expect(page.locator("h1")).to_have_text(f"Return interview with {child}")


def record_offer(page):
    """On the interview: the offer of an interview recorded."""
    click(page, "link", "Record the offer")
    click(page, "button", "Save")
    expect(page.get_by_text("Offered on")).to_be_visible()


def start_an_interview_with_cerys(page):
    """From the list of children: Cerys's page, a missing episode she came back from, and her
    return interview started and offered. Ends on the interview."""
    page.get_by_role("link", name="Cerys Test").click()
    expect(page.locator("h1")).to_have_text("Cerys Test")
    add_returned_episode(page)
    start_interview(page, "Cerys Test")
    record_offer(page)


def agree_to_talk_at_the_placement(page):
    """On the interview: the young person agreed to talk, at their placement; "About you" left as
    it is. Ends on the first question."""
    click(page, "link", "Record their answer")
    page.get_by_label("Yes, they agreed to talk").check()
    continue_on(page)
    page.get_by_label("Placement", exact=True).check()
    continue_on(page)
    continue_on(page)  # About you


# --- one language at a time -----------------------------------------------------------------------

QUESTIONNAIRE = json.loads((ROOT / "app/questionnaires/data/return-interview-v1.json").read_text())
CODE_LISTS = json.loads((ROOT / "app/codelists/data/codelists.json").read_text())["lists"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
# The screen's text, leaving out what is marked as the other language (the language switch).
SHOWN_TEXT = """(language) => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll("[lang]").forEach((part) => { if (part.lang !== language) part.remove(); });
  copy.querySelectorAll("script, style, noscript").forEach((part) => part.remove());
  return copy.innerText;
}"""


def translations(language):
    return Translations.load(str(CATALOG_DIR), [language])


def content_pairs():
    """(Welsh, English) of every question, hint, screen title and code-list label."""
    pairs = []
    for part in QUESTIONNAIRE["parts"]:
        for screen in part["screens"]:
            pairs.append(screen["title"])
            for question in screen["questions"]:
                pairs += [question["label"], *([question["hint"]] if "hint" in question else [])]
    for listed in CODE_LISTS.values():
        pairs += [{"cy": item["cy"], "en": item["en"]} for item in listed["items"]]
    return [(pair["cy"], pair["en"]) for pair in pairs]


def po_catalog(language):
    """The language's catalog as its translators keep it (messages.po)."""
    with (CATALOG_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def read_catalog(language):
    return {message.id: message.string for message in po_catalog(language) if message.id}


def catalog_pairs():
    """(Welsh, English) of every interface message; each Welsh plural form against English."""
    cy, en = read_catalog("cy"), read_catalog("en")
    pairs = []
    for msgid, welsh in cy.items():
        english = en.get(msgid) or msgid
        if isinstance(welsh, tuple):
            english = english if isinstance(english, tuple) and all(english) else msgid
            pairs += [(form, english[-1]) for form in welsh] + [(welsh[1], english[0])]
        else:
            pairs.append((welsh, english))
    return pairs


def calendar_pairs():
    """Day and month names as dates show them (British English, as the app writes dates)."""
    cy, en = Locale.parse("cy"), Locale.parse(date_locale("en"))
    return [(cy.days["format"]["wide"][day], en.days["format"]["wide"][day]) for day in range(7)] + [
        (cy.months["format"]["wide"][month], en.months["format"]["wide"][month])
        for month in range(1, 13)]


def fragments(text):
    """Pieces of a message long enough to tell the languages apart, without its placeholders."""
    return [piece.strip(" .,:·?") for piece in PLACEHOLDER.split(text) if len(piece.strip(" .,:·?")) >= 2]


@functools.cache
def foreign_strings(language):
    """Every piece of text in the other language that differs from this language's own (a word
    both languages write alike, "person" say, is no leak wherever it shows)."""
    index = 1 if language == "cy" else 0  # the other language's side of each pair
    pairs = catalog_pairs() + content_pairs() + calendar_pairs()
    own = {piece for pair in pairs for piece in fragments(pair[1 - index])}
    found = set()
    for pair in pairs:
        if pair[0] == pair[1]:
            continue
        for piece in fragments(pair[index]):
            if piece and piece not in own:
                found.add(piece)
    return frozenset(found)


def assert_only(page, language):
    """No string of the other language on this screen, and nothing axe objects to."""
    shown = page.evaluate(SHOWN_TEXT, language)
    leaks = sorted(piece for piece in foreign_strings(language)
                   if re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", shown))
    assert leaks == [], f"{language} screen shows: {leaks}\n---\n{shown}"
    assert violations(page) == []


class Walk:
    """The worker's steps, in the words of the language chosen."""

    def __init__(self, page, language):
        self.page, self.language = page, language
        self.t = translations(language).gettext

    def code(self, list_name, code):
        item = next(i for i in CODE_LISTS[list_name]["items"] if i["code"] == code)
        return item[self.language]

    def question(self, question_id):
        for part in QUESTIONNAIRE["parts"]:
            for screen in part["screens"]:
                for question in screen["questions"]:
                    if question["id"] == question_id:
                        return question["label"][self.language]
        raise KeyError(question_id)

    def click(self, role, message):
        """Clicks, in the words of the language, then waits for the screen it leads to."""
        click(self.page, role, self.t(message))

    def drawn(self):
        screen_drawn(self.page)
        assert_only(self.page, self.language)

    def step(self, role, message):
        """Clicks, in the words of the language, and checks the screen it leads to."""
        self.click(role, message)
        self.drawn()

    def next_screen(self):
        self.step("button", "Save and continue")
