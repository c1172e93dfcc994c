"""Ids the server makes for records: time-ordered UUIDs (version 7, RFC 9562), as the tablet
makes them (static/app/ids.js).

A record made later sorts after those made before it, so an index keyed by id grows at its end.
With random (version 4) ids every index keyed by one was written all over: a sync push of 500
interviews rewrote three to four times as many database pages, more as the tables grew
(bench/sync_ingest.py). On PostgreSQL the same holds for its B-tree indexes.

An id so made tells roughly when its record was made; the record's created_at says as much to
anyone who may see the record at all.
"""

import uuid
from functools import lru_cache

from uuid6 import uuid7


def new_id() -> uuid.UUID:
    # A plain uuid.UUID: uuid6's own subclass is refused by orjson, and compares no differently.
    return uuid.UUID(int=uuid7().int)


@lru_cache(maxsize=8192)
def parse_id(text: str) -> uuid.UUID:
    """The UUID a text names (ValueError if none), the same object each time while remembered.
    A sync push names the same few parents (an episode, a child) in hundreds of records: each
    is parsed once, and the lookups of one id, all holding the one object, match on identity
    rather than by calling UUID.__eq__, which is Python code. A UUID cannot change, so one
    object serves every record that names it."""
    return uuid.UUID(text)
