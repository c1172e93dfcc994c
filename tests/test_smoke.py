def test_worker_lists_own_children(world, as_person):
    response = as_person(world.worker).get("/api/v1/children")
    assert response.status_code == 200
    assert [c["given_name"] for c in response.json["items"]] == ["Cerys"]
