"""The app and the supervisor's pages use the screen they are on: a tablet held either way and a
phone. Nothing runs off the side, every control is a touch target of 44 px or more, the bar
keeps each control on one line, and axe finds nothing. Each screen is photographed (kept in the
test's folder, to look at when a test fails)."""

import pytest
from playwright.sync_api import expect

from tests.browser.steps import (
    add_returned_episode,
    agree_to_talk_at_the_placement,
    click,
    go_to,
    open_tablet,
    record_offer,
    sign_in,
    start_interview,
    violations,
)
from tests.review.conftest import tell_interview

SIZES = {"tablet-portrait": (768, 1024), "tablet-landscape": (1024, 768), "phone": (390, 844)}

# What a person could find wrong with the screen's layout, read in the page.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const overflow = document.documentElement.scrollWidth - window.innerWidth;
  if (overflow > 0) problems.push(`runs ${overflow}px off the side`);
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const inText = (el) => el.tagName === "A" && el.closest("p, dd, td") &&
    el.closest("p, dd, td").textContent.trim() !== el.textContent.trim();
  for (const el of document.querySelectorAll("a, button, input, select, textarea")) {
    if (!shown(el) || inText(el) || el.type === "hidden" || el.classList.contains("skip-link")) continue;
    // A radio or a box is touched through its whole row, label included.
    const target = ["radio", "checkbox"].includes(el.type) ? el.closest(".choice-item, .card") || el : el;
    const box = target.getBoundingClientRect();
    if (Math.round(box.height) < 44 || Math.round(box.width) < 44) {
      const label = (el.textContent || el.name || el.id).trim().slice(0, 30);
      problems.push(`${el.tagName} "${label}" is ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  for (const el of document.querySelectorAll(".bar button, .bar a, .site-header a, .site-header button")) {
    const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 24;
    const range = document.createRange(); range.selectNodeContents(el);
    const lines = range.getBoundingClientRect().height / lineHeight;
    if (shown(el) && range.getClientRects().length > 1 && lines > 1.5)
      problems.push(`"${el.textContent.trim()}" wraps onto two lines`);
  }
  return problems;
}"""


def check_layout(page, folder, name):
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(50)
        page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)
        assert page.evaluate(LAYOUT_PROBLEMS) == [], f"{name} at {size}"
    assert violations(page) == [], name


@pytest.fixture
def pictures(tmp_path):
    return tmp_path


def test_the_workers_app_fits_every_screen(page, live_server, world, pictures):
    open_tablet(page, live_server, world)
    check_layout(page, pictures, "children")
    page.get_by_role("link", name="Cerys Test").click()
    expect(page.locator("h1")).to_have_text("Cerys Test")
    click(page, "link", "Add a missing episode")
    check_layout(page, pictures, "episode-form")
    page.set_viewport_size({"width": 1024, "height": 768})
    go_to(page, "#/")
    page.get_by_role("link", name="Cerys Test").click()
    add_returned_episode(page)
    check_layout(page, pictures, "child")
    page.set_viewport_size({"width": 1024, "height": 768})
    start_interview(page, "Cerys Test")
    record_offer(page)
    check_layout(page, pictures, "interview")
    page.set_viewport_size({"width": 1024, "height": 768})
    agree_to_talk_at_the_placement(page)
    check_layout(page, pictures, "question")
    go_to(page, "#/children/new")
    check_layout(page, pictures, "add-child")


def test_the_young_persons_screens_fit_either_way_up_and_with_text_twice_the_size(
        page, live_server, world, pictures):
    open_tablet(page, live_server, world)
    page.get_by_role("link", name="Cerys Test").click()
    add_returned_episode(page)
    start_interview(page, "Cerys Test")
    record_offer(page)
    interview = page.url.split("#", 1)[1]
    agree_to_talk_at_the_placement(page)
    go_to(page, f"#{interview}")
    click(page, "link", "Hand the tablet to the young person")
    check_layout(page, pictures, "hand-over")
    page.get_by_role("button", name="Hand over the tablet").click()
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Before you start")
    page.get_by_role("button", name="Start").click()
    for step in ("language", "notice", "q/yp_feeling_before", "q/yp_why_left", "q/yp_hurt",
                 "q/yp_where_who", "done", "help", "give-back"):
        # The step's own screen, drawn anew (not the one before it, still showing).
        page.evaluate("""(address) => {
          document.querySelector(".young-person").dataset.before = "yes";
          location.hash = address;
        }""", f"#/young-person/{step}")
        expect(page.locator(".young-person:not([data-before])")).to_be_visible()
        check_layout(page, pictures, step.replace("/", "-"))
        # Text at 200% (the reader's own setting): nothing runs off the side, nothing is hidden.
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        check_layout(page, pictures, f"{step.replace('/', '-')}-200")
        page.evaluate("() => { document.documentElement.style.fontSize = ''; }")
        page.set_viewport_size({"width": 1024, "height": 768})


def test_on_a_tablet_held_sideways_the_app_uses_the_width(page, live_server, world):
    open_tablet(page, live_server, world)
    width = page.locator("main").evaluate("(main) => main.getBoundingClientRect().width")
    assert width >= 900


def test_the_supervisors_pages_fit_and_share_the_apps_look(browser, live_server, world,
                                                            as_person, pictures):
    tell_interview(as_person(world.worker), given="Gwenllïan", family="Prŷs")
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.goto(live_server + "/sign-in?lang=en")
    check_layout(page, pictures, "sign-in")
    sign_in(page, world.supervisor)
    page.goto(live_server + "/")
    check_layout(page, pictures, "start")
    page.goto(live_server + "/review/")
    check_layout(page, pictures, "review")
    link = page.locator("main a").first
    # The app's colour, not the browser's blue.
    assert link.evaluate("(a) => getComputedStyle(a).color") == "rgb(29, 90, 108)"
    link.click()
    check_layout(page, pictures, "review-interview")
    page.goto(live_server + "/review/rescue")
    check_layout(page, pictures, "rescue")
    page.goto(live_server + "/review/referrals")
    check_layout(page, pictures, "referrals")
    context.close()
