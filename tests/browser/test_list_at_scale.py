"""The list of children as a worker with many cases meets it: a long list comes in name order,
its first rows with the screen and the rest as the worker scrolls or asks for more, and a box
finds a child by name; a sync that changed nothing redraws nothing, a sync that
changed one child redraws that child's row alone, where the worker was (scroll and focus kept);
going back to the list builds no row again; and the first sync says how many records have come
so far, out of how many."""

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from app.cases.models import Child
from app.syncing.collections import COLLECTIONS
from tests.browser.steps import (
    PASSCODE,
    open_tablet,
    set_up_tablet,
    status,
    sync_and_wait,
    try_passcode,
    violations,
)

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


def rows_after_renaming(page, session, given, renamed_to, shown_as):
    """Marks the rows on screen, renames a child on the server, and lets the app sync by itself
    (as when the signal returns). Gives the other rows on screen by name, each with whether it
    is the element marked; the renamed child's row must be new (drawn in its new place)."""
    page.evaluate(MARK_THE_ROWS)
    child = session.scalars(select(Child).where(Child.given_name == given)).one()
    child.given_name = renamed_to
    session.commit()
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("link", name=shown_as)).to_be_attached()
    rows = dict(page.evaluate(ROWS_SEEN_BEFORE))
    assert rows.pop(shown_as) is False
    return rows


def add_families(session, world, count):
    """Children of seven families: Plentyn00 Teulu0, Plentyn01 Teulu1..."""
    for number in range(count):
        session.add(Child(organisation_id=world.org_a.id, team_id=world.team_a.id,
                          assigned_worker_id=world.worker.id, given_name=f"Plentyn{number:02d}",
                          family_name=f"Teulu{number % 7}"))
    session.commit()


def by_family_name(names):
    return sorted(names, key=lambda name: (name.split()[1], name.split()[0]))


def test_a_long_list_draws_the_first_rows_and_more_as_the_worker_scrolls(
        page, live_server, world, session):
    """More children than a few screens hold: the first 50 come with the screen, sorted by
    family name then first name, and the rest as the worker scrolls near the end of them."""
    add_families(session, world, 90)
    open_tablet(page, live_server, world)
    rows = page.locator("ul.children li a")
    expect(rows).to_have_count(50)
    first = rows.all_text_contents()
    expect(page.locator(".list-more")).to_contain_text("Showing 50 of 91")
    page.mouse.wheel(0, 20_000)  # to the end of what is drawn: the rest come
    expect(rows).to_have_count(91)  # and the child the worker had already
    expect(page.locator(".list-more")).to_be_hidden()
    shown = rows.all_text_contents()
    assert shown[:50] == first and shown == by_family_name(shown)
    assert violations(page) == []


def test_opening_the_app_shows_the_first_children_then_the_rest_without_a_redraw(
        page, live_server, world, session):
    """After the passcode the first screenful comes from a small part of the list's summary;
    the rest is read after it, changing nothing on screen, and can be scrolled to."""
    add_families(session, world, 90)
    open_tablet(page, live_server, world)
    page.reload()
    try_passcode(page, PASSCODE, button="Open")
    rows = page.locator("ul.children li a")
    expect(rows).to_have_count(50)
    expect(page.locator(".list-more")).to_contain_text("Showing 50 of 91")
    page.evaluate(MARK_THE_ROWS)
    first = rows.all_text_contents()
    assert first == by_family_name(first)
    page.mouse.wheel(0, 20_000)  # the rest, once read
    expect(rows).to_have_count(91)
    # The first 50 are the rows first drawn, untouched by the rest being read.
    assert page.evaluate(ROWS_SEEN_BEFORE)[:51] == [[name, True] for name in first] + [
        [rows.nth(50).text_content(), False]]


def test_rows_drawn_as_the_worker_scrolled_are_kept_through_a_sync(
        page, live_server, world, session):
    """Far down a long list, a sync that changed one child builds that child's row alone."""
    add_families(session, world, 90)
    open_tablet(page, live_server, world)
    page.mouse.wheel(0, 20_000)
    expect(page.locator("ul.children li a")).to_have_count(91)
    rows = rows_after_renaming(page, session, "Plentyn80", "Plentyn80a", "Plentyn80a Teulu3")
    assert len(rows) == 90 and all(rows.values())


def test_the_keyboard_goes_on_past_the_rows_drawn(page, live_server, world, session):
    """From the last row drawn, Tab reaches the next child, as if the list were whole (the
    button for more, reached by the keyboard, draws them and hands its focus on)."""
    add_families(session, world, 90)
    open_tablet(page, live_server, world)
    rows = page.locator("ul.children li a")
    expect(rows).to_have_count(50)
    rows.nth(49).focus()
    page.keyboard.press("Tab")
    expect(rows).to_have_count(91)
    expect(rows.nth(50)).to_be_focused()


def test_a_screen_reader_pressing_show_more_is_taken_to_the_first_child_added(
        page, live_server, world, session):
    add_families(session, world, 90)
    open_tablet(page, live_server, world)
    # Pressed as a screen reader does: a click, with the page where it was.
    page.get_by_role("button", name="Show more children").dispatch_event("click")
    rows = page.locator("ul.children li a")
    expect(rows).to_have_count(91)
    expect(rows.nth(50)).to_be_focused()


