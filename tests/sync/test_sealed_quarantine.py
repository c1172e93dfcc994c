"""Sealed copies: a wiped or revoked tablet hands in its unsent changes, sealed with the
server's public key, with its device id and upload secret. They wait in quarantine until a
supervisor of the worker's team (or an admin) applies them, exactly once, or discards them with
a reason; both are audited."""

import html
import io
import json
import re
import uuid

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import Role, Team
from app.auth.services import add_person
from app.cases.models import Child
from app.interviews.models import ReturnInterview
from app.syncing import sealing
from app.syncing.models import SealedCopy
from app.syncing.sealing import open_sealed, public_key, seal
from tests.api.helpers import API
from tests.sync.http_helpers import Tablet, enrol_pair, new_case

RESCUE = "/review/rescue"


def sealed_url(device_id) -> str:
    return f"{API}/sync/devices/{device_id}/sealed"


def sealed_items(app, tablet, organisation_id, mutations) -> list[dict]:
    """Each mutation sealed as the tablet seals it."""
    return [{"mutation_id": m["mutation_id"],
             "sealed": seal(app.instance_path, m, organisation_id, tablet.id)} for m in mutations]


def hand_in(client, device_id, secret, items):
    return client.post(sealed_url(device_id), json={"secret": secret, "items": items})


def text_of(response) -> str:
    plain = html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    return " ".join(plain.split())


def csrf(web) -> str:
    page = web.get(RESCUE + "?lang=en")
    assert page.status_code == 200, page.text
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def decide(web, device_id, action: str, **form):
    return web.post(f"{RESCUE}/sealed/{device_id}/{action}?lang=en",
                    data={"csrf_token": csrf(web), **form})


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def handed_in(world, as_person, app, session):
    """A worker's tablet's new case, sealed and handed in (the tablet revoked first):
    (tablet, ids, mutations)."""
    pair = enrol_pair(as_person(world.worker), "Will's tablet")
    tablet = Tablet(app, pair)
    ids, mutations = new_case(tablet)
    revoked = as_person(world.worker).post(f"{API}/devices/{tablet.id}/revoke", json={})
    assert revoked.status_code == 200, revoked.text
    answer = hand_in(app.test_client(), tablet.id, pair["upload_secret"],
                     sealed_items(app, tablet, world.org_a.id, mutations))
    assert answer.status_code == 200, answer.text
    assert answer.json == {"taken": [1, 2, 3]}
    return tablet, ids, mutations


def test_the_public_key_reaches_the_tablet_and_only_the_server_opens_a_copy(
        world, as_person, app):
    tablet = Tablet(app, enrol_pair(as_person(world.worker)))
    part = tablet.client.get(f"{API}/sync/reference", headers=tablet.headers).json
    (row,) = part["reference"]["sealing"]["data"]
    assert row["organisation_id"] == str(world.org_a.id)
    assert len(row["public_key"]) == 87  # an uncompressed P-256 point, base64url
    sealed = seal(app.instance_path, {"given_name": "Gwenllïan"}, world.org_a.id, tablet.id)
    assert "Gwenllïan" not in str(sealed)
    assert open_sealed(app.instance_path, sealed, world.org_a.id, tablet.id) == {
        "given_name": "Gwenllïan"}
    # Bound to its organisation and device: it opens for no other.
    for organisation, device in ((world.org_b.id, tablet.id), (world.org_a.id, uuid.uuid4())):
        with pytest.raises(ValueError):
            open_sealed(app.instance_path, sealed, organisation, device)


def test_handed_in_copies_wait_and_a_supervisor_applies_them_once(
        world, as_person, handed_in, session):
    tablet, ids, mutations = handed_in
    # Nothing is applied by itself.
    assert count(session, Child, Child.id == ids["children"]) == 0
    supervisor = as_person(world.supervisor)
    page = supervisor.get(RESCUE + "?lang=en")
    shown = text_of(page)
    assert "Tablet “Will's tablet”, used by Will Worker" in shown
    assert "3 changes" in shown and "Gwenllïan Ŵyn" in shown
    assert count(session, AuditEvent, AuditEvent.action == "sealed-read",
                 AuditEvent.person_id == world.supervisor.id,
                 AuditEvent.record_id == uuid.UUID(tablet.id)) == 1

    applied = decide(supervisor, tablet.id, "apply")

    assert applied.status_code == 200, applied.text
    assert "Sealed changes applied" in text_of(applied)
    assert "3 changes applied." in text_of(applied)
    assert count(session, Child, Child.id == ids["children"]) == 1
    assert count(session, ReturnInterview, ReturnInterview.id == ids["interviews"]) == 1
    assert count(session, AuditEvent, AuditEvent.action == "sealed-apply",
                 AuditEvent.person_id == world.supervisor.id) == 1
    assert count(session, AuditEvent, AuditEvent.action == "sync-create",
                 AuditEvent.person_id == world.supervisor.id) == 3
    assert "None are waiting." in text_of(supervisor.get(RESCUE + "?lang=en"))
    # Applying again finds nothing waiting.
    assert decide(supervisor, tablet.id, "apply").status_code == 404
    session.expire_all()
    assert count(session, Child, Child.id == ids["children"]) == 1


