"""The 72-hour clock as the server's pages word it, against tests/clock_examples.json: the same
examples the worker's app must answer alike (tests/browser/test_clock.py), so the two cannot
drift apart. And the supervisor's pages show those words."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from app.interviews.clock import DEFINITION, clock_state, clock_text
from tests.api.helpers import create_child, create_episode, create_interview

EXAMPLES = json.loads((Path(__file__).parents[1] / "clock_examples.json").read_text("utf-8"))
CASES = EXAMPLES["examples"]


def instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def state_of(case):
    episode = case["episode"] and SimpleNamespace(returned_at=instant(case["episode"]["returned_at"]))
    interview = case["interview"] and SimpleNamespace(
        **case["interview"] | {"conducted_at": instant(case["interview"]["conducted_at"])})
    return clock_state(episode, interview, now=instant(case["now"]))


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_the_server_gives_every_example(app, case):
    state = state_of(case)
    assert (state.kind, state.hours) == (case["kind"], case["hours"])
    for language in ("en", "cy"):
        with app.test_request_context("/"), force_locale(language):
            assert clock_text(state) == case[language], language


def test_the_examples_reach_every_state():
    assert {case["kind"] for case in CASES} == set(DEFINITION["urgency"])


def overdue_draft(client) -> dict:
    """A child back 1,052 and a half hours ago whose interview is started but not held."""
    returned = datetime.now(UTC) - timedelta(hours=72 + 980, minutes=30)
    child = create_child(client, given="Elin", family="Owen")
    episode = create_episode(client, child["id"], reported=(returned - timedelta(hours=5)).isoformat(),
                             returned=returned.isoformat())
    return create_interview(client, episode["id"])


@pytest.mark.parametrize(("language", "said"), [
    ("en", "Interview overdue by 40 days 20 hours"),
    ("cy", "Cyfweliad yn hwyr o 40 diwrnod 20 awr")])
def test_the_supervisor_sees_the_clock_in_days_and_hours(world, as_person, language, said):
    interview = overdue_draft(as_person(world.worker))
    supervisor = as_person(world.supervisor)
    listed = supervisor.get(f"/review/?lang={language}").get_data(as_text=True)
    assert said in listed
    read = supervisor.get(f"/review/interviews/{interview['id']}?lang={language}")
    assert said in read.get_data(as_text=True)
