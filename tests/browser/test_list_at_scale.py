"""The list of children as a worker with many cases meets it: a long list comes whole, in name
order, though it is drawn in parts; a sync that changed nothing redraws nothing, a sync that
changed one child redraws that child's row alone, where the worker was (scroll and focus kept);
going back to the list builds no row again; and the first sync says how many records have come
so far, out of how many."""

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from app.cases.models import Child
from app.syncing.collections import COLLECTIONS
from tests.browser.steps import PASSCODE, open_tablet, status, sync_and_wait, try_passcode

MARK_THE_LIST = "() => { document.querySelector('ul.children').seenBefore = true; }"
LIST_IS_THE_SAME = "() => document.querySelector('ul.children').seenBefore === true"
# Each row element on screen marked, and which rows on screen (by name) are still those marked.
MARK_THE_ROWS = """() => document.querySelectorAll('ul.children li')
  .forEach((row) => { row.seenBefore = true; })"""
ROWS_SEEN_BEFORE = """() => [...document.querySelectorAll('ul.children li')]
  .map((row) => [row.querySelector('a').textContent, row.seenBefore === true])"""


def add_children(session, world, count):
    for number in range(count):
        session.add(Child(organisation_id=world.org_a.id, team_id=world.team_a.id,
                          assigned_worker_id=world.worker.id, given_name=f"Plentyn{number:02d}",
                          family_name="Test"))
    session.commit()


def test_a_sync_that_changed_nothing_redraws_nothing(tablet):
    drawn = tablet.locator("main").get_attribute("data-drawn")
    tablet.evaluate(MARK_THE_LIST)
    sync_and_wait(tablet)
    sync_and_wait(tablet)
    assert tablet.evaluate(LIST_IS_THE_SAME)
    assert tablet.locator("main").get_attribute("data-drawn") == drawn


def test_a_sync_that_failed_redraws_nothing(tablet, context):
    """Offline, the app tries again by itself: each try that fails leaves the list as it is."""
    drawn = tablet.locator("main").get_attribute("data-drawn")
    tablet.evaluate(MARK_THE_ROWS)
    context.set_offline(True)
    for _try in range(2):
        with tablet.expect_event("requestfailed"):
            tablet.evaluate("() => window.dispatchEvent(new Event('online'))")
        expect(tablet.locator("#sync-now")).to_be_enabled()
        expect(status(tablet)).to_contain_text("Offline")
    tablet.evaluate("() => new Promise((done) => setTimeout(done, 500))")  # any redraw is in
    assert tablet.locator("main").get_attribute("data-drawn") == drawn
    rows = tablet.evaluate(ROWS_SEEN_BEFORE)
    assert rows and all(seen for _name, seen in rows)


def test_a_long_list_comes_whole_in_name_order(page, live_server, world, session):
    """More children than a screen holds: the first come with the screen, the rest after, and
    the list the worker can scroll is whole and sorted by family name, then first name."""
    for number in range(90):
        session.add(Child(organisation_id=world.org_a.id, team_id=world.team_a.id,
                          assigned_worker_id=world.worker.id, given_name=f"Plentyn{number:02d}",
                          family_name=f"Teulu{number % 7}"))
    session.commit()
    open_tablet(page, live_server, world)
    rows = page.locator("ul.children li a")
    expect(rows).to_have_count(91)  # and the child the worker had already
    shown = rows.all_text_contents()
    assert shown == sorted(shown, key=lambda name: (name.split()[1], name.split()[0]))
    # Counted as drawn (data-drawn) only once whole: every row is there when it changes.
    page.get_by_role("link", name=shown[60]).click()
    expect(page.get_by_role("heading", name=shown[60])).to_be_visible()
    drawn = page.locator("main").get_attribute("data-drawn")
    page.get_by_role("link", name="Your children").click()
    expect(page.locator("main")).not_to_have_attribute("data-drawn", drawn)
    assert page.evaluate("() => document.querySelectorAll('ul.children li').length") == 91


def test_a_sync_that_changed_one_child_redraws_that_row_alone(page, live_server, world, session):
    add_children(session, world, 40)
    open_tablet(page, live_server, world)
    page.evaluate(MARK_THE_ROWS)
    renamed = session.scalars(select(Child).where(Child.given_name == "Plentyn20")).one()
    renamed.given_name = "Aled"
    session.commit()
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("link", name="Aled Test")).to_be_attached()
    rows = dict(page.evaluate(ROWS_SEEN_BEFORE))
    assert rows.pop("Aled Test") is False  # the changed row is drawn anew, in its new place
    assert len(rows) == 40 and all(rows.values())


