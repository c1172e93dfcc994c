"""What a device says of itself on every contact (PROTOCOL.md, "What a device reports"): how many
changes its outbox holds unsent, and its app version, in two optional request headers. Read here
without any web framework: `headers` is anything with .get(name) (a dict, or a request's headers).

A tablet that sends neither (an old one) reports nothing, and is served as before. A value that
is not what the protocol says is ignored, never refused: a report must never stop a sync."""

import re
from dataclasses import dataclass

UNSENT_HEADER = "Adref-Unsent"
VERSION_HEADER = "Adref-App-Version"
# An outbox is far smaller than this; a larger number is not a count a tablet could hold.
MOST_UNSENT = 1_000_000
# A version is a short token: the shell's content hash, or a release name.
VERSION = re.compile(r"[A-Za-z0-9._+-]{1,64}")
COUNT = re.compile(r"[0-9]{1,7}")


@dataclass(frozen=True)
class Report:
    """What the device said; None for what it did not say (or said wrongly)."""

    unsent: int | None
    app_version: str | None

    @property
    def said_anything(self) -> bool:
        return self.unsent is not None or self.app_version is not None


def read_report(headers) -> Report:
    return Report(_count(headers.get(UNSENT_HEADER)), _version(headers.get(VERSION_HEADER)))


def _count(text: str | None) -> int | None:
    if text is None or not COUNT.fullmatch(text.strip()):
        return None
    value = int(text.strip())
    return value if value <= MOST_UNSENT else None


def _version(text: str | None) -> str | None:
    if text is None or not VERSION.fullmatch(text.strip()):
        return None
    return text.strip()
