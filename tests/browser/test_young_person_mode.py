"""The young person's own section on the worker's tablet, in real Chromium: handed over from the
interview, done offline in Welsh or English, skipped questions kept as skipped and unreached ones
as not reached, reaching the server once; no way out of young person mode but the worker's
passcode (not the back gesture, a changed address, a reload, a new tab, an offline reload, or the
app locking when idle); five wrong passcodes erase the tablet while the sealed copies keep the
child's answers; axe finds nothing on any of its screens; and reading aloud only where the
browser has a voice in the child's language."""

import json
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.youngperson.models import SelfReport, SelfReportCode
from tests.browser.steps import (
    CODE_LISTS,
    PASSCODE,
    ROOT,
    agree_to_talk_at_the_placement,
    children_named,
    click,
    go_to,
    interview_of,
    start_an_interview_with_cerys,
    status,
    sync_and_wait,
    translations,
    violations,
)

VERSION_2 = json.loads((ROOT / "app/questionnaires/data/return-interview-v2.json").read_text())
YOUNG = next(part for part in VERSION_2["parts"] if part["audience"] == "young_person")
QUESTIONS = {question["id"]: question for screen in YOUNG["screens"] for question in screen["questions"]}
LANGUAGE_BUTTON = {"cy": "Cymraeg", "en": "English"}


def words(language):
    """The app's words in the child's language."""
    return translations(language).gettext


def label(question_id, language):
    return QUESTIONS[question_id]["label"][language]


def code_label(list_name, code, language):
    return next(item[language] for item in CODE_LISTS[list_name]["items"] if item["code"] == code)


def card_label(question_id, code_list, code, language):
    return next(option["label"][language] for option in QUESTIONS[question_id]["options"]
                if option["code_list"] == code_list and option["code"] == code)


def question_shown(page, question_id, language):
    expect(page.get_by_role("heading", level=1)).to_have_text(label(question_id, language))


def to_the_interview(page):
    """From the list: Cerys's interview started, offered and agreed to. Ends on the interview's
    page; gives its address."""
    start_an_interview_with_cerys(page)
    address = page.url.split("#", 1)[1]
    agree_to_talk_at_the_placement(page)
    go_to(page, f"#{address}")
    return address


def hand_over(page, first_language=None, interpreter=None):
    click(page, "link", "Hand the tablet to the young person")
    if first_language:
        page.get_by_label("Their first language, if it is not Welsh or English").select_option(
            label=first_language)
    if interpreter is not None:
        page.get_by_label("Yes" if interpreter else "No", exact=True).check()
    page.get_by_role("button", name="Hand over the tablet").click()
    # The young person's own screen (the worker's bar has a "Cymraeg" button too).
    expect(page.locator(".young-person h1")).to_have_text(
        "Pa iaith hoffet ti? Which language would you like?")


def choose_and_start(page, language):
    w = words(language)
    page.get_by_role("button", name=LANGUAGE_BUTTON[language]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w("Before you start"))
    assert violations(page) == []
    page.get_by_role("button", name=w("Start")).click()
    expect(page.locator(".question-number")).to_be_visible()  # the first question, drawn


def next_question(page, language):
    page.get_by_role("button", name=words(language)("Next")).click()


def skip(page, language):
    page.get_by_role("button", name=words(language)("I'd rather not say")).click()


def answer_row(page, question_id):
    """The row of the young person's answers on the interview's page, for the worker."""
    return page.locator(".summary-list .summary-row", has_text=label(question_id, "en"))


def change_address(page, address):
    """The address changed by hand, and waits until a screen is drawn for it: the young
    person's again, or (were the mode left) the worker's, with its bar."""
    page.evaluate("""(address) => {
      document.querySelector(".young-person").dataset.before = "yes";
      location.hash = address;
    }""", address)
    expect(page.locator(".young-person:not([data-before]), .bar").first).to_be_visible()


