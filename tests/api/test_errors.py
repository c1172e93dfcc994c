"""How the API answers what it cannot do: problem+json for unreadable, unsupported, too large,
unknown and unauthenticated requests, and nothing saved when a request fails."""

import json
import uuid

import pytest
from sqlalchemy import func, select

from app.cases.models import Child
from tests.api.helpers import API, assert_problem, create_child, read

COLLECTIONS = ["children", "episodes", "interviews", "attempts"]


def count_children(session) -> int:
    return session.scalar(select(func.count()).select_from(Child))


# --- 400, 415, 413 ----------------------------------------------------------------------------

@pytest.mark.parametrize("collection", COLLECTIONS)
def test_malformed_json_is_a_bad_request(world, as_person, collection):
    response = as_person(world.worker).post(f"{API}/{collection}", data='{"given_name": "Gw',
                                            content_type="application/json")
    body = assert_problem(response, 400)
    assert body["detail"]
    assert body["instance"] == f"/api/v1/{collection}"


def test_malformed_json_in_a_patch_is_a_bad_request(world, as_person):
    response = as_person(world.worker).patch(f"{API}/children/{world.child.id}",
                                             data="{,}", content_type="application/json")
    assert_problem(response, 400)


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_a_body_that_is_not_json_is_unsupported(world, as_person, collection):
    response = as_person(world.worker).post(f"{API}/{collection}", data="given_name=Gwen",
                                            content_type="application/x-www-form-urlencoded")
    assert_problem(response, 415)


def test_a_patch_in_plain_text_is_unsupported(world, session, as_person):
    worker = as_person(world.worker)
    response = worker.patch(f"{API}/children/{world.child.id}",
                            data='{"given_name": "Carys"}', content_type="text/plain")
    assert_problem(response, 415)
    assert read(worker, "children", world.child.id)["given_name"] == "Cerys"


def test_json_that_is_not_an_object_is_invalid(world, as_person):
    response = as_person(world.worker).post(f"{API}/children", json=["Gwen", "Jones"])
    assert_problem(response, 422)


def test_a_body_over_the_limit_is_too_large(app, world, session, as_person):
    worker = as_person(world.worker)
    before = count_children(session)
    saved = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 2048
    try:
        response = worker.post(f"{API}/children", json={
            "given_name": "Gwen", "family_name": "Jones", "notes": "x" * 4000})
        patched = worker.patch(f"{API}/children/{world.child.id}",
                               json={"given_name": "C" * 3000})
        small = worker.post(f"{API}/children", json={"given_name": "Gwen", "family_name": "Bach"})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved

    body = assert_problem(response, 413)
    assert body["max_bytes"] == 2048
    assert assert_problem(patched, 413)["max_bytes"] == 2048
    assert small.status_code == 201  # a body under the limit is still accepted
    assert count_children(session) == before + 1
    assert read(worker, "children", world.child.id)["given_name"] == "Cerys"


# --- 404 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("collection", COLLECTIONS)
def test_an_unknown_id_is_not_found(world, as_person, collection):
    client = as_person(world.admin)
    missing = uuid.uuid4()
    body = assert_problem(client.get(f"{API}/{collection}/{missing}"), 404)
    assert body["instance"] == f"/api/v1/{collection}/{missing}"
    assert_problem(client.patch(f"{API}/{collection}/{missing}", json={}), 404)


def test_a_path_that_is_not_a_uuid_is_not_found(world, as_person):
    assert_problem(as_person(world.worker).get(f"{API}/children/not-a-uuid"), 404)


def test_an_unknown_collection_is_not_found(world, as_person):
    assert_problem(as_person(world.worker).get(f"{API}/dragons"), 404)


