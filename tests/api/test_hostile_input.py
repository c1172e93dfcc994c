"""Hostile input gets a clear 4xx answer, never a 500: JSON nested hundreds of levels deep (under
a kilobyte) to every JSON route, a pull cursor whose revision has thousands of digits, and a
sign-in `next` holding a line break. The JSON routes are read from the running app, so a route
added later is sent the same."""

import json
import re
import uuid

import pytest

from app.api.resources import contains_unstorable_text, nests_deeper_than
from tests.api.helpers import API, PROBLEM_JSON, assert_problem
from tests.sync.http_helpers import DEVICE_TIME, PUSH, enrol

DEPTH = 400
NESTED_BODIES = {
    "lists": "[" * DEPTH + "]" * DEPTH,
    "objects": '{"a":' * DEPTH + "1" + "}" * DEPTH,
    # Deeper than the JSON parsers read within Python's limit on recursion (about 1,000).
    "beyond the parser": "[" * 20 * DEPTH + "]" * 20 * DEPTH,
    # Deep inside a field, where a schema or a walk over the text meets it after parsing.
    "in a field": '{"name":' + "[" * DEPTH + "]" * DEPTH + "}",
    # A push from another device (refused before its mutations are read).
    "in a push": json.dumps({
        "protocol": 1, "device_id": str(uuid.uuid4()),
        "mutations": [{"mutation_id": 1, "collection": "children", "id": str(uuid.uuid4()),
                       "op": "upsert", "base_rev": None, "device_time": DEVICE_TIME,
                       "fields": {"given_name": "NESTED"}}],
    }).replace('"NESTED"', "[" * DEPTH + "]" * DEPTH),
}
BODY_METHODS = {"POST", "PATCH", "PUT", "DELETE"}
PATH_PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def json_routes(app) -> list[tuple[str, str]]:
    """Every (method, path) under the API, its path parameters filled with a random UUID."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API + "/"):
            continue
        path = PATH_PARAMETER.sub(lambda _: str(uuid.uuid4()), rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((method, path))
    return sorted(routes)


def assert_clear_refusal(response, method, path):
    where = f"{method} {path}: {response.status_code} {response.get_data(as_text=True)[:300]}"
    assert 400 <= response.status_code < 500, where
    assert response.mimetype == PROBLEM_JSON, where
    body = response.get_json(force=True)
    assert body["status"] == response.status_code, where
    assert body["title"], where


def test_the_api_has_json_routes_to_send_to(app):
    routes = json_routes(app)
    methods = {method for method, _ in routes}
    assert {"GET", "POST", "PATCH"} <= methods
    assert ("POST", f"{API}/devices/token") in routes
    assert ("POST", f"{API}/sync/push") in routes


@pytest.mark.parametrize("shape", sorted(NESTED_BODIES))
def test_deeply_nested_json_gets_a_4xx_from_every_json_route(app, world, as_person, shape):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    anonymous = app.test_client()
    body = NESTED_BODIES[shape]
    sent = 0
    for method, path in json_routes(app):
        if method not in BODY_METHODS:
            continue
        for client, headers in ((web, {}), (tablet.client, tablet.headers), (anonymous, {})):
            response = client.open(path, method=method, data=body, headers=headers,
                                   content_type="application/json")
            assert_clear_refusal(response, method, path)
            sent += 1
    assert sent >= 30


def test_deeply_nested_json_is_refused_in_the_persons_language(app, world, as_person):
    web = as_person(world.worker)
    answers = {language: web.post(f"{API}/children?lang={language}",
                                  data=NESTED_BODIES["lists"], content_type="application/json")
               for language in ("en", "cy")}
    english = assert_problem(answers["en"], 400)
    welsh = assert_problem(answers["cy"], 400)
    assert english["detail"] == "The body nests arrays or objects more than 64 deep."
    assert welsh["detail"] == "Mae corff y cais wedi'i nythu'n fwy dwfn na 64 lefel."
    assert english["max_depth"] == welsh["max_depth"] == 64


def test_the_public_token_route_refuses_nested_json(client):
    response = client.post(f"{API}/devices/token", data=NESTED_BODIES["objects"],
                           content_type="application/json")
    assert_problem(response, 400)


def test_walks_over_text_do_not_recurse_without_bound():
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    assert contains_unstorable_text(deep) is False
    assert nests_deeper_than(deep, 64) is True
    assert nests_deeper_than(deep, 5001) is False
    holding = {"a": ["x\x00"]}
    assert contains_unstorable_text(holding) is True


HUGE_REVISION = "9" * 5000


def test_a_cursor_with_thousands_of_digits_asks_for_a_full_resync(app, world, as_person):
    """A revision no server made (thousands of digits, which int() refuses to read, or digits
    int() does not read at all) is a cursor the server cannot trust: the contract's 409 with
    full_resync (sync/PROTOCOL.md, Pull), so the device pulls again from the start, never a
    500 it would retry for ever."""
    tablet = enrol(app, as_person(world.worker))
    tablet.pull()
    good = tablet.cursor
    made_here = good.rsplit(".", 1)[0]
    for revision in (HUGE_REVISION, "0" * 5000 + "1", "9" * 20, "\u00b2", "\u0661"):
        response = tablet.get_pull(f"{made_here}.{revision}")
        body = assert_problem(response, 409)
        assert body["full_resync"] is True
    for cursor in (f"1.x.y.{HUGE_REVISION}", HUGE_REVISION):
        assert assert_problem(tablet.get_pull(cursor), 409)["full_resync"] is True
    assert tablet.get_pull(good).status_code == 200


def test_every_get_route_survives_hostile_query_values(app, world, as_person):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    hostile = {"cursor": f"1.{uuid.uuid4()}.{uuid.uuid4()}.{HUGE_REVISION}",
               "page": HUGE_REVISION, "per_page": HUGE_REVISION, "limit": HUGE_REVISION,
               "next": "/review/?a\r\nSet-Cookie:x=y"}
    for method, path in json_routes(app):
        if method != "GET":
            continue
        for client, headers in ((web, {}), (tablet.client, tablet.headers)):
            for name, value in hostile.items():
                response = client.get(path, query_string={name: value}, headers=headers)
                where = f"GET {path}?{name}: {response.status_code}"
                assert response.status_code < 500, where
                if response.status_code >= 400:
                    assert_clear_refusal(response, method, path)


@pytest.mark.parametrize("wanted", [
    "/review%0d%0aSet-Cookie:x=y",
    "/review/%0d%0aSet-Cookie:x=y",
    "/review/?a=1%0d%0aSet-Cookie:x=y",
    "/app?x=%0aSet-Cookie:x=y",
    "/app?x=%0d",
])
def test_a_next_page_with_a_line_break_is_ignored(client, world, wanted):
    form = client.get(f"/sign-in?lang=en&next={wanted}")
    assert form.status_code == 200
    assert 'name="next"' not in form.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    response = client.post(f"/sign-in?next={wanted}",
                           data={"csrf_token": token, "email": world.worker.email,
                                 "password": "correct horse battery staple"})
    assert response.status_code in (302, 422), response.status_code
    assert "x=y" not in response.headers.get("Location", "")
    assert all(not cookie.startswith("x=") for cookie in response.headers.getlist("Set-Cookie"))


def test_a_push_of_its_own_holding_a_nested_value_is_answered_never_a_500(app, world, as_person):
    """The sync contract answers a push whose mutation holds a value too deep to write with 200
    and that mutation rejected (kept, with the value as null): never a 5xx."""
    tablet = enrol(app, as_person(world.worker))
    body = NESTED_BODIES["in a push"]
    other = json.loads(body)["device_id"]
    response = tablet.client.post(PUSH, data=body.replace(other, tablet.id),
                                  headers=tablet.headers, content_type="application/json")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert [result["status"] for result in response.json["results"]] == ["rejected"]
