"""Who can help a child, in real Chromium: static/app/directory.js, loaded in the app's origin,
gives every example of tests/directory/help_examples.json: which services a child is shown (never
an unconfirmed one or one for workers; by age, care status and area), which are open now in
London's time (across midnight and the clock changes), and in what order."""

import json

import pytest

from tests.browser.steps import ROOT, open_the_app

VECTORS = json.loads((ROOT / "tests/directory/help_examples.json").read_text("utf-8"))
EXAMPLES = VECTORS["examples"]

HELP = """async ({services, examples}) => {
  const directory = await import("/static/app/directory.js");
  const byId = Object.fromEntries(services.map((service) => [service.id, service]));
  return examples.map((example) => {
    const given = example.services.map((id) => byId[id]);
    const shown = directory.helpForChild(given, example.child, new Date(example.now));
    return {shown: shown.map((service) => service.id),
            open: shown.filter((service) => service.openNow).map((service) => service.id),
            same: shown.every((service) =>
              directory.openNow(service.hours, new Date(example.now)) === service.openNow),
            untouched: given.every((service) => !("openNow" in service))};
  });
}"""


@pytest.fixture(scope="module")
def found(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    open_the_app(page, live_server)
    answer = page.evaluate(HELP, {"services": VECTORS["services"], "examples": EXAMPLES})
    context.close()
    return dict(zip([example["name"] for example in EXAMPLES], answer, strict=True))


@pytest.mark.parametrize("example", EXAMPLES, ids=[example["name"] for example in EXAMPLES])
def test_the_child_is_shown_what_the_example_says(found, example):
    assert found[example["name"]] == {"shown": example["shown"], "open": example["open"],
                                      "same": True, "untouched": True}


def test_the_tablet_in_another_time_zone_still_reads_london_hours(browser, live_server):
    context = browser.new_context(timezone_id="America/New_York")
    page = context.new_page()
    open_the_app(page, live_server)
    daily = {"daily": [["08:00", "24:00"]]}
    answer = page.evaluate("""async (hours) => {
      const {openNow} = await import("/static/app/directory.js");
      return [openNow(hours, new Date("2026-12-05T23:59:00Z")),
              openNow(hours, new Date("2026-12-06T00:30:00Z")),
              openNow(null, new Date("2026-12-05T12:00:00Z"))];
    }""", daily)
    context.close()
    assert answer == [True, False, False]
