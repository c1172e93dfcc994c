"""A sync push while another change to the same record is being written: the push waits for it,
then decides against the record as it now is, so the other change is merged (not overwritten)
and its record of who changed which field is kept."""

import threading
import time
import uuid

from sqlalchemy import text, update

from app.cases.models import Child
from app.extensions import db
from tests.api.helpers import create_child
from tests.sync.http_helpers import enrol


def test_a_push_waits_for_a_change_in_progress_and_merges_with_it(app, world, as_person,
                                                                  session):
    web = as_person(world.worker)
    child = create_child(web, given="Gwen", family="Jones")
    tablet = enrol(app, web)
    before = dict(session.get(Child, uuid.UUID(child["id"])).field_sources)
    session.rollback()
    with app.app_context():
        engine = db.engine
    with engine.connect() as other:
        # Another writer holds the right to write and has changed the family name on the
        # server, but has not committed yet.
        rev = other.execute(text("UPDATE revision_counter SET value = value + 1 WHERE id = 1 "
                                 "RETURNING value")).scalar_one()
        other.execute(update(Child).where(Child.id == uuid.UUID(child["id"])).values(
            family_name="Prŷs", rev=rev, field_sources={**before, "family_name": [rev, None]}))
        answers = {}

        def push_from_the_tablet():
            answers["push"] = tablet.push([tablet.mutation(
                "children", child["id"], {"given_name": "Gwenllïan"}, base_rev=child["rev"])])

        push = threading.Thread(target=push_from_the_tablet)
        push.start()
        time.sleep(0.5)  # long enough for the push to read, if it did not wait first
        assert push.is_alive()  # it is waiting for the other writer
        other.commit()
        push.join(timeout=30)
    (result,) = answers["push"]["results"]
    assert result["status"] == "merged"
    session.expire_all()
    saved = session.get(Child, uuid.UUID(child["id"]))
    assert (saved.given_name, saved.family_name) == ("Gwenllïan", "Prŷs")
    assert saved.field_sources["family_name"] == [rev, None]
    assert saved.field_sources["given_name"] == [result["rev"], tablet.id]
