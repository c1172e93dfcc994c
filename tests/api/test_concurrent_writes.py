"""A change through the API while a sync push is writing the same record: the API waits for the
push to finish and then reads the record afresh, so neither the push's fields nor its record of
which device changed them are overwritten by a stale copy."""

import threading
import time
import uuid

from sqlalchemy import text, update

from app.cases.models import Child
from app.extensions import db
from tests.api.helpers import API, assert_problem, create_child
from tests.review.conftest import in_language


def test_an_api_change_waits_for_a_push_in_progress_and_keeps_what_it_wrote(app, world,
                                                                           as_person, session):
    worker = as_person(world.worker)
    child = create_child(worker, given="Gwen", family="Jones")
    device = str(uuid.uuid4())
    with app.app_context():
        engine = db.engine
    before = dict(session.get(Child, uuid.UUID(child["id"])).field_sources)
    session.rollback()
    with engine.connect() as push:
        # A push in progress on its own connection: it holds the right to write and has
        # changed the family name, as the device's change, but has not committed yet.
        rev = push.execute(text("UPDATE revision_counter SET value = value + 1 WHERE id = 1 "
                                "RETURNING value")).scalar_one()
        push.execute(update(Child).where(Child.id == uuid.UUID(child["id"])).values(
            family_name="Prŷs", rev=rev, field_sources={**before, "family_name": [rev, device]}))

        answers = {}

        def change_through_the_api():
            answers["patch"] = worker.patch(f"{API}/children/{child['id']}",
                                            json={"given_name": "Gwenllïan"})

        api = threading.Thread(target=change_through_the_api)
        api.start()
        time.sleep(0.5)  # long enough for the API request to read, if it did not wait first
        assert api.is_alive()  # it is waiting for the push
        push.commit()
        api.join(timeout=30)
    assert answers["patch"].status_code == 200, answers["patch"].get_data(as_text=True)
    assert answers["patch"].json["family_name"] == "Prŷs"
    session.expire_all()
    saved = session.get(Child, uuid.UUID(child["id"]))
    assert (saved.given_name, saved.family_name) == ("Gwenllïan", "Prŷs")
    assert saved.field_sources["family_name"] == [rev, device]
    assert saved.field_sources["given_name"][0] > rev
    assert saved.field_sources["given_name"][1] is None



def test_a_change_that_waits_too_long_is_told_the_service_is_busy_and_saves_nothing(
        app, world, as_person, session, monkeypatch):
    worker = in_language(as_person(world.worker), "cy")
    child = create_child(worker, given="Gwen", family="Jones")
    monkeypatch.setitem(app.config, "WRITE_WAIT_SECONDS", 1)
    with app.app_context():
        engine = db.engine
    with engine.connect() as stuck:
        stuck.execute(text("UPDATE revision_counter SET value = value WHERE id = 1"))
        response = worker.patch(f"{API}/children/{child['id']}", json={"given_name": "Gwenllïan"})
        stuck.rollback()
    body = assert_problem(response, 503)
    assert body["title"] == "Mae'r gwasanaeth yn brysur"
    assert response.headers["Retry-After"] == "5"
    session.expire_all()
    assert session.get(Child, uuid.UUID(child["id"])).given_name == "Gwen"
    again = worker.patch(f"{API}/children/{child['id']}", json={"given_name": "Gwenllïan"})
    assert again.status_code == 200
