"""JSON answers are written with orjson: the same JSON a client read before, Welsh letters sent
as UTF-8, and whatever orjson cannot write still answered in full."""

import json
from datetime import UTC, datetime

from tests.api.helpers import API, create_child


def test_welsh_letters_arrive_as_utf8_and_read_back_exactly(world, as_person):
    worker = as_person(world.worker)
    child = create_child(worker, "Siân Ŵyn", "Prŷs")

    response = worker.get(f"{API}/children/{child['id']}")

    assert response.mimetype == "application/json"
    assert "Siân Ŵyn".encode() in response.data and "Prŷs".encode() in response.data
    body = json.loads(response.data.decode("utf-8"))
    assert (body["given_name"], body["family_name"]) == ("Siân Ŵyn", "Prŷs")
    assert list(body) == sorted(body)  # keys in order, as before


def test_values_orjson_cannot_write_are_still_answered(app):
    huge = 2**70
    with app.test_request_context():
        response = app.json.response({"count": huge, "text": "a\ud800b"})
    assert json.loads(response.get_data()) == {"count": huge, "text": "a\ud800b"}


def test_dates_keep_their_http_format_and_uuids_their_text(app, world):
    moment = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    with app.test_request_context():
        response = app.json.response({"at": moment, "id": world.worker.id})
    assert response.get_json() == {"at": "Sun, 01 Mar 2026 10:00:00 GMT",
                                   "id": str(world.worker.id)}
