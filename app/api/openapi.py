"""The OpenAPI 3 document, built from the same Resource descriptions that make the routes."""

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

API_VERSION = "1.0.0"

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"},
                               "messages": {"type": "array", "items": {"type": "string"}}},
            },
        },
    },
    "required": ["type", "title", "status"],
}


# What any operation may answer besides its success: a malformed request or hostile JSON (400),
# no sign-in (401), no permission (403), no such record or none in scope (404), a clash with
# the record's state or a request still being handled (409), a body too large (413) or not JSON
# (415), fields that fail their checks (422), the database busy (503).
PROBLEM_STATUSES = (400, 401, 403, 404, 409, 413, 415, 422, 503)


def _problem_responses(*statuses: int) -> dict:
    ref = {"$ref": "#/components/schemas/Problem"}
    return {str(s): {"description": "Problem", "content": {"application/problem+json":
                                                           {"schema": ref}}}
            for s in statuses}


def _json(schema_name: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": schema_name}}}


def _page_of(schema_name: str) -> dict:
    return {"description": "A page of records", "content": {"application/json": {"schema": {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{schema_name}"}},
            "page": {"type": "integer"}, "per_page": {"type": "integer"},
            "total": {"type": "integer"}, "next": {"type": "string", "nullable": True},
        },
    }}}}


def _schema_name(schema_class) -> str:
    return schema_class.__name__.removesuffix("Schema")


def _add_resource(spec: APISpec, resource) -> None:
    name = _schema_name(resource.schema)
    tag = resource.name
    collection = {"get": {
        "tags": [tag], "summary": f"List {resource.name}",
        "parameters": [{"in": "query", "schema": resource.query_schema}],
        "responses": {"200": _page_of(name), **_problem_responses(*PROBLEM_STATUSES)},
    }}
    record_id = [{"in": "path", "name": "record_id", "required": True,
                  "schema": {"type": "string", "format": "uuid"}}]
    single = {"get": {
        "tags": [tag], "summary": f"Get one of {resource.name}", "parameters": record_id,
        "responses": {"200": _json(name, "The record"),
                      **_problem_responses(*PROBLEM_STATUSES)},
    }}
    if resource.create is not None:
        collection["post"] = {
            "tags": [tag], "summary": f"Create one of {resource.name}",
            "requestBody": {"required": True, "content": {"application/json": {"schema": name}}},
            "responses": {"201": _json(name, "Created"),
                          **_problem_responses(*PROBLEM_STATUSES)},
        }
    if resource.update is not None:
        single["patch"] = {
            "tags": [tag], "summary": f"Change some fields of one of {resource.name}",
            "parameters": record_id,
            "requestBody": {"required": True, "content": {"application/json": {"schema": name}}},
            "responses": {"200": _json(name, "Changed"),
                          **_problem_responses(*PROBLEM_STATUSES)},
        }
    spec.tag({"name": tag, "description": resource.description})
    spec.path(path=f"/api/v1/{resource.name}", operations=collection)
    spec.path(path=f"/api/v1/{resource.name}/{{record_id}}", operations=single)


def _request_body(view) -> dict:
    """The body a view needs (marked with resources.takes_body), as required."""
    schema = getattr(view, "request_schema", None)
    if schema is None:
        return {}
    return {"requestBody": {"required": True,
                            "content": {"application/json": {"schema": schema}}}}


def _extra_operation(path: str, view, schema) -> dict:
    """An extra route's operation: what its view declares in `view.openapi` (tags, a
    description, its own security, query parameters, and the name of the component its answer
    follows) added to what is read off the route itself."""
    declared = dict(getattr(view, "openapi", {}))
    answer = declared.pop("schema", None)
    if schema:
        ok = _json(_schema_name(schema), "OK")
    else:
        ok = {"description": "OK", "content": {"application/json": {"schema": (
            {"$ref": f"#/components/schemas/{answer}"} if answer else {"type": "object"})}}}
    parameters = [{"in": "path", "name": name, "required": True,
                   "schema": {"type": "string", "format": "uuid"}}
                  for name in re.findall(r"<uuid:(\w+)>", path)]
    return {"summary": (view.__doc__ or "").strip().splitlines()[0],
            **declared,
            "parameters": parameters + declared.get("parameters", []),
            **_request_body(view),
            "responses": {str(getattr(view, "success_status", 200)): ok,
                          **_problem_responses(*PROBLEM_STATUSES)}}


def build_openapi(resources, extra_routes, security_schemes=None, schemas=None) -> dict:
    """The document. security_schemes and schemas: components that capabilities' api modules
    declare (SECURITY_SCHEMES, SCHEMAS) for their extra routes."""
    spec = APISpec(title="Adref API", version=API_VERSION, openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()], security=[{"session": []}, {"device": []}],
                   info={"description": "Return interviews with children who have been missing."})
    spec.components.schema("Problem", PROBLEM)
    spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie",
                                                "name": "adref_sid"})
    spec.components.security_scheme("device", {"type": "http", "scheme": "bearer",
                                               "bearerFormat": "JWT"})
    for name, scheme in (security_schemes or {}).items():
        spec.components.security_scheme(name, scheme)
    for name, component in (schemas or {}).items():
        spec.components.schema(name, component)
    for resource in resources:
        spec.components.schema(_schema_name(resource.schema), schema=resource.schema)
    for resource in resources:
        _add_resource(spec, resource)
    for path, _endpoint, view, methods, schema in extra_routes:
        operations = {m.lower(): _extra_operation(path, view, schema) for m in methods}
        spec.path(path="/api/v1" + re.sub(r"<uuid:(\w+)>", r"{\1}", path), operations=operations)
    spec.path(path="/api/v1/openapi.json", operations={"get": {
        "summary": "This document", "security": [],
        "responses": {"200": {"description": "OpenAPI 3 document"}}}})
    document = spec.to_dict()
    for resource in resources:
        _mark_nullable(document["components"]["schemas"][_schema_name(resource.schema)],
                       resource)
    return document


def _mark_nullable(component: dict, resource) -> None:
    """A field may be null in an answer when its column may hold null, or when it is derived
    (a derived fact may be unknown): marked so, as the field's own allow_none marks only what a
    client may send."""
    columns = resource.model.__table__.columns
    for name, field in resource.schema().fields.items():
        prop = component.get("properties", {}).get(field.data_key or name)
        if prop is None or "$ref" in prop:
            continue
        column = columns.get(field.attribute or name)
        if (column is not None and column.nullable) or (column is None and field.dump_only):
            prop["nullable"] = True