def test_another_organisations_child_is_not_found_and_not_shown(world, as_person):
    worker = as_person(world.worker)
    for response in (worker.get(f"{API}/children/{world.outsider_child.id}"),
                     worker.patch(f"{API}/children/{world.outsider_child.id}",
                                  json={"given_name": "Changed"})):
        assert_problem(response, 404)
        assert "Osian" not in response.get_data(as_text=True)
    outsider = as_person(world.outsider)
    assert read(outsider, "children", world.outsider_child.id)["given_name"] == "Osian"


def test_a_method_the_collection_does_not_offer(world, as_person):
    response = as_person(world.worker).delete(f"{API}/children/{world.child.id}")
    assert_problem(response, 405)
    assert read(as_person(world.worker), "children", world.child.id)["given_name"] == "Cerys"


# --- 401 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("collection", COLLECTIONS + ["areas", "code-list-items",
                                                      "questionnaires", "people"])
def test_signing_in_is_required(world, client, collection):
    assert_problem(client.get(f"{API}/{collection}"), 401)


def test_signing_in_is_required_for_each_record_and_change(world, session, client):
    before = count_children(session)
    assert_problem(client.get(f"{API}/children/{world.child.id}"), 401)
    assert_problem(client.post(f"{API}/children",
                               json={"given_name": "Gwen", "family_name": "Jones"}), 401)
    response = client.patch(f"{API}/children/{world.child.id}", json={"given_name": "X"})
    assert_problem(response, 401)
    assert "Cerys" not in response.get_data(as_text=True)
    assert count_children(session) == before


def test_the_api_description_is_open(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/children" in response.json["paths"]


# --- failed requests change nothing -----------------------------------------------------------

def test_creating_a_child_with_an_existing_id_is_a_conflict(world, session, as_person):
    worker = as_person(world.worker)
    before = count_children(session)
    response = worker.post(f"{API}/children", json={
        "id": str(world.child.id), "given_name": "Impostor", "family_name": "Jones"})
    assert_problem(response, 409)
    assert count_children(session) == before
    child = read(worker, "children", world.child.id)
    assert child["given_name"] == "Cerys" and child["family_name"] == "Test"


def test_a_failed_create_writes_nothing_at_all(world, session, as_person):
    worker = as_person(world.worker)
    created = create_child(worker)
    before = count_children(session)
    response = worker.post(f"{API}/children", json={
        "given_name": "Gwen", "family_name": "Jones", "assigned_worker_id": str(uuid.uuid4())})
    assert_problem(response, 422, ["assigned_worker_id"])
    assert count_children(session) == before
    assert read(worker, "children", created["id"])["rev"] == created["rev"]


def test_half_an_emoji_in_a_body_is_refused_with_a_reason(world, as_person):
    """Half a surrogate pair (text cut through an emoji) cannot be stored by any database: a
    clear 422, not a failure of the whole request."""
    worker = as_person(world.worker)
    body = json.dumps({"given_name": "Gwen \ud83d", "family_name": "Jones"})
    response = worker.post(f"{API}/children", data=body, content_type="application/json")
    problem = assert_problem(response, 422, ["_body"])
    assert "broken character" in problem["errors"][0]["messages"][0]


def test_json_columns_keep_what_orjson_cannot_write(session, world):
    """JSON columns are written by orjson; an integer beyond 64 bits, which it cannot write,
    is written as json.dumps writes it, and reads back exactly."""
    from app.core.types import json_text

    assert json.loads(json_text({"answers": [2**70, "ŵ"], 3: True})) == {
        "answers": [2**70, "ŵ"], "3": True}


def test_a_nul_in_a_filter_is_refused_by_name(world, as_person):
    """A NUL in a query parameter, which PostgreSQL cannot compare with text, is a 422 naming
    the parameter on every list (the fuzzer found it on the areas' police force filter)."""
    worker = as_person(world.worker)
    for path in ("areas?police_force_code=%00", "children?q=a%00b", "sync/rejections?x=%00"):
        response = worker.get(f"{API}/{path}")
        name = path.split("?")[1].split("=")[0]
        problem = assert_problem(response, 422, [name])
        assert "broken character" in problem["errors"][0]["messages"][0]
