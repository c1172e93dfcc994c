"""A push that is malformed, too large, or sent by the wrong caller applies nothing."""

import io
import json
import uuid

import pytest
from sqlalchemy import func, select

from app.cases.models import Child
from tests.api.helpers import assert_problem
from tests.sync.http_helpers import API, PULL, PUSH, enrol, new_case, statuses


@pytest.fixture
def tablet(world, as_person, app):
    return enrol(app, as_person(world.worker))


def count_children(session, ids) -> int:
    return session.scalar(select(func.count()).select_from(Child).where(Child.id.in_(ids)))


def size(body) -> int:
    return len(json.dumps(body).encode())


def child_mutation(mutation_id: int, child_id=None, **fields) -> dict:
    return {"mutation_id": mutation_id, "collection": "children",
            "id": str(child_id or uuid.uuid4()), "op": "upsert", "base_rev": None,
            "fields": {"given_name": "Elin", "family_name": "Ŵyn"} | fields,
            "device_time": "2026-03-03T15:00:00+01:00"}


def assert_nothing_applied(tablet, session, child_ids):
    """No row was written, and the device's mutation ids were not used up: a good batch with
    mutation_id 1 afterwards is applied, not answered as a duplicate."""
    assert count_children(session, child_ids) == 0
    retry_id = uuid.uuid4()
    body = tablet.push([child_mutation(1, retry_id)])
    assert statuses(body) == ["applied"]
    assert count_children(session, [retry_id]) == 1


@pytest.mark.parametrize("depth", [980, 1015, 1100])
def test_a_value_nested_deeper_than_the_server_reads_is_never_a_server_error(tablet, session,
                                                                            depth):
    """Within what the careful parser reads, the push is answered as any other (deleting an
    attempt that was never made applies, whatever its fields hold); beyond it, 400."""
    deletion = {"mutation_id": 1, "collection": "attempts", "id": str(uuid.uuid4()),
                "op": "delete", "base_rev": None, "fields": {"notes": "NESTED"}}
    raw = json.dumps(tablet.batch([deletion])).replace('"NESTED"', "[" * depth + "]" * depth)

    response = tablet.client.post(PUSH, data=raw.encode(), headers=tablet.headers,
                                  content_type="application/json")

    if depth <= 1015:
        assert response.status_code == 200, response.get_data(as_text=True)
        assert statuses(response.json) == ["applied"]
    else:
        assert_problem(response, 400)


@pytest.mark.parametrize("depth", [600, 900, 1015])
def test_a_rejected_value_nested_too_deeply_to_keep_is_kept_as_null_with_the_reason(
        world, as_person, app, session, depth):
    """A field a device may not write, holding arrays a thousand deep: the change is rejected
    like any other (not a server error the tablet would retry for ever), the rest of the batch
    applies, and the rejection is kept with that value as null and a message saying why."""
    web = as_person(world.worker)
    tablet = enrol(app, web)
    good = child_mutation(1)
    shallow = [[["ŵ"]]]
    rejected = child_mutation(2, colour="NESTED", shoe_size=shallow)
    raw = json.dumps(tablet.batch([good, rejected])).replace('"NESTED"',
                                                             "[" * depth + "]" * depth)

    response = tablet.client.post(PUSH, data=raw.encode(), headers=tablet.headers,
                                  content_type="application/json")

    assert response.status_code == 200, response.get_data(as_text=True)
    assert statuses(response.json) == ["applied", "rejected"]
    assert count_children(session, [uuid.UUID(good["id"])]) == 1
    kept = web.get(f"{API}/sync/rejections?lang=en").json["items"]
    assert len(kept) == 1
    assert kept[0]["fields"] == {"given_name": "Elin", "family_name": "Ŵyn", "colour": None,
                                 "shoe_size": shallow}
    assert kept[0]["errors"]["colour"] == [
        "This field is not known here.",
        "This value was nested too deeply to keep, so it has not been kept here."]
    assert kept[0]["errors"]["shoe_size"] == ["This field is not known here."]


def test_a_body_that_is_not_json_is_400(tablet, session):
    response = tablet.client.post(PUSH, data=b'{"protocol": 1, "mutations": [', headers=tablet.headers,
                                  content_type="application/json")
    assert_problem(response, 400)
    assert_nothing_applied(tablet, session, [])


