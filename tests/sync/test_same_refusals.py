"""One rule, one place: a change the JSON API refuses, a sync push refuses too, naming the same
field with the same message(s), in Welsh and in English.

Each row of CASES is one rule that can refuse a change to a synced collection. The test makes
the row's records through the API as its actor (the same way twice, so that each way starts
from a state of its own and the two cannot interfere), then sends the same invalid change
  (a) through the API (POST to create, PATCH to update), and
  (b) through a sync push from a tablet the same actor enrolled,
and holds the two refusals equal as {field: [messages]}.

The language is the one saved on the actor's account: a device's push is worded in it
(sync/PROTOCOL.md), and it comes before Accept-Language for the API too (app/i18n.py), so the
test saves it once and both ways read it.

A problem+json that names no field is read as its message under NO_FIELD: a push always names a
field, so such a row would fail. (A 409 for a locked interview or a refused status move names
its field, as a push's refusal does.)
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from tests.api.helpers import (
    API,
    PROBLEM_JSON,
    create_attempt,
    create_child,
    create_episode,
    create_interview,
    patch,
)
from tests.sync.http_helpers import CONDUCTED, Tablet, enrol

# The API's times (tests/api/helpers.py makes episodes reported and returned at these).
REPORTED = "2026-03-01T10:00:00+00:00"
RETURNED = "2026-03-02T08:00:00+00:00"
BEFORE_THE_REPORT = "2026-02-28T10:00:00+00:00"
BEFORE_THE_RETURN = "2026-03-02T07:59:00+00:00"
ATTEMPTED = "2026-03-02T09:00:00+00:00"

NO_FIELD = "(no field; the problem's detail)"


# --- what a case is -----------------------------------------------------------------------------

@dataclass
class Given:
    """What one way of sending starts from: the actor signed in on the web (`web`), the people
    of tests/conftest.py (`world`), and the records the case's setup made (`made`, by name)."""

    world: object
    web: object
    as_person: Callable
    made: dict = field(default_factory=dict)

    def id(self, name: str) -> str:
        return self.made[name]["id"]


@dataclass(frozen=True)
class Case:
    collection: str  # children, episodes, interviews or attempts
    rule: str  # what is wrong, in a few words (the test's id)
    change: Callable[[Given], dict]  # the invalid change: the fields sent, both ways alike
    op: str = "create"  # or "update": `target` names the record of `made` it changes
    actor: str = "worker"  # a person of the world: worker, supervisor or admin
    setup: Callable[[Given], dict] = lambda given: {}  # records made first, through the API
    target: str | None = None

    @property
    def id(self) -> str:
        return f"{self.collection}: {self.rule} ({self.op}, {self.actor})"


@dataclass(frozen=True)
class Refusal:
    status: int | str  # the API's HTTP status, or the push result's status
    errors: dict[str, list[str]]

    @property
    def messages(self) -> list[str]:
        return sorted(message for messages in self.errors.values() for message in messages)


# --- setups: records made through the API, as the actor (or another person) --------------------

def a_child(given: Given) -> dict:
    return {"child": create_child(given.web)}


def an_episode(given: Given) -> dict:
    child = create_child(given.web)
    return {"child": child, "episode": create_episode(given.web, child["id"])}


def an_interview(given: Given, **fields) -> dict:
    made = an_episode(given)
    made["interview"] = create_interview(given.web, made["episode"]["id"], **fields)
    return made


def a_draft_interview(given: Given) -> dict:
    return an_interview(given, consent="accepted", conducted_at=CONDUCTED)


def a_submitted_interview(given: Given) -> dict:
    made = an_interview(given, consent="accepted", conducted_at=CONDUCTED)
    made["interview"] = patch(given.web, "interviews", made["interview"]["id"],
                              status="submitted")
    return made


def an_approved_interview(given: Given) -> dict:
    made = a_submitted_interview(given)
    # Approved by the admin: whoever held an interview may not approve it too (four eyes).
    made["interview"] = patch(given.as_person(given.world.admin), "interviews",
                              made["interview"]["id"], status="approved")
    return made


