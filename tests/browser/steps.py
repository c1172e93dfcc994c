"""What a person does and sees in the browser tests, written once for every test module: setting
a tablet up, moving between screens, the accessibility check, and the check that a screen shows
nothing of the other language. A plain module (no tests here): test modules import from it, and
never from each other. The fixtures built on it are in conftest.py."""

import functools
import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.messages.pofile import read_po
from babel.support import Translations
from playwright.sync_api import expect

from app.i18n import CATALOG_DIR, date_locale
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
LONDON = ZoneInfo("Europe/London")


# --- the accessibility check ----------------------------------------------------------------------

AXE = ROOT / ".cache/npm/node_modules/axe-core/axe.min.js"


def violations(page) -> list:
    """What axe-core objects to on the screen shown: (rule, impact, first three places)."""
    assert AXE.exists(), "axe-core is missing: `make test` installs it"
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run()).violations")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found]


# --- setting up and opening a tablet --------------------------------------------------------------

# Everything the tablet's IndexedDB holds, as text, the encrypted parts read as if they were text:
# what someone who copied the tablet's storage would see.
RAW_STORAGE = """async () => new Promise((resolve) => {
  const request = indexedDB.open("adref");
  request.onsuccess = () => {
    const tx = request.result.transaction(["records", "vaults"]);
    const found = [];
    const text = (bytes) => new TextDecoder("utf-8", {fatal: false}).decode(bytes);
    tx.objectStore("records").getAll().onsuccess = (e) =>
      found.push(...e.target.result.map((r) => JSON.stringify(r) + text(r.sealed)));
    tx.objectStore("vaults").getAll().onsuccess = (e) =>
      found.push(...e.target.result.map((v) => JSON.stringify(v) + text(v.wrapped)));
    tx.oncomplete = () => resolve(found.join("\\n"));
  };
})"""


def set_up_tablet(page, live_server, world, language="Cymraeg", passcode="cod hir iawn 1"):
    """The whole set-up: language, sign-in online, enrolment, passcode."""
    page.goto(live_server + "/app")
    page.get_by_role("button", name=language).click()
    page.get_by_role("link", name="Mewngofnodi" if language == "Cymraeg" else "Sign in").click()
    page.locator("#email").fill(world.worker.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.locator("#passcode").fill(passcode)
    page.locator("#passcode-again").fill(passcode)
    page.locator("form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(
        "Eich plant" if language == "Cymraeg" else "Your children")


def try_passcode(page, passcode, button="Agor"):
    page.locator("#passcode").fill(passcode)
    page.get_by_role("button", name=button).click()


# --- moving between screens -----------------------------------------------------------------------

def london_input(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")


def sync_and_wait(page, label="Sync now"):
    page.locator("#sync-now").click()
    expect(page.locator("#sync-now")).to_be_enabled()
    expect(page.locator("#sync-status")).not_to_contain_text("Fetching")


def screen_drawn(page):
    """Waits until the screen for the page's current address has been drawn (read in one go in
    the page, so an address changing meanwhile cannot be missed)."""
    page.wait_for_function("""() => {
      const main = document.querySelector("main");
      return Boolean(main) && main.dataset.shown === location.hash;
    }""")


def continue_on(page):
    address = page.url
    page.get_by_role("button", name="Save and continue").click()
    expect(page).not_to_have_url(address)
    screen_drawn(page)


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


def read_catalog(language):
    with (CATALOG_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {message.id: message.string for message in read_po(handle, locale=language)
                if message.id}


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
    """Every piece of text in the other language that differs from this language's own."""
    index = 1 if language == "cy" else 0  # the other language's side of each pair
    found = set()
    for pair in catalog_pairs() + content_pairs() + calendar_pairs():
        if pair[0] == pair[1]:
            continue
        for piece in fragments(pair[index]):
            if piece and piece not in fragments(pair[1 - index]):
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
        """Clicks, then waits for the screen it leads to (or the same one, redrawn)."""
        before = self.page.locator("main").get_attribute("data-drawn")
        self.page.get_by_role(role, name=self.t(message), exact=True).click()
        expect(self.page.locator("main")).not_to_have_attribute("data-drawn", before or "")

    def drawn(self):
        screen_drawn(self.page)
        assert_only(self.page, self.language)

    def next_screen(self):
        self.click("button", "Save and continue")
        self.drawn()
