"""Every route, every role, and records of one's own, of another team and of another
organisation: no leaks, and 404 for a record one may not see.

The routes are read from the running app, so a route added later is tried the same way; a route
whose path names a record this test does not know how to find fails until it is taught (below),
rather than going untried.

For each GET route and each person of organisation A (worker, supervisor, admin, commissioner)
and for someone signed out:
- a record of organisation B answers 404 wherever the person's own record is found, and
  otherwise (signed out, a role the route does not serve) the very same refusal, so the answer
  tells nothing about the record;
- a record of another team in the organisation likewise, except for the admin, who sees the
  whole organisation;
- no page or answer without a record in its path names a child the person may not see;
- every write (POST, PATCH) to a record one may not see is refused, and changes nothing.
"""

import re
from dataclasses import dataclass

import pytest

from app.auth.models import Person
from app.core.types import utcnow
from app.extensions import db
from app.reports.clients.services import register_client
from tests.api.helpers import (
    API,
    create,
    create_attempt,
    create_episode,
    create_interview,
    offer_advocacy,
    questionnaire_id,
)
from tests.sync.http_helpers import enrol
from tests.youngperson.helpers import report_fields

PATH_PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
CONDUCTED = "2026-03-03T14:30:00+00:00"
# Routes with nothing of a child's to show (reference data the same for every organisation), that
# only a device's token opens, or a one-time link's secret (tests/admin/test_invitations.py).
NOT_RECORDS = ("/static/", "/api/v1/sync/", "/api/v1/areas/", "/api/v1/code-list-items/",
               "/api/v1/questionnaires/", "/invitations/")
REFUSED = {302, 401, 403, 404}
WHATEVER_THE_RECORD = {302, 401, 403}


@dataclass
class Owned:
    """One child's case, every kind of record a path may name, by collection."""

    name: str
    records: dict


def case_of(app, client, child) -> Owned:
    episode = create_episode(client, child.id)
    interview = create_interview(client, episode["id"], consent="accepted",
                                 conducted_at=CONDUCTED,
                                 questionnaire_version_id=questionnaire_id(client, 2))
    attempt = create_attempt(client, interview["id"])
    offer = offer_advocacy(client, interview["id"])
    referral = create(client, "referrals", interview_id=interview["id"],
                      kind="substance_misuse_service", suggested_at="2026-03-03T15:00:00+00:00")
    report = create(client, "self_reports", **report_fields(
        interview["id"], interview["questionnaire_version_id"]))
    item = create(client, "intelligence-items", interview_id=interview["id"], kind="place",
                  address_or_place="The bus station", sharing_view="happy")
    device = enrol(app, client)
    return Owned(child.given_name, {
        "report_clients": report_client_of(app, child),
        "children": child.id, "episodes": episode["id"], "interviews": interview["id"],
        "attempts": attempt["id"], "advocacy_offers": offer["id"], "referrals": referral["id"],
        "self_reports": report["id"], "intelligence-items": item["id"],
        "devices": device.id, "people": child.assigned_worker_id, "teams": child.team_id,
    })


def report_client_of(app, child):
    """A report client of the child's organisation (registered by the service directly: the
    case's worker could not on the page)."""
    with app.app_context():
        registrant = db.session.get(Person, child.assigned_worker_id)
        made = register_client(db.session, registrant, f"Client {child.given_name}",
                               ["W06000015"], utcnow())
        db.session.commit()
        return made.client.id


# What each path parameter names, found in a case; an API resource's `record_id` is the record
# of the collection its path names.
PARAMETER_COLLECTIONS = {"interview_id": "interviews", "child_id": "children",
                         "person_id": "people", "device_id": "devices", "team_id": "teams",
                         "report_client_id": "report_clients"}


# Path parameters that name a part of a page rather than a record, and one value each takes.
PAGE_PARTS = {"key": "open", "decision": "approve"}


def path_for(rule: str, owned: Owned | None) -> str:
    def filled(match):
        name = match.group(1)
        if name in PAGE_PARTS:
            return PAGE_PARTS[name]
        if name == "record_id":
            collection = rule.removeprefix(API + "/").split("/")[0]
        else:
            collection = PARAMETER_COLLECTIONS.get(name)
        assert collection in owned.records, (
            f"{rule}: teach this test which record <{name}> names (PARAMETER_COLLECTIONS)")
        return str(owned.records[collection])

    return PATH_PARAMETER.sub(filled, rule)


def get_routes(app, with_records: bool) -> list[str]:
    routes = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(NOT_RECORDS):
            continue
        if bool(rule.arguments - PAGE_PARTS.keys()) == with_records:
            routes.append(rule.rule)
    return sorted(routes)