def an_attempt(given: Given) -> dict:
    made = a_draft_interview(given)
    made["attempt"] = create_attempt(given.web, made["interview"]["id"])
    return made


def an_attempt_on_a_submitted_interview(given: Given) -> dict:
    made = an_attempt(given)
    made["interview"] = patch(given.web, "interviews", made["interview"]["id"],
                              status="submitted")
    return made


def two_attempts(given: Given) -> dict:
    made = an_attempt(given)
    second = a_draft_interview(given)["interview"]
    made["other_interview"] = second
    return made


def outsiders_case(given: Given) -> dict:
    """A child of the other organisation, with an episode, an interview and an attempt, made
    by its own worker."""
    outsider = given.as_person(given.world.outsider)
    child = create_child(outsider, given="Osian", family="Allan")
    episode = create_episode(outsider, child["id"])
    interview = create_interview(outsider, episode["id"])
    attempt = create_attempt(outsider, interview["id"])
    return {"child": child, "episode": episode, "interview": interview, "attempt": attempt}


def a_colleagues_child(given: Given) -> dict:
    """A child of the worker's team, assigned to their colleague (a supervisor makes it)."""
    supervisor = given.as_person(given.world.supervisor)
    return {"child": create_child(supervisor, given="Dylan",
                                  assigned_worker_id=str(given.world.colleague.id))}


def two_episodes(given: Given) -> dict:
    made = an_interview(given)
    made["other_episode"] = create_episode(given.web, made["child"]["id"],
                                           reported="2026-04-01T10:00:00+00:00",
                                           returned="2026-04-02T10:00:00+00:00")
    return made


def two_children(given: Given) -> dict:
    made = an_episode(given)
    made["other_child"] = create_child(given.web, given="Dylan")
    return made


# --- changes ------------------------------------------------------------------------------------

def child(**fields) -> Callable[[Given], dict]:
    """A new child's fields: a name, and these."""
    return lambda given: {"given_name": "Gwen", "family_name": "Jones", **fields}


def episode_of(parent: str = "child", **fields) -> Callable[[Given], dict]:
    """A new episode of the made record `parent`'s child (a child of `made`)."""
    return lambda given: {"child_id": given.id(parent), "reported_missing_at": REPORTED,
                          "returned_at": RETURNED, **fields}


def interview_of(**fields) -> Callable[[Given], dict]:
    return lambda given: {"episode_id": given.id("episode"), **fields}


def attempt_of(**fields) -> Callable[[Given], dict]:
    return lambda given: {"interview_id": given.id("interview"), "attempted_at": ATTEMPTED,
                          "method": "phone", "outcome": "no_answer", **fields}


def just(**fields) -> Callable[[Given], dict]:
    return lambda given: dict(fields)


def without(make: Callable[[Given], dict], name: str) -> Callable[[Given], dict]:
    return lambda given: {key: value for key, value in make(given).items() if key != name}


# --- the rules ----------------------------------------------------------------------------------