def _first_and_broken(tablet, broken: dict, first_id: int = 1, **top) -> tuple[dict, list]:
    """A batch whose first mutation is good and whose second is `broken`; and the ids of the
    children it would make."""
    good = child_mutation(first_id)
    body = {"protocol": 1, "device_id": tablet.id, "mutations": [good, broken]} | top
    child_ids = [uuid.UUID(good["id"])]
    if broken.get("id", "").count("-") == 4:
        child_ids.append(uuid.UUID(broken["id"]))
    return body, child_ids


def _without(mutation: dict, name: str) -> dict:
    return {key: value for key, value in mutation.items() if key != name}


SHAPES = {
    "mutation_id not an integer": (lambda m: m | {"mutation_id": "2"}, {},
                                   "mutations.1.mutation_id"),
    "mutation_id a float": (lambda m: m | {"mutation_id": 2.5}, {}, "mutations.1.mutation_id"),
    # Beyond what a 64-bit column holds (a device's JavaScript could not even send one exactly).
    "mutation_id beyond 64 bits": (lambda m: m | {"mutation_id": 2**70}, {},
                                   "mutations.1.mutation_id"),
    "mutation_id beyond a signed 64 bits": (lambda m: m | {"mutation_id": 2**63}, {},
                                            "mutations.1.mutation_id"),
    "mutation_id at 64 bits unsigned": (lambda m: m | {"mutation_id": 2**64 - 1}, {},
                                        "mutations.1.mutation_id"),
    "base_rev beyond 64 bits": (lambda m: m | {"base_rev": 2**70}, {}, "mutations.1.base_rev"),
    "base_rev beyond a signed 64 bits": (lambda m: m | {"base_rev": 2**63}, {},
                                         "mutations.1.base_rev"),
    "missing op": (lambda m: _without(m, "op"), {}, "mutations.1.op"),
    "unknown op": (lambda m: m | {"op": "replace"}, {}, "mutations.1.op"),
    "missing base_rev": (lambda m: _without(m, "base_rev"), {}, "mutations.1.base_rev"),
    "id not a UUID": (lambda m: m | {"id": "plentyn-1"}, {}, "mutations.1.id"),
    "unknown mutation field": (lambda m: m | {"colour": "glas"}, {}, "mutations.1.colour"),
    "unknown top-level field": (lambda m: m, {"since": 5}, "since"),
    "protocol 2": (lambda m: m, {"protocol": 2}, "protocol"),
    "mutation ids not increasing": (lambda m: m | {"mutation_id": 1}, {}, "mutations"),
    "mutation ids going down": (lambda m: m, {"first_id": 3}, "mutations"),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_batch_of_the_wrong_shape_is_422_and_applies_nothing(tablet, session, shape):
    change, top, field = SHAPES[shape]
    body, child_ids = _first_and_broken(tablet, change(child_mutation(2)), **top)

    response = tablet.post_push(body)

    problem = assert_problem(response, 422)
    named = {error["field"] for error in problem["errors"]}
    assert field in named, (field, problem["errors"])
    assert_nothing_applied(tablet, session, child_ids)


def test_a_batch_without_device_or_mutations_is_422(tablet, session):
    response = tablet.post_push({"protocol": 1})
    assert_problem(response, 422, fields=["device_id", "mutations"])


def test_a_batch_over_the_mutation_limit_is_413_and_applies_nothing(tablet, app, session):
    child_ids = [uuid.uuid4() for _ in range(4)]
    before = app.config["SYNC_MAX_MUTATIONS"]
    app.config["SYNC_MAX_MUTATIONS"] = 3
    try:
        at_limit = tablet.push([child_mutation(n, child_id)
                                for n, child_id in enumerate(child_ids[:3], start=1)])
        assert statuses(at_limit) == ["applied"] * 3
        over = tablet.post_push(tablet.batch([child_mutation(n, uuid.uuid4())
                                              for n in range(4, 8)]))
    finally:
        app.config["SYNC_MAX_MUTATIONS"] = before
    problem = assert_problem(over, 413)
    assert problem["max_mutations"] == 3
    assert count_children(session, child_ids) == 3
    # The refused batch used up no mutation ids.
    assert statuses(tablet.push([child_mutation(4)])) == ["applied"]


def test_a_batch_over_the_byte_limit_is_413_and_applies_nothing(tablet, app, session):
    child_ids = [uuid.uuid4() for _ in range(12)]
    mutations = [child_mutation(n, child_id, given_name="Llywelyn ap Gruffudd " * 5)
                 for n, child_id in enumerate(child_ids, start=1)]
    before = app.config["SYNC_MAX_BYTES"]
    app.config["SYNC_MAX_BYTES"] = 2000
    try:
        body = tablet.batch(mutations)
        assert size(body) > 2000
        response = tablet.post_push(body)
    finally:
        app.config["SYNC_MAX_BYTES"] = before
    problem = assert_problem(response, 413)
    assert problem["max_bytes"] == 2000
    assert_nothing_applied(tablet, session, child_ids)


def test_a_streamed_body_without_length_over_the_byte_limit_is_413(tablet, app, session):
    child_ids = [uuid.uuid4() for _ in range(12)]
    body = tablet.batch([child_mutation(n, child_id, given_name="Llywelyn ap Gruffudd " * 5)
                         for n, child_id in enumerate(child_ids, start=1)])
    data = json.dumps(body).encode()
    before = app.config["SYNC_MAX_BYTES"]
    app.config["SYNC_MAX_BYTES"] = 2000
    try:
        response = tablet.client.post(
            PUSH, input_stream=io.BytesIO(data), content_type="application/json",
            headers=tablet.headers | {"Transfer-Encoding": "chunked"},
            environ_overrides={"wsgi.input_terminated": True})
    finally:
        app.config["SYNC_MAX_BYTES"] = before
    problem = assert_problem(response, 413)
    assert problem["max_bytes"] == 2000
    assert_nothing_applied(tablet, session, child_ids)


def test_a_push_may_be_larger_than_other_requests_within_its_own_limit(world, as_person, app,
                                                                      session):
    """MAX_CONTENT_LENGTH (1 MiB) bounds ordinary requests; a push has SYNC_MAX_BYTES."""
    tablet = enrol(app, as_person(world.worker))
    ids, mutations = new_case(tablet)
    long_note = "Nodiadau hir am y sgwrs — ŵ ŷ â. " * 400  # ~14 kB of UTF-8
    mutations += [tablet.mutation("interviews", ids["interviews"], {"notes": f"{n} {long_note}"})
                  for n in range(100)]
    body = tablet.batch(mutations)
    assert size(body) > app.config["MAX_CONTENT_LENGTH"]
    response = tablet.post_push(body)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert set(statuses(response.json)) == {"applied"}


def test_a_push_for_another_device_is_403_and_applies_nothing(world, as_person, app, session):
    web = as_person(world.worker)
    tablet, other = enrol(app, web, "Tablet A"), enrol(app, web, "Tablet B")
    child_id = uuid.uuid4()
    response = tablet.post_push({"protocol": 1, "device_id": other.id,
                                 "mutations": [child_mutation(1, child_id)]})
    assert_problem(response, 403)
    assert_nothing_applied(other, session, [child_id])


def test_a_signed_in_browser_cannot_push_or_pull_without_a_device_token(world, as_person, app,
                                                                        session):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    child_id = uuid.uuid4()
    pushed = web.post(PUSH, json=tablet.batch([child_mutation(1, child_id)]))
    assert_problem(pushed, 403)
    assert_problem(web.get(PULL), 403)
    assert_nothing_applied(tablet, session, [child_id])


def test_no_credentials_is_401(app, world, session):
    anonymous = app.test_client()
    child_id = uuid.uuid4()
    pushed = anonymous.post(PUSH, json={"protocol": 1, "device_id": str(uuid.uuid4()),
                                        "mutations": [child_mutation(1, child_id)]})
    assert_problem(pushed, 401)
    assert_problem(anonymous.get(PULL), 401)
    for path in ("sync/reference", "sync/conflicts", "sync/rejections"):
        assert_problem(anonymous.get(f"{API}/{path}"), 401)
    assert count_children(session, [child_id]) == 0
