"""Helpers for the sync HTTP tests: a tablet as a client sees it (enrolled through the web, then
pushing and pulling with its bearer token), and ready-made mutations."""

import uuid
from datetime import UTC, datetime

from tests.api.helpers import API

PUSH = f"{API}/sync/push"
PULL = f"{API}/sync/pull"

REPORTED = "2026-03-01T10:00:00+01:00"
RETURNED = "2026-03-02T08:00:00+00:00"
CONDUCTED = "2026-03-03T14:30:00+00:00"
ATTEMPTED = "2026-03-02T09:15:00+00:00"
DEVICE_TIME = "2026-03-03T15:00:00+01:00"


def at(text: str) -> datetime:
    """An ISO time as an aware datetime, so instants compare whatever offset they carry."""
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None, text
    return moment.astimezone(UTC)


def enrol_pair(web, name: str = "Tablet") -> dict:
    response = web.post(f"{API}/devices", json={"name": name})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json


class Tablet:
    """An enrolled device: its own test client (no cookies), its bearer token, its next
    mutation id and its pull cursor."""

    def __init__(self, app, pair: dict):
        self.app = app
        self.client = app.test_client()
        self.id = pair["device_id"]
        self.access_token = pair["access_token"]
        self.refresh_token = pair["refresh_token"]
        self.next_id = 1
        self.cursor = None

    @property
    def headers(self) -> dict:
        return {"Authorization": "Bearer " + self.access_token}

    # --- building mutations -------------------------------------------------------------------
    def mutation(self, collection: str, record_id, fields: dict | None = None, *,
                 base_rev: int | None = None, op: str = "upsert") -> dict:
        """A mutation with this device's next mutation_id."""
        body = {"mutation_id": self.next_id, "collection": collection, "id": str(record_id),
                "op": op, "base_rev": base_rev, "fields": fields or {},
                "device_time": DEVICE_TIME}
        self.next_id += 1
        return body

    def batch(self, mutations: list[dict], **extra) -> dict:
        return {"protocol": 1, "device_id": self.id, "mutations": mutations, **extra}

    # --- talking to the server ----------------------------------------------------------------
    def post_push(self, body=None, **kwargs):
        return self.client.post(PUSH, json=body, headers=self.headers, **kwargs)

    def push(self, mutations: list[dict]) -> dict:
        """Pushes the mutations; the answer must be 200. Returns the body."""
        response = self.post_push(self.batch(mutations))
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.json
        assert body["protocol"] == 1
        assert body["device_id"] == self.id
        assert [r["mutation_id"] for r in body["results"]] == [m["mutation_id"] for m in mutations]
        return body

    def get_pull(self, cursor=None, limit=None, headers=None):
        params = {}
        if cursor is not None:
            params["cursor"] = cursor
        if limit is not None:
            params["limit"] = limit
        return self.client.get(PULL, query_string=params, headers=self.headers | (headers or {}))

    def pull(self, limit: int = 500) -> dict:
        """Pulls every page after this device's cursor and moves the cursor on. Returns
        {"changes": {(collection, id): change}, "removals": {(collection, id): removal},
        "pages": [...], "reference": {...}}; later entries (by rev) replace earlier ones."""
        changes, removals, pages = {}, {}, []
        while True:
            response = self.get_pull(self.cursor, limit)
            assert response.status_code == 200, response.get_data(as_text=True)
            page = response.json
            pages.append(page)
            assert page["protocol"] == 1
            assert len(page["changes"]) + len(page["removals"]) <= limit
            # In rev order, mixing both lists, as the protocol says a device applies them.
            events = sorted([(change, changes, removals) for change in page["changes"]]
                            + [(removal, removals, changes) for removal in page["removals"]],
                            key=lambda event: event[0]["rev"])
            for event, kept, dropped in events:
                key = (event["collection"], event["id"])
                dropped.pop(key, None)
                kept[key] = event
            self.cursor = page["cursor"]
            if not page["more"]:
                break
            assert len(pages) < 200, "pull never ends"
        return {"changes": changes, "removals": removals, "pages": pages,
                "reference": pages[-1]["reference"]}


