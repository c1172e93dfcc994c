"""Sync ingest: 20,000 realistic interview mutations pushed in batches of 500 through the real
HTTP API (gunicorn, SQLite), against the same rows inserted with plain sqlite3 executemany and
with sqlite-utils insert_all (each baseline the best of three runs). Prints the three
throughputs, the server's peak memory and, last, ratio = API throughput / executemany
throughput."""

import json
import sqlite3
import time
from datetime import UTC, datetime, timedelta

import requests
import sqlite_utils

from bench.common import gunicorn, new_record_id, peak_memory_mb, prepare_database, temporary_sqlite

MUTATIONS = 20_000
BATCH = 500
EPISODES = 200
BASELINE_RUNS = 3

WHY = "Roedd ffrae gartref am fynd allan gyda ffrindiau; teimlodd nad oedd neb yn gwrando. ŵ ŷ"
HAPPENED = "Stayed at a friend's flat in town, then walked back in the morning."


def interview_fields(number: int, episode_id: str) -> dict:
    returned = datetime(2026, 1, 1, 5, tzinfo=UTC) + timedelta(hours=number % EPISODES)
    return {
        "episode_id": episode_id,
        "offered_at": (returned + timedelta(hours=3)).isoformat(),
        "consent": "accepted",
        "conducted_at": (returned + timedelta(hours=40)).isoformat(),
        "location": "placement",
        "interviewer_type": "independent_service",
        "language": "cy" if number % 2 else "en",
        "independent_of_police": True,
        "independent_of_local_authority": True,
        "why_missing": WHY,
        "what_happened": HAPPENED,
        "feeling_before": "Angry", "feeling_during": "Scared", "feeling_after": "Relieved",
        "push_factors": ["communication_breakdown", "not_listened_to"],
        "pull_factors": ["to_see_friends"],
    }


def make_mutations(episodes: list[str]) -> list[dict]:
    return [{"mutation_id": n + 1, "collection": "interviews", "id": new_record_id(), "op": "upsert",
             "base_rev": None, "fields": interview_fields(n, episodes[n % len(episodes)]),
             "device_time": datetime.now(UTC).isoformat()} for n in range(MUTATIONS)]


def push_bodies(device_id: str, mutations: list[dict]) -> list[bytes]:
    """The batches as the tablet sends them. Made before the clock starts, as the baseline's rows
    are: encoding is the tablet's work, and what is measured is the server taking them in."""
    return [json.dumps({"protocol": 1, "device_id": device_id,
                        "mutations": mutations[start:start + BATCH]}).encode()
            for start in range(0, len(mutations), BATCH)]


def push_all(base: str, token: str, bodies: list[bytes]) -> float:
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + token
    session.headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    for body in bodies:
        response = session.post(base + "/api/v1/sync/push", data=body, timeout=120)
        response.raise_for_status()
        statuses = {r["status"] for r in response.json()["results"]}
        assert statuses == {"applied"}, statuses
    return time.perf_counter() - started


COLUMNS = ["id", "rev", "organisation_id", "episode_id", "status", "consent", "offered_at",
           "conducted_at", "location", "interviewer_type", "language", "independent_of_police",
           "independent_of_local_authority", "why_missing", "what_happened", "feeling_before",
           "feeling_during", "feeling_after", "local_answers", "field_sources", "created_at",
           "updated_at"]


def plain_rows(mutations: list[dict]) -> list[tuple]:
    now = datetime.now(UTC).isoformat()
    rows = []
    for n, m in enumerate(mutations):
        f = m["fields"]
        rows.append((m["id"], n + 1, "org", f["episode_id"], "draft", f["consent"],
                     f["offered_at"], f["conducted_at"], f["location"], f["interviewer_type"],
                     f["language"], 1, 1, f["why_missing"], f["what_happened"],
                     f["feeling_before"], f["feeling_during"], f["feeling_after"], "{}", "{}",
                     now, now))
    return rows


def raw_executemany(rows: list[tuple]) -> float:
    path = temporary_sqlite("raw.sqlite3").removeprefix("sqlite:///")
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"CREATE TABLE interviews ({', '.join(COLUMNS)})")
    placeholders = ", ".join("?" for _ in COLUMNS)
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH):
        with connection:
            connection.executemany(f"INSERT INTO interviews VALUES ({placeholders})",
                                   rows[start:start + BATCH])
    return time.perf_counter() - started


def sqlite_utils_insert(rows: list[tuple]) -> float:
    path = temporary_sqlite("utils.sqlite3").removeprefix("sqlite:///")
    database = sqlite_utils.Database(path)
    database.enable_wal()
    records = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    started = time.perf_counter()
    database["interviews"].insert_all(records, batch_size=BATCH)
    return time.perf_counter() - started


def main() -> None:
    database_url = temporary_sqlite("api.sqlite3")
    device_id, token, episodes = prepare_database(database_url, EPISODES)
    mutations = make_mutations(episodes)
    bodies = push_bodies(device_id, mutations)
    with gunicorn(database_url) as (base, process):
        api_seconds = push_all(base, token, bodies)
        memory = peak_memory_mb(process)
    rows = plain_rows(mutations)
    # The baselines take a tenth of a second each, so one slow moment of the disk halves them:
    # the best of three (each into a fresh database) is the figure the API is held against.
    raw_seconds = min(raw_executemany(rows) for _ in range(BASELINE_RUNS))
    utils_seconds = min(sqlite_utils_insert(rows) for _ in range(BASELINE_RUNS))
    api, raw, utils = (MUTATIONS / s for s in (api_seconds, raw_seconds, utils_seconds))
    print(f"mutations={MUTATIONS} batch={BATCH}")
    print(f"api_push_per_s={api:.0f}")
    print(f"sqlite3_executemany_per_s={raw:.0f}")
    print(f"sqlite_utils_insert_all_per_s={utils:.0f}")
    print(f"server_peak_memory_mb={memory:.0f}")
    print(f"ratio={api / raw:.3f}")


if __name__ == "__main__":
    main()
