"""The rescue file: a tablet that cannot sync saves its outbox encrypted with its export key; a
supervisor (or admin) uploads it at /review/rescue and the changes are applied as the device's
own push, exactly once, or not at all."""

import base64
import html
import io
import json
import os
import re
import uuid

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.devices import device_export_key
from app.auth.models import Device, Role, Team
from app.auth.services import add_person
from app.cases.models import Child, MissingEpisode
from app.interviews.models import ReturnInterview
from app.syncing.models import ResultBatch
from tests.api.helpers import API
from tests.sync.http_helpers import Tablet, enrol_pair, new_case, statuses

RESCUE = "/review/rescue"


def b64url(data: bytes, padded: bool = False) -> str:
    text = base64.urlsafe_b64encode(data).decode("ascii")
    return text if padded else text.rstrip("=")


def key_of(pair: dict) -> bytes:
    text = pair["export_key"]
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def rescue_file(export_key: bytes, device_id: str, mutations: list[dict], *,
                padded: bool = False) -> bytes:
    """A rescue file exactly as the tablet writes one (the contract in sync/PROTOCOL.md)."""
    inner = json.dumps({"protocol": 1, "device_id": device_id, "mutations": mutations},
                       ensure_ascii=False).encode("utf-8")
    iv = os.urandom(12)
    ciphertext = AESGCM(export_key).encrypt(iv, inner, device_id.encode("ascii"))
    return json.dumps({"format": "adref-rescue", "version": 1, "device_id": device_id,
                       "created_at": "2026-03-04T09:00:00+00:00", "iv": b64url(iv, padded),
                       "ciphertext": b64url(ciphertext, padded)}).encode("utf-8")


def form_token(web) -> str:
    page = web.get(RESCUE + "?lang=en")
    assert page.status_code == 200, page.text
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def upload(web, raw: bytes, *, csrf: bool = True, name: str = "adref-rescue.json"):
    data = {"file": (io.BytesIO(raw), name)}
    if csrf:
        data["csrf_token"] = form_token(web)
    return web.post(RESCUE, data=data, content_type="multipart/form-data")