def enrol(app, web, name: str = "Tablet") -> Tablet:
    """Enrols a tablet for the person signed in on `web`."""
    return Tablet(app, enrol_pair(web, name))


def record(pulled: dict, collection: str, record_id) -> dict:
    """The record a pull delivered for this key."""
    key = (collection, str(record_id))
    assert key in pulled["changes"], f"{key} not pulled; got {sorted(pulled['changes'])}"
    return pulled["changes"][key]["record"]


def ids_of(pulled: dict, collection: str, kind: str = "changes") -> set[str]:
    return {record_id for name, record_id in pulled[kind] if name == collection}


def new_case(tablet: Tablet, *, child_fields=None, interview_fields=None, attempt=False):
    """Mutations making a child, an episode of it and an interview of the episode (and an
    attempt). Returns (ids, mutations); ids maps collection to the new record's id."""
    ids = {"children": uuid.uuid4(), "episodes": uuid.uuid4(), "interviews": uuid.uuid4()}
    mutations = [
        tablet.mutation("children", ids["children"],
                        {"given_name": "Gwenllïan", "family_name": "Ŵyn"} | (child_fields or {})),
        tablet.mutation("episodes", ids["episodes"],
                        {"child_id": str(ids["children"]), "reported_missing_at": REPORTED,
                         "returned_at": RETURNED, "risk_grade": "medium"}),
        tablet.mutation("interviews", ids["interviews"],
                        {"episode_id": str(ids["episodes"]), "why_missing": "Roedd hi'n unig",
                         "what_happened": "Aeth i weld ffrindiau", "conducted_at": CONDUCTED,
                         "consent": "accepted"} | (interview_fields or {})),
    ]
    if attempt:
        ids["attempts"] = uuid.uuid4()
        mutations.append(tablet.mutation(
            "attempts", ids["attempts"],
            {"interview_id": str(ids["interviews"]), "attempted_at": ATTEMPTED,
             "method": "phone", "outcome": "no_answer", "notes": "Dim ateb — neges llais"}))
    return ids, mutations


def statuses(body: dict) -> list[str]:
    return [result["status"] for result in body["results"]]


def read(web, collection: str, record_id) -> dict:
    """The record as the JSON API gives it to the person signed in on `web`."""
    response = web.get(f"{API}/{collection}/{record_id}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def open_conflicts(client, headers=None) -> list[dict]:
    """The open conflicts the client (a person's, or a tablet's with its headers) may see."""
    response = client.get(f"{API}/sync/conflicts", headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["items"]


def resolve(web, conflict_id, value):
    """The response to resolving a conflict with this value."""
    return web.post(f"{API}/sync/conflicts/{conflict_id}/resolve", json={"value": value})


def delete_in_conflict(app, web):
    """Two tablets of the person signed in on `web`: A makes a case with an attempt and then
    changes the attempt's notes; B, from the base before that change, deletes the attempt, a
    conflict on the delete. Returns (tablet_a, tablet_b, ids, base, B's result)."""
    tablet_a, tablet_b = enrol(app, web, "A"), enrol(app, web, "B")
    ids, mutations = new_case(tablet_a, attempt=True)
    tablet_a.push(mutations)
    base = tablet_b.pull()["changes"][("attempts", str(ids["attempts"]))]["rev"]
    tablet_a.push([tablet_a.mutation("attempts", ids["attempts"], {"notes": "Ffoniais eto"},
                                     base_rev=base)])
    deleting = tablet_b.push([tablet_b.mutation("attempts", ids["attempts"], base_rev=base,
                                                op="delete")])["results"][0]
    assert deleting["status"] == "conflict"
    return tablet_a, tablet_b, ids, base, deleting
