"""A real server process is killed (SIGKILL) in the middle of a push to a file database, then
restarted; the device retries. Nothing is lost and nothing is doubled."""

import threading
import time
import uuid

import requests
from sqlalchemy import create_engine, select, text

from app.auth.models import Device
from app.interviews.models import ReturnInterview
from app.syncing.models import ResultBatch
from tests.server_process import interview_batch, kill, prepare_push_database, start_server

MUTATIONS = 500  # the largest batch a push may carry


def _push_in_background(base: str, token: str, body: dict) -> dict:
    outcome = {}

    def send():
        try:
            outcome["response"] = requests.post(
                base + "/api/v1/sync/push", json=body, timeout=60,
                headers={"Authorization": "Bearer " + token})
        except requests.RequestException as error:
            outcome["error"] = error

    thread = threading.Thread(target=send)
    thread.start()
    outcome["thread"] = thread
    return outcome


def test_a_server_killed_mid_push_loses_and_doubles_nothing(tmp_path):
    killed_mid_push = False
    for attempt, delay in enumerate((0.3, 0.15, 0.08, 0.04, 0.02, 0.01)):
        # A database of its own each time: a push that finished before the kill has stored its
        # batch, and the same batch sent again would only be answered "duplicate".
        database_url = "sqlite:///" + str(tmp_path / f"crash-{attempt}.sqlite3")
        device_id, token, episode_id = prepare_push_database(database_url)
        interview_ids = [str(uuid.uuid4()) for _ in range(MUTATIONS)]
        body = interview_batch(device_id, episode_id, interview_ids)
        process, base = start_server(database_url)
        outcome = _push_in_background(base, token, body)
        time.sleep(delay)
        kill(process)
        outcome["thread"].join()
        if "error" in outcome:
            killed_mid_push = True
            break
    assert killed_mid_push, "the push always finished before the kill"

    process, base = start_server(database_url)
    try:
        headers = {"Authorization": "Bearer " + token}
        retried = requests.post(base + "/api/v1/sync/push", json=body, headers=headers,
                                timeout=60)
        again = requests.post(base + "/api/v1/sync/push", json=body, headers=headers,
                              timeout=60)
    finally:
        kill(process)

    assert retried.status_code == 200, retried.text
    assert {r["status"] for r in retried.json()["results"]} <= {"applied", "duplicate"}
    assert {r["status"] for r in again.json()["results"]} == {"duplicate"}

    engine = create_engine(database_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        stored = connection.execute(select(ReturnInterview.id, ReturnInterview.why_missing)).all()
        results = [result["mutation_id"] for (batch,) in connection.execute(
                       select(ResultBatch.results)) for result in batch]
        last = connection.execute(select(Device.last_mutation_id)).scalar()
    engine.dispose()
    assert sorted(str(row.id) for row in stored) == sorted(interview_ids)
    assert {row.why_missing for row in stored} == {f"Rhif {n}: ŵ ŷ"
                                                  for n in range(1, MUTATIONS + 1)}
    assert sorted(results) == list(range(1, MUTATIONS + 1))
    assert last == MUTATIONS
