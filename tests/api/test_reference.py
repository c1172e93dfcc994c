"""Read-only collections: areas, code-list-items, questionnaires; people and /me."""

import uuid

from tests.api.helpers import API, assert_problem, ids, list_all, patch, read

WELSH_FORCES = {"W15000001", "W15000002", "W15000003", "W15000004"}


# --- areas ------------------------------------------------------------------------------------

def test_police_forces_are_the_four_welsh_forces(world, as_person):
    client = as_person(world.worker)
    response = client.get(f"{API}/areas", query_string={"kind": "police_force",
                                                        "country": "wales"})
    assert response.status_code == 200
    forces = response.json["items"]
    assert response.json["total"] == 4
    assert {f["code"] for f in forces} == WELSH_FORCES
    assert all(f["kind"] == "police_force" and f["country"] == "wales" for f in forces)
    south_wales = next(f for f in forces if f["code"] == "W15000003")
    assert south_wales["name"] == {"en": "South Wales Police", "cy": "Heddlu De Cymru"}


def test_local_authorities_name_their_police_force(world, as_person):
    client = as_person(world.worker)
    authorities = list_all(client, "areas", kind="local_authority", country="wales")
    assert len(authorities) == 22
    by_code = {a["code"]: a for a in authorities}
    assert by_code["W06000015"]["name"] == {"en": "Cardiff", "cy": "Caerdydd"}
    assert by_code["W06000001"]["name"]["cy"] == "Ynys Môn"
    assert by_code["W06000015"]["police_force_code"] == "W15000003"

    gwent = list_all(client, "areas", police_force_code="W15000002")
    assert gwent and all(a["police_force_code"] == "W15000002" for a in gwent)


def test_an_area_is_read_by_id(world, as_person):
    client = as_person(world.worker)
    area = list_all(client, "areas", kind="police_force")[0]
    assert read(client, "areas", area["id"]) == area


def test_area_list_is_paged(world, as_person):
    client = as_person(world.worker)
    first = client.get(f"{API}/areas", query_string={"per_page": 1})
    assert first.json["total"] == 22 + 4 + 153 + 39 and len(first.json["items"]) == 1
    assert first.json["next"]
    second = client.get(first.json["next"])
    assert second.json["page"] == 2
    assert second.json["items"][0]["id"] != first.json["items"][0]["id"]


def test_an_unknown_kind_of_area_is_refused(world, as_person):
    response = as_person(world.worker).get(f"{API}/areas?kind=county")
    assert_problem(response, 422, ["kind"])


def test_areas_are_read_only(world, as_person):
    client = as_person(world.admin)
    area = list_all(client, "areas", kind="police_force")[0]
    response = client.post(f"{API}/areas", json={"code": "W15000009"})
    assert_problem(response, 405)
    assert_problem(client.patch(f"{API}/areas/{area['id']}", json={"code": "X"}), 405)


# --- code lists -------------------------------------------------------------------------------

def test_code_list_items_are_filtered_by_list(world, as_person):
    client = as_person(world.worker)
    items = list_all(client, "code-list-items", list_name="push_factor")
    assert len(items) == 15
    assert {i["list_name"] for i in items} == {"push_factor"}
    assert [i["position"] for i in items] == sorted(i["position"] for i in items)
    bullying = next(i for i in items if i["code"] == "bullying")
    assert bullying["label"] == {"en": "Bullying", "cy": "Bwlio"}
    assert bullying["active"] is True


def test_risk_grades(world, as_person):
    client = as_person(world.worker)
    grades = [i["code"] for i in list_all(client, "code-list-items", list_name="risk_grade")]
    assert grades == ["no_apparent_risk", "low", "medium", "high"]


def test_code_list_items_are_paged_and_read_by_id(world, as_person):
    client = as_person(world.worker)
    first = client.get(f"{API}/code-list-items",
                       query_string={"list_name": "return_method", "per_page": 1})
    assert first.json["total"] == 2
    assert "list_name=return_method" in first.json["next"]
    second = client.get(first.json["next"]).json
    assert second["next"] is None
    codes = {first.json["items"][0]["code"], second["items"][0]["code"]}
    assert codes == {"found", "came_back"}
    item = second["items"][0]
    assert read(client, "code-list-items", item["id"]) == item


def test_code_lists_are_read_only(world, as_person):
    response = as_person(world.admin).post(f"{API}/code-list-items",
                                           json={"list_name": "harm", "code": "x"})
    assert_problem(response, 405)


# --- questionnaires ---------------------------------------------------------------------------

