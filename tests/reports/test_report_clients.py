"""Report clients: a commissioner's system takes a token with its credentials (OAuth2 client
credentials at /oauth/token) and reads the suppressed annual figures of the areas granted to it
(/api/v1/reports/annual); the admin registers clients (the secret shown once) and revokes them.

Everything is checked as the client or the admin would see it: status, body and headers."""

import base64
import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.auth.services import add_person
from app.cases.models import Child, MissingEpisode
from app.core.types import utcnow
from app.reports.clients import oauth
from app.reports.clients.models import ReportClient, ReportToken
from app.reports.clients.services import register_client
from app.reports.measures import MEASURES_BY_KEY
from tests.admin.helpers import audited, post_form
from tests.sync.http_helpers import enrol

TOKEN_URL = "/oauth/token"
ANNUAL = "/api/v1/reports/annual"
CARDIFF, SWANSEA, NEWPORT = "W06000015", "W06000011", "W06000022"
SOUTH_WALES_POLICE = "W15000003"
LIST = "/admin/report-clients"


# --- steps --------------------------------------------------------------------------------------

def registered(session, admin, areas=(CARDIFF, SWANSEA), name="Comisiynydd"):
    """A client registered by the service (as the admin's page does): its record and secret."""
    made = register_client(session, session.merge(admin), name, areas, utcnow())
    session.commit()
    return made.client, made.secret


def basic(client_id: str, secret: str) -> dict:
    pair = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


