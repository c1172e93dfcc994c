"""The directory, read from its data file once per process and checked as it is read: a broken
entry stops it being served at all (and `flask load-reference` reports it), never half of it."""

from functools import cache
from pathlib import Path

from app.core.reference import read_json
from app.directory.schemas import DirectorySchema

DATA_FILE = Path(__file__).parent / "data" / "services.json"


def checked_directory(document) -> dict:
    """The document as DirectorySchema loads it; marshmallow's ValidationError, naming every
    entry and field at fault, when anything is wrong."""
    return DirectorySchema().load(document)


@cache
def directory(path: Path = DATA_FILE) -> dict:
    """{"version": n, "services": [...]}, checked; the same objects on every call."""
    return checked_directory(read_json(path))


def directory_services() -> list[dict]:
    """Every entry, confirmed or not, in the file's order."""
    return directory()["services"]
