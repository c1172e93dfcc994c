"""The list of children as a worker with many cases meets it: a sync that changed nothing
redraws nothing, a sync that changed something redraws the list where the worker was (scroll
and focus kept), and the first sync says how many records have come so far, out of how many."""

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from app.cases.models import Child
from app.syncing.collections import COLLECTIONS
from tests.browser.steps import PASSCODE, open_tablet, sync_and_wait, try_passcode

MARK_THE_LIST = "() => { document.querySelector('ul.children').seenBefore = true; }"
LIST_IS_THE_SAME = "() => document.querySelector('ul.children').seenBefore === true"


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
