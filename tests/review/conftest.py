"""An interview told in Welsh with a young person's part in English, made through the API by
the worker as the app would, for the supervisor's pages and exports to read back."""

from dataclasses import dataclass

import pytest

from tests.api.helpers import (
    API,
    create_attempt,
    create_child,
    create_episode,
    create_interview,
    questionnaire_id,
)
from tests.sync.http_helpers import enrol, new_case

WHY = "Roedd ffrae gartref; doedd neb yn gwrando arna i. Es i at Siôn yn Llanelwy."
OTHER_PUSH = "Roedd y tŷ yn swnllyd ac roedd ofn arna i."
YOUNG_PERSON_TODAY = "A bit better, I think. I slept well."


@dataclass
class Told:
    worker: object  # the worker's signed-in client
    child: dict
    interview: dict


def tell_interview(worker, given="Gwenllïan", family="Prŷs", submit=True, **changes) -> Told:
    """changes: fields of the interview other than these. Version 1, whose young person's
    answers are the interview's own local answers."""
    child = create_child(worker, given=given, family=family, preferred_language="cy")
    episode = create_episode(worker, child["id"])
    fields = dict(
        consent="accepted", offered_at="2026-03-02T09:00:00+00:00",
        conducted_at="2026-03-03T14:30:00+00:00", location="placement",
        interviewer_type="independent_service", language="cy", young_person_language="en",
        questionnaire_version_id=questionnaire_id(worker, 1),
        why_missing=WHY, push_factors=["family_conflict", "other"],
        pull_factors=["to_see_friends"],
        local_answers={"push_other_details": OTHER_PUSH, "wants_to_talk": True,
                       "wants_to_talk_who": "Fy nain", "yp_feeling_today": YOUNG_PERSON_TODAY,
                       "yp_feel_safe_now": False})
    interview = create_interview(worker, episode["id"], **(fields | changes))
    create_attempt(worker, interview["id"], method="phone", outcome="spoke_to_child")
    if submit:
        response = worker.patch(f"{API}/interviews/{interview['id']}", json={"status": "submitted"})
        assert response.status_code == 200, response.get_data(as_text=True)
    return Told(worker, child, interview)


@pytest.fixture
def told(world, as_person) -> Told:
    return tell_interview(as_person(world.worker))


def in_language(client, language: str):
    """The client's person now reads in this language (saved on their account, as the
    language switch does)."""
    me = client.get(f"{API}/me").json
    response = client.patch(f"{API}/people/{me['id']}", json={"preferred_language": language})
    assert response.status_code == 200, response.get_data(as_text=True)
    return client


MINE, THEIRS = "Aeth hi at ei ffrind.", "Arhosodd hi gyda'i modryb."


def a_conflict(app, web):
    """Two tablets of the worker signed in on `web` change why_missing from the same base."""
    tablet_a, tablet_b = enrol(app, web, "A"), enrol(app, web, "B")
    ids, mutations = new_case(tablet_a)
    tablet_a.push(mutations)
    base = tablet_b.pull()["changes"][("interviews", str(ids["interviews"]))]["rev"]
    tablet_a.push([tablet_a.mutation("interviews", ids["interviews"], {"why_missing": THEIRS},
                                     base_rev=base)])
    body = tablet_b.push([tablet_b.mutation("interviews", ids["interviews"],
                                            {"why_missing": MINE}, base_rev=base)])
    assert body["results"][0]["status"] == "conflict", body
    return tablet_a, ids