def test_copies_handed_in_again_after_applying_are_not_applied_twice(
        world, as_person, handed_in, app, session):
    tablet, ids, mutations = handed_in
    supervisor = as_person(world.supervisor)
    assert decide(supervisor, tablet.id, "apply").status_code == 200
    again = hand_in(app.test_client(), tablet.id, _secret_of(app, tablet),
                    sealed_items(app, tablet, world.org_a.id, mutations))
    assert again.status_code == 200 and again.json == {"taken": [1, 2, 3]}
    assert count(session, SealedCopy, SealedCopy.state == "waiting") == 0
    assert count(session, Child, Child.id == ids["children"]) == 1


def _secret_of(app, tablet):
    from app.auth.devices import device_upload_secret
    return device_upload_secret(app.config["SECRET_KEY"], tablet.id)


def test_discarding_needs_a_reason_and_is_audited(world, as_person, handed_in, session):
    tablet, ids, _mutations = handed_in
    supervisor = as_person(world.supervisor)

    refused = decide(supervisor, tablet.id, "discard", reason="  ")

    assert refused.status_code == 422
    assert "Say why these changes are discarded." in text_of(refused)
    assert 'class="error-summary"' in refused.text
    assert count(session, SealedCopy, SealedCopy.state == "waiting") == 3

    done = decide(supervisor, tablet.id, "discard", reason="Made twice by mistake")

    assert done.status_code == 200, done.text
    assert "3 changes discarded." in text_of(done)
    session.expire_all()
    kept = session.scalars(select(SealedCopy)).all()
    assert {(c.state, c.reason, c.decided_by_id) for c in kept} == {
        ("discarded", "Made twice by mistake", world.supervisor.id)}
    assert count(session, AuditEvent, AuditEvent.action == "sealed-discard",
                 AuditEvent.person_id == world.supervisor.id) == 1
    assert count(session, Child, Child.id == ids["children"]) == 0


def test_the_rescue_page_shows_only_the_teams_tablets(
        world, as_person, handed_in, session, password_hash):
    tablet, ids, _mutations = handed_in
    team_b = session.get(Team, world.outsider.team_id)
    other_team = add_person(session, world.org_a, world.other_team, Role.SUPERVISOR,
                            "Other Sup", "other.sup@example.org", password_hash, "en")
    other_org = add_person(session, world.org_b, team_b, Role.SUPERVISOR, "Far Sup",
                           "far.sup@example.org", password_hash, "en")
    session.commit()
    for person in (other_team, other_org):
        web = as_person(person)
        shown = text_of(web.get(RESCUE + "?lang=en"))
        assert "Will's tablet" not in shown and "Gwenllïan" not in shown
        assert "None are waiting." in shown
        assert decide(web, tablet.id, "apply").status_code == 404
        assert decide(web, tablet.id, "discard", reason="Not mine").status_code == 404
    assert "Will's tablet" in text_of(as_person(world.admin).get(RESCUE + "?lang=en"))
    assert as_person(world.worker).get(RESCUE).status_code == 403
    assert count(session, SealedCopy, SealedCopy.state == "waiting") == 3


def test_a_wrong_secret_or_device_is_refused(world, as_person, app, session):
    pair = enrol_pair(as_person(world.worker))
    tablet = Tablet(app, pair)
    _ids, mutations = new_case(tablet)
    items = sealed_items(app, tablet, world.org_a.id, mutations)
    other = enrol_pair(as_person(world.colleague))
    client = app.test_client()
    for device_id, secret in ((tablet.id, other["upload_secret"]), (uuid.uuid4(), "x" * 43),
                              (other["device_id"], pair["upload_secret"])):
        refused = hand_in(client, device_id, secret, items)
        assert refused.status_code == 403, refused.text
    assert count(session, SealedCopy) == 0


