"""The example files of sync/PROTOCOL.md, checked against the real server.

Every *.json file in sync/examples/ has a check here that runs the flow it illustrates over HTTP
and compares the shapes (the key sets) of the real answers with the example, so an example that
no longer matches the code fails. PROTOCOL.md names exactly the files that exist."""

import base64
import copy
import json
import re
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from sync.messages import PushRequestSchema
from sync.protocol import Mutation
from tests.api.helpers import API, assert_problem
from tests.sync.http_helpers import PUSH, at, enrol, statuses

SYNC = Path(__file__).resolve().parents[2] / "sync"
EXAMPLES = SYNC / "examples"
PROTOCOL = SYNC / "PROTOCOL.md"
EXAMPLE_FILES = sorted(path.name for path in EXAMPLES.glob("*.json"))
CHECKS = {}


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def checks(name: str):
    def register(function):
        CHECKS[name] = function
        return function

    return register


def keys_by_status(results: list[dict]) -> dict[str, set[str]]:
    """The key set of the results of each status; every result of one status has the same."""
    found: dict[str, set[str]] = {}
    for result in results:
        shape = found.setdefault(result["status"], set(result))
        assert shape == set(result), f"{result['status']} results differ in shape: {result}"
    return found


def one_shape(items: list[dict], what: str) -> set[str]:
    shapes = {frozenset(item) for item in items}
    assert len(shapes) == 1, f"{what} come in several shapes: {shapes}"
    return set(shapes.pop())


