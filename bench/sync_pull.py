"""Sync pull: a worker's first pull of 2,000 records through the real HTTP API (gunicorn,
SQLite, gzip), against a raw SELECT of the same rows passed to json.dumps. Prints round trips,
bytes on the wire against the uncompressed JSON, the server's peak memory and, last,
ratio = API throughput / raw SELECT + json.dumps throughput."""

import gzip
import json
import sqlite3
import time
from datetime import UTC, datetime, timedelta

import requests

from bench.common import (
    gunicorn,
    new_record_id,
    peak_memory_mb,
    prepare_database,
    temporary_sqlite,
)

CASES = 500  # each: a child, an episode, an interview and an attempt = 2,000 records
PAGE = 1000


def add_interviews_and_attempts(database_url: str) -> None:
    """An interview and an attempt for each episode, written straight into the database."""
    path = database_url.removeprefix("sqlite:///")
    connection = sqlite3.connect(path)
    episodes = connection.execute("SELECT id, organisation_id, returned_at FROM missing_episodes")
    revision = connection.execute("SELECT value FROM revision_counter").fetchone()[0]
    version = connection.execute("SELECT id FROM questionnaire_versions").fetchone()[0]
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(" ")
    interviews, attempts = [], []
    for episode_id, organisation_id, returned_at in episodes.fetchall():
        returned = datetime.fromisoformat(returned_at)
        interview_id = new_record_id().replace("-", "")
        revision += 2
        interviews.append((interview_id, organisation_id, episode_id, version, "draft",
                           "accepted", (returned + timedelta(hours=30)).isoformat(" "),
                           "Roedd ffrae gartref; teimlodd nad oedd neb yn gwrando. ŵ ŷ",
                           "Stayed with a friend in town.", "{}", "{}", revision - 1, now, now))
        attempts.append((new_record_id().replace("-", ""), organisation_id, interview_id,
                         (returned + timedelta(hours=4)).isoformat(" "), "phone",
                         "appointment_made", "{}", revision, now, now))
    connection.executemany(
        "INSERT INTO return_interviews (id, organisation_id, episode_id, "
        "questionnaire_version_id, status, consent, conducted_at, why_missing, what_happened, "
        "local_answers, field_sources, rev, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", interviews)
    connection.executemany(
        "INSERT INTO interview_attempts (id, organisation_id, interview_id, attempted_at, "
        "method, outcome, field_sources, rev, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", attempts)
    connection.execute("UPDATE revision_counter SET value = ?", (revision,))
    connection.commit()


def first_pull(base: str, token: str) -> tuple[int, int, int, int]:
    """Round trips, records, bytes on the wire and bytes of JSON, for a pull from the start."""
    session = requests.Session()
    session.headers.update({"Authorization": "Bearer " + token, "Accept-Encoding": "gzip"})
    cursor, trips, records, wire, plain = None, 0, 0, 0, 0
    while True:
        params = {"limit": PAGE} | ({"cursor": cursor} if cursor else {})
        response = session.get(base + "/api/v1/sync/pull", params=params, stream=True,
                               timeout=120)
        response.raise_for_status()
        raw = response.raw.read(decode_content=False)
        body = gzip.decompress(raw) if response.headers.get("Content-Encoding") == "gzip" \
            else raw
        page = json.loads(body)
        trips += 1
        records += len(page["changes"]) + len(page["removals"])
        wire, plain = wire + len(raw), plain + len(body)
        cursor = page["cursor"]
        if not page["more"]:
            return trips, records, wire, plain


def raw_select(database_url: str) -> tuple[int, float]:
    connection = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    connection.row_factory = sqlite3.Row
    started = time.perf_counter()
    rows = []
    for table in ("children", "missing_episodes", "return_interviews", "interview_attempts"):
        rows += [dict(row) for row in connection.execute(f"SELECT * FROM {table}")]  # noqa: S608
    json.dumps(rows, default=str)
    return len(rows), time.perf_counter() - started


def main() -> None:
    database_url = temporary_sqlite("pull.sqlite3")
    _device_id, token, _episodes = prepare_database(database_url, CASES)
    add_interviews_and_attempts(database_url)
    with gunicorn(database_url) as (base, process):
        started = time.perf_counter()
        trips, records, wire, plain = first_pull(base, token)
        api_seconds = time.perf_counter() - started
        memory = peak_memory_mb(process)
    raw_records, raw_seconds = raw_select(database_url)
    api, raw = records / api_seconds, raw_records / raw_seconds
    print(f"records={records} round_trips={trips}")
    print(f"bytes_on_wire={wire} uncompressed_json={plain} share={wire / plain:.3f}")
    print(f"api_records_per_s={api:.0f}")
    print(f"raw_select_json_dumps_per_s={raw:.0f}")
    print(f"server_peak_memory_mb={memory:.0f}")
    print(f"ratio={api / raw:.3f}")


if __name__ == "__main__":
    main()