def test_the_questionnaire_is_listed_with_its_definition(world, as_person):
    client = as_person(world.worker)
    versions = list_all(client, "questionnaires", key="return-interview")
    assert sorted(v["version"] for v in versions) == [1, 2]
    version = next(v for v in versions if v["version"] == 1)
    assert version["definition"]["title"]["cy"] == "Cyfweliad dychwelyd adref"
    assert len(version["content_hash"]) == 64
    question_ids = {q["id"] for part in version["definition"]["parts"]
                    for screen in part["screens"] for q in screen["questions"]}
    assert "harm_other_details" in question_ids
    assert read(client, "questionnaires", version["id"]) == version
    assert list_all(client, "questionnaires", key="no-such-questionnaire") == []


def test_questionnaires_are_read_only(world, as_person):
    response = as_person(world.admin).post(f"{API}/questionnaires",
                                           json={"key": "x", "version": 2})
    assert_problem(response, 405)


# --- people and /me ---------------------------------------------------------------------------

def test_me_is_the_signed_in_person(world, as_person):
    response = as_person(world.worker).get(f"{API}/me")
    assert response.status_code == 200
    me = response.json
    assert me["id"] == str(world.worker.id)
    assert me["email"] == world.worker.email
    assert me["display_name"] == "Will Worker"
    assert me["role"] == "worker"
    assert me["organisation_id"] == str(world.org_a.id)
    assert me["team_id"] == str(world.team_a.id)
    assert "password_hash" not in me


def test_me_needs_signing_in(client):
    assert_problem(client.get(f"{API}/me"), 401)


def test_who_sees_whom(world, as_person):
    assert ids(list_all(as_person(world.worker), "people")) == {str(world.worker.id)}
    assert ids(list_all(as_person(world.supervisor), "people")) == {
        str(world.supervisor.id), str(world.worker.id), str(world.colleague.id)}
    everyone_in_a = {str(p.id) for p in (world.supervisor, world.worker, world.colleague,
                                          world.other_team_worker, world.admin,
                                          world.commissioner)}
    assert ids(list_all(as_person(world.admin), "people")) == everyone_in_a
    assert_problem(as_person(world.admin).get(f"{API}/people/{world.outsider.id}"), 404)


def test_people_are_filtered_by_role(world, as_person):
    admin = as_person(world.admin)
    workers = list_all(admin, "people", role="worker")
    assert ids(workers) == {str(world.worker.id), str(world.colleague.id),
                            str(world.other_team_worker.id)}
    team = list_all(admin, "people", team_id=str(world.other_team.id))
    assert ids(team) == {str(world.other_team_worker.id)}


def test_a_person_sets_their_own_language(world, as_person):
    worker = as_person(world.worker)
    changed = patch(worker, "people", world.worker.id, preferred_language="cy")
    assert changed["preferred_language"] == "cy"
    assert worker.get(f"{API}/me").json["preferred_language"] == "cy"


def test_a_language_we_do_not_offer_is_refused(world, as_person):
    response = as_person(world.worker).patch(f"{API}/people/{world.worker.id}",
                                             json={"preferred_language": "fr"})
    assert_problem(response, 422, ["preferred_language"])


def test_nothing_but_the_language_can_be_changed(world, as_person):
    worker = as_person(world.worker)
    response = worker.patch(f"{API}/people/{world.worker.id}",
                            json={"role": "admin", "display_name": "Boss"})
    assert_problem(response, 422, ["role", "display_name"])
    assert worker.get(f"{API}/me").json["role"] == "worker"


def test_nobody_changes_someone_elses_preferences(world, as_person):
    supervisor = as_person(world.supervisor)
    response = supervisor.patch(f"{API}/people/{world.worker.id}",
                                json={"preferred_language": "cy"})
    assert_problem(response, 403)
    assert read(supervisor, "people", world.worker.id)["preferred_language"] == "en"
    # A worker cannot even see a colleague.
    response = as_person(world.worker).patch(f"{API}/people/{world.colleague.id}",
                                             json={"preferred_language": "cy"})
    assert_problem(response, 404)


def test_people_cannot_be_created_through_the_api(world, as_person):
    response = as_person(world.admin).post(f"{API}/people", json={
        "id": str(uuid.uuid4()), "preferred_language": "cy"})
    assert_problem(response, 405)


def test_englands_areas_are_data_told_from_wales_by_their_country(world, as_person):
    client = as_person(world.worker)
    forces = list_all(client, "areas", kind="police_force")
    authorities = list_all(client, "areas", kind="local_authority")
    assert sum(area["country"] == "wales" for area in forces) == 4
    assert sum(area["country"] == "england" for area in forces) == 39
    assert sum(area["country"] == "wales" for area in authorities) == 22
    assert len(list_all(client, "areas", country="england")) == 39 + 153
    shropshire = next(area for area in authorities if area["code"] == "E06000051")
    assert shropshire["country"] == "england"
    assert shropshire["name"] == {"en": "Shropshire", "cy": "Shropshire"}
