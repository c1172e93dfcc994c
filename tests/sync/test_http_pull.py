"""GET /api/v1/sync/pull and /api/v1/sync/reference over HTTP: scope, paging, reassignment,
cursors that cannot be trusted, compression, and reference versions."""

import gzip
import json
import uuid

import pytest

from app.cases.models import MissingEpisode
from app.codelists.models import CodeListItem
from app.interviews.models import InterviewAttempt, ReturnInterview
from tests.api.helpers import assert_problem
from tests.sync.http_helpers import (
    API,
    ATTEMPTED,
    REPORTED,
    RETURNED,
    at,
    enrol,
    ids_of,
    new_case,
    record,
    statuses,
)


def add_case(session, child) -> dict:
    """An episode, an interview and an attempt of this child, made on the server."""
    episode = MissingEpisode(organisation_id=child.organisation_id, child_id=child.id,
                             reported_missing_at=at(REPORTED), returned_at=at(RETURNED))
    session.add(episode)
    session.flush()
    interview = ReturnInterview(organisation_id=child.organisation_id, episode_id=episode.id,
                                why_missing=f"Rheswm {child.given_name}")
    session.add(interview)
    session.flush()
    attempt = InterviewAttempt(organisation_id=child.organisation_id, interview_id=interview.id,
                               attempted_at=at(ATTEMPTED), method="phone", outcome="no_answer")
    session.add(attempt)
    session.commit()
    return {"children": str(child.id), "episodes": str(episode.id),
            "interviews": str(interview.id), "attempts": str(attempt.id)}


COLLECTIONS = ("children", "episodes", "interviews", "attempts")

WHO_SEES_WHAT = {
    "worker": ["child"],
    "colleague": ["colleague_child"],
    "other_team_worker": ["other_team_child"],
    "supervisor": ["child", "colleague_child"],
    "admin": ["child", "colleague_child", "other_team_child"],
    "outsider": ["outsider_child"],
}


@pytest.mark.parametrize("who", list(WHO_SEES_WHAT))
def test_a_pull_holds_exactly_what_the_person_may_see(world, as_person, app, session, who):
    cases = {name: add_case(session, getattr(world, name))
             for name in ("child", "colleague_child", "other_team_child", "outsider_child")}
    tablet = enrol(app, as_person(getattr(world, who)))

    pulled = tablet.pull()

    for collection in COLLECTIONS:
        expected = {cases[name][collection] for name in WHO_SEES_WHAT[who]}
        assert ids_of(pulled, collection) == expected, collection
    assert pulled["removals"] == {}
    for (_collection, record_id), change in pulled["changes"].items():
        assert change["record"]["id"] == record_id
        assert change["record"]["rev"] == change["rev"]
        assert change["record"]["_conflicts"] == []
    # The server's own values came through.
    for name in WHO_SEES_WHAT[who]:
        interview = record(pulled, "interviews", cases[name]["interviews"])
        assert interview["why_missing"] == f"Rheswm {getattr(world, name).given_name}"


def test_nothing_new_gives_an_empty_page_and_the_same_position(world, as_person, app):
    tablet = enrol(app, as_person(world.worker))
    tablet.pull()
    cursor = tablet.cursor
    again = tablet.get_pull(cursor)
    assert again.status_code == 200
    assert (again.json["changes"], again.json["removals"], again.json["more"]) == ([], [], False)
    assert again.json["cursor"] == cursor


def events(page) -> list[tuple]:
    found = [("change", c["collection"], c["id"], c["rev"]) for c in page["changes"]]
    found += [("removal", r["collection"], r["id"], r["rev"]) for r in page["removals"]]
    return sorted(found, key=lambda event: event[3])