def nothing_of_the_worker(page):
    """No status bar, no worker's button, no child's name: only the young person's screen."""
    expect(page.locator(".bar")).to_have_count(0)
    expect(page.get_by_text("Cerys")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Sign out|Allgofnodi"))).to_have_count(0)


@pytest.mark.parametrize("language", ["cy", "en"])
def test_the_section_done_offline_reaches_the_server_once(tablet, context, session, language):
    page = tablet
    to_the_interview(page)
    context.set_offline(True)
    hand_over(page, first_language="Tigrinya", interpreter=True)
    nothing_of_the_worker(page)
    choose_and_start(page, language)
    w = words(language)

    question_shown(page, "yp_feeling_before", language)
    expect(page.locator(".question-number")).to_contain_text("1")
    page.get_by_label(code_label("feeling", "bad", language), exact=True).check()
    assert violations(page) == []
    next_question(page, language)
    question_shown(page, "yp_feeling_away", language)
    skip(page, language)
    question_shown(page, "yp_feeling_today", language)
    page.get_by_label(code_label("feeling", "okay", language), exact=True).check()
    next_question(page, language)
    question_shown(page, "yp_feel_safe_now", language)
    page.get_by_label(w("Yes"), exact=True).check()
    next_question(page, language)
    question_shown(page, "yp_why_left", language)
    family_conflict = page.get_by_label(
        card_label("yp_why_left", "push_factor", "family_conflict", language), exact=True)
    family_conflict.check()
    page.get_by_label(card_label("yp_why_left", "pull_factor", "to_see_friends", language),
                      exact=True).check()
    page.locator("details.why summary").click()
    expect(page.locator("details.why p")).to_be_visible()
    assert violations(page) == []
    next_question(page, language)
    question_shown(page, "yp_where_who", language)
    # Back to change an answer: it is still there, and can be changed.
    page.get_by_role("button", name=w("Back")).click()
    question_shown(page, "yp_why_left", language)
    expect(family_conflict).to_be_checked()
    next_question(page, language)
    page.get_by_role("textbox").fill("At a friend's house")
    next_question(page, language)
    question_shown(page, "yp_hurt", language)
    page.get_by_role("button", name=w("Stop here")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(w("People who can help you"))
    assert violations(page) == []
    page.get_by_role("button", name=w("I would like an advocate")).click()
    expect(page.get_by_text(w("Your worker will know you want an advocate."))).to_be_visible()
    page.get_by_role("button", name=w("Give the tablet back to my worker")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w("Give the tablet back to your worker"))
    assert violations(page) == []
    page.locator("#passcode").fill(PASSCODE)
    page.get_by_role("button", name=w("Open")).click()

    # The worker's own screens, in the worker's language, with what the child said.
    expect(page.get_by_text("The tablet is back with you.")).to_be_visible()
    expect(page.get_by_text("They asked for an advocate.")).to_be_visible()
    expect(answer_row(page, "yp_feeling_away")).to_contain_text("Chose not to say")
    expect(answer_row(page, "yp_hurt")).to_contain_text("Not reached")

    context.set_offline(False)
    sync_and_wait(page)
    sync_and_wait(page)  # again: nothing doubles
    expect(status(page)).to_contain_text("0 changes waiting to be sent")
    interview = interview_of(session, children_named(session, "Cerys")[0])
    reports = session.scalars(select(SelfReport).where(SelfReport.interview_id == interview.id)).all()
    assert len(reports) == 1
    report = reports[0]
    assert report.language == language
    assert (report.first_language, report.interpreter) == ("ti", True)
    assert (report.feeling_before, report.feeling_away, report.feeling_now) == ("bad", None, "okay")
    states = report.question_states
    assert states["yp_feeling_before"] == "answered"
    assert states["yp_feeling_away"] == "skipped"
    assert states["yp_hurt"] == "not_reached" and states["yp_tell_adults"] == "not_reached"
    assert "yp_feeling_away" not in report.answers
    assert report.answers["yp_where_who"] == "At a friend's house"
    assert report.answers["yp_feel_safe_now"] is True
    assert report.advocate_requested is True
    assert report.handed_over_at <= report.started_at <= report.finished_at <= report.handed_back_at
    codes = session.execute(select(SelfReportCode.list_name, SelfReportCode.code)
                            .where(SelfReportCode.self_report_id == report.id)).all()
    assert sorted(codes) == [("pull_factor", "to_see_friends"), ("push_factor", "family_conflict")]


def test_nothing_but_the_workers_passcode_leaves_young_person_mode(tablet, context, live_server, app,
                                                                   monkeypatch):
    page = tablet
    interview = to_the_interview(page)
    hand_over(page)
    choose_and_start(page, "en")
    page.get_by_label(code_label("feeling", "good", "en"), exact=True).check()
    next_question(page, "en")
    question_shown(page, "yp_feeling_away", "en")

    # The back gesture, again and again, and a changed address: still the young person's screens.
    for _ in range(4):
        page.go_back()
        expect(page.locator(".young-person")).to_be_visible()
        nothing_of_the_worker(page)
    change_address(page, f"#{interview}")
    nothing_of_the_worker(page)
    change_address(page, "#/")
    nothing_of_the_worker(page)

    # A reload asks for the worker's passcode, then carries on where the young person was.
    change_address(page, "#/young-person/q/yp_feeling_away")
    question_shown(page, "yp_feeling_away", "en")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask your worker to open Adref")
    nothing_of_the_worker(page)
    assert violations(page) == []
    page.locator("#passcode").fill(PASSCODE)
    page.get_by_role("button", name="Open").click()
    question_shown(page, "yp_feeling_away", "en")

    # A new tab, and an offline reload: the same.
    other = context.new_page()
    other.goto(live_server + "/app")
    expect(other.get_by_role("heading", level=1)).to_have_text("Ask your worker to open Adref")
    other.close()
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask your worker to open Adref")
    context.set_offline(False)

    # Locked when idle: the young person's lock, and back to the same question after it.
    monkeypatch.setitem(app.config, "PWA_IDLE_MINUTES", 0.05)  # three seconds
    page.reload()
    page.locator("#passcode").fill(PASSCODE)
    page.get_by_role("button", name="Open").click()
    question_shown(page, "yp_feeling_away", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask your worker to open Adref",
                                                              timeout=10_000)
    nothing_of_the_worker(page)


def test_five_wrong_passcodes_erase_the_tablet_and_the_sealed_copies_keep_the_answers(tablet, context):
    page = tablet
    to_the_interview(page)
    context.set_offline(True)
    hand_over(page)
    choose_and_start(page, "en")
    page.get_by_label(code_label("feeling", "very_bad", "en"), exact=True).check()
    next_question(page, "en")
    page.get_by_role("button", name="Stop here").click()
    page.get_by_role("button", name="Give the tablet back to my worker").click()
    for remaining in (4, 3, 2, 1):
        page.locator("#passcode").fill("not the passcode")
        page.get_by_role("button", name="Open").click()
        expect(page.locator("#passcode-error")).to_contain_text(f"{remaining} tr")
    page.locator("#passcode").fill("not the passcode")
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_text("Too many wrong passcodes")).to_be_visible()
    # The child's answers were sealed for the server as they were given: a wipe leaves them.
    expect(page.get_by_role("button", name="Save a copy of changes not sent")).to_be_visible()
    sealed = page.evaluate("""async () => new Promise((resolve) => {
      const request = indexedDB.open("adref");
      request.onsuccess = () => {
        const all = request.result.transaction("sealed").objectStore("sealed").getAll();
        all.onsuccess = () => resolve(all.result.length);
      };
    })""")
    assert sealed >= 2  # the hand-over, and the first answer at least


FAKE_VOICE = """
(() => {
  const spoken = [];
  window.__spoken = spoken;
  class Utterance { constructor(text) { this.text = text; } }
  const voices = [{ lang: "cy-GB", name: "Welsh test voice" }];
  const synthesis = new EventTarget();
  Object.assign(synthesis, { getVoices: () => voices, cancel() {}, speak: (u) => spoken.push(u) });
  Object.defineProperty(window, "speechSynthesis", { value: synthesis });
  window.SpeechSynthesisUtterance = Utterance;
})();
"""


def test_reading_aloud_is_offered_only_in_a_language_the_browser_has_a_voice_for(tablet, context):
    page = tablet
    page.add_init_script(FAKE_VOICE)
    page.reload()
    page.locator("#passcode").fill(PASSCODE)
    page.get_by_role("button", name="Open").click()
    to_the_interview(page)
    hand_over(page)
    choose_and_start(page, "cy")
    read = page.get_by_role("button", name="Darllen i mi")
    expect(read).to_be_visible()
    read.click()
    spoken = page.evaluate("() => window.__spoken.map((u) => [u.text, u.lang])")
    assert spoken and spoken[0][1] == "cy-GB"
    assert label("yp_feeling_before", "cy") in spoken[0][0]
    assert code_label("feeling", "very_good", "cy") in spoken[0][0]
    # In English there is no voice here: no button.
    page.get_by_role("button", name="Yn ôl").click()  # back to the notice
    expect(page.get_by_role("heading", level=1)).to_have_text("Cyn i ti ddechrau")
    page.get_by_role("button", name="Yn ôl").click()  # back to the languages
    expect(page.locator(".young-person h1")).to_contain_text("Which language would you like?")
    page.get_by_role("button", name="English").click()
    page.get_by_role("button", name="Start").click()
    question_shown(page, "yp_feeling_before", "en")
    expect(page.get_by_role("button", name="Read it to me")).to_be_hidden()


def test_people_who_can_help_put_first_what_the_child_told_us(tablet):
    page = tablet
    to_the_interview(page)
    hand_over(page)
    choose_and_start(page, "en")
    for face_question in ("yp_feeling_before", "yp_feeling_away", "yp_feeling_today"):
        question_shown(page, face_question, "en")
        skip(page, "en")
    question_shown(page, "yp_feel_safe_now", "en")
    page.get_by_label("No", exact=True).check()
    next_question(page, "en")
    page.get_by_role("button", name="Stop here").click()
    services = page.locator("ul.services > li h2")
    # Not safe now: emergency help first, whatever is open or free.
    expect(services.first).to_have_text("Police, ambulance or fire: 999")
    page.get_by_role("button", name="I would like an advocate").click()
    expect(page.get_by_text("Your worker will know you want an advocate.")).to_be_visible()
    # Then, after the police, the advocacy asked for, before the other helplines.
    shown = services.all_inner_texts()
    assert shown[0] == "Police, ambulance or fire: 999"
    assert max(shown.index("Meic"), shown.index("TGP Cymru")) < shown.index("Childline")