CASES = [
    # children
    Case("children", "given_name missing", without(child(), "given_name")),
    Case("children", "given_name of 121 characters", child(given_name="G" * 121)),
    Case("children", "given_name of 121 characters", just(given_name="G" * 121), op="update",
         setup=a_child, target="child"),
    Case("children", "family_name emptied (null)", just(family_name=None), op="update",
         setup=a_child, target="child"),
    Case("children", "an unknown field", child(favourite_colour="porffor")),
    Case("children", "organisation_id (the server's to set)",
         lambda given: child(organisation_id=str(given.world.org_b.id))(given)),
    Case("children", "unknown placing_authority_code", child(placing_authority_code="W06999999")),
    Case("children", "a police force as host_authority_code",
         child(host_authority_code="W15000001")),
    Case("children", "unknown host_authority_code", child(host_authority_code="W06999999")),
    Case("children", "a police force as placing_authority_code (English)",
         child(placing_authority_code="E23000006")),
    Case("children", "a police force as placing_authority_code", just(
        placing_authority_code="W15000002"), op="update", setup=a_child, target="child"),
    Case("children", "both authorities unknown", just(
        placing_authority_code="X", host_authority_code="W15000003"), op="update",
         setup=a_child, target="child"),
    Case("children", "date_of_birth not a date", child(date_of_birth="31/02/2026")),
    Case("children", "looked_after not true or false", child(looked_after="efallai")),
    Case("children", "team of another organisation",
         lambda given: child(team_id=str(given.world.outsider.team_id))(given), actor="admin"),
    Case("children", "team of another organisation",
         lambda given: child(team_id=str(given.world.outsider.team_id))(given),
         actor="supervisor"),
    Case("children", "no team (an admin has none of their own)", child(), actor="admin"),
    Case("children", "another team of the same organisation",
         lambda given: child(team_id=str(given.world.other_team.id))(given),
         actor="supervisor"),
    Case("children", "another team of the same organisation",
         lambda given: {"team_id": str(given.world.other_team.id)}, op="update",
         actor="supervisor", setup=a_child, target="child"),
    Case("children", "another team of the same organisation",
         lambda given: child(team_id=str(given.world.other_team.id))(given)),
    Case("children", "assigned_worker_id of a worker in another team",
         lambda given: child(assigned_worker_id=str(given.world.other_team_worker.id))(given),
         actor="supervisor"),
    Case("children", "assigned_worker_id of a worker in another team",
         lambda given: {"assigned_worker_id": str(given.world.other_team_worker.id)},
         op="update", actor="supervisor", setup=a_child, target="child"),
    Case("children", "assigned_worker_id of a commissioner",
         lambda given: {"assigned_worker_id": str(given.world.commissioner.id)},
         op="update", actor="supervisor", setup=a_child, target="child"),
    Case("children", "a worker assigning to someone else",
         lambda given: child(assigned_worker_id=str(given.world.colleague.id))(given)),
    Case("children", "a worker assigning to someone else",
         lambda given: {"assigned_worker_id": str(given.world.colleague.id)}, op="update",
         setup=a_child, target="child"),
    Case("children", "preferred_language not cy or en", child(preferred_language="fr")),
    Case("children", "a given_name of spaces alone", child(given_name="   ")),
    Case("children", "a family_name of a right-to-left override alone",
         just(family_name="\u202e\u200b"), op="update", setup=a_child, target="child"),
    # (A change to a record outside the person's scope is no rule of the record: the API cannot
    # address it, 404, and a push refuses its id. tests/api/test_scope.py holds the one, and
    # tests/sync/test_sync_rules.py the other.)

    # episodes
    Case("episodes", "returned_at before reported_missing_at",
         episode_of(returned_at=BEFORE_THE_REPORT), setup=a_child),
    Case("episodes", "returned_at before reported_missing_at",
         just(returned_at=BEFORE_THE_REPORT), op="update", setup=an_episode, target="episode"),
    Case("episodes", "unknown risk_grade", episode_of(risk_grade="enormous"), setup=a_child),
    Case("episodes", "unknown return_method", episode_of(return_method="teleported"),
         setup=a_child),
    Case("episodes", "unknown reporting_force_code", episode_of(reporting_force_code="W15999999"),
         setup=a_child),
    Case("episodes", "a local authority as reporting_force_code",
         episode_of(reporting_force_code="W06000015"), setup=a_child),
    Case("episodes", "an English local authority as reporting_force_code",
         just(reporting_force_code="E06000051"), op="update", setup=an_episode,
         target="episode"),
    Case("episodes", "child_id of another organisation's child", episode_of(),
         setup=outsiders_case),
    Case("episodes", "child_id of a colleague's child (not visible to a worker)",
         episode_of(), setup=a_colleagues_child),
    Case("episodes", "reported_missing_at missing", without(episode_of(), "reported_missing_at"),
         setup=a_child),
    Case("episodes", "reported_missing_at without an offset",
         episode_of(reported_missing_at="2026-03-01T10:00:00"), setup=a_child),
    Case("episodes", "reported_missing_at emptied (null)", just(reported_missing_at=None),
         op="update", setup=an_episode, target="episode"),
    Case("episodes", "where_found of 2001 characters", episode_of(where_found="x" * 2001),
         setup=a_child),
    Case("episodes", "moving an episode to another child",
         lambda given: {"child_id": given.id("other_child")}, op="update", setup=two_children,
         target="episode"),

    # interviews
    Case("interviews", "conducted_at before the child returned",
         interview_of(consent="accepted", conducted_at=BEFORE_THE_RETURN), setup=an_episode),
    Case("interviews", "conducted_at before the child returned",
         just(conducted_at=BEFORE_THE_RETURN), op="update", setup=a_draft_interview,
         target="interview"),
    Case("interviews", "offered_at before the child returned",
         interview_of(offered_at=BEFORE_THE_RETURN), setup=an_episode),
    Case("interviews", "offered_at before the child returned",
         just(offered_at=BEFORE_THE_RETURN), op="update", setup=a_draft_interview,
         target="interview"),
    Case("interviews", "unknown code in push_factors (a list)",
         interview_of(push_factors=["family_conflict", "boredom"]), setup=an_episode),
    Case("interviews", "unknown location", interview_of(location="the_moon"), setup=an_episode),
    Case("interviews", "unknown status", interview_of(status="finished"), setup=an_episode),
    Case("interviews", "submitting without conducted_at",
         interview_of(consent="accepted", status="submitted"), setup=an_episode),
    Case("interviews", "submitting without conducted_at", just(status="submitted"),
         op="update", setup=an_interview, target="interview"),
    Case("interviews", "submitting declined without declined_by",
         interview_of(consent="declined", status="submitted"), setup=an_episode),
    Case("interviews", "a worker changing a submitted interview (locked)",
         just(why_missing="Newid ar ôl cyflwyno"), op="update", setup=a_submitted_interview,
         target="interview"),
    Case("interviews", "a supervisor changing an approved interview (locked)",
         just(why_missing="Newid ar ôl cymeradwyo"), op="update", actor="supervisor",
         setup=an_approved_interview, target="interview"),
    Case("interviews", "a worker moving submitted to approved", just(status="approved"),
         op="update", setup=a_submitted_interview, target="interview"),
    Case("interviews", "unknown questionnaire_version_id",
         lambda given: interview_of(questionnaire_version_id=str(uuid.uuid4()))(given),
         setup=an_episode),
    Case("interviews", "local_answers answering an unknown question",
         interview_of(local_answers={"no_such_question": "x"}), setup=an_episode),
    Case("interviews", "local_answers answering an unknown question",
         just(local_answers={"no_such_question": "x"}), op="update", setup=a_draft_interview,
         target="interview"),
    Case("interviews", "local_answers of the wrong kind (text for yes/no)",
         interview_of(local_answers={"wants_to_talk": "yes"}), setup=an_episode),
    Case("interviews", "episode_id of another organisation's episode", interview_of(),
         setup=outsiders_case),
    Case("interviews", "moving an interview to another episode",
         lambda given: {"episode_id": given.id("other_episode")}, op="update",
         setup=two_episodes, target="interview"),
    Case("interviews", "interviewer_id of another organisation's person",
         lambda given: interview_of(interviewer_id=str(given.world.outsider.id))(given),
         setup=an_episode),
    Case("interviews", "notes of 20001 characters", interview_of(notes="n" * 20001),
         setup=an_episode),
    Case("interviews", "a worker naming a colleague as the interviewer",
         lambda given: interview_of(interviewer_id=str(given.world.colleague.id))(given),
         setup=an_episode),
    Case("interviews", "a supervisor naming someone of another team as the interviewer",
         lambda given: interview_of(interviewer_id=str(given.world.other_team_worker.id))(given),
         actor="supervisor", setup=an_episode),
    Case("interviews", "a supervisor approving an interview they held (four eyes)",
         just(status="approved"), op="update", actor="supervisor", setup=a_submitted_interview,
         target="interview"),

    # attempts
    Case("attempts", "unknown method", attempt_of(method="carrier_pigeon"),
         setup=a_draft_interview),
    Case("attempts", "attempted_at before the child returned",
         attempt_of(attempted_at=BEFORE_THE_RETURN), setup=a_draft_interview),
    Case("attempts", "attempted_at before the child returned",
         just(attempted_at=BEFORE_THE_RETURN), op="update", setup=an_attempt, target="attempt"),
    Case("attempts", "unknown outcome", attempt_of(outcome="maybe"), setup=a_draft_interview),
    Case("attempts", "attempted_at missing", without(attempt_of(), "attempted_at"),
         setup=a_draft_interview),
    Case("attempts", "notes of 5001 characters", attempt_of(notes="n" * 5001),
         setup=a_draft_interview),
    Case("attempts", "an attempt on a submitted interview (locked)", attempt_of(),
         setup=a_submitted_interview),
    Case("attempts", "changing an attempt of a submitted interview (locked)",
         just(outcome="spoke_to_child"), op="update", setup=an_attempt_on_a_submitted_interview,
         target="attempt"),
    Case("attempts", "interview_id of another organisation's interview", attempt_of(),
         setup=outsiders_case),
    Case("attempts", "moving an attempt to another interview",
         lambda given: {"interview_id": given.id("other_interview")}, op="update",
         setup=two_attempts, target="attempt"),
]


