"""POST /api/v1/sync/push over HTTP, one result kind at a time: applied, duplicate, merged,
conflict (and its resolution), rejected; the interview lock; and a worker writing under
children that are not theirs."""

import uuid

import pytest
from sqlalchemy import func, select

from app.cases.models import Child, MissingEpisode
from app.interviews.models import InterviewAttempt, ReturnInterview
from tests.api.helpers import assert_problem
from tests.sync.http_helpers import (
    API,
    ATTEMPTED,
    CONDUCTED,
    REPORTED,
    RETURNED,
    at,
    enrol,
    new_case,
    open_conflicts,
    read,
    record,
    statuses,
)


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))




def rejections(client, headers=None) -> list[dict]:
    response = client.get(f"{API}/sync/rejections", headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["items"]


# --- applied ----------------------------------------------------------------------------------

def test_a_new_case_in_one_batch_is_applied_and_reads_back_intact(world, as_person, app):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    ids, mutations = new_case(tablet, attempt=True, interview_fields={
        "why_missing": "Roedd hi'n teimlo'n unig — doedd neb yn gwrando",
        "where_and_with_whom": "Gyda ffrind yn Llanfair­pwllgwyngyll, ger Ynys Môn",
        "push_factors": ["family_conflict", "not_listened_to"], "language": "cy"})

    body = tablet.push(mutations)

    assert statuses(body) == ["applied"] * 4
    revs = [result["rev"] for result in body["results"]]
    assert all(isinstance(rev, int) for rev in revs)
    assert revs == sorted(revs) and len(set(revs)) == 4
    assert body["last_mutation_id"] == mutations[-1]["mutation_id"]

    child = read(web, "children", ids["children"])
    assert (child["given_name"], child["family_name"]) == ("Gwenllïan", "Ŵyn")
    assert child["assigned_worker_id"] == str(world.worker.id)
    assert child["team_id"] == str(world.team_a.id)
    assert child["rev"] == revs[0]

    episode = read(web, "episodes", ids["episodes"])
    assert episode["child_id"] == str(ids["children"])
    assert at(episode["reported_missing_at"]) == at(REPORTED)
    assert at(episode["returned_at"]) == at(RETURNED)
    assert episode["risk_grade"] == "medium"
    assert episode["rev"] == revs[1]

    interview = read(web, "interviews", ids["interviews"])
    assert interview["episode_id"] == str(ids["episodes"])
    assert interview["why_missing"] == "Roedd hi'n teimlo'n unig — doedd neb yn gwrando"
    assert interview["where_and_with_whom"] == "Gyda ffrind yn Llanfair­pwllgwyngyll, ger Ynys Môn"
    assert interview["what_happened"] == "Aeth i weld ffrindiau"
    assert interview["push_factors"] == ["family_conflict", "not_listened_to"]
    assert interview["language"] == "cy"
    assert interview["status"] == "draft"
    assert at(interview["conducted_at"]) == at(CONDUCTED)
    assert interview["interviewer_id"] == str(world.worker.id)
    assert interview["rev"] == revs[2]

    attempt = read(web, "attempts", ids["attempts"])
    assert attempt["interview_id"] == str(ids["interviews"])
    assert at(attempt["attempted_at"]) == at(ATTEMPTED)
    assert (attempt["method"], attempt["outcome"]) == ("phone", "no_answer")
    assert attempt["notes"] == "Dim ateb — neges llais"
    assert attempt["rev"] == revs[3]

    # Coded answers are replaced as a whole by a later change.
    recoded = tablet.push([tablet.mutation("interviews", ids["interviews"],
                                           {"push_factors": ["bullying"]}, base_rev=revs[2])])
    assert statuses(recoded) == ["applied"]
    assert read(web, "interviews", ids["interviews"])["push_factors"] == ["bullying"]
    revs[2] = recoded["results"][0]["rev"]

    # The tablet's own pull gives back the same records at the same revisions.
    pulled = tablet.pull()
    for collection, rev in zip(("children", "episodes", "interviews", "attempts"), revs,
                               strict=True):
        assert pulled["changes"][(collection, str(ids[collection]))]["rev"] == rev
    assert record(pulled, "children", ids["children"])["given_name"] == "Gwenllïan"
    assert record(pulled, "interviews", ids["interviews"])["why_missing"].startswith("Roedd hi'n")


# --- duplicate --------------------------------------------------------------------------------

def test_replaying_a_batch_applies_nothing_twice(world, as_person, app, session):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    ids, mutations = new_case(tablet, attempt=True)
    mutations.append(tablet.mutation("episodes", uuid.uuid4(), {
        "child_id": str(ids["children"]), "reported_missing_at": REPORTED,
        "risk_grade": "purple"}))
    first = tablet.push(mutations)
    assert statuses(first) == ["applied"] * 4 + ["rejected"]
    interview_before = read(web, "interviews", ids["interviews"])

    again = tablet.push(mutations)

    assert statuses(again) == ["duplicate"] * 5
    for original, repeated in zip(first["results"], again["results"], strict=True):
        assert repeated["mutation_id"] == original["mutation_id"]
        assert repeated["original"]["status"] == original["status"]
        assert repeated["original"].get("rev") == original.get("rev")
        assert repeated["original"]["mutation_id"] == original["mutation_id"]
    assert count(session, Child, Child.id == ids["children"]) == 1
    assert count(session, MissingEpisode, MissingEpisode.child_id == ids["children"]) == 1
    assert count(session, ReturnInterview, ReturnInterview.id == ids["interviews"]) == 1
    assert count(session, InterviewAttempt, InterviewAttempt.id == ids["attempts"]) == 1
    assert read(web, "interviews", ids["interviews"])["rev"] == interview_before["rev"]
    # The rejection was kept once, not once per replay.
    assert len(rejections(tablet.client, tablet.headers)) == 1


def test_an_overlapping_batch_applies_only_the_mutations_not_seen_before(world, as_person, app,
                                                                      session):
    tablet = enrol(app, as_person(world.worker))
    child_ids = [uuid.uuid4() for _ in range(5)]
    mutations = [tablet.mutation("children", child_id,
                                 {"given_name": f"Plentyn {n}", "family_name": "Ŷd"})
                 for n, child_id in enumerate(child_ids, start=1)]

    first = tablet.push(mutations[0:3])
    assert statuses(first) == ["applied"] * 3
    second = tablet.push(mutations[1:5])

    assert statuses(second) == ["duplicate", "duplicate", "applied", "applied"]
    for original, repeated in zip(first["results"][1:3], second["results"][0:2], strict=True):
        assert repeated["original"]["status"] == "applied"
        assert repeated["original"]["rev"] == original["rev"]
        assert "rev" not in repeated or repeated["rev"] == original["rev"]
    assert second["results"][2]["rev"] > first["results"][2]["rev"]
    assert second["last_mutation_id"] == 5
    assert count(session, Child, Child.id.in_(child_ids)) == 5
    # The records written by mutations 2 and 3 kept the revision of their only write.
    revs = dict(session.execute(select(Child.id, Child.rev).where(Child.id.in_(child_ids))).all())
    assert revs[child_ids[1]] == first["results"][1]["rev"]
    assert revs[child_ids[2]] == first["results"][2]["rev"]


# --- merged -----------------------------------------------------------------------------------

@pytest.fixture(params=["second tablet of the worker", "supervisor's tablet"])
def two_tablets(request, world, as_person, app):
    """The worker's tablet A and a second tablet B of the same worker or of their supervisor,
    both up to date with a case A made. Returns (web client of the worker, A, B, ids)."""
    web = as_person(world.worker)
    tablet_a = enrol(app, web, "Tablet A")
    other = web if request.param.startswith("second") else as_person(world.supervisor)
    tablet_b = enrol(app, other, "Tablet B")
    ids, mutations = new_case(tablet_a)
    assert statuses(tablet_a.push(mutations)) == ["applied"] * 3
    tablet_a.pull()
    tablet_b.pull()
    return web, tablet_a, tablet_b, ids


def test_changes_to_different_fields_from_the_same_base_merge(two_tablets):
    web, tablet_a, tablet_b, ids = two_tablets
    interview_id = ids["interviews"]
    base = read(web, "interviews", interview_id)["rev"]

    by_a = tablet_a.push([tablet_a.mutation("interviews", interview_id,
                                            {"why_missing": "Ffrae gartref"}, base_rev=base)])
    by_b = tablet_b.push([tablet_b.mutation("interviews", interview_id,
                                            {"what_happened": "Cysgodd at ffrind"},
                                            base_rev=base)])

    assert statuses(by_a) == ["applied"]
    assert statuses(by_b) == ["merged"]
    assert by_b["results"][0]["rev"] > by_a["results"][0]["rev"]
    assert "conflicts" not in by_b["results"][0]
    interview = read(web, "interviews", interview_id)
    assert interview["why_missing"] == "Ffrae gartref"
    assert interview["what_happened"] == "Cysgodd at ffrind"
    assert open_conflicts(web) == []
    # Both tablets pull the record with both values.
    for tablet in (tablet_a, tablet_b):
        pulled = record(tablet.pull(), "interviews", interview_id)
        assert (pulled["why_missing"], pulled["what_happened"]) == (
            "Ffrae gartref", "Cysgodd at ffrind")
        assert pulled["_conflicts"] == []


def test_the_same_value_on_both_sides_is_no_conflict(two_tablets):
    web, tablet_a, tablet_b, ids = two_tablets
    base = read(web, "interviews", ids["interviews"])["rev"]
    tablet_a.push([tablet_a.mutation("interviews", ids["interviews"], {"why_missing": "Yr un"},
                                     base_rev=base)])
    by_b = tablet_b.push([tablet_b.mutation("interviews", ids["interviews"],
                                            {"why_missing": "Yr un"}, base_rev=base)])
    assert statuses(by_b)[0] in ("applied", "merged")
    assert open_conflicts(web) == []


# --- conflict ---------------------------------------------------------------------------------

def test_the_same_field_changed_on_both_sides_is_a_conflict_until_a_person_resolves_it(
        world, as_person, app):
    web = as_person(world.worker)
    tablet_a, tablet_b = enrol(app, web, "Tablet A"), enrol(app, web, "Tablet B")
    ids, mutations = new_case(tablet_a)
    tablet_a.push(mutations)
    tablet_a.pull()
    pulled_by_b = tablet_b.pull()
    interview_id = ids["interviews"]
    base = pulled_by_b["changes"][("interviews", str(interview_id))]["rev"]

    by_a = tablet_a.push([tablet_a.mutation("interviews", interview_id,
                                            {"why_missing": "Eisiau gweld ei mam"},
                                            base_rev=base)])
    by_b = tablet_b.push([tablet_b.mutation("interviews", interview_id,
                                            {"why_missing": "Ofn mynd i'r ysgol",
                                             "notes": "Nodyn o dabled B"}, base_rev=base)])

    assert statuses(by_a) == ["applied"]
    assert statuses(by_b) == ["conflict"]
    result = by_b["results"][0]
    assert result["conflicts"] == [{"field": "why_missing", "server_value": "Eisiau gweld ei mam",
                                    "device_value": "Ofn mynd i'r ysgol"}]
    conflict_rev = result["rev"]
    assert conflict_rev > by_a["results"][0]["rev"]
    # The server kept its value; the other fields of the mutation were applied.
    interview = read(web, "interviews", interview_id)
    assert interview["why_missing"] == "Eisiau gweld ei mam"
    assert interview["notes"] == "Nodyn o dabled B"

    listed = open_conflicts(tablet_b.client, tablet_b.headers)
    assert len(listed) == 1
    conflict = listed[0]
    assert conflict["collection"] == "interviews"
    assert conflict["record_id"] == str(interview_id)
    assert conflict["field"] == "why_missing"
    assert conflict["server_value"] == "Eisiau gweld ei mam"
    assert conflict["device_value"] == "Ofn mynd i'r ysgol"
    assert conflict["device_id"] == tablet_b.id
    assert conflict["mutation_id"] == by_b["results"][0]["mutation_id"]
    assert open_conflicts(web) == listed

    # The record is marked on the next pull of every tablet that sees it.
    for tablet in (tablet_a, tablet_b):
        marked = record(tablet.pull(), "interviews", interview_id)
        assert marked["why_missing"] == "Eisiau gweld ei mam"
        assert [(c["id"], c["field"], c["server_value"], c["device_value"])
                for c in marked["_conflicts"]] == [
            (conflict["id"], "why_missing", "Eisiau gweld ei mam", "Ofn mynd i'r ysgol")]

    # Someone who cannot see the record can neither see nor resolve the conflict.
    stranger = as_person(world.other_team_worker)
    assert open_conflicts(stranger) == []
    assert_problem(stranger.post(f"{API}/sync/conflicts/{conflict['id']}/resolve",
                                 json={"value": "Dieithryn"}), 404)

    chosen = "Eisiau gweld ei mam, ac ofn yr ysgol"
    resolved = web.post(f"{API}/sync/conflicts/{conflict['id']}/resolve", json={"value": chosen})

    assert resolved.status_code == 200, resolved.get_data(as_text=True)
    assert resolved.json["id"] == str(interview_id)
    assert resolved.json["rev"] > conflict_rev
    assert resolved.json["record"]["why_missing"] == chosen
    assert read(web, "interviews", interview_id)["why_missing"] == chosen
    assert open_conflicts(web) == []
    assert open_conflicts(tablet_b.client, tablet_b.headers) == []
    # Resolving it again: it is closed.
    assert_problem(web.post(f"{API}/sync/conflicts/{conflict['id']}/resolve",
                            json={"value": "arall"}), 404)
    # The resolution reaches both tablets by pull, unmarked.
    for tablet in (tablet_a, tablet_b):
        pulled = tablet.pull()
        change = pulled["changes"][("interviews", str(interview_id))]
        assert change["rev"] == resolved.json["rev"]
        assert change["record"]["why_missing"] == chosen
        assert change["record"]["notes"] == "Nodyn o dabled B"
        assert change["record"]["_conflicts"] == []


def test_keeping_the_servers_value_still_reaches_every_device(world, as_person, app):
    """Resolving a conflict with the value the server already holds is still a change with a
    new revision: the tablet that showed the conflict must pull the record unmarked."""
    web = as_person(world.worker)
    tablet_a, tablet_b = enrol(app, web, "Tablet A"), enrol(app, web, "Tablet B")
    ids, mutations = new_case(tablet_a)
    tablet_a.push(mutations)
    base = tablet_b.pull()["changes"][("interviews", str(ids["interviews"]))]["rev"]
    tablet_a.push([tablet_a.mutation("interviews", ids["interviews"], {"why_missing": "Gweinydd"},
                                     base_rev=base)])
    by_b = tablet_b.push([tablet_b.mutation("interviews", ids["interviews"],
                                            {"why_missing": "Dyfais"}, base_rev=base)])
    assert statuses(by_b) == ["conflict"]
    marked = record(tablet_b.pull(), "interviews", ids["interviews"])
    assert len(marked["_conflicts"]) == 1

    resolved = web.post(f"{API}/sync/conflicts/{marked['_conflicts'][0]['id']}/resolve",
                        json={"value": "Gweinydd"})

    assert resolved.status_code == 200, resolved.get_data(as_text=True)
    assert resolved.json["rev"] > by_b["results"][0]["rev"]
    assert open_conflicts(web) == []
    change = tablet_b.pull()["changes"].get(("interviews", str(ids["interviews"])))
    assert change is not None, "the resolution never reached the tablet showing the conflict"
    assert change["record"]["why_missing"] == "Gweinydd"
    assert change["record"]["_conflicts"] == []


# --- rejected ---------------------------------------------------------------------------------

def test_rejected_mutations_never_block_the_rest_and_are_kept(world, as_person, app, session):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    child_rev = tablet.pull()["changes"][("children", str(world.child.id))]["rev"]
    purple_episode, good_episode = uuid.uuid4(), uuid.uuid4()
    mutations = [
        tablet.mutation("episodes", purple_episode, {
            "child_id": str(world.child.id), "reported_missing_at": REPORTED,
            "risk_grade": "purple"}),
        tablet.mutation("children", world.child.id, {"favourite_colour": "glas"},
                        base_rev=child_rev),
        tablet.mutation("children", world.child.id,
                        {"assigned_worker_id": str(world.colleague.id)}, base_rev=child_rev),
        tablet.mutation("notes", uuid.uuid4(), {"text": "Nodyn"}),
        tablet.mutation("children", world.child.id, {"given_name": "Cerys Ŵen"},
                        base_rev=child_rev),
        tablet.mutation("episodes", good_episode, {
            "child_id": str(world.child.id), "reported_missing_at": REPORTED,
            "risk_grade": "high"}),
    ]

    body = tablet.push(mutations)

    assert statuses(body) == ["rejected"] * 4 + ["applied", "applied"]
    errors = [result.get("errors", {}) for result in body["results"]]
    assert "risk_grade" in errors[0]
    assert "favourite_colour" in errors[1]
    assert "assigned_worker_id" in errors[2]
    assert "collection" in errors[3]
    for result in body["results"][:4]:
        assert "rev" not in result
        assert all(messages and all(isinstance(m, str) and m for m in messages)
                   for messages in result["errors"].values())

    child = read(web, "children", world.child.id)
    assert child["given_name"] == "Cerys Ŵen"
    assert child["assigned_worker_id"] == str(world.worker.id)
    assert "favourite_colour" not in child
    assert count(session, MissingEpisode, MissingEpisode.id == purple_episode) == 0
    assert read(web, "episodes", good_episode)["risk_grade"] == "high"

    kept = rejections(tablet.client, tablet.headers)
    assert [item["mutation_id"] for item in kept] == [m["mutation_id"] for m in mutations[:4]]
    by_id = {item["mutation_id"]: item for item in kept}
    first = by_id[mutations[0]["mutation_id"]]
    assert first["collection"] == "episodes"
    assert first["record_id"] == str(purple_episode)
    assert first["op"] == "upsert"
    assert first["fields"]["risk_grade"] == "purple"
    assert "risk_grade" in first["errors"]
    assert by_id[mutations[3]["mutation_id"]]["collection"] == "notes"
    assert all(item["device_id"] == tablet.id for item in kept)
    # The person sees them through the web too; an admin of the organisation as well.
    assert [item["id"] for item in rejections(web)] == [item["id"] for item in kept]
    assert {item["id"] for item in rejections(as_person(world.admin))} >= {
        item["id"] for item in kept}


def test_a_code_not_in_its_list_is_refused_by_field_and_the_rest_applies(world, as_person, app,
                                                                         session):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    ids, mutations = new_case(tablet)
    episode = str(ids["episodes"])
    in_a_list, alone, of_another_list, known = (uuid.uuid4() for _ in range(4))
    mutations += [
        tablet.mutation("interviews", in_a_list, {
            "episode_id": episode, "push_factors": ["family_conflict", "made_up_reason"],
            "location": "home"}),
        tablet.mutation("interviews", alone, {"episode_id": episode, "location": "the_moon",
                                              "pull_factors": ["to_see_friends"]}),
        tablet.mutation("interviews", of_another_list, {"episode_id": episode,
                                                        "push_factors": ["bullying", "home"]}),
        tablet.mutation("interviews", known, {"episode_id": episode, "location": "home",
                                              "push_factors": ["bullying"]}),
    ]

    body = tablet.push(mutations)

    assert statuses(body) == ["applied"] * 3 + ["rejected", "rejected", "rejected", "applied"]
    assert body["results"][3]["errors"] == {"push_factors": ["Unknown code: made_up_reason."]}
    assert body["results"][4]["errors"] == {"location": ["Unknown code: the_moon."]}
    # "home" is a code, but of the list of places, not of reasons for leaving.
    assert body["results"][5]["errors"] == {"push_factors": ["Unknown code: home."]}
    for refused in (in_a_list, alone, of_another_list):
        assert count(session, ReturnInterview, ReturnInterview.id == refused) == 0
    stored = read(web, "interviews", known)
    assert (stored["location"], stored["push_factors"]) == ("home", ["bullying"])


def test_a_submitted_interview_is_locked_for_the_worker_until_it_is_returned(world, as_person,
                                                                             app):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    ids, mutations = new_case(tablet)
    mutations.append(tablet.mutation("interviews", ids["interviews"], {"status": "submitted"}))
    assert statuses(tablet.push(mutations)) == ["applied"] * 4
    interview_id = ids["interviews"]
    submitted = read(web, "interviews", interview_id)
    assert submitted["status"] == "submitted" and submitted["submitted_at"]
    rev = tablet.pull()["changes"][("interviews", str(interview_id))]["rev"]

    locked = tablet.push([
        tablet.mutation("interviews", interview_id, {"why_missing": "Wedi newid ei meddwl"},
                        base_rev=rev),
        tablet.mutation("attempts", uuid.uuid4(), {
            "interview_id": str(interview_id), "attempted_at": ATTEMPTED, "method": "phone",
            "outcome": "no_answer"}),
    ])

    assert statuses(locked) == ["rejected", "rejected"]
    assert "status" in locked["results"][0]["errors"]
    assert "interview_id" in locked["results"][1]["errors"]
    assert read(web, "interviews", interview_id)["why_missing"] == "Roedd hi'n unig"

    supervisor = as_person(world.supervisor)
    returned = supervisor.patch(f"{API}/interviews/{interview_id}", json={"status": "returned"})
    assert returned.status_code == 200, returned.get_data(as_text=True)
    pulled = record(tablet.pull(), "interviews", interview_id)
    assert pulled["status"] == "returned"

    unlocked = tablet.push([tablet.mutation("interviews", interview_id,
                                            {"why_missing": "Wedi newid ei meddwl"},
                                            base_rev=pulled["rev"])])

    assert statuses(unlocked) == ["applied"]
    interview = read(web, "interviews", interview_id)
    assert interview["why_missing"] == "Wedi newid ei meddwl"
    assert interview["status"] == "returned"


def test_a_worker_cannot_write_under_a_child_that_is_not_theirs(world, as_person, app, session):
    colleague_episode = MissingEpisode(organisation_id=world.org_a.id,
                                       child_id=world.colleague_child.id,
                                       reported_missing_at=at(REPORTED))
    session.add(colleague_episode)
    session.commit()
    web = as_person(world.worker)
    tablet = enrol(app, web)
    foreign = {"colleague": world.colleague_child.id, "other team": world.other_team_child.id,
               "organisation B": world.outsider_child.id}
    mutations = [tablet.mutation("episodes", uuid.uuid4(),
                                 {"child_id": str(child_id), "reported_missing_at": REPORTED})
                 for child_id in foreign.values()]
    mutations.append(tablet.mutation("interviews", uuid.uuid4(),
                                     {"episode_id": str(colleague_episode.id)}))
    mutations.append(tablet.mutation("children", world.colleague_child.id,
                                     {"given_name": "Newid"}))
    own_episode = uuid.uuid4()
    mutations.append(tablet.mutation("episodes", own_episode, {
        "child_id": str(world.child.id), "reported_missing_at": REPORTED}))

    body = tablet.push(mutations)

    assert statuses(body) == ["rejected"] * 5 + ["applied"]
    for result in body["results"][:3]:
        assert "child_id" in result["errors"], result
    assert "episode_id" in body["results"][3]["errors"]
    assert body["results"][4]["errors"]
    assert read(web, "episodes", own_episode)["child_id"] == str(world.child.id)
    foreign_ids = list(foreign.values())
    assert count(session, MissingEpisode, MissingEpisode.child_id.in_(foreign_ids)) == 1
    assert count(session, ReturnInterview) == 0
    assert session.scalar(select(Child.given_name).where(
        Child.id == world.colleague_child.id)) == "Dylan"
    # Nothing of the refused records leaks back by pull.
    pulled = tablet.pull()
    assert {key for key in pulled["changes"] if key[0] == "children"} == {
        ("children", str(world.child.id))}


def test_only_attempts_may_be_deleted_from_a_device(world, as_person, app):
    web = as_person(world.worker)
    tablet = enrol(app, web)
    ids, mutations = new_case(tablet, attempt=True)
    tablet.push(mutations)
    revs = {key[0]: change["rev"] for key, change in tablet.pull()["changes"].items()
            if key[1] in {str(v) for v in ids.values()}}

    body = tablet.push([
        tablet.mutation("episodes", ids["episodes"], base_rev=revs["episodes"], op="delete"),
        tablet.mutation("interviews", ids["interviews"], base_rev=revs["interviews"],
                        op="delete"),
        tablet.mutation("attempts", ids["attempts"], base_rev=revs["attempts"], op="delete"),
    ])

    assert statuses(body) == ["rejected", "rejected", "applied"]
    assert "op" in body["results"][0]["errors"] and "op" in body["results"][1]["errors"]
    read(web, "episodes", ids["episodes"])
    read(web, "interviews", ids["interviews"])
    assert web.get(f"{API}/attempts/{ids['attempts']}").status_code == 404
    pulled = tablet.pull()
    assert ("attempts", str(ids["attempts"])) in pulled["removals"]


def test_a_supervisor_sees_what_their_teams_devices_could_not_send(world, as_person, app):
    """PROTOCOL.md: rejections are kept "so a supervisor can see what a device could not
    send"."""
    tablet = enrol(app, as_person(world.worker))
    body = tablet.push([tablet.mutation("episodes", uuid.uuid4(), {
        "child_id": str(world.child.id), "reported_missing_at": REPORTED,
        "risk_grade": "purple"})])
    assert statuses(body) == ["rejected"]
    kept = rejections(tablet.client, tablet.headers)
    assert len(kept) == 1

    assert [item["id"] for item in rejections(as_person(world.supervisor))] == [kept[0]["id"]]
    assert rejections(as_person(world.colleague)) == []
    assert rejections(as_person(world.other_team_worker)) == []
    assert rejections(as_person(world.outsider)) == []
