"""What a device is sent of the directory: every entry, confirmed or not (a worker sees an
unconfirmed one marked so; static/app/directory.js never shows one to a child), as the data file
holds it. Served from the file, not a table: it is versioned data shipped with the release, and
the part's version is the digest of this dump, as every part's is."""

from types import SimpleNamespace

from app.directory.schemas import ServiceSchema
from app.directory.services import directory_services
from app.syncing.collections import ReferencePart


def directory_entries(_session, _person) -> list[SimpleNamespace]:
    # The dump reads attributes, as of the other parts' rows.
    return [SimpleNamespace(**entry) for entry in directory_services()]


REFERENCE = (ReferencePart("directory", directory_entries, ServiceSchema()),)