@pytest.fixture
def cases(app, world, as_person):
    return {
        "own": case_of(app, as_person(world.worker), world.child),
        "other_team": case_of(app, as_person(world.other_team_worker), world.other_team_child),
        "other_organisation": case_of(app, as_person(world.outsider), world.outsider_child),
    }


def people(app, world, as_person) -> dict:
    signed_in = {role: as_person(getattr(world, role))
                 for role in ("worker", "supervisor", "admin", "commissioner")}
    return signed_in | {"signed out": app.test_client()}


def status(client, path: str) -> int:
    response = client.get(path)
    assert response.status_code < 500, f"{path}: {response.status_code}"
    return response.status_code


def test_a_record_one_may_not_see_answers_404_on_every_route(app, world, as_person, cases):
    routes = get_routes(app, with_records=True)
    assert len(routes) >= 12
    tried = 0
    for role, client in people(app, world, as_person).items():
        for rule in routes:
            own = status(client, path_for(rule, cases["own"]))
            unseen = ["other_organisation"] + ([] if role == "admin" else ["other_team"])
            for owner in unseen:
                answer = status(client, path_for(rule, cases[owner]))
                # Refused whatever the record (signed out, a role the route does not serve): the
                # same refusal; the own record found (even if in a state that answers 409): 404.
                expected = own if own in WHATEVER_THE_RECORD else 404
                assert answer == expected, f"{role} {rule} ({owner}): {answer}, own {own}"
                assert answer in REFUSED, f"{role} {rule} ({owner}): {answer}"
                if answer == 404:  # as the API answers, or as a page: the error page
                    assert client.get(path_for(rule, cases[owner])).mimetype == (
                        "application/problem+json" if rule.startswith(API) else "text/html"), rule
                tried += 1
    assert tried >= 120


def test_no_page_names_a_child_one_may_not_see(app, world, as_person, cases):
    hidden_from = {"worker": ["Ffion", "Osian"], "supervisor": ["Ffion", "Osian"],
                   "admin": ["Osian"], "commissioner": ["Cerys", "Ffion", "Osian"],
                   "signed out": ["Cerys", "Ffion", "Osian"]}
    routes = get_routes(app, with_records=False)
    assert "/review/" in routes and f"{API}/children" in routes
    for role, client in people(app, world, as_person).items():
        for rule in routes:
            body = client.get(path_for(rule, None)).get_data().decode("utf-8", errors="replace")
            for name in hidden_from[role]:
                assert name not in body, f"{role} sees {name} on {rule}"


def test_the_check_sees_a_name_where_it_is_shown(app, world, as_person, cases):
    """The names looked for are on the pages of those who may see them: the test above could
    not pass by looking for names no page shows."""
    admin = as_person(world.admin)
    assert "Ffion" in admin.get("/review/").get_data(as_text=True)
    assert "Cerys" in as_person(world.worker).get(f"{API}/children").get_data(as_text=True)


# Writes whose path names a record this test's cases do not hold, each tried where it lives.
WRITES_TESTED_ELSEWHERE = {
    "conflict_id": "tests/review/test_conflicts.py, tests/sync/test_conflicts*.py",
}
WRITE_REFUSALS = {400, 401, 403, 404, 409, 415, 422}


def write_routes(app) -> list[tuple[str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(NOT_RECORDS) or not (rule.arguments - PAGE_PARTS.keys()):
            continue
        if rule.arguments & WRITES_TESTED_ELSEWHERE.keys():
            continue
        for method in sorted(rule.methods & {"POST", "PATCH", "PUT", "DELETE"}):
            routes.append((method, rule.rule))
    return routes


def write_to(client, method: str, path: str):
    """A write as the page's form or the app's JSON would send it, with the session's CSRF
    token: refused for the record, not for a missing token."""
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/sign-in?another=1&lang=en").text)
    if path.startswith(API):
        return client.open(path, method=method, json={})
    return client.open(path, method=method, data={"csrf_token": token.group(1) if token else ""})


def test_a_record_one_may_not_see_cannot_be_written_on_any_route(app, world, as_person, cases,
                                                                  session):
    routes = write_routes(app)
    assert len(routes) >= 20
    for role, client in people(app, world, as_person).items():
        if role == "signed out":
            continue
        unseen = ["other_organisation"] + ([] if role == "admin" else ["other_team"])
        for method, rule in routes:
            for owner in unseen:
                path = path_for(rule, cases[owner])
                answer = write_to(client, method, path)
                assert answer.status_code in WRITE_REFUSALS, (
                    f"{role} {method} {rule} ({owner}): {answer.status_code}")
    session.expire_all()
    outsider = session.get(type(world.outsider), world.outsider.id)
    child = session.get(type(world.outsider_child), world.outsider_child.id)
    assert outsider.active and outsider.role == world.outsider.role
    assert child.assigned_worker_id == world.outsider.id
