"""Who sees and changes what: a worker their own children, a supervisor their team's, an admin
their organisation's, a commissioner no child's record; nobody another organisation's."""

from tests.api.helpers import (
    API,
    assert_problem,
    create_attempt,
    create_episode,
    create_interview,
    ids,
    list_all,
    patch,
    read,
)


def case_of(client, child_id) -> dict:
    """An episode, an interview and an attempt for a child, made by someone who may."""
    episode = create_episode(client, child_id)
    interview = create_interview(client, episode["id"])
    attempt = create_attempt(client, interview["id"])
    return {"children": str(child_id), "episodes": episode["id"],
            "interviews": interview["id"], "attempts": attempt["id"]}


def cases(world, as_person) -> dict:
    """One case for each child in both organisations, made by the child's worker."""
    return {
        "child": case_of(as_person(world.worker), world.child.id),
        "colleague_child": case_of(as_person(world.colleague), world.colleague_child.id),
        "other_team_child": case_of(as_person(world.other_team_worker),
                                    world.other_team_child.id),
        "outsider_child": case_of(as_person(world.outsider), world.outsider_child.id),
    }


def visible(client, made: dict) -> dict:
    """For each collection, which of the made cases' records this client lists."""
    found = {}
    for collection in ("children", "episodes", "interviews", "attempts"):
        listed = ids(list_all(client, collection))
        found[collection] = {name for name, case in made.items() if case[collection] in listed}
    return found


def assert_sees(client, made: dict, expected: set):
    for collection, names in visible(client, made).items():
        assert names == expected, collection
    for name, case in made.items():
        for collection, record_id in case.items():
            response = client.get(f"{API}/{collection}/{record_id}")
            if name in expected:
                assert response.status_code == 200, (collection, name)
            else:
                assert_problem(response, 404)


def test_a_worker_sees_only_their_assigned_children_and_their_records(world, as_person):
    made = cases(world, as_person)
    assert_sees(as_person(world.worker), made, {"child"})


def test_a_supervisor_sees_their_team_but_not_the_other_team(world, as_person):
    made = cases(world, as_person)
    assert_sees(as_person(world.supervisor), made, {"child", "colleague_child"})


def test_an_admin_sees_the_whole_organisation(world, as_person):
    made = cases(world, as_person)
    assert_sees(as_person(world.admin), made, {"child", "colleague_child", "other_team_child"})


def test_organisation_b_sees_only_its_own(world, as_person):
    made = cases(world, as_person)
    assert_sees(as_person(world.outsider), made, {"outsider_child"})


def test_a_commissioner_sees_no_childs_record(world, as_person):
    made = cases(world, as_person)
    commissioner = as_person(world.commissioner)
    for collection in ("children", "episodes", "interviews", "attempts"):
        response = commissioner.get(f"{API}/{collection}")
        assert response.status_code == 200
        assert response.json["items"] == [] and response.json["total"] == 0
    assert_sees(commissioner, made, set())


def test_a_commissioner_cannot_create_or_change_records(world, as_person):
    commissioner = as_person(world.commissioner)
    response = commissioner.post(f"{API}/children", json={"given_name": "Gwen",
                                                          "family_name": "Jones"})
    assert_problem(response, 403)
    response = commissioner.post(f"{API}/episodes", json={
        "child_id": str(world.child.id), "reported_missing_at": "2026-03-01T10:00:00+00:00"})
    assert_problem(response, 403)
    assert_problem(commissioner.patch(f"{API}/children/{world.child.id}",
                                      json={"given_name": "X"}), 404)
    admin = as_person(world.admin)
    assert len(list_all(admin, "children")) == 3
    assert list_all(admin, "episodes") == []
    assert read(admin, "children", world.child.id)["given_name"] == "Cerys"


def test_nobody_changes_another_organisations_records(world, as_person):
    made = cases(world, as_person)
    outsider_case = made["outsider_child"]
    admin = as_person(world.admin)
    for collection, record_id in outsider_case.items():
        response = admin.patch(f"{API}/{collection}/{record_id}", json={"notes": "seen"}
                               if collection in ("interviews", "attempts") else {})
        assert_problem(response, 404)
    outsider = as_person(world.outsider)
    assert read(outsider, "interviews", outsider_case["interviews"])["notes"] is None
    assert read(outsider, "attempts", outsider_case["attempts"])["notes"] is None


