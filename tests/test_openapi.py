"""The OpenAPI document: open to all, and exactly the /api/v1 routes the app serves."""

import re

import pytest

API_PREFIX = "/api/v1"
IGNORED_METHODS = {"HEAD", "OPTIONS"}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def document(client):
    response = client.get(f"{API_PREFIX}/openapi.json")
    assert response.status_code == 200
    return response.json


def openapi_path(rule: str) -> str:
    """Flask's /children/<uuid:record_id> is OpenAPI's /children/{record_id}."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def routes_of(app) -> set[tuple[str, str]]:
    return {(openapi_path(rule.rule), method.lower())
            for rule in app.url_map.iter_rules() if rule.rule.startswith(API_PREFIX + "/")
            for method in rule.methods - IGNORED_METHODS}


def operations_of(document) -> set[tuple[str, str]]:
    return {(path, method) for path, item in document["paths"].items()
            for method in item if method in HTTP_METHODS}


def refs_in(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs_in(value)


def test_open_without_signing_in(client):
    response = client.get(f"{API_PREFIX}/openapi.json")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    assert response.json["openapi"].startswith("3.")
    assert response.json["info"]["title"]
    assert response.json["info"]["version"]


def test_every_route_is_described(app, document):
    missing = routes_of(app) - operations_of(document)
    assert not missing, f"routes missing from the document: {sorted(missing)}"


def test_every_described_operation_has_a_route(app, document):
    extra = operations_of(document) - routes_of(app)
    assert not extra, f"operations in the document with no route: {sorted(extra)}"


def test_routes_and_document_agree_exactly(app, document):
    assert routes_of(app) == operations_of(document)
    assert ("/api/v1/children/{record_id}", "patch") in routes_of(app)


def test_every_path_parameter_is_declared(document):
    for path, item in document["paths"].items():
        in_path = set(re.findall(r"{([^}]+)}", path))
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            declared = {p["name"] for p in operation.get("parameters", []) + item.get(
                "parameters", []) if p.get("in") == "path"}
            assert declared == in_path, (path, method)


def test_every_referenced_schema_exists(document):
    schemas = document["components"]["schemas"]
    refs = set(refs_in(document))
    assert refs, "the document references no schemas"
    for ref in refs:
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.removeprefix("#/components/schemas/") in schemas, ref


def test_every_operation_says_what_it_answers(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                assert operation.get("responses"), (path, method)
                assert any(code.startswith("2") for code in operation["responses"]), (path, method)


def test_problem_schema(document):
    problem = document["components"]["schemas"]["Problem"]
    assert problem["type"] == "object"
    assert {"type", "title", "status"} <= set(problem["required"])
    assert {"type", "title", "status", "detail", "instance", "errors"} <= set(problem["properties"])


def test_errors_are_described_as_problems(document):
    listing = document["paths"]["/api/v1/children"]["get"]["responses"]["401"]
    assert listing["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"}


def test_document_is_the_same_in_welsh(client, document):
    assert client.get(f"{API_PREFIX}/openapi.json?lang=cy").json == document


def test_signing_in_is_described(document):
    assert "session" in document["components"]["securitySchemes"]
    assert document["components"]["securitySchemes"]["session"]["in"] == "cookie"
    assert document["components"]["securitySchemes"]["session"]["name"] == "adref_sid"
    assert document["paths"]["/api/v1/openapi.json"]["get"]["security"] == []


def test_every_operation_describes_every_problem_it_may_answer(document):
    from app.api.openapi import PROBLEM_STATUSES

    for path, item in document["paths"].items():
        if path.endswith("/openapi.json"):
            continue
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            missing = {str(status) for status in PROBLEM_STATUSES} - set(operation["responses"])
            assert not missing, f"{method.upper()} {path} does not describe {sorted(missing)}"


@pytest.mark.parametrize("collection, schema", [
    ("areas", "Area"), ("children", "Child"), ("episodes", "Episode"),
    ("interviews", "Interview"), ("attempts", "Attempt")])
def test_a_null_in_an_answer_is_in_a_field_the_document_marks_nullable(
        document, world, as_person, collection, schema):
    from tests.api.helpers import create_attempt, create_episode, create_interview

    web = as_person(world.worker)
    episode = create_episode(web, world.child.id)
    create_attempt(web, create_interview(web, episode["id"])["id"])
    items = web.get(f"{API_PREFIX}/{collection}?per_page=100").json["items"]
    assert items
    properties = document["components"]["schemas"][schema]["properties"]
    for item in items:
        for name, value in item.items():
            if value is None:
                assert properties[name].get("nullable"), f"{schema}.{name} is null, not nullable"


def test_a_body_the_operation_needs_is_described_as_required(document):
    for path, method in (("/api/v1/sync/push", "post"), ("/api/v1/devices", "post"),
                         ("/api/v1/devices/token", "post"),
                         ("/api/v1/sync/conflicts/{conflict_id}/resolve", "post")):
        body = document["paths"][path][method].get("requestBody")
        assert body is not None and body["required"], f"{method.upper()} {path}"
        assert "application/json" in body["content"]
