"""A supervisor, in Chromium, in Welsh: from a signed-off interview to its report, an item the
child asked not to share left out and one shared for their safety said so, a share recorded
and listed; nothing of English and nothing axe objects to; printed, the report alone."""

from playwright.sync_api import expect

from tests.browser.steps import Walk, assert_only, sign_in
from tests.sharing.conftest import TELL_ADULTS, WHAT_HAPPENED, WHERE, told_and_signed_off


def test_a_supervisor_shares_the_report_with_care_and_prints_it(live_server, page, world,
                                                                 as_person):
    told = told_and_signed_off(world, as_person)
    walk = Walk(page, "cy")
    page.goto(f"{live_server}/review/interviews/{told.interview['id']}?lang=cy")
    sign_in(page, world.supervisor)
    page.get_by_role("link", name=walk.t("The interview's report, to share")).click()
    report = page.locator("article.interview-report")
    expect(report.locator("h1")).to_have_text(
        walk.t("Report of the interview with %(name)s") % {"name": "Gwenllïan Prŷs"})
    expect(report).to_contain_text(WHAT_HAPPENED)
    assert_only(page, "cy")

    what_happened = walk.question("what_happened")
    tell_adults = walk.question("yp_tell_adults")
    page.get_by_label(walk.t("Asked not to share: %(item)s") % {"item": what_happened}).check()
    page.get_by_label(walk.t("Asked not to share: %(item)s") % {"item": tell_adults}).check()
    page.get_by_label(walk.t("Shared for their safety: %(item)s") % {"item": tell_adults}).check()
    page.get_by_role("button", name=walk.t("Save what is shared")).click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_only(page, "cy")
    page.get_by_label(walk.t("Why it is shared for the child's safety")).fill(
        "Mae tŷ ei nain yn anniogel")
    page.get_by_label(walk.t("The day the child was told it would be shared")).fill("2026-03-04")
    page.get_by_role("button", name=walk.t("Save what is shared")).click()
    expect(report).not_to_contain_text(WHAT_HAPPENED)
    expect(report).to_contain_text(WHERE)
    expect(report.locator('.own-words[lang="en"]', has_text=TELL_ADULTS)).to_be_visible()
    expect(report.locator(".override")).to_contain_text("Mae tŷ ei nain yn anniogel")
    expect(report.locator(".override")).to_contain_text("Dydd Mercher, 4 Mawrth 2026")

    page.get_by_label(walk.t("Who received it")).select_option("social_worker")
    page.get_by_label(walk.t("Their name")).fill("Rhian Jones")
    page.get_by_label(walk.t("Why it was shared with them")).fill("Adolygu ei chynllun gofal")
    page.get_by_role("button", name=walk.t("Record the share")).click()
    shares = page.locator("table.shares tbody tr")
    expect(shares).to_have_count(1)
    expect(shares).to_contain_text("Rhian Jones")
    expect(shares).to_contain_text("Adolygu ei chynllun gofal")
    assert_only(page, "cy")

    page.emulate_media(media="print")
    for frame in (".site-header", ".site-footer", ".no-print", "a.back"):
        expect(page.locator(frame).first).to_be_hidden()
    expect(report).to_be_visible()
    expect(report.locator(".override")).to_be_visible()