@pytest.mark.parametrize("limit", [1, 2, 3, 7])
def test_following_cursors_yields_every_record_exactly_once(world, as_person, app, limit):
    web = as_person(world.worker)
    writer = enrol(app, web, "Writer")
    mutations = []
    for _ in range(3):
        _ids, made = new_case(writer, attempt=True)
        mutations += made
    gone = uuid.uuid4()
    mutations.append(writer.mutation("attempts", gone, {
        "interview_id": mutations[2]["id"], "attempted_at": ATTEMPTED, "method": "letter",
        "outcome": "no_answer"}))
    mutations.append(writer.mutation("attempts", gone, op="delete"))
    assert set(statuses(writer.push(mutations[:-1]))) == {"applied"}
    assert statuses(writer.push(mutations[-1:])) == ["applied"]
    reader = enrol(app, web, "Reader")

    whole = reader.get_pull(limit=500)
    assert whole.status_code == 200
    assert whole.json["more"] is False
    everything = events(whole.json)
    # The worker's own child, 3 new children, their episodes, interviews and attempts; and the
    # attempt that was made and deleted, as a removal.
    assert len([e for e in everything if e[0] == "change"]) == 1 + 3 * 4
    assert [e[1:3] for e in everything if e[0] == "removal"] == [("attempts", str(gone))]

    seen, cursor, pages = [], None, 0
    while True:
        response = reader.get_pull(cursor, limit)
        assert response.status_code == 200, response.get_data(as_text=True)
        page = response.json
        pages += 1
        assert len(page["changes"]) + len(page["removals"]) <= limit
        assert page["cursor"] != cursor or not page["more"]
        # The reference data's versions come once the tablet is caught up, on the last page.
        assert ("reference" in page) is (not page["more"])
        seen += events(page)
        cursor = page["cursor"]
        if not page["more"]:
            break
        assert pages <= len(everything) + 1, "more never ends"

    assert pages >= len(everything) // limit
    assert len(seen) == len(set(seen)), "a record came twice"
    assert seen == everything
    revs = [event[3] for event in seen]
    assert revs == sorted(revs)
    # The last cursor is up to date: nothing more.
    last = reader.get_pull(cursor, limit).json
    assert (last["changes"], last["removals"], last["more"]) == ([], [], False)


@pytest.mark.parametrize("limit", ["0", "5001", "lots"])
def test_a_limit_out_of_range_is_422(world, as_person, app, limit):
    tablet = enrol(app, as_person(world.worker))
    assert_problem(tablet.client.get(f"{API}/sync/pull?limit={limit}", headers=tablet.headers),
                   422, fields=["limit"])


def test_a_reassigned_child_leaves_the_old_workers_pull_and_enters_the_new_ones(
        world, as_person, app):
    worker_tablet = enrol(app, as_person(world.worker))
    ids, mutations = new_case(worker_tablet, attempt=True)
    assert set(statuses(worker_tablet.push(mutations))) == {"applied"}
    before = worker_tablet.pull()
    assert ids_of(before, "episodes") == {str(ids["episodes"])}
    colleague_tablet = enrol(app, as_person(world.colleague))
    assert str(ids["children"]) not in ids_of(colleague_tablet.pull(), "children")
    supervisor_tablet = enrol(app, as_person(world.supervisor))
    supervisor_tablet.pull()
    episode_rev = before["changes"][("episodes", str(ids["episodes"]))]["rev"]

    moved = as_person(world.supervisor).patch(f"{API}/children/{ids['children']}",
                                              json={"assigned_worker_id": str(world.colleague.id)})
    assert moved.status_code == 200, moved.get_data(as_text=True)

    old = worker_tablet.pull()
    moved_keys = {(collection, str(ids[collection])) for collection in COLLECTIONS}
    assert moved_keys <= set(old["removals"])
    assert not moved_keys & set(old["changes"])

    new = colleague_tablet.pull()
    assert moved_keys <= set(new["changes"])
    assert not moved_keys & set(new["removals"])
    episode = new["changes"][("episodes", str(ids["episodes"]))]
    assert episode["rev"] > episode_rev
    assert at(episode["record"]["reported_missing_at"]) == at(REPORTED)
    assert record(new, "children", ids["children"])["assigned_worker_id"] == str(world.colleague.id)
    assert record(new, "interviews", ids["interviews"])["why_missing"] == "Roedd hi'n unig"

    # The supervisor sees the team's children either way: changes, no removals.
    team = supervisor_tablet.pull()
    assert not moved_keys & set(team["removals"])
    assert ("children", str(ids["children"])) in team["changes"]

    # The old worker's tablet can no longer write to it.
    refused = worker_tablet.push([worker_tablet.mutation(
        "episodes", ids["episodes"], {"where_found": "Caerdydd"}, base_rev=episode_rev)])
    assert statuses(refused) == ["rejected"]
    assert new["changes"][("episodes", str(ids["episodes"]))]["record"]["where_found"] is None


