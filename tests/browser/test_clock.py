"""The 72-hour clock in the worker's app, in real Chromium: static/app/cases.js gives every
example of tests/clock_examples.json as the server does (tests/interviews/test_clock_examples.py),
in English and in Welsh, from the same definition; the list of children shows each child's most
urgent episode in the words the supervisor's pages use for it; and a child's page tells the
worker where each interview stands, and what to do with one returned to them."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from app.interviews.clock import DEFINITION
from tests.api.helpers import (
    API,
    create_child,
    create_episode,
    create_interview,
    offer_advocacy,
)
from tests.browser.steps import ROOT, go_to, open_tablet, open_the_app, sign_in

EXAMPLES = json.loads((ROOT / "tests/clock_examples.json").read_text("utf-8"))["examples"]

APP_CLOCK = """async ({language, examples}) => {
  const i18n = await import("/static/app/i18n.js");
  const cases = await import("/static/app/cases.js");
  await i18n.loadCatalog(language,
    document.querySelector(`meta[name="adref-catalog-${language}"]`).content);
  return {definition: cases.DEFINITION, found: examples.map((example) => {
    const state = cases.clockState(example.episode, example.interview, Date.parse(example.now));
    return {kind: state.kind, hours: state.hours ?? null, text: cases.clockText(state)};
  })};
}"""


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_app_gives_every_example_as_the_server_does(live_server, page, language):
    open_the_app(page, live_server)
    answer = page.evaluate(APP_CLOCK, {"language": language, "examples": EXAMPLES})
    assert answer["definition"] == DEFINITION
    assert answer["found"] == [{"kind": example["kind"], "hours": example["hours"],
                                "text": example[language]} for example in EXAMPLES]


def ago(hours: float) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours)).isoformat()


def episode_with_interview(worker, child_id, returned_hours_ago, held_after=None, status=None):
    """An episode the child came back from that long ago, and its interview: held that many
    hours after the return (or not yet), moved to that status (by the worker, to submitted)."""
    episode = create_episode(worker, child_id, reported=ago(returned_hours_ago + 5),
                             returned=ago(returned_hours_ago))
    fields = {"consent": "accepted", "conducted_at": ago(returned_hours_ago - held_after)} \
        if held_after is not None else {}
    interview = create_interview(worker, episode["id"], **fields)
    if status:
        offer_advocacy(worker, interview["id"])  # (a looked-after child's needs it)
        moved = worker.patch(f"{API}/interviews/{interview['id']}", json={"status": "submitted"})
        assert moved.status_code == 200, moved.get_data(as_text=True)
    return interview


def review(supervisor, interview, status):
    moved = supervisor.patch(f"{API}/interviews/{interview['id']}", json={"status": status})
    assert moved.status_code == 200, moved.get_data(as_text=True)


LONG_AGO = 72 + 980.5  # hours since the return: 40 days 20 hours and a half late


@pytest.fixture
def caseload(world, as_person):
    """Cerys (the world's child): an old episode whose interview is overdue, and a newer one
    interviewed and submitted. Elin: a draft interview held in time, long ago. Huw: one his
    supervisor returned; Ifan: one approved."""
    worker, supervisor = as_person(world.worker), as_person(world.supervisor)
    episode_with_interview(worker, world.child.id, LONG_AGO)
    episode_with_interview(worker, world.child.id, 10, held_after=2, status="submitted")
    elin = create_child(worker, given="Elin", family="Test")
    episode_with_interview(worker, elin["id"], LONG_AGO, held_after=30)
    huw = create_child(worker, given="Huw", family="Test")
    review(supervisor, episode_with_interview(worker, huw["id"], 50, held_after=3,
                                              status="submitted"), "returned")
    ifan = create_child(worker, given="Ifan", family="Test")
    review(supervisor, episode_with_interview(worker, ifan["id"], 50, held_after=3,
                                              status="submitted"), "approved")
    return {"Cerys": str(world.child.id), "Elin": elin["id"], "Huw": huw["id"], "Ifan": ifan["id"]}


def clocks_listed(page) -> dict:
    """Each child's name in the worker's list, with the clock shown beside it."""
    rows = page.locator("ul.children li")
    return {rows.nth(i).locator("a").inner_text(): rows.nth(i).locator(".clock").inner_text()
            for i in range(rows.count())}


def supervisor_clocks(browser, live_server, world) -> dict:
    """Each child's name on the supervisor's list of interviews, with the clocks shown."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server + "/review/?lang=en")
    sign_in(page, world.supervisor)
    rows = page.locator("table.interviews tbody tr")
    expect(rows).to_have_count(5)
    found = {}
    for i in range(rows.count()):
        found.setdefault(rows.nth(i).locator("th").inner_text(), []).append(
            rows.nth(i).locator(".clock").inner_text())
    context.close()
    return found


def test_the_list_shows_the_most_urgent_clock_as_the_supervisor_sees_it(
        live_server, page, browser, world, caseload):
    open_tablet(page, live_server, world)
    listed = clocks_listed(page)
    assert listed == {"Cerys Test": "Interview overdue by 40 days 20 hours",
                      "Elin Test": "Interview held within 72 hours",
                      "Huw Test": "Interview held within 72 hours",
                      "Ifan Test": "Interview held within 72 hours"}
    on_review = supervisor_clocks(browser, live_server, world)
    for name, clock in listed.items():
        assert clock in on_review[name], name


def test_a_child_page_tells_where_each_interview_stands(live_server, page, world, caseload):
    open_tablet(page, live_server, world)
    go_to(page, f"#/children/{caseload['Huw']}")
    expect(page.locator(".episodes .interview-state")).to_have_text("Returned to the worker")
    expect(page.locator(".episodes .next-step")).to_have_text(
        "Next: open it, change what was asked, and submit it again.")
    go_to(page, f"#/children/{caseload['Ifan']}")
    expect(page.locator(".episodes .interview-state")).to_have_text("Approved")
    expect(page.locator(".episodes .next-step")).to_have_count(0)
    go_to(page, f"#/children/{caseload['Cerys']}")
    expect(page.locator(".episodes .interview-state")).to_have_text([
        "Waiting for review", "Not finished yet"])
    go_to(page, "#/")
    returned = page.locator("ul.children li", has_text="Huw Test")
    expect(returned.locator(".interview-state")).to_have_text("Returned to the worker")