def get_json(client, path: str, headers=None) -> dict:
    response = client.get(path, headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


# --- the flows the examples illustrate ---------------------------------------------------------

def sent_by(tablet) -> dict:
    """push-request.json as this tablet sends it: its own device id. The example names no team
    and no worker, so the child goes to the sending worker's team and to them."""
    body = copy.deepcopy(example("push-request.json"))
    body["device_id"] = tablet.id
    for mutation in body["mutations"]:
        if mutation["collection"] == "children":
            assert not {"team_id", "assigned_worker_id"} & set(mutation["fields"]), (
                "a worker's device may not set these; the example must leave them out")
    tablet.next_id = max(m["mutation_id"] for m in body["mutations"]) + 1
    return body


def example_ids() -> dict[str, str]:
    """The id of the first record of each collection that push-request.json makes."""
    found: dict[str, str] = {}
    for mutation in example("push-request.json")["mutations"]:
        found.setdefault(mutation["collection"], mutation["id"])
    return found


def push_example(tablet) -> dict:
    body = sent_by(tablet)
    response = tablet.post_push(body)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert statuses(response.json) == ["applied"] * len(body["mutations"])
    return response.json


def every_result_kind(app, web):
    """Two tablets of one worker. A sends push-request.json; B pulls and sends a new attempt;
    A changes the episode's where_found and the interview's why_missing; B, from the revisions
    it pulled, sends a batch that gets every kind of result (as push-response.json shows).
    Returns (tablet_a, tablet_b, the answer to B's first batch, the answer to its second)."""
    tablet_a, tablet_b = enrol(app, web, "Tablet A"), enrol(app, web, "Tablet B")
    ids = example_ids()
    by_a = push_example(tablet_a)
    revs = {m["collection"]: r["rev"] for m, r in zip(example("push-request.json")["mutations"],
                                                      by_a["results"], strict=True)}
    tablet_b.pull()
    new_attempt = tablet_b.mutation("attempts", uuid.uuid4(), {
        "interview_id": ids["interviews"], "attempted_at": "2026-10-18T16:40:00+01:00",
        "method": "text_message", "outcome": "no_answer", "notes": "Neges destun at Cerys."})
    first = tablet_b.push([new_attempt])
    assert statuses(first) == ["applied"]
    assert statuses(tablet_a.push([
        tablet_a.mutation("episodes", ids["episodes"], {"where_found": "Gorsaf fysiau Bangor"},
                          base_rev=revs["episodes"]),
        tablet_a.mutation("interviews", ids["interviews"],
                          {"why_missing": "Roedd hi eisiau amser i feddwl."},
                          base_rev=revs["interviews"]),
    ])) == ["applied", "applied"]
    second = tablet_b.push([
        new_attempt,  # its answer was lost: sent again
        tablet_b.mutation("episodes", ids["episodes"], {"risk_grade": "high"},
                          base_rev=revs["episodes"]),
        tablet_b.mutation("interviews", ids["interviews"],
                          {"why_missing": "Roedd hi'n drist ac yn unig yn y tŷ.",
                           "feeling_after": "Yn well ar ôl siarad."},
                          base_rev=revs["interviews"]),
        tablet_b.mutation("episodes", ids["episodes"],
                          {"returned_at": "2000-01-01T00:00:00+00:00"},
                          base_rev=revs["episodes"]),
        tablet_b.mutation("attempts", uuid.uuid4(), {
            "interview_id": ids["interviews"], "attempted_at": "2026-10-19T09:00:00+01:00",
            "method": "via_carer", "outcome": "appointment_made"}),
    ])
    assert statuses(second) == ["duplicate", "merged", "conflict", "rejected", "applied"]
    return tablet_a, tablet_b, first, second


# --- the list of examples ----------------------------------------------------------------------

def test_protocol_names_exactly_the_example_files():
    named = set(re.findall(r"examples/([\w.-]+)", PROTOCOL.read_text(encoding="utf-8")))
    present = {path.name for path in EXAMPLES.iterdir() if path.is_file()}
    assert named, "PROTOCOL.md names no example"
    assert named - present == set(), "named in PROTOCOL.md but missing from sync/examples/"
    assert present - named == set(), "in sync/examples/ but not named in PROTOCOL.md"


def test_every_example_has_a_check():
    assert EXAMPLE_FILES
    assert set(EXAMPLE_FILES) == set(CHECKS)


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_the_example_matches_the_server(name, world, as_person, app):
    body = example(name)
    assert isinstance(body, dict)
    for text in re.findall(r'"(\d{4}-\d\d-\d\dT[^"]+)"', json.dumps(body)):
        assert datetime.fromisoformat(text).tzinfo is not None, f"{name}: {text} has no offset"
    assert name in CHECKS, f"no check for sync/examples/{name}"
    CHECKS[name](body, world, as_person, app)


# --- push --------------------------------------------------------------------------------------

@checks("push-request.json")
def check_push_request(body, world, as_person, app):
    assert body["protocol"] == 1
    web = as_person(world.worker)
    tablet = enrol(app, web)
    sent = sent_by(tablet)
    loaded = PushRequestSchema().load(sent)
    assert all(isinstance(m, Mutation) for m in loaded["mutations"])
    assert {m.collection for m in loaded["mutations"]} == {
        "children", "episodes", "interviews", "attempts"}
    assert all(m.base_rev is None and m.device_time for m in loaded["mutations"])
    interview = next(m for m in loaded["mutations"] if m.collection == "interviews")
    assert interview.fields["push_factors"]

    response = tablet.client.post(PUSH, json=sent, headers=tablet.headers)

    assert response.status_code == 200, response.get_data(as_text=True)
    real = response.json
    assert statuses(real) == ["applied"] * len(sent["mutations"])
    shown = example("push-response.json")
    assert set(real) == set(shown)
    real_shapes, shown_shapes = keys_by_status(real["results"]), keys_by_status(shown["results"])
    for status, shape in real_shapes.items():
        assert shape == shown_shapes[status], status
    # The child is valid for this worker: in their team, assigned to them.
    child = get_json(web, f"{API}/children/{example_ids()['children']}")
    assert child["assigned_worker_id"] == str(world.worker.id)
    assert child["team_id"] == str(world.team_a.id)
    assert child["given_name"] == next(m for m in body["mutations"]
                                       if m["collection"] == "children")["fields"]["given_name"]


@checks("push-response.json")
def check_push_response(body, world, as_person, app):
    assert body["protocol"] == 1
    shown = keys_by_status(body["results"])
    assert set(shown) == {"applied", "duplicate", "merged", "conflict", "rejected"}
    _a, _b, _first, real = every_result_kind(app, as_person(world.worker))

    assert set(real) == set(body)
    assert real["last_mutation_id"] == max(r["mutation_id"] for r in real["results"])
    assert body["last_mutation_id"] == max(r["mutation_id"] for r in body["results"])
    assert keys_by_status(real["results"]) == shown
    by_status = {r["status"]: r for r in real["results"]}
    examples = {r["status"]: r for r in body["results"]}
    assert set(by_status["duplicate"]["original"]) == set(examples["duplicate"]["original"])
    assert one_shape(by_status["conflict"]["conflicts"], "conflicts") == one_shape(
        examples["conflict"]["conflicts"], "conflicts")
    for result in (by_status["rejected"], examples["rejected"]):
        assert all(isinstance(v, list) and all(isinstance(m, str) for m in v)
                   for v in result["errors"].values())
    # The example is one batch: increasing mutation ids, revisions in order.
    ids = [r["mutation_id"] for r in body["results"]]
    assert ids == sorted(set(ids))
    revs = [r["rev"] for r in body["results"] if "rev" in r]
    assert revs == sorted(set(revs))


@checks("resolve-request.json")
def check_resolve_request(body, world, as_person, app):
    assert set(body) == {"value"}
    web = as_person(world.worker)
    every_result_kind(app, web)
    conflicts = get_json(web, f"{API}/sync/conflicts")["items"]
    assert [c["field"] for c in conflicts] == ["why_missing"]

    response = web.post(f"{API}/sync/conflicts/{conflicts[0]['id']}/resolve", json=body)

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["record"]["why_missing"] == body["value"]
    assert get_json(web, f"{API}/sync/conflicts")["items"] == []


# --- pull --------------------------------------------------------------------------------------

@checks("pull-response.json")
def check_pull_response(body, world, as_person, app):
    assert body["protocol"] == 1
    web = as_person(world.worker)
    tablet_a, tablet_b, first, _second = every_result_kind(app, web)
    # B deletes the attempt it made in its first batch: a removal.
    made = [key[1] for key, change in tablet_b.pull()["changes"].items()
            if key[0] == "attempts" and change["rev"] == first["results"][0]["rev"]]
    assert len(made) == 1
    deleted = tablet_b.push([tablet_b.mutation("attempts", made[0], op="delete",
                                               base_rev=first["results"][0]["rev"])])
    assert statuses(deleted) == ["applied"]

    response = tablet_a.get_pull(limit=500)

    assert response.status_code == 200, response.get_data(as_text=True)
    real = response.json
    assert set(real) == set(body)
    assert set(real["reference"]) == set(body["reference"])
    assert isinstance(real["cursor"], str) and isinstance(real["more"], bool)
    assert one_shape(real["changes"], "changes") == one_shape(body["changes"], "changes")
    assert real["removals"] and body["removals"]
    assert one_shape(real["removals"], "removals") == one_shape(body["removals"], "removals")
    shown = {c["collection"] for c in body["changes"]}
    assert shown == {c["collection"] for c in real["changes"]} == {
        "children", "episodes", "interviews", "attempts"}
    for collection in shown:
        real_records = [c["record"] for c in real["changes"] if c["collection"] == collection]
        shown_records = [c["record"] for c in body["changes"] if c["collection"] == collection]
        assert one_shape(real_records, collection) == one_shape(shown_records, collection)
    real_conflicts = [c for change in real["changes"] for c in change["record"]["_conflicts"]]
    shown_conflicts = [c for change in body["changes"] for c in change["record"]["_conflicts"]]
    assert real_conflicts and shown_conflicts
    assert one_shape(real_conflicts, "_conflicts") == one_shape(shown_conflicts, "_conflicts")
    # The example is one page: every change and removal in rev order, and the cursor after them.
    for page in (real, body):
        revs = sorted(event["rev"] for event in page["changes"] + page["removals"])
        assert len(set(revs)) == len(revs)
        assert page["cursor"].split(".")[-1] == str(revs[-1])
        for change in page["changes"]:
            assert change["record"]["id"] == change["id"] and change["record"]["rev"] == change[
                "rev"]


@checks("pull-full-resync.json")
def check_full_resync(body, world, as_person, app):
    tablet = enrol(app, as_person(world.worker))
    assert tablet.get_pull().status_code == 200

    real = assert_problem(tablet.get_pull("garbage"), 409)

    assert set(real) == set(body)
    assert real["full_resync"] is True and body["full_resync"] is True
    assert real["protocol"] == body["protocol"] == 1
    assert (body["status"], body["instance"]) == (409, "/api/v1/sync/pull")
    assert body["type"] == real["type"]


# --- reference data ----------------------------------------------------------------------------

@checks("reference-response.json")
def check_reference(body, world, as_person, app):
    tablet = enrol(app, as_person(world.worker))

    real = get_json(tablet.client, f"{API}/sync/reference", tablet.headers)

    assert set(real) == set(body)
    assert real["protocol"] == body["protocol"] == 1
    assert set(real["reference"]) == set(body["reference"])
    assert set(body["reference"]) == set(example("pull-response.json")["reference"])
    for name, part in real["reference"].items():
        shown = body["reference"][name]
        assert set(part) == set(shown), name
        assert isinstance(shown["version"], str) and shown["version"], name
        if "data" in part:
            assert shown["data"], f"{name}: the example keeps a few items"
            assert one_shape(part["data"], name) == one_shape(shown["data"], name)


# --- devices -----------------------------------------------------------------------------------

@checks("enrol-request.json")
def check_enrol_request(body, world, as_person, app):
    web = as_person(world.worker)

    response = web.post(f"{API}/devices", json=body)

    assert response.status_code == 201, response.get_data(as_text=True)
    real = response.json
    shown = example("enrol-response.json")
    assert set(real) == set(shown)
    assert (real["token_type"], real["expires_in"]) == (shown["token_type"], shown["expires_in"])
    devices = get_json(web, f"{API}/devices")["items"]
    assert [(d["id"], d["name"]) for d in devices] == [(real["device_id"], body["name"])]


@checks("enrol-response.json")
def check_enrol_response(body, world, as_person, app):
    tablet = enrol(app, as_person(world.worker))
    real = {"device_id": tablet.id, "access_token": tablet.access_token,
            "refresh_token": tablet.refresh_token}
    assert set(real) <= set(body)
    # The example's access token is a JWT of the example's device, living expires_in seconds.
    header, payload, _signature = body["access_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["alg"] == "HS256"
    assert claims["dev"] == body["device_id"]
    assert claims["exp"] - claims["iat"] == body["expires_in"]
    assert uuid.UUID(claims["sub"])
    assert tablet.get_pull().status_code == 200


@checks("revoked-response.json")
def check_revoked(body, world, as_person, app):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    assert tablet.get_pull().status_code == 200
    revoked = web.post(f"{API}/devices/{tablet.id}/revoke", json={})
    assert revoked.status_code == 200, revoked.get_data(as_text=True)

    real = assert_problem(tablet.get_pull(), 401)

    assert set(real) == set(body)
    assert real["wipe"] is True and body["wipe"] is True
    assert body["status"] == 401 and body["type"] == real["type"]
    # Pushing is refused alike.
    again = assert_problem(tablet.post_push(tablet.batch([])), 401)
    assert set(again) == set(body) and again["wipe"] is True


def test_the_examples_tell_one_story():
    """The ids and times the examples share agree with each other."""
    request, page = example("push-request.json"), example("pull-response.json")
    made = {(m["collection"], m["id"]) for m in request["mutations"]}
    pulled = {(c["collection"], c["id"]) for c in page["changes"]}
    assert made <= pulled
    enrolled = example("enrol-response.json")
    assert request["device_id"] == enrolled["device_id"]
    episode = next(m for m in request["mutations"] if m["collection"] == "episodes")
    shown = next(c["record"] for c in page["changes"] if c["id"] == episode["id"])
    assert at(shown["reported_missing_at"]) == at(episode["fields"]["reported_missing_at"])
    conflict = next(r for r in example("push-response.json")["results"]
                    if r["status"] == "conflict")["conflicts"][0]
    marked = [c for change in page["changes"] for c in change["record"]["_conflicts"]]
    assert [(c["field"], c["device_value"]) for c in marked] == [
        (conflict["field"], conflict["device_value"])]