# --- sending the change both ways ---------------------------------------------------------------

def api_errors(problem: dict) -> dict[str, list[str]]:
    """A problem+json's refusal as {field: messages}. From its `errors` when it has them (a
    422's); a problem without them names no field (today's 409 for a locked interview or a
    refused status move, a 404), so its `detail` (else its title) is given under NO_FIELD, which
    no push's refusal (always by field) can equal."""
    if problem.get("errors"):
        return {error["field"]: error["messages"] for error in problem["errors"]}
    return {NO_FIELD: [problem.get("detail") or problem["title"]]}


def refused_by_the_api(case: Case, given: Given) -> Refusal:
    change = case.change(given)
    if case.op == "create":
        response = given.web.post(f"{API}/{case.collection}", json=change)
    else:
        response = given.web.patch(f"{API}/{case.collection}/{given.id(case.target)}",
                                   json=change)
    assert response.status_code >= 400, \
        f"the API accepted it ({response.status_code}): {response.get_data(as_text=True)}"
    assert response.mimetype == PROBLEM_JSON, response.get_data(as_text=True)
    return Refusal(response.status_code, api_errors(response.get_json(force=True)))


def refused_by_a_push(case: Case, given: Given, tablet: Tablet) -> Refusal:
    change = case.change(given)
    if case.op == "create":
        mutation = tablet.mutation(case.collection, uuid.uuid4(), change)
    else:
        target = given.made[case.target]
        mutation = tablet.mutation(case.collection, target["id"], change, base_rev=target["rev"])
    (result,) = tablet.push([mutation])["results"]
    assert result["status"] == "rejected", f"the push did not refuse it: {result}"
    return Refusal(result["status"], result["errors"])


def save_language(web, language: str) -> None:
    """The actor reads in this language from now on (saved on their account, as the language
    switch does): the API's answers and their device's pushes are worded in it."""
    me = web.get(f"{API}/me").json
    response = web.patch(f"{API}/people/{me['id']}", json={"preferred_language": language})
    assert response.status_code == 200, response.get_data(as_text=True)


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_api_and_a_push_refuse_alike(case: Case, language: str, app, world, as_person):
    web = as_person(getattr(world, case.actor))
    tablet = enrol(app, web)
    save_language(web, language)

    def given() -> Given:  # each way starts from records of its own, made alike
        start = Given(world, web, as_person)
        start.made = case.setup(start)
        return start

    api = refused_by_the_api(case, given())
    push = refused_by_a_push(case, given(), tablet)
    assert api.errors == push.errors, (
        f"\nAPI ({api.status}):  {api.errors}\npush ({push.status}): {push.errors}"
        f"\nsame field(s): {sorted(api.errors) == sorted(push.errors)}; "
        f"same message(s): {api.messages == push.messages}")