def test_the_upload_is_held_to_the_size_and_number_of_a_push(world, as_person, app, session):
    pair = enrol_pair(as_person(world.worker))
    tablet = Tablet(app, pair)
    _ids, mutations = new_case(tablet)
    items = sealed_items(app, tablet, world.org_a.id, mutations)
    client = app.test_client()
    app.config["SYNC_MAX_MUTATIONS"] = 2
    try:
        too_many = hand_in(client, tablet.id, pair["upload_secret"], items)
        assert too_many.status_code == 413 and too_many.json["max_mutations"] == 2
    finally:
        app.config["SYNC_MAX_MUTATIONS"] = 500
    large = dict(items[0], sealed=dict(items[0]["sealed"], ct="A" * (9 * 1024 * 1024)))
    too_large = hand_in(client, tablet.id, pair["upload_secret"], [large])
    assert too_large.status_code == 413
    assert count(session, SealedCopy) == 0


def test_copies_that_cannot_be_opened_can_only_be_discarded(world, as_person, app, session):
    pair = enrol_pair(as_person(world.worker), "Will's tablet")
    tablet = Tablet(app, pair)
    _ids, mutations = new_case(tablet)
    # Sealed for another organisation: they do not open as this device's.
    items = sealed_items(app, tablet, world.org_b.id, mutations)
    assert hand_in(app.test_client(), tablet.id, pair["upload_secret"], items).status_code == 200
    supervisor = as_person(world.supervisor)
    assert "These changes cannot be opened." in text_of(supervisor.get(RESCUE + "?lang=en"))

    refused = decide(supervisor, tablet.id, "apply")

    assert refused.status_code == 422
    assert "not sealed for this Adref server" in text_of(refused)
    assert count(session, SealedCopy, SealedCopy.state == "waiting") == 3


def upload_file(web, raw: bytes):
    return web.post(RESCUE + "?lang=en", content_type="multipart/form-data",
                    data={"csrf_token": csrf(web), "file": (io.BytesIO(raw), "rescue.json")})


def test_a_saved_file_of_sealed_copies_waits_for_the_supervisor(
        world, as_person, app, session, password_hash):
    """Saved on a tablet with no signal: uploaded, its copies join the quarantine, as if the
    tablet had handed them in, for the same decision; and only for a supervisor of the team."""
    tablet = Tablet(app, enrol_pair(as_person(world.worker), "Will's tablet"))
    ids, mutations = new_case(tablet)
    raw = json.dumps({"format": "adref-sealed", "version": 1,
                      "created_at": "2026-03-04T09:00:00+00:00",
                      "items": [dict(item, device_id=tablet.id) for item in sealed_items(
                          app, tablet, world.org_a.id, mutations)]}).encode()
    other_team = add_person(session, world.org_a, world.other_team, Role.SUPERVISOR,
                            "Other Sup", "other.sup2@example.org", password_hash, "en")
    session.commit()
    assert upload_file(as_person(other_team), raw).status_code == 404
    assert count(session, SealedCopy) == 0

    supervisor = as_person(world.supervisor)
    page = upload_file(supervisor, raw)

    assert page.status_code == 200, page.text
    assert "3 changes from the file are waiting below: apply them or discard them." in text_of(page)
    assert count(session, Child, Child.id == ids["children"]) == 0
    assert decide(supervisor, tablet.id, "apply").status_code == 200
    assert count(session, Child, Child.id == ids["children"]) == 1
    again = upload_file(supervisor, raw)
    assert "Every change in the file was applied or discarded already." in text_of(again)
    assert count(session, SealedCopy, SealedCopy.state == "waiting") == 0
    spoilt = upload_file(supervisor, raw.replace(b'"version": 1', b'"version": 2'))
    assert spoilt.status_code == 422
    assert "The file is not an Adref rescue file." in text_of(spoilt)


def test_the_sealing_key_is_made_once_and_kept(tmp_path):
    first = public_key(str(tmp_path / "one"))
    stored = (tmp_path / "one" / "sealing_key.pem").read_bytes()
    sealing._keys.clear()  # as a new process would: read from instance/
    assert public_key(str(tmp_path / "one")) == first
    assert (tmp_path / "one" / "sealing_key.pem").read_bytes() == stored
    assert oct((tmp_path / "one" / "sealing_key.pem").stat().st_mode & 0o777) == "0o600"
    assert public_key(str(tmp_path / "two")) != first
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == ["sealing_key.pem"]