def full_resync(response):
    body = assert_problem(response, 409)
    assert body["full_resync"] is True
    return body


def with_last_number(cursor: str, change) -> str:
    parts = cursor.split(".")
    parts[-1] = str(change(int(parts[-1])))
    return ".".join(parts)


def test_an_untrustworthy_cursor_asks_for_a_full_resync(world, as_person, app, session):
    tablet = enrol(app, as_person(world.worker))
    tablet.pull()
    good = tablet.cursor
    assert tablet.get_pull(good).status_code == 200

    full_resync(tablet.get_pull(with_last_number(good, lambda n: n + 1000)))
    for garbage in ("garbage", "1.2.3", "1.a.b.c.d", "2" + good[1:], "...", "1.x.y.-5"):
        full_resync(tablet.get_pull(garbage))
    parts = good.split(".")
    other_server = ".".join([parts[0], "0" * len(parts[1]), *parts[2:]])
    full_resync(tablet.get_pull(other_server))

    colleague_tablet = enrol(app, as_person(world.colleague))
    colleague_tablet.pull()
    full_resync(tablet.get_pull(colleague_tablet.cursor))
    full_resync(colleague_tablet.get_pull(good))

    # From the start, the device is answered again.
    assert tablet.get_pull().status_code == 200


def test_a_cursor_from_before_a_change_of_team_asks_for_a_full_resync(world, as_person, app,
                                                                     session):
    tablet = enrol(app, as_person(world.worker))
    tablet.pull()
    world.worker.team_id = world.other_team.id
    session.commit()

    full_resync(tablet.get_pull(tablet.cursor))
    fresh = tablet.get_pull()
    assert fresh.status_code == 200
    assert fresh.json["cursor"] != tablet.cursor


def test_a_pull_is_gzip_compressed_for_a_client_that_accepts_it(world, as_person, app, session):
    for _ in range(3):
        add_case(session, world.child)
    tablet = enrol(app, as_person(world.worker))
    plain = tablet.get_pull()
    assert plain.status_code == 200
    assert len(plain.data) > 2000

    compressed = tablet.get_pull(headers={"Accept-Encoding": "gzip"})

    assert compressed.status_code == 200
    assert compressed.headers.get("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in compressed.headers.get("Vary", "")
    body = json.loads(gzip.decompress(compressed.data))
    assert len(compressed.data) < len(plain.data)
    assert body["changes"] == plain.json["changes"]
    assert body["cursor"] == plain.json["cursor"]


def test_reference_data_has_a_version_for_each_part_and_pull_names_the_same(world, as_person, app,
                                                                            session):
    tablet = enrol(app, as_person(world.worker))
    response = tablet.client.get(f"{API}/sync/reference", headers=tablet.headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["protocol"] == 1
    reference = response.json["reference"]
    assert {"code_lists", "areas", "questionnaires", "catalogs"} <= set(reference)
    for name, part in reference.items():
        assert isinstance(part["version"], str) and part["version"], name
    codes = {(item["list_name"], item["code"]) for item in reference["code_lists"]["data"]}
    assert ("risk_grade", "medium") in codes and ("attempt_method", "phone") in codes
    assert reference["areas"]["data"] and all(area["name"]["cy"] for area in
                                              reference["areas"]["data"])
    assert reference["questionnaires"]["data"]

    pulled = tablet.pull()
    assert pulled["reference"] == {name: part["version"] for name, part in reference.items()}
    again = tablet.client.get(f"{API}/sync/reference", headers=tablet.headers).json["reference"]
    assert {name: part["version"] for name, part in again.items()} == pulled["reference"]

    # A code the organisation adds changes its code lists' version, and no other organisation's.
    outsider_tablet = enrol(app, as_person(world.outsider))
    outsider_versions = outsider_tablet.pull()["reference"]
    session.add(CodeListItem(list_name="harm", code="local_harm", label_en="Local harm",
                             label_cy="Niwed lleol", position=99,
                             organisation_id=world.org_a.id))
    session.commit()
    changed = tablet.get_pull(tablet.cursor).json["reference"]
    assert changed["code_lists"] != pulled["reference"]["code_lists"]
    assert changed["areas"] == pulled["reference"]["areas"]
    assert outsider_tablet.get_pull(outsider_tablet.cursor).json["reference"] == outsider_versions