def test_records_cannot_be_hung_on_another_organisations_child(world, as_person):
    admin = as_person(world.admin)
    made = case_of(as_person(world.outsider), world.outsider_child.id)
    response = admin.post(f"{API}/episodes", json={
        "child_id": str(world.outsider_child.id),
        "reported_missing_at": "2026-03-01T10:00:00+00:00"})
    assert_problem(response, 422, ["child_id"])
    response = admin.post(f"{API}/interviews", json={"episode_id": made["episodes"]})
    assert_problem(response, 422, ["episode_id"])
    response = admin.post(f"{API}/attempts", json={
        "interview_id": made["interviews"], "attempted_at": "2026-03-02T09:00:00+00:00",
        "method": "phone", "outcome": "no_answer"})
    assert_problem(response, 422, ["interview_id"])


def test_a_worker_cannot_record_an_episode_for_a_colleagues_child(world, as_person):
    worker = as_person(world.worker)
    response = worker.post(f"{API}/episodes", json={
        "child_id": str(world.colleague_child.id),
        "reported_missing_at": "2026-03-01T10:00:00+00:00"})
    assert_problem(response, 422, ["child_id"])
    assert list_all(as_person(world.colleague), "episodes") == []


def test_a_worker_cannot_move_an_episode_to_a_colleagues_child(world, as_person):
    worker = as_person(world.worker)
    episode = create_episode(worker, world.child.id)
    response = worker.patch(f"{API}/episodes/{episode['id']}",
                            json={"child_id": str(world.colleague_child.id)})
    assert_problem(response, 422, ["child_id"])
    assert read(worker, "episodes", episode["id"])["child_id"] == str(world.child.id)


def test_a_worker_cannot_assign_a_new_child_to_someone_else(world, as_person):
    worker = as_person(world.worker)
    response = worker.post(f"{API}/children", json={
        "given_name": "Gwen", "family_name": "Jones",
        "assigned_worker_id": str(world.colleague.id)})
    assert_problem(response, 422, ["assigned_worker_id"])
    assert ids(list_all(as_person(world.colleague), "children")) == {str(world.colleague_child.id)}


def test_a_worker_cannot_hand_their_child_to_someone_else(world, as_person):
    worker = as_person(world.worker)
    response = worker.patch(f"{API}/children/{world.child.id}",
                            json={"assigned_worker_id": str(world.colleague.id)})
    assert_problem(response, 422, ["assigned_worker_id"])
    assert read(worker, "children", world.child.id)["assigned_worker_id"] == str(world.worker.id)


def test_nobody_assigns_a_child_to_another_organisations_worker(world, as_person):
    admin = as_person(world.admin)
    response = admin.patch(f"{API}/children/{world.colleague_child.id}",
                           json={"assigned_worker_id": str(world.outsider.id)})
    assert_problem(response, 422, ["assigned_worker_id"])


def test_a_supervisor_reassigns_within_the_team(world, as_person):
    supervisor = as_person(world.supervisor)
    moved = patch(supervisor, "children", world.colleague_child.id,
                  assigned_worker_id=str(world.worker.id))
    assert moved["assigned_worker_id"] == str(world.worker.id)
    assert ids(list_all(as_person(world.worker), "children")) == {
        str(world.child.id), str(world.colleague_child.id)}
    assert list_all(as_person(world.colleague), "children") == []


def test_a_worker_cannot_change_a_colleagues_child(world, as_person):
    response = as_person(world.worker).patch(f"{API}/children/{world.colleague_child.id}",
                                             json={"given_name": "Changed"})
    assert_problem(response, 404)
    assert read(as_person(world.colleague), "children",
                world.colleague_child.id)["given_name"] == "Dylan"


def test_list_totals_count_only_what_the_person_may_see(world, as_person):
    cases(world, as_person)
    for person, total in ((world.worker, 1), (world.supervisor, 2), (world.admin, 3),
                          (world.commissioner, 0), (world.outsider, 1)):
        client = as_person(person)
        for collection in ("children", "episodes", "interviews", "attempts"):
            response = client.get(f"{API}/{collection}", query_string={"per_page": 1})
            assert response.json["total"] == total, (person.display_name, collection)
