"""A supervisor, in Chromium, in Welsh and in English: from the active offer through sign-in to
the interviews of their team, a search by a name typed without its accents, an interview read
with every question in their language and the child's words as given, and the spreadsheet of
it. On every page: no string of the other language, and nothing axe objects to."""

import csv
import io

import pytest
from playwright.sync_api import expect

from app.auth.models import Person
from tests.browser.steps import CODE_LISTS, Walk, assert_only, sign_in
from tests.review.conftest import WHY, YOUNG_PERSON_TODAY, tell_interview


@pytest.mark.parametrize("language", ["cy", "en"])
def test_a_supervisor_reads_an_interview_in_their_own_language(live_server, page, world,
                                                               as_person, session, language):
    # The fixture's worker is "Will Worker": a name, but also an English word the check finds.
    session.get(Person, world.worker.id).display_name = "Wil Huws"
    session.commit()
    tell_interview(as_person(world.worker), given="Gwenllïan", family="Prŷs")
    tell_interview(as_person(world.worker), given="Aled", family="Pryce")
    walk = Walk(page, language)
    page.goto(live_server + "/review/")
    offer = page.locator(".active-offer")
    offer.get_by_role("link", name="Cymraeg" if language == "cy" else "English").click()
    sign_in(page, world.supervisor)
    expect(page.locator("h1")).to_have_text(walk.t("Interviews"))
    assert_only(page, language)

    page.get_by_label(walk.t("Child's name")).fill("gwenllian prys")
    page.get_by_role("button", name=walk.t("Search"), exact=True).click()
    expect(page.locator("table.interviews tbody tr")).to_have_count(1)
    assert_only(page, language)

    page.get_by_role("link", name="Gwenllïan Prŷs").click()
    expect(page.locator("h1")).to_contain_text("Gwenllïan Prŷs")
    assert_only(page, language)
    question = page.locator("dt", has_text=walk.question("why_missing"))
    expect(question.locator("xpath=following-sibling::dd")).to_have_text(WHY)
    expect(page.locator('.own-words[lang="cy"]', has_text=WHY)).to_be_visible()
    expect(page.locator('.own-words[lang="en"]', has_text=YOUNG_PERSON_TODAY)).to_be_visible()
    pushed = page.locator("dt", has_text=walk.question("push_factors"))
    expect(pushed.locator("xpath=following-sibling::dd")).to_contain_text(
        walk.code("push_factor", "family_conflict"))

    page.get_by_role("link", name=walk.t("All interviews")).click()
    expect(page.locator("table.interviews tbody tr")).to_have_count(2)
    with page.expect_download() as downloading:
        page.get_by_role("link", name=walk.t("Download these interviews as a spreadsheet (CSV)"))\
            .click()
    text = downloading.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(row[walk.t("Child")] for row in rows) == ["Aled Pryce", "Gwenllïan Prŷs"]
    push_factors = CODE_LISTS["push_factor"]["label"][language]
    assert {row[push_factors] for row in rows} == {
        walk.code("push_factor", "family_conflict") + "; " + walk.code("push_factor", "other")}
