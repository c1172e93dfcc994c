"""Sync ingest: 20,000 realistic interview mutations pushed in batches of 500 through the real
HTTP API (gunicorn, SQLite), against the same rows inserted with plain sqlite3 executemany and
with sqlite-utils insert_all, in turns of ten batches so that all three meet the machine alike.
Prints the three throughputs, the server's peak memory and, last, ratio = API throughput /
executemany throughput."""

import json
import sqlite3
import time
from datetime import UTC, datetime, timedelta

import requests
import sqlite_utils

from bench.common import (
    gunicorn,
    log_copied_back,
    new_record_id,
    peak_memory_mb,
    prepare_database,
    settle,
    temporary_sqlite,
)

MUTATIONS = 20_000
BATCH = 500
# As in practice: each interview is of a missing episode of its own, and a child who goes
# missing does so 3.5 times on average (Wales, 2019/20: 11,939 incidents, about 3,400 children).
EPISODES = MUTATIONS
CHILDREN = round(EPISODES / 3.5)

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
    return [json.dumps({"protocol": 1, "device_id": device_id, "mutations": batch}).encode()
            for batch in in_batches(mutations)]


class ApiPush:
    """The server taking in one batch, over HTTP, as the tablet sends it."""

    def __init__(self, base: str, token: str, database_url: str):
        self.database_url = database_url
        self.url = base + "/api/v1/sync/push"
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + token
        self.session.headers["Content-Type"] = "application/json"

    def __call__(self, body: bytes) -> None:
        response = self.session.post(self.url, data=body, timeout=120)
        response.raise_for_status()
        statuses = {r["status"] for r in response.json()["results"]}
        assert statuses == {"applied"}, statuses

    def finish(self) -> None:
        """The end of a turn of pushes: the server's log copied back into its database."""
        log_copied_back(self.database_url)


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


class RawExecutemany:
    """Plain sqlite3: one executemany per batch, in one transaction, into a table with no key."""

    def __init__(self):
        path = temporary_sqlite("raw.sqlite3").removeprefix("sqlite:///")
        self.connection = sqlite3.connect(path)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute(f"CREATE TABLE interviews ({', '.join(COLUMNS)})")
        self.sql = f"INSERT INTO interviews VALUES ({', '.join('?' for _ in COLUMNS)})"

    def __call__(self, rows: list[tuple]) -> None:
        with self.connection:
            self.connection.executemany(self.sql, rows)


class SqliteUtilsInsert:
    """sqlite-utils insert_all of the same rows as dicts (it makes the table on the first)."""

    def __init__(self):
        path = temporary_sqlite("utils.sqlite3").removeprefix("sqlite:///")
        self.database = sqlite_utils.Database(path)
        self.database.enable_wal()

    def __call__(self, records: list[dict]) -> None:
        self.database["interviews"].insert_all(records, batch_size=BATCH)


# Batches each way takes in a row before the next way's turn.
BLOCK = 10


def interleaved_seconds(ways: list, inputs: list[list]) -> list[float]:
    """Seconds each way spent on all its batches, taking them in turns of BLOCK batches: the
    first ten every way, then the next ten, and so on. This machine's speed drifts by more than
    half over a few seconds (other machines share its processor), so measuring one way after
    another compares different machines; in short turns, each way meets the same one. Within a
    turn the batches follow one another as a tablet's pushes do, each meeting what the one
    before left running. A way's turn ends, timed, with its finish() if it has one: the server
    finishes copying its log back into its database, work its pushes left. Before each turn,
    untimed, a pause (bench.common.settle)."""
    spent = [0.0] * len(ways)
    for start in range(0, len(inputs[0]), BLOCK):
        for number, (way, given) in enumerate(zip(ways, inputs, strict=True)):
            settle()
            started = time.perf_counter()
            for batch in given[start:start + BLOCK]:
                way(batch)
            getattr(way, "finish", lambda: None)()
            spent[number] += time.perf_counter() - started
    return spent


def in_batches(items: list) -> list[list]:
    return [items[start:start + BATCH] for start in range(0, len(items), BATCH)]


def main() -> None:
    database_url = temporary_sqlite("api.sqlite3")
    device_id, token, episodes = prepare_database(database_url, CHILDREN, EPISODES)
    mutations = make_mutations(episodes)
    # Everything each way is given is made before any clock starts: the tablet's encoded
    # batches, and the baselines' rows.
    bodies = push_bodies(device_id, mutations)
    rows = in_batches(plain_rows(mutations))
    records = [[dict(zip(COLUMNS, row, strict=True)) for row in batch] for batch in rows]
    with gunicorn(database_url) as (base, process):
        ways = [ApiPush(base, token, database_url), RawExecutemany(), SqliteUtilsInsert()]
        seconds = interleaved_seconds(ways, [bodies, rows, records])
        memory = peak_memory_mb(process)
    api, raw, utils = (MUTATIONS / s for s in seconds)
    print(f"mutations={MUTATIONS} batch={BATCH}")
    print(f"api_push_per_s={api:.0f}")
    print(f"sqlite3_executemany_per_s={raw:.0f}")
    print(f"sqlite_utils_insert_all_per_s={utils:.0f}")
    print(f"server_peak_memory_mb={memory:.0f}")
    print(f"ratio={api / raw:.3f}")


if __name__ == "__main__":
    main()