def test_going_back_to_the_list_builds_no_row_again(page, live_server, world, session):
    add_children(session, world, 40)
    open_tablet(page, live_server, world)
    page.evaluate(MARK_THE_ROWS)
    page.get_by_role("link", name="Plentyn05 Test").click()
    expect(page.get_by_role("heading", name="Plentyn05 Test")).to_be_visible()
    page.get_by_role("link", name="Your children").click()
    expect(page.locator("ul.children li")).to_have_count(41)
    rows = page.evaluate(ROWS_SEEN_BEFORE)
    assert len(rows) == 41 and all(seen for _name, seen in rows)


def test_a_sync_that_changed_something_keeps_the_workers_place(page, live_server, world,
                                                                session):
    add_children(session, world, 40)
    open_tablet(page, live_server, world)
    far_down = page.get_by_role("link", name="Plentyn35 Test")
    far_down.focus()
    far_down.scroll_into_view_if_needed()
    assert page.evaluate("() => window.scrollY") > 0
    where = far_down.evaluate("(link) => link.getBoundingClientRect().top")
    renamed = session.scalars(select(Child).where(Child.given_name == "Plentyn00")).one()
    renamed.given_name = "Aled"
    session.commit()
    drawn = page.locator("main").get_attribute("data-drawn")
    # A sync by itself (as after a change, or when the signal returns): nothing is clicked.
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("link", name="Aled Test")).to_be_attached()
    assert page.locator("main").get_attribute("data-drawn") != drawn
    # The worker still sees the row they were on, where it was.
    assert abs(far_down.evaluate("(link) => link.getBoundingClientRect().top") - where) < 2
    assert page.evaluate("() => document.activeElement.textContent") == "Plentyn35 Test"


def test_the_first_sync_counts_the_records_fetched_out_of_all_there_are(
        page, live_server, world, session):
    add_children(session, world, 3)
    # Every text the status bar shows, from the first screen on.
    page.add_init_script("""
      window.statusTexts = [];
      new MutationObserver(() => {
        const line = document.getElementById('sync-status');
        if (line) window.statusTexts.push(line.textContent);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    """)
    open_tablet(page, live_server, world)
    counted = [match.groups() for text in page.evaluate("() => window.statusTexts")
               for match in [re.search(r"Fetching your cases: (\d+) of (\d+)", text)] if match]
    assert counted, "no count of the records fetched was shown"
    done, total = map(int, counted[-1])
    # Out of every record the worker may see: their children, episodes, interviews and the rest.
    session.expire_all()
    visible = sum(session.scalar(select(func.count()).select_from(spec.visible(world.worker).subquery()))
                  for spec in COLLECTIONS.values())
    assert done == total == visible


# Counts the records decrypted from the page's start (every AES-GCM decryption of the app's).
COUNT_DECRYPTIONS = """
  window.decryptions = 0;
  const decrypt = crypto.subtle.decrypt.bind(crypto.subtle);
  crypto.subtle.decrypt = (...args) => { window.decryptions += 1; return decrypt(...args); };
"""


def test_unlocking_draws_the_list_from_its_summary(page, live_server, world, session):
    """After the passcode the list comes from one encrypted summary, not every record, and the
    summary keeps up with what syncs and saves change."""
    add_children(session, world, 40)
    page.add_init_script(COUNT_DECRYPTIONS)
    open_tablet(page, live_server, world)
    renamed = session.scalars(select(Child).where(Child.given_name == "Plentyn07")).one()
    renamed.given_name = "Aled"
    session.commit()
    sync_and_wait(page)
    expect(page.get_by_role("link", name="Aled Test")).to_be_visible()
    page.reload()
    try_passcode(page, PASSCODE, button="Open")
    expect(page.get_by_role("link", name="Aled Test")).to_be_visible()
    expect(page.locator("ul.children li")).to_have_count(41)
    # The vault's key, the summary, and a few of the tablet's own settings: never the 41
    # children one by one.
    assert page.evaluate("() => window.decryptions") < 15
