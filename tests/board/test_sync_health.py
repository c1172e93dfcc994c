"""Sync health: each tablet of the team with its last contact, the unsent changes it reported,
its app version and its sealed copies waiting; a warning when a tablet holding unsent changes
has not synced for 48 hours. The tablet reports on every push and pull (sync/PROTOCOL.md, "What
a device reports"); an old tablet that does not is served as before."""

import uuid
from datetime import timedelta

from app.auth.models import Device
from app.syncing.models import SealedCopy
from sync.reporting import read_report
from tests.board.helpers import BOARD, now, sync_health_of, tablet
from tests.sync.http_helpers import enrol, new_case

REPORT = {"Adref-Unsent": "4", "Adref-App-Version": "3f2a9c1b7d4e5f60"}


def device_row(session, tablet_id) -> Device:
    session.expire_all()
    return session.get(Device, uuid.UUID(tablet_id))


def test_a_pull_keeps_what_the_tablet_reports(app, session, world, as_person):
    device = enrol(app, as_person(world.worker))
    response = device.get_pull(headers=REPORT)
    assert response.status_code == 200
    row = device_row(session, device.id)
    assert (row.unsent_count, row.app_version) == (4, "3f2a9c1b7d4e5f60")
    assert now() - row.reported_at < timedelta(minutes=1)
    assert row.last_seen_at == row.reported_at


def test_a_push_keeps_what_the_tablet_reports(app, session, world, as_person):
    device = enrol(app, as_person(world.worker))
    _, mutations = new_case(device)
    response = device.client.post("/api/v1/sync/push", json=device.batch(mutations),
                                  headers=device.headers | {"Adref-Unsent": "0"})
    assert response.status_code == 200, response.text
    row = device_row(session, device.id)
    assert row.unsent_count == 0 and row.app_version is None
    assert row.last_mutation_id == len(mutations)  # the push's own bookkeeping kept too


def test_an_old_tablet_without_the_report_still_syncs(app, session, world, as_person):
    device = enrol(app, as_person(world.worker))
    _, mutations = new_case(device)
    device.push(mutations)
    pulled = device.pull()
    assert pulled["changes"]
    row = device_row(session, device.id)
    assert (row.unsent_count, row.app_version, row.reported_at) == (None, None, None)


def test_a_later_report_replaces_the_count_and_keeps_the_version(app, session, world, as_person):
    device = enrol(app, as_person(world.worker))
    device.get_pull(headers=REPORT)
    device.get_pull(headers={"Adref-Unsent": "0"})
    row = device_row(session, device.id)
    assert (row.unsent_count, row.app_version) == (0, "3f2a9c1b7d4e5f60")


def test_a_malformed_report_is_ignored_never_refused(app, session, world, as_person):
    device = enrol(app, as_person(world.worker))
    response = device.get_pull(headers={"Adref-Unsent": "-3", "Adref-App-Version": "<x>"})
    assert response.status_code == 200
    assert device_row(session, device.id).reported_at is None


def test_reading_the_report_knows_no_framework():
    assert read_report({"Adref-Unsent": " 12 "}).unsent == 12
    assert read_report({"Adref-Unsent": "99999999"}).unsent is None
    assert read_report({"Adref-Unsent": "1.5"}).unsent is None
    assert read_report({}).said_anything is False
    assert read_report({"Adref-App-Version": "a" * 65}).app_version is None
    assert read_report({"Adref-App-Version": "v1.2.3+build"}).app_version == "v1.2.3+build"


def test_the_team_tablets_with_what_they_reported(session, world, as_person):
    tablet(session, world.worker, "Tabled Will", seen_hours_ago=3, unsent=2,
           app_version="abc123")
    quiet = tablet(session, world.colleague, "Tabled Cai", seen_hours_ago=None)
    tablet(session, world.other_team_worker, "Tabled Owen")
    tablet(session, world.outsider, "Tabled Olaf")
    tablet(session, world.worker, "Tabled gone", revoked_at=now())
    session.add(SealedCopy(organisation_id=quiet.organisation_id, device_id=quiet.id,
                           mutation_id=1, sealed={"epk": "x", "iv": "y", "ct": "z"}))
    session.commit()
    health = sync_health_of(as_person(world.supervisor).get(BOARD).text)
    assert "Tabled Will" in health and "Will Worker" in health
    assert "3 hours ago" in health and "abc123" in health
    assert "Tabled Cai" in health and "Never" in health and "Not reported" in health
    assert '<a href="/review/rescue">1</a>' in health
    assert "Owen" not in health and "Olaf" not in health and "Tabled gone" not in health
    assert "Data at risk" not in health
    admin_sees = sync_health_of(as_person(world.admin).get(BOARD).text)
    assert "Tabled Owen" in admin_sees and "Olaf" not in admin_sees


def test_unsent_changes_and_no_sync_for_48_hours_put_data_at_risk(session, world, as_person):
    tablet(session, world.worker, "Silent and holding", seen_hours_ago=50, unsent=3)
    tablet(session, world.worker, "Silent and empty", seen_hours_ago=50, unsent=0)
    tablet(session, world.worker, "Recent and holding", seen_hours_ago=40, unsent=3)
    session.commit()
    health = sync_health_of(as_person(world.supervisor).get(BOARD).text)
    assert health.count("Data at risk") == 1
    rows = health.split("<tr")
    holding = next(n for n, row in enumerate(rows) if "Silent and holding" in row)
    assert "Data at risk: 3 unsent changes and no sync for 2 days or more" in rows[holding + 1]
    assert "2 days ago" in health