def token_for(web, record, secret) -> str:
    answer = web.post(TOKEN_URL, data={"grant_type": "client_credentials"},
                      headers=basic(record.client_id, secret))
    assert answer.status_code == 200, answer.text
    return answer.json["access_token"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def assert_refused_token(answer):
    assert answer.status_code == 401
    assert answer.content_type == "application/problem+json"
    assert answer.json["status"] == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer ")
    assert "facts" not in answer.json


@pytest.fixture
def credentials(session, world):
    return registered(session, world.admin)


# --- the token endpoint -------------------------------------------------------------------------

def test_right_credentials_get_a_short_lived_token_kept_only_as_a_digest(
        client, session, credentials):
    record, secret = credentials
    answer = client.post(TOKEN_URL, data={"grant_type": "client_credentials"},
                         headers=basic(record.client_id, secret))
    assert answer.status_code == 200, answer.text
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.json["token_type"] == "Bearer"
    assert answer.json["expires_in"] == 15 * 60
    assert answer.json["scope"] == oauth.SCOPE
    token = answer.json["access_token"]
    (kept,) = session.scalars(select(ReportToken).where(ReportToken.client_id == record.id))
    assert kept.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
    assert timedelta(minutes=14) < kept.expires_at - utcnow() <= timedelta(minutes=15)
    # Nor is the secret kept.
    session.expire_all()
    assert session.get(ReportClient, record.id).secret_hash == hashlib.sha256(
        secret.encode()).hexdigest()


def test_the_secret_may_come_in_the_form(client, credentials):
    record, secret = credentials
    answer = client.post(TOKEN_URL, data={"grant_type": "client_credentials",
                                          "client_id": record.client_id,
                                          "client_secret": secret})
    assert answer.status_code == 200, answer.text
    assert answer.json["access_token"]


def test_a_wrong_secret_or_an_unknown_client_gets_no_token(client, session, credentials):
    record, secret = credentials
    for headers in (basic(record.client_id, secret[:-2] + "xx"), basic("adref-nobody", secret),
                    basic(record.client_id, "")):
        answer = client.post(TOKEN_URL, data={"grant_type": "client_credentials"},
                             headers=headers)
        assert answer.status_code in (400, 401)
        assert answer.json["error"] == "invalid_client"
        assert "access_token" not in answer.json
    wrong_in_form = client.post(TOKEN_URL, data={
        "grant_type": "client_credentials", "client_id": record.client_id,
        "client_secret": "not the secret"})
    assert wrong_in_form.json["error"] == "invalid_client"
    assert session.scalars(select(ReportToken)).all() == []


def test_a_revoked_client_gets_no_token(client, session, world, as_person, credentials):
    record, secret = credentials
    admin = as_person(world.admin)
    assert post_form(admin, f"{LIST}/{record.id}/revoke").status_code == 302
    answer = client.post(TOKEN_URL, data={"grant_type": "client_credentials"},
                         headers=basic(record.client_id, secret))
    assert answer.status_code == 401
    assert answer.json["error"] == "invalid_client"


def test_only_the_client_credentials_grant_is_served(client, credentials):
    record, secret = credentials
    for grant in ("password", "authorization_code", "refresh_token"):
        answer = client.post(TOKEN_URL, data={"grant_type": grant, "username": "x",
                                              "password": "y", "code": "z"},
                             headers=basic(record.client_id, secret))
        assert answer.status_code == 400
        assert answer.json["error"] == "unsupported_grant_type"
    other_scope = client.post(TOKEN_URL, data={"grant_type": "client_credentials",
                                               "scope": "children"},
                              headers=basic(record.client_id, secret))
    assert other_scope.status_code == 400
    assert other_scope.json["error"] == "invalid_scope"


# --- the figures' endpoint refuses ----------------------------------------------------------------

def test_no_token_is_refused(client, credentials):
    answer = client.get(f"{ANNUAL}?year=2025")
    assert_refused_token(answer)
    assert "error=" not in answer.headers["WWW-Authenticate"]


def test_a_wrong_token_is_refused(client, credentials):
    record, secret = credentials
    token = token_for(client, record, secret)
    for wrong in (token[:-3] + "abc", "x", secret):
        answer = client.get(f"{ANNUAL}?year=2025", headers=bearer(wrong))
        assert_refused_token(answer)
        assert 'error="invalid_token"' in answer.headers["WWW-Authenticate"]
    # The client's credentials themselves are no token here.
    assert_refused_token(client.get(f"{ANNUAL}?year=2025",
                                    headers=basic(record.client_id, secret)))


def test_an_expired_token_is_refused(client, credentials, monkeypatch):
    record, secret = credentials
    token = token_for(client, record, secret)
    assert client.get(f"{ANNUAL}?year=2025", headers=bearer(token)).status_code != 401
    monkeypatch.setattr(oauth, "utcnow", lambda: utcnow() + timedelta(minutes=15, seconds=1))
    assert_refused_token(client.get(f"{ANNUAL}?year=2025", headers=bearer(token)))


def test_a_shorter_lifetime_is_a_setting(app, client, credentials, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_TOKEN_SECONDS", 60)
    record, secret = credentials
    answer = client.post(TOKEN_URL, data={"grant_type": "client_credentials"},
                         headers=basic(record.client_id, secret))
    assert answer.json["expires_in"] == 60
    monkeypatch.setattr(oauth, "utcnow", lambda: utcnow() + timedelta(seconds=61))
    assert_refused_token(client.get(f"{ANNUAL}?year=2025",
                                    headers=bearer(answer.json["access_token"])))


def test_a_revoked_clients_token_stops_working_at_once(client, world, as_person, credentials):
    record, secret = credentials
    token = token_for(client, record, secret)
    assert client.get(f"{ANNUAL}?year=2025", headers=bearer(token)).status_code != 401
    assert post_form(as_person(world.admin), f"{LIST}/{record.id}/revoke").status_code == 302
    assert_refused_token(client.get(f"{ANNUAL}?year=2025", headers=bearer(token)))


def test_a_persons_session_or_a_devices_token_opens_nothing_here(app, world, as_person,
                                                                  credentials):
    admin = as_person(world.admin)
    assert_refused_token(admin.get(f"{ANNUAL}?year=2025"))
    worker = as_person(world.worker)
    device = enrol(app, worker)
    assert_refused_token(app.test_client().get(f"{ANNUAL}?year=2025",
                                               headers=bearer(device.access_token)))


def test_an_area_not_granted_is_refused_by_name(client, session, credentials):
    record, secret = credentials
    token = token_for(client, record, secret)
    for asked in ([NEWPORT], [CARDIFF, NEWPORT], [SOUTH_WALES_POLICE], ["NOWHERE"]):
        answer = client.get(ANNUAL, query_string={"year": 2025, "area": asked},
                            headers=bearer(token))
        assert answer.status_code == 403, answer.text
        assert answer.content_type == "application/problem+json"
        refused = asked[-1]
        assert answer.json["area"] == refused
        assert refused in answer.json["detail"]
        assert "facts" not in answer.json
    assert _reads(session, record) == []


def test_a_bad_query_is_refused_with_the_fields_named(client, credentials):
    record, secret = credentials
    token = token_for(client, record, secret)
    for query, field in (({"year": "twenty"}, "year"), ({"year": "1999"}, "year"),
                         ({"from": "2025-13-01", "to": "2025-12-31"}, "from"),
                         ({"from": "2025-06-01", "to": "2025-01-01"}, "to")):
        answer = client.get(ANNUAL, query_string=query, headers=bearer(token))
        assert answer.status_code == 422, (query, answer.text)
        assert answer.content_type == "application/problem+json"
        assert field in {error["field"] for error in answer.json["errors"]}


def test_a_refusal_is_in_welsh_for_a_welsh_client(client, credentials):
    record, secret = credentials
    token = token_for(client, record, secret)
    answer = client.get(ANNUAL, query_string={"year": 2025, "area": NEWPORT, "lang": "cy"},
                        headers=bearer(token))
    assert answer.status_code == 403
    assert NEWPORT in answer.json["detail"]
    assert answer.json["title"] != "You do not have permission to do that"


def _reads(session, record) -> list[str]:
    session.expire_all()
    return list(session.scalars(select(AuditEvent.detail).where(
        AuditEvent.collection == "report_clients", AuditEvent.record_id == record.id,
        AuditEvent.action == "api-report").order_by(AuditEvent.id)))


# --- the figures served -------------------------------------------------------------------------

def children_with_episodes(session, worker, authority, how_many):
    """Children placed by this authority, not looked after, each reported missing once in
    March 2026."""
    for number in range(how_many):
        child = Child(organisation_id=worker.organisation_id, team_id=worker.team_id,
                      assigned_worker_id=worker.id, given_name=f"Plentyn{number}",
                      family_name="Test", placing_authority_code=authority,
                      host_authority_code=authority, looked_after=False)
        session.add(child)
        session.flush()
        reported = datetime(2026, 3, 1 + number, 10, tzinfo=UTC)
        session.add(MissingEpisode(organisation_id=worker.organisation_id, child_id=child.id,
                                   reported_missing_at=reported,
                                   returned_at=reported + timedelta(hours=20)))
    session.commit()


@pytest.fixture
def seeded(session, world):
    """Six incidents in Cardiff and two in Swansea in organisation A; ten in Cardiff in
    organisation B, which no client of A may count."""
    children_with_episodes(session, world.worker, CARDIFF, 6)
    children_with_episodes(session, world.worker, SWANSEA, 2)
    children_with_episodes(session, world.outsider, CARDIFF, 10)
    return world


def fact(body, measure, area, care_status="all", area_kind="local_authority", category=""):
    (found,) = [f for f in body["facts"] if (f["measure"], f["area_kind"], f["area"],
                                             f["care_status"], f["category"]) == (
        measure, area_kind, area, care_status, category)]
    return found


def in_each_language(lazy) -> dict:
    """The text as the catalogs give it in each language (the Welsh of the measures comes with
    the report's own strings)."""
    with force_locale("en"):
        english = str(lazy)
    with force_locale("cy"):
        return {"en": english, "cy": str(lazy)}


def read(web, token, **query):
    answer = web.get(ANNUAL, query_string={"year": 2026, **query}, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    assert answer.content_type == "application/json"
    assert answer.headers["Cache-Control"] == "no-store"
    return answer.json


def test_the_granted_areas_figures_are_served_from_its_own_organisation_only(
        client, session, seeded, credentials):
    record, secret = credentials
    body = read(client, token_for(client, record, secret), area=CARDIFF)
    assert body["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert body["organisation"] == {"name": "Organisation A"}
    assert body["areas"] == [{"code": CARDIFF, "kind": "local_authority",
                              "names": {"en": "Cardiff", "cy": "Caerdydd"}}]
    # Six of organisation A's; none of organisation B's ten.
    assert fact(body, "incidents", CARDIFF) == {
        "measure": "incidents", "area_kind": "local_authority", "area": CARDIFF,
        "care_status": "all", "category": "", "value": 6, "suppressed": False}
    assert fact(body, "children", CARDIFF)["value"] == 6
    assert {f["area"] for f in body["facts"]} <= {CARDIFF, "ALL"}


def test_a_small_count_is_suppressed_as_null(client, seeded, credentials):
    record, secret = credentials
    body = read(client, token_for(client, record, secret), area=SWANSEA)
    incidents = fact(body, "incidents", SWANSEA)
    assert incidents["value"] is None and incidents["suppressed"] is True
    assert all(f["value"] is None for f in body["facts"] if f["suppressed"])
    assert not any(f["value"] in (1, 2, 3, 4) for f in body["facts"])


def test_every_granted_area_when_none_is_asked_for_with_definitions_in_both_languages(
        client, session, seeded, credentials):
    record, secret = credentials
    body = read(client, token_for(client, record, secret))
    assert [area["code"] for area in body["areas"]] == [SWANSEA, CARDIFF]
    assert {f["area"] for f in body["facts"]} <= {CARDIFF, SWANSEA, "ALL"}
    assert NEWPORT not in {f["area"] for f in body["facts"]}
    incidents = body["definitions"]["incidents"]
    assert incidents["title"] == in_each_language(MEASURES_BY_KEY["incidents"].title)
    assert incidents["title"]["en"] == "Incidents"
    assert incidents["definition"] == in_each_language(MEASURES_BY_KEY["incidents"].definition)
    assert set(body["definitions"]) == set(MEASURES_BY_KEY)
    # Counts only: no child's name anywhere in what is served.
    assert "Plentyn" not in str(body) and "Cerys" not in str(body)
    # The read in the audit trail: the client, the period, the areas; no personal data.
    assert _reads(session, record) == [f"2026-01-01..2026-12-31 {SWANSEA},{CARDIFF}"]


def test_a_range_of_days_is_served(client, seeded, credentials):
    record, secret = credentials
    body = read(client, token_for(client, record, secret), area=CARDIFF, **{
        "from": "2026-03-01", "to": "2026-03-03"})
    assert body["period"] == {"from": "2026-03-01", "to": "2026-03-03"}
    incidents = fact(body, "incidents", CARDIFF)
    assert incidents["value"] is None and incidents["suppressed"]  # three of the six


def test_a_read_of_many_areas_is_audited_whole(client, session, seeded, world):
    """The trail's detail is short: a read of many areas takes several events, every area in
    one of them."""
    many = ["W06000001", "W06000002", "W06000003", "W06000004", "W06000005", "W06000006",
            "W06000008", "W06000009", CARDIFF, SWANSEA]
    record, secret = registered(session, world.admin, areas=many)
    read(client, token_for(client, record, secret))
    details = _reads(session, record)
    assert len(details) > 1
    assert all(detail.startswith("2026-01-01..2026-12-31 ") and len(detail) <= 80
               for detail in details)
    assert sorted(code for detail in details for code in detail.split(" ")[1].split(",")) \
        == sorted(many)


# --- the admin's pages -----------------------------------------------------------------------------

def register_on_the_page(web, name="Swyddfa'r Comisiynydd", areas=(CARDIFF, SOUTH_WALES_POLICE)):
    return post_form(web, LIST, {"name": name, "areas": list(areas)}, page=LIST)


def shown_credentials(text: str) -> tuple[str, str]:
    client_id = re.search(r'id="client_id" type="text" readonly value="([^"]+)"', text).group(1)
    secret = re.search(r'id="client_secret" type="text" readonly value="([^"]+)"', text).group(1)
    return client_id, secret


def test_registering_shows_the_secret_once_and_it_works(world, as_person, session, client):
    admin = as_person(world.admin)
    page = register_on_the_page(admin)
    assert page.status_code == 200, page.text
    text = page.get_data(as_text=True)
    assert "not shown again" in text
    client_id, secret = shown_credentials(text)
    (record,) = session.scalars(select(ReportClient))
    assert record.client_id == client_id and record.organisation_id == world.org_a.id
    assert record.area_codes == {CARDIFF, SOUTH_WALES_POLICE}
    assert record.created_by_id == world.admin.id
    assert secret not in record.secret_hash
    # The list shows the client, never its secret.
    listing = admin.get(LIST).get_data(as_text=True)
    assert client_id in listing and "Swyddfa&#39;r Comisiynydd" in listing
    assert secret not in listing
    # The secret shown is the one that works.
    answer = client.post(TOKEN_URL, data={"grant_type": "client_credentials"},
                         headers=basic(client_id, secret))
    assert answer.status_code == 200
    assert audited(session, "report_clients", record.id)[0] == ("create", world.admin.id)


def test_registering_needs_a_name_and_known_areas(world, as_person, session):
    admin = as_person(world.admin)
    empty = register_on_the_page(admin, name=" ", areas=())
    assert empty.status_code == 422
    text = empty.get_data(as_text=True)
    assert "Enter a name for the client" in text
    assert "Choose at least one area the client may read" in text
    unknown = register_on_the_page(admin, name="Comisiynydd", areas=(CARDIFF, "X99999999"))
    assert unknown.status_code == 422
    assert "Choose areas from the list" in unknown.get_data(as_text=True)
    # What was chosen is kept on the page.
    assert f'value="{CARDIFF}" checked' in unknown.get_data(as_text=True)
    assert session.scalars(select(ReportClient)).all() == []


def test_the_page_is_in_welsh(world, as_person):
    admin = as_person(world.admin)
    text = admin.get(f"{LIST}?lang=cy").get_data(as_text=True)
    assert '<html lang="cy">' in text
    assert "Caerdydd" in text and "Abertawe" in text  # the areas by their Welsh names
    assert "Heddlu De Cymru" in text


def test_revoking_asks_first_then_revokes(world, as_person, session, credentials):
    record, _secret = credentials
    admin = as_person(world.admin)
    confirm = admin.get(f"{LIST}/{record.id}/revoke")
    assert confirm.status_code == 200
    assert "Yes, revoke the client" in confirm.get_data(as_text=True)
    session.expire_all()
    assert session.get(ReportClient, record.id).revoked_at is None  # asking changes nothing
    done = post_form(admin, f"{LIST}/{record.id}/revoke", page=LIST)
    assert done.status_code == 302
    session.expire_all()
    assert session.get(ReportClient, record.id).revoked_at is not None
    listing = admin.get(done.headers["Location"]).get_data(as_text=True)
    assert "The client is revoked" in listing and "Revoked on" in listing
    assert ("revoke", world.admin.id) in audited(session, "report_clients", record.id)


def test_only_an_admin_of_the_organisation_may_see_or_revoke(
        world, as_person, session, password_hash, credentials):
    record, _secret = credentials
    for person in (world.supervisor, world.worker, world.commissioner):
        web = as_person(person)
        assert web.get(LIST).status_code == 403
        assert post_form(web, f"{LIST}/{record.id}/revoke").status_code == 403
        assert register_on_the_page(web).status_code == 403
    other_admin = add_person(session, world.org_b, None, Role.ADMIN, "Bea B",
                             "bea.admin@example.org", password_hash, "en")
    session.commit()
    other = as_person(other_admin)
    assert record.client_id not in other.get(LIST).get_data(as_text=True)
    assert other.get(f"{LIST}/{record.id}/revoke").status_code == 404
    assert post_form(other, f"{LIST}/{record.id}/revoke").status_code == 404
    session.expire_all()
    assert session.get(ReportClient, record.id).revoked_at is None


def test_signed_out_the_page_leads_to_sign_in(client):
    answer = client.get(LIST)
    assert answer.status_code == 302
    assert "/sign-in" in answer.headers["Location"]


def test_the_admin_menu_links_to_the_page(world, as_person):
    text = as_person(world.admin).get("/admin/people").get_data(as_text=True)
    assert f'href="{LIST}"' in text
    assert f'href="{LIST}"' not in as_person(world.supervisor).get("/board").get_data(
        as_text=True)


def test_the_openapi_document_describes_the_route_and_its_security(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"][ANNUAL]["get"]
    assert operation["security"] == [{"report_client": [oauth.SCOPE]}]
    names = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    assert {"year", "from", "to", "area"} <= names
    assert {"200", "401", "403", "422"} <= set(operation["responses"])
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/AnnualFigures"}
    facts = document["components"]["schemas"]["AnnualFigures"]["properties"]["facts"]
    assert facts["items"]["properties"]["value"]["nullable"] is True
    scheme = document["components"]["securitySchemes"]["report_client"]
    assert scheme["type"] == "oauth2"
    assert scheme["flows"]["clientCredentials"]["tokenUrl"] == TOKEN_URL
    assert oauth.SCOPE in scheme["flows"]["clientCredentials"]["scopes"]
