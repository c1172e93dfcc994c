"""The directory reaches the tablet as the reference part `directory`: every entry of the data
file, unconfirmed ones too (marked so, for workers; the tablet never shows them to a child),
with a version that every pull names and that changes only with the entries."""

from app.directory.services import directory_services
from tests.api.helpers import API
from tests.sync.http_helpers import enrol


def test_a_tablet_is_sent_every_entry_with_its_version(world, as_person, app):
    tablet = enrol(app, as_person(world.worker))
    answer = tablet.client.get(f"{API}/sync/reference", headers=tablet.headers)
    assert answer.status_code == 200, answer.text
    part = answer.json["reference"]["directory"]
    assert part["data"] == directory_services()
    by_id = {entry["id"]: entry for entry in part["data"]}
    assert by_id["st_giles_trust"]["confirmed"] is False
    assert by_id["childline"]["name"] == {"en": "Childline", "cy": "Childline"}
    assert by_id["childline"]["contact"]["phone"] == "0800 1111"
    assert by_id["police_emergency"]["hours"] == {"always": True}
    assert tablet.pull()["reference"]["directory"] == part["version"]


def test_the_same_for_every_worker_and_organisation(world, as_person, app):
    versions = set()
    for person in (world.worker, world.supervisor):
        tablet = enrol(app, as_person(person))
        answer = tablet.client.get(f"{API}/sync/reference", headers=tablet.headers)
        versions.add(answer.json["reference"]["directory"]["version"])
    assert len(versions) == 1