def text_of(response) -> str:
    """The page's visible text, whitespace collapsed."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    return " ".join(plain.split())


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def case_rows(session, ids: dict) -> tuple[int, int, int]:
    return (count(session, Child, Child.id == ids["children"]),
            count(session, MissingEpisode, MissingEpisode.id == ids["episodes"]),
            count(session, ReturnInterview, ReturnInterview.id == ids["interviews"]))


def nothing_applied(session, tablet, ids: dict) -> None:
    session.expire_all()
    assert case_rows(session, ids) == (0, 0, 0)
    device_id = uuid.UUID(tablet.id)
    assert session.get(Device, device_id).last_mutation_id == 0
    assert count(session, ResultBatch, ResultBatch.device_id == device_id) == 0


def assert_error(response, status: int, message: str) -> None:
    assert response.status_code == status, response.text
    assert 'class="error-summary"' in response.text
    assert message in text_of(response)


@pytest.fixture
def worker_tablet(world, as_person, app):
    """A tablet of the supervisor's team's worker, its enrolment answer and a new case made on
    it but never sent: (tablet, pair, ids, mutations)."""
    pair = enrol_pair(as_person(world.worker), "Will's tablet")
    tablet = Tablet(app, pair)
    ids, mutations = new_case(tablet)
    return tablet, pair, ids, mutations


def make_person(session, org, team, role, password_hash):
    email = f"{role}.{uuid.uuid4().hex[:8]}@example.org"
    person = add_person(session, org, team, role, f"Another {role}", email, password_hash, "en")
    session.commit()
    return person


# --- importing -----------------------------------------------------------------------------------

def test_a_supervisor_imports_a_team_workers_file_once(world, as_person, worker_tablet, session):
    tablet, pair, ids, mutations = worker_tablet
    raw = rescue_file(key_of(pair), tablet.id, mutations)
    supervisor = as_person(world.supervisor)

    page = upload(supervisor, raw)

    assert page.status_code == 200, page.text
    shown = text_of(page)
    assert "Rescue file imported" in shown
    assert "3 changes applied." in shown
    assert "Will's tablet" in shown and "Will Worker" in shown
    assert 'class="error-summary"' not in page.text
    assert case_rows(session, ids) == (1, 1, 1)
    child = session.get(Child, ids["children"])
    # Made as the worker's own push: theirs, in their team.
    assert (child.assigned_worker_id, child.team_id) == (world.worker.id, world.team_a.id)
    assert session.get(Device, uuid.UUID(tablet.id)).last_mutation_id == mutations[-1]["mutation_id"]
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "rescue-import")).all()
    assert [(a.person_id, a.record_id) for a in audit] == [(world.supervisor.id,
                                                           uuid.UUID(tablet.id))]
    # The changes are the worker's, but the supervisor brought them in: the trail names them.
    assert count(session, AuditEvent, AuditEvent.action == "sync-create",
                 AuditEvent.person_id == world.supervisor.id) == 3
    assert count(session, AuditEvent, AuditEvent.person_id == world.worker.id,
                 AuditEvent.action.like("sync-%")) == 0

    again = upload(supervisor, raw)

    assert again.status_code == 200, again.text
    assert "3 changes were already there." in text_of(again)
    assert "applied." not in text_of(again)
    session.expire_all()
    assert case_rows(session, ids) == (1, 1, 1)

    # The tablet comes back into signal and sends the same outbox: nothing is made twice.
    assert statuses(tablet.push(mutations)) == ["duplicate"] * 3
    assert case_rows(session, ids) == (1, 1, 1)


def test_a_deactivated_workers_file_is_applied_and_audited_as_the_importer(
        world, as_person, app, worker_tablet, session):
    """The work a tablet holds on its worker's cases when the worker leaves is not lost: their
    tablet can no longer refresh its tokens, but its rescue file is applied, in the
    supervisor's name in the audit trail. A child they added on the tablet comes in too, still
    theirs, for the supervisor to reassign with their other cases."""
    tablet, pair, _ids, _mutations = worker_tablet
    ids = {"episodes": uuid.uuid4(), "interviews": uuid.uuid4()}
    mutations = [
        tablet.mutation("episodes", ids["episodes"], {
            "child_id": str(world.child.id), "reported_missing_at": "2026-03-01T10:00:00+00:00",
            "returned_at": "2026-03-02T08:00:00+00:00", "risk_grade": "medium"}),
        tablet.mutation("interviews", ids["interviews"], {
            "episode_id": str(ids["episodes"]), "why_missing": "Roedd hi'n unig",
            "conducted_at": "2026-03-03T14:30:00+00:00", "consent": "accepted"}),
    ]
    new_ids, new_child = new_case(tablet)
    mutations += new_child
    supervisor = as_person(world.supervisor)
    session.get(type(world.worker), world.worker.id).active = False
    session.commit()
    refused = tablet.client.post(f"{API}/devices/token", json={
        "device_id": tablet.id, "refresh_token": pair["refresh_token"]})
    assert refused.status_code == 401 and refused.json["wipe"] is True

    page = upload(supervisor, rescue_file(key_of(pair), tablet.id, mutations))

    assert page.status_code == 200, page.text
    assert "5 changes applied." in text_of(page), text_of(page)[150:900]
    assert count(session, ReturnInterview, ReturnInterview.id == ids["interviews"]) == 1
    written = session.scalars(select(AuditEvent).where(
        AuditEvent.record_id.in_(list(ids.values())))).all()
    assert {(a.action, a.person_id) for a in written} == {("sync-create", world.supervisor.id)}
    session.expire_all()
    child = session.get(Child, new_ids["children"])
    assert (child.assigned_worker_id, child.team_id) == (world.worker.id, world.worker.team_id)
    assert case_rows(session, new_ids) == (1, 1, 1)

    # Nobody else may hand a child to someone who has left: the same rule refuses it.
    colleague = Tablet(app, enrol_pair(as_person(world.supervisor), "Supervisor's tablet"))
    refused = colleague.push([colleague.mutation("children", uuid.uuid4(), {
        "given_name": "Aled", "family_name": "Rhys",
        "assigned_worker_id": str(world.worker.id)})])
    assert statuses(refused) == ["rejected"]
    assert refused["results"][0]["errors"] == {
        "assigned_worker_id": ["No such worker in this child's team."]}


def test_padded_base64_and_an_admin_of_the_organisation(world, as_person, worker_tablet,
                                                        session):
    tablet, pair, ids, mutations = worker_tablet
    raw = rescue_file(key_of(pair), tablet.id, mutations, padded=True)

    page = upload(as_person(world.admin), raw)

    assert page.status_code == 200, page.text
    assert "3 changes applied." in text_of(page)
    assert case_rows(session, ids) == (1, 1, 1)


def test_a_revoked_devices_file_still_imports(world, as_person, worker_tablet, session):
    tablet, pair, ids, mutations = worker_tablet
    revoked = as_person(world.worker).post(f"{API}/devices/{tablet.id}/revoke", json={})
    assert revoked.status_code == 200, revoked.text

    page = upload(as_person(world.supervisor), rescue_file(key_of(pair), tablet.id, mutations))

    assert page.status_code == 200, page.text
    assert "3 changes applied." in text_of(page)
    assert case_rows(session, ids) == (1, 1, 1)


def test_a_rejected_change_is_shown_and_the_rest_applied(world, as_person, app, session):
    web = as_person(world.worker)
    pair = enrol_pair(web)
    tablet = Tablet(app, pair)
    child_rev = tablet.pull()["changes"][("children", str(world.child.id))]["rev"]
    taken = tablet.mutation("children", world.child.id,
                            {"assigned_worker_id": str(world.colleague.id)}, base_rev=child_rev)
    ids, mutations = new_case(tablet)

    page = upload(as_person(world.supervisor),
                  rescue_file(key_of(pair), tablet.id, [taken] + mutations))

    assert page.status_code == 200, page.text
    shown = text_of(page)
    assert "3 changes applied." in shown
    assert "1 change could not be applied." in shown
    assert "Changes that could not be applied" in shown
    assert f"Change {taken['mutation_id']}, assigned_worker_id:" in shown
    assert case_rows(session, ids) == (1, 1, 1)
    session.expire_all()
    assert session.get(Child, world.child.id).assigned_worker_id == world.worker.id


# --- refused files: an error on the page, nothing applied -----------------------------------------

def with_ciphertext_changed(raw: bytes) -> bytes:
    outer = json.loads(raw)
    sealed = bytearray(base64.urlsafe_b64decode(outer["ciphertext"] + "=="))
    sealed[5] ^= 0x01
    outer["ciphertext"] = b64url(bytes(sealed))
    return json.dumps(outer).encode()


CANNOT_OPEN = "The file cannot be opened."
NOT_RESCUE = "The file is not an Adref rescue file."


@pytest.mark.parametrize(("spoil", "message"), [
    (with_ciphertext_changed, CANNOT_OPEN),
    (lambda raw: b"\x89PNG not json at all", NOT_RESCUE),
    (lambda raw: b"[" * 100_000, NOT_RESCUE),
    (lambda raw: raw.replace(b'"device_id": "', b'"device_id": "x'), NOT_RESCUE),
    (lambda raw: raw.replace(b'"adref-rescue"', b'"adref-backup"'), NOT_RESCUE),
    (lambda raw: raw.replace(b'"version": 1', b'"version": 2'), NOT_RESCUE),
    (lambda raw: json.dumps({k: v for k, v in json.loads(raw).items() if k != "iv"}).encode(),
     NOT_RESCUE),
])
def test_a_spoilt_file_is_refused_and_nothing_applied(world, as_person, worker_tablet, session,
                                                      spoil, message):
    tablet, pair, ids, mutations = worker_tablet
    raw = spoil(rescue_file(key_of(pair), tablet.id, mutations))

    page = upload(as_person(world.supervisor), raw)

    assert_error(page, 422, message)
    assert 'aria-invalid="true"' in page.text and 'href="#file"' in page.text
    nothing_applied(session, tablet, ids)


def test_a_file_from_another_server_cannot_be_opened(world, as_person, worker_tablet, session):
    tablet, _pair, ids, mutations = worker_tablet
    elsewhere = device_export_key("another server's secret", tablet.id)

    page = upload(as_person(world.supervisor), rescue_file(elsewhere, tablet.id, mutations))

    assert_error(page, 422, CANNOT_OPEN)
    nothing_applied(session, tablet, ids)


def test_a_file_naming_another_device_inside_is_refused(world, as_person, worker_tablet, app,
                                                        session):
    tablet, pair, ids, mutations = worker_tablet
    other = enrol_pair(as_person(world.colleague))
    inner = {"protocol": 1, "device_id": other["device_id"], "mutations": mutations}
    iv = os.urandom(12)
    sealed = AESGCM(key_of(pair)).encrypt(iv, json.dumps(inner).encode(), tablet.id.encode())
    raw = json.dumps({"format": "adref-rescue", "version": 1, "device_id": tablet.id,
                      "created_at": "2026-03-04T09:00:00Z", "iv": b64url(iv),
                      "ciphertext": b64url(sealed)}).encode()

    page = upload(as_person(world.supervisor), raw)

    assert_error(page, 422, "The changes in the file are not valid")
    nothing_applied(session, tablet, ids)


def test_changes_larger_than_a_push_are_refused(world, as_person, worker_tablet, app, session,
                                                monkeypatch):
    tablet, pair, ids, mutations = worker_tablet
    monkeypatch.setitem(app.config, "SYNC_MAX_BYTES", 200)
    supervisor = as_person(world.supervisor)

    page = upload(supervisor, rescue_file(key_of(pair), tablet.id, mutations))
    huge = upload(supervisor, b" " * 100_000)

    assert_error(page, 422, "The file is too large to import.")
    assert_error(huge, 413, "The file is too large to import.")
    nothing_applied(session, tablet, ids)


def test_no_file_chosen_asks_for_one(world, as_person):
    web = as_person(world.supervisor)
    page = web.post(RESCUE, data={"csrf_token": form_token(web)},
                    content_type="multipart/form-data")
    assert_error(page, 422, "Choose a rescue file to import.")


# --- who may import -------------------------------------------------------------------------------

def test_a_supervisor_of_another_team_or_organisation_is_told_not_found(
        world, as_person, worker_tablet, session, password_hash):
    tablet, pair, ids, mutations = worker_tablet
    raw = rescue_file(key_of(pair), tablet.id, mutations)
    team_b = session.get(Team, world.outsider.team_id)
    other_team = make_person(session, world.org_a, world.other_team, Role.SUPERVISOR,
                             password_hash)
    other_org = make_person(session, world.org_b, team_b, Role.SUPERVISOR, password_hash)
    other_admin = make_person(session, world.org_b, None, Role.ADMIN, password_hash)

    for person in (other_team, other_org, other_admin):
        page = upload(as_person(person), raw)
        assert page.status_code == 404, (person.display_name, page.text)
        assert "Page not found" in page.text

    nothing_applied(session, tablet, ids)


@pytest.mark.parametrize("role", ["worker", "commissioner"])
def test_only_supervisors_and_admins_may_import(world, as_person, worker_tablet, session, role):
    tablet, pair, ids, mutations = worker_tablet
    web = as_person(getattr(world, role))
    assert web.get(RESCUE).status_code == 403
    token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/?lang=en").text).group(1)

    page = web.post(RESCUE, data={"csrf_token": token,
                                  "file": (io.BytesIO(rescue_file(key_of(pair), tablet.id,
                                                                  mutations)), "r.json")},
                    content_type="multipart/form-data")

    assert page.status_code == 403
    nothing_applied(session, tablet, ids)


def test_without_the_csrf_token_nothing_happens(world, as_person, worker_tablet, session):
    tablet, pair, ids, mutations = worker_tablet

    page = upload(as_person(world.supervisor), rescue_file(key_of(pair), tablet.id, mutations),
                  csrf=False)

    assert page.status_code == 400
    nothing_applied(session, tablet, ids)


def test_signed_out_the_page_sends_you_to_sign_in(client):
    page = client.get(RESCUE)
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/sign-in?next=")


def test_the_form(world, as_person):
    page = as_person(world.supervisor).get(RESCUE + "?lang=en")
    assert page.status_code == 200
    assert "<h1>Import a rescue file</h1>" in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert '<input id="file" name="file" type="file"' in page.text
    assert '<label for="file">Rescue file</label>' in page.text


def test_the_welsh_page_has_no_english_of_these_messages(world, as_person, worker_tablet):
    tablet, pair, ids, mutations = worker_tablet
    web = as_person(world.supervisor)
    raw = rescue_file(key_of(pair), tablet.id, mutations)
    token = form_token(web)
    page = web.post(RESCUE + "?lang=cy", data={"csrf_token": token,
                                               "file": (io.BytesIO(raw), "r.json")},
                    content_type="multipart/form-data")
    shown = text_of(page)
    for english in ("Rescue file imported", "changes applied", "Changes from the tablet"):
        assert english not in shown
    assert "Ffeil achub wedi'i mewnforio" in shown


# --- the key ---------------------------------------------------------------------------------------

def test_the_token_pair_carries_the_devices_export_key(world, as_person, app):
    web = as_person(world.worker)
    first, second = enrol_pair(web, "One"), enrol_pair(web, "Two")
    secret = app.config["SECRET_KEY"]

    for pair in (first, second):
        assert len(pair["export_key"]) == 43
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", pair["export_key"])
        assert key_of(pair) == device_export_key(secret, pair["device_id"])
    assert first["export_key"] != second["export_key"]

    refreshed = app.test_client().post(f"{API}/devices/token", json={
        "device_id": first["device_id"], "refresh_token": first["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json["export_key"] == first["export_key"]
    assert refreshed.json["refresh_token"] != first["refresh_token"]


def test_the_key_is_hkdf_sha256_of_the_secret_per_device():
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    device_id = uuid.UUID("b7a1e5c2-3f4d-4e6a-9c8b-0d1e2f3a4b01")
    expected = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                    info=b"adref-rescue-v1:b7a1e5c2-3f4d-4e6a-9c8b-0d1e2f3a4b01"
                    ).derive(b"test-only-secret")
    assert device_export_key("test-only-secret", device_id) == expected
    assert device_export_key("test-only-secret", str(device_id)) == expected
    assert len(expected) == 32



def test_a_file_holding_changes_numbered_below_those_taken_in_is_refused_whole(
        world, as_person, worker_tablet, session):
    """A change numbered below the last one the server took in from the device, and never taken
    in itself, has no true answer (sync/PROTOCOL.md): the file is refused, with nothing of it
    applied, and the page says why, not a server error."""
    tablet, pair, ids, mutations = worker_tablet
    later = tablet.mutation("children", uuid.uuid4(), {"given_name": "Llio", "family_name": "Rhys"})
    tablet.push([later])  # the server has now taken in the device's later mutation

    page = upload(as_person(world.supervisor), rescue_file(key_of(pair), tablet.id, mutations))

    assert_error(page, 422, "The changes in the file are not valid, so none were imported.")
    session.expire_all()
    assert case_rows(session, ids) == (0, 0, 0)
