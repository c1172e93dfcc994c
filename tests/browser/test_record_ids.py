"""The tablet's record ids, made in real Chromium: UUIDs of version 7 whose first 48 bits are
the moment they were made, so that the records a tablet makes sort in the order it made them
(and every server index keyed by id grows at its end)."""

import uuid
from datetime import UTC, datetime

from tests.browser.steps import open_the_app

SCENARIO = """async (moments) => {
  const { newId } = await import("/static/app/ids.js");
  const made = moments.map((moment) => newId(moment));
  const many = Array.from({ length: 2000 }, () => newId());
  return { made, distinct: new Set(many).size, now: newId() };
}"""


def test_the_tablet_makes_time_ordered_ids(live_server, page):
    open_the_app(page, live_server)
    moments = [0, 1, 255, 256, 1_700_000_000_000, 1_700_000_000_001, 2**48 - 1]
    outcome = page.evaluate(SCENARIO, moments)

    made = [uuid.UUID(text) for text in outcome["made"]]
    assert [str(made_id) for made_id in made] == outcome["made"]  # canonical, lower-case
    assert {made_id.version for made_id in made} == {7}
    assert {made_id.variant for made_id in made} == {uuid.RFC_4122}
    assert [made_id.int >> 80 for made_id in made] == moments
    assert outcome["made"] == sorted(outcome["made"])
    assert outcome["distinct"] == 2000

    now = uuid.UUID(outcome["now"]).int >> 80
    assert abs(now - datetime.now(UTC).timestamp() * 1000) < 60_000
