import uuid


def enrol(client):
    response = client.post("/api/v1/devices", json={"name": "Tablet"})
    assert response.status_code == 201, response.json
    return response.json


def test_push_then_pull(world, as_person, app):
    web = as_person(world.worker)
    pair = enrol(web)
    device = app.test_client()
    headers = {"Authorization": "Bearer " + pair["access_token"]}
    child_id, episode_id, interview_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    batch = {"protocol": 1, "device_id": pair["device_id"], "mutations": [
        {"mutation_id": 1, "collection": "children", "id": str(child_id), "op": "upsert",
         "base_rev": None, "fields": {"given_name": "Gwenllïan", "family_name": "Ŵyn"}},
        {"mutation_id": 2, "collection": "episodes", "id": str(episode_id), "op": "upsert",
         "base_rev": None, "fields": {"child_id": str(child_id),
                                      "reported_missing_at": "2026-03-01T10:00:00+00:00",
                                      "returned_at": "2026-03-02T10:00:00+00:00"}},
        {"mutation_id": 3, "collection": "interviews", "id": str(interview_id), "op": "upsert",
         "base_rev": None, "fields": {"episode_id": str(episode_id), "why_missing": "x",
                                      "push_factors": ["family_conflict"]}},
        {"mutation_id": 4, "collection": "interviews", "id": str(interview_id), "op": "upsert",
         "base_rev": None, "fields": {"why_missing": "y", "harms": ["bogus"]}},
    ]}
    response = device.post("/api/v1/sync/push", json=batch, headers=headers)
    assert response.status_code == 200, response.json
    assert [r["status"] for r in response.json["results"]] == ["applied"] * 3 + ["rejected"]
    again = device.post("/api/v1/sync/push", json=batch, headers=headers)
    assert [r["status"] for r in again.json["results"]] == ["duplicate"] * 4
    pulled = device.get("/api/v1/sync/pull?limit=2", headers=headers)
    assert pulled.status_code == 200, pulled.json
    assert pulled.json["more"] is True
    got = web.get(f"/api/v1/interviews/{interview_id}").json
    assert got["push_factors"] == ["family_conflict"] and got["why_missing"] == "x"
