"""The API as a schema-driven fuzzer meets it. Signed in as a worker, schemathesis generates
requests for every operation the OpenAPI document describes, both valid and invalid ones: no
answer is a 5xx, and every status, content type, header and body is one the document describes.

Each operation on one record is tried with made-up ids and again with a record the worker holds
(so that updates reach the rules, not only the 404), and the sync operations with a device's
token, as a tablet calls them. The budget is small (FUZZ_EXAMPLES per operation and mode) so
that it runs in every `make test`; ADREF_FUZZ_EXAMPLES raises it for a longer hunt."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from tests.api.helpers import (
    API,
    create,
    create_attempt,
    create_child,
    create_episode,
    create_interview,
)
from tests.conftest import sign_in

FUZZ_EXAMPLES = int(os.environ.get("ADREF_FUZZ_EXAMPLES", "5"))
SESSION_COOKIE = "adref_sid"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


class Worker:
    """The worker's credentials, as the app and their tablet send them: the session cookie
    (never a generated one) with the header a cross-site form cannot send, or for sync the
    device's bearer token; plain bodies, so that every answer can be read."""

    def __init__(self, client):
        self.cookie = client.get_cookie(SESSION_COOKIE).value
        enrolled = client.post(f"{API}/devices", json={"name": "Fuzzing tablet"})
        assert enrolled.status_code == 201, enrolled.text
        self.bearer = "Bearer " + enrolled.json["access_token"]

    def apply_to(self, case) -> None:
        headers = {name: value for name, value in (case.headers or {}).items()
                   if name.lower() not in {"authorization", "cookie"}}
        case.headers = headers | {"X-Requested-With": "fetch", "Accept-Encoding": "identity"}
        case.cookies = {}
        if case.operation.path.startswith(f"{API}/sync/"):
            case.headers["Authorization"] = self.bearer
        else:
            case.cookies = {SESSION_COOKIE: self.cookie}


def records_held(client) -> dict[str, str]:
    """The id of one record the worker holds in each collection, keyed by its path."""
    child = create_child(client)
    episode = create_episode(client, child["id"])
    interview = create_interview(client, episode["id"])
    attempt = create_attempt(client, interview["id"])
    item = create(client, "intelligence-items", interview_id=interview["id"], kind="person",
                  name="Dai")
    held = {"children": child["id"], "episodes": episode["id"],
            "interviews": interview["id"], "attempts": attempt["id"],
            "intelligence-items": item["id"]}
    for listed in ("people", "areas", "code-list-items", "questionnaires"):
        items = client.get(f"{API}/{listed}").json["items"]
        held[listed] = items[0]["id"]
    return held


def held_record(operation, held: dict[str, str]) -> dict[str, str] | None:
    collection = operation.path.removeprefix(f"{API}/").split("/")[0]
    if "{record_id}" in operation.path and collection in held:
        return {"record_id": held[collection]}
    return None


def fuzz(operation, mode: GenerationMode, worker: Worker, path_parameters=None) -> list[str]:
    failures = []
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @given(case=strategy)
    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def one_request(case):
        worker.apply_to(case)
        try:
            case.call_and_validate(checks=CHECKS)
        except (AssertionError, FailureGroup) as failure:
            failures.append(f"{operation.label} ({mode.value}): {failure}")

    one_request()
    return failures


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=lambda mode: mode.value)
def test_every_answer_is_one_the_document_describes(app, world, mode):
    client = sign_in(app.test_client(), world.worker)
    worker, held = Worker(client), records_held(client)
    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30  # every operation, not a few that happened to load
    failures = []
    for operation in operations:
        failures += fuzz(operation, mode, worker)
        if record := held_record(operation, held):
            failures += fuzz(operation, mode, worker, path_parameters=record)
    assert not failures, "\n\n".join(failures[:20])