def test_finding_a_child_by_part_of_their_name(page, live_server, world, session):
    """The list narrows as the worker types, to children not yet drawn too, whatever the
    accents; what is typed stays through a sync, and goes when the app locks."""
    add_families(session, world, 90)
    session.add(Child(organisation_id=world.org_a.id, team_id=world.team_a.id,
                      assigned_worker_id=world.worker.id, given_name="Gwenllïan",
                      family_name="Ŵyn"))
    session.commit()
    open_tablet(page, live_server, world)
    rows = page.locator("ul.children li a")
    expect(rows).to_have_count(50)
    assert "Plentyn89 Teulu5" not in rows.all_text_contents()  # far down: not drawn yet
    search = page.get_by_role("searchbox", name="Find a child")
    search.fill("plentyn89")
    expect(rows).to_have_text(["Plentyn89 Teulu5"])
    expect(page.get_by_role("status").filter(has_text="Children found")).to_have_text(
        "Children found: 1")
    search.fill("wyn gwenllian")  # either order, no accents
    expect(rows).to_have_text(["Gwenllïan Ŵyn"])
    search.fill("Teulu3 plentyn1")
    expect(rows).to_have_text(by_family_name(
        [f"Plentyn{n} Teulu3" for n in ("10", "17")]))
    assert violations(page) == []

    # A sync while narrowed: the search, its words and the worker's focus stay.
    renamed = session.scalars(select(Child).where(Child.given_name == "Plentyn10")).one()
    renamed.given_name = "Plentyn1a"
    session.commit()
    sync_and_wait(page)
    search.focus()
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(rows).to_have_text(["Plentyn17 Teulu3", "Plentyn1a Teulu3"])
    expect(search).to_have_value("Teulu3 plentyn1")
    expect(search).to_be_focused()

    search.fill("Zebedee")
    expect(rows).to_have_count(0)
    expect(page.locator("#children-found")).to_have_text(
        "No child has a name like that. Check the spelling, or type less of the name.")
    search.fill("")
    expect(rows).to_have_count(50)
    expect(page.locator("#children-found")).to_have_text("")

    search.fill("plentyn0")
    expect(rows).to_have_count(10)
    page.get_by_role("button", name="Sign out").click()
    try_passcode(page, PASSCODE, button="Open")
    expect(rows).to_have_count(50)  # what was typed went with the lock
    expect(search).to_have_value("")


def test_the_search_speaks_welsh(page, live_server, world, session):
    add_families(session, world, 20)
    set_up_tablet(page, live_server, world)
    search = page.get_by_role("searchbox", name="Dod o hyd i blentyn")
    expect(page.get_by_text("Teipiwch ran o'u henw")).to_be_visible()
    search.fill("plentyn1")
    expect(page.locator("#children-found")).to_have_text("Plant wedi'u canfod: 10")
    search.fill("Zebedee")
    expect(page.locator("#children-found")).to_have_text(
        "Does dim plentyn ag enw fel hwnnw. Gwiriwch y sillafu, neu teipiwch lai o'r enw.")


def test_a_worker_with_few_children_has_no_search(tablet):
    expect(tablet.locator("ul.children li")).to_have_count(1)
    expect(tablet.get_by_role("searchbox")).to_have_count(0)
    expect(tablet.locator(".list-more")).to_be_hidden()


def test_a_sync_that_changed_one_child_redraws_that_row_alone(page, live_server, world, session):
    add_children(session, world, 40)
    open_tablet(page, live_server, world)
    rows = rows_after_renaming(page, session, "Plentyn20", "Aled", "Aled Test")
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


def test_a_sync_stopped_part_way_loses_no_child_from_the_list(page, live_server, world, session):
    """A tablet stopped part way through a sync of more than a page (closed, or its battery
    gone) opens with every child the sync had brought, and the rest come when it syncs again.
    (The list's summary is written when a sync ends: one kept from before it, without the
    children its first page brought, would hide them for good.)"""
    open_tablet(page, live_server, world)  # Cerys: synced, and her list's summary stored
    add_children(session, world, 1600)  # more than one page of a sync
    pulls = {"asked": 0, "held": [], "then": "hold"}

    def second_page_never_comes(route):
        pulls["asked"] += 1
        if pulls["asked"] == 1 or pulls["then"] == "send":
            route.continue_()
        elif pulls["then"] == "hold":
            pulls["held"].append(route)  # never answered: the reload cuts it off
        else:
            route.abort()  # no signal

    page.route(re.compile(r"/api/v1/sync/pull\?"), second_page_never_comes)
    page.get_by_role("button", name="Sync now").click()
    more = page.locator(".list-more")
    expect(more).to_contain_text("Showing 50 of 1,501", timeout=15_000)  # the first page's
    pulls["then"] = "fail"
    page.reload()
    try_passcode(page, PASSCODE, button="Open")
    expect(more).to_contain_text("Showing 50 of 1,501", timeout=15_000)
    pulls["then"] = "send"
    sync_and_wait(page)
    expect(more).to_contain_text("Showing 50 of 1,601")
