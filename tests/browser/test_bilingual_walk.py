"""The whole worker flow walked in Welsh, from the active offer to a synced interview, and again
in English. On every screen: no string of the other language (checked against every message of
the catalogs and every question and code-list label), and no accessibility violation."""

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from babel.support import Translations
from playwright.sync_api import expect
from sqlalchemy import select

from app.auth.models import Person
from app.cases.models import MissingEpisode
from app.i18n import CATALOG_DIR, date_locale
from app.interviews.models import ReturnInterview
from tests.browser.test_accessibility import violations
from tests.browser.test_capture_flow import london_input, screen_drawn
from tests.browser.test_tablet_setup import set_up_tablet
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
QUESTIONNAIRE = json.loads((ROOT / "app/questionnaires/data/return-interview-v1.json").read_text())
CODE_LISTS = json.loads((ROOT / "app/codelists/data/codelists.json").read_text())["lists"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
OTHER = {"cy": "en", "en": "cy"}
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
    return found


FOREIGN = {language: foreign_strings(language) for language in ("cy", "en")}


def assert_only(page, language):
    """No string of the other language on this screen, and nothing axe objects to."""
    shown = page.evaluate(SHOWN_TEXT, language)
    leaks = sorted(piece for piece in FOREIGN[language]
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


@pytest.mark.parametrize("language", ["cy", "en"])
def test_the_whole_flow_in_one_language(live_server, context, world, session, language):
    page = context.new_page()
    walk = Walk(page, language)
    page.goto(live_server + "/app")
    page.get_by_role("button", name="Cymraeg" if language == "cy" else "English").click()
    expect(page.locator("h1")).to_have_text(walk.t("Set up this tablet"))
    assert_only(page, language)
    page.get_by_role("link", name=walk.t("Sign in"), exact=True).click()
    page.locator("#email").fill(world.worker.email)
    page.locator("#password").fill(PASSWORD)
    assert_only(page, language)
    page.locator("form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(walk.t("Choose a passcode"))
    assert_only(page, language)
    for field in ("#passcode", "#passcode-again"):
        page.locator(field).fill("cod hir iawn 1")
    page.locator("form button[type=submit]").click()
    expect(page.locator("ul.children li a")).to_have_text(["Cerys Test"])
    walk.drawn()

    page.context.set_offline(True)
    page.get_by_role("link", name="Cerys Test").click()
    walk.drawn()
    walk.click("link", "Add a missing episode")
    walk.drawn()
    now = datetime.now(UTC)
    page.locator("#reported_missing_at").fill(london_input(now - timedelta(hours=26)))
    page.locator("#returned_at").fill(london_input(now - timedelta(hours=10)))
    page.get_by_label(walk.code("return_method", "found")).check()
    walk.click("button", "Save")
    expect(page.locator(".notice")).to_have_text(walk.t("Saved"))
    walk.drawn()
    walk.click("button", "Start the return interview")
    walk.drawn()
    walk.click("link", "Record the offer")
    walk.drawn()
    walk.click("button", "Save")
    walk.drawn()
    walk.click("link", "Add an attempt")
    walk.drawn()
    walk.click("button", "Save")
    expect(page.locator(".error-summary")).to_be_visible()
    assert_only(page, language)
    page.get_by_label(walk.code("attempt_method", "in_person")).check()
    page.get_by_label(walk.code("attempt_outcome", "spoke_to_child")).check()
    walk.click("button", "Save")
    walk.drawn()
    walk.click("link", "Record their answer")
    walk.drawn()
    page.get_by_label(walk.t("Yes, they agreed to talk")).check()
    walk.next_screen()
    page.get_by_label(walk.code("interview_location", "home"), exact=True).check()
    walk.next_screen()
    page.get_by_label(walk.code("interviewer_type", "independent_service"), exact=True).check()
    walk.next_screen()
    answer = "Dwy noson ŵ ŷ" if language == "cy" else "Two nights"
    page.get_by_label(walk.question("duration_account")).fill(answer)
    walk.next_screen()
    for _ in range(40):
        if page.locator("h1").text_content() == walk.t("Check your answers"):
            break
        walk.next_screen()
    expect(page.locator(".summary-list")).to_contain_text(answer)
    walk.click("button", "Submit the interview")
    walk.drawn()
    page.context.set_offline(False)  # back online: the app sends everything by itself
    expect(page.locator("#sync-status")).to_contain_text(
        translations(language).ngettext("%(num)d change waiting to be sent",
                                        "%(num)d changes waiting to be sent", 0) % {"num": 0})
    walk.drawn()

    session.expire_all()
    episode = session.scalars(select(MissingEpisode).where(
        MissingEpisode.child_id == world.child.id)).one()
    interview = session.scalars(select(ReturnInterview).where(
        ReturnInterview.episode_id == episode.id)).one()
    assert interview.status == "submitted" and interview.duration_account == answer
    assert interview.language == language


def test_switching_language_in_the_app_is_kept_on_the_account(live_server, context, world,
                                                              session):
    page = context.new_page()
    set_up_tablet(page, live_server, world)  # in Welsh
    expect(page.locator("ul.children li a")).to_have_text(["Cerys Test"])
    page.locator(".bar").get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Your children")
    assert_only(page, "en")
    expect(page.locator("#sync-status")).to_contain_text("Last synced")

    def stored_language():
        session.expire_all()
        return session.get(Person, world.worker.id).preferred_language

    page.locator("#sync-now").click()
    expect(page.locator("#sync-now")).to_be_enabled()
    assert stored_language() == "en"
