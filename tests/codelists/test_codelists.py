"""The core code lists: bilingual, stable snake_case codes, and loading them is idempotent."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.codelists.models import CodeListItem
from app.codelists.services import DATA_FILE, load_code_lists

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
CODELISTS_FILE = Path(__file__).resolve().parents[2] / "app" / "codelists" / "data" / (
    "codelists.json")


@pytest.fixture(scope="module")
def lists() -> dict:
    return json.loads(CODELISTS_FILE.read_text(encoding="utf-8"))["lists"]


def test_the_service_reads_the_same_file():
    assert Path(DATA_FILE).resolve() == CODELISTS_FILE


def test_every_list_has_items_and_a_bilingual_label(lists):
    assert lists
    for name, definition in lists.items():
        assert SNAKE_CASE.match(name), name
        assert definition["items"], name
        assert definition["label"]["en"].strip() and definition["label"]["cy"].strip(), name


def test_every_item_has_welsh_and_english(lists):
    for name, definition in lists.items():
        for item in definition["items"]:
            assert isinstance(item.get("en"), str) and item["en"].strip(), (name, item)
            assert isinstance(item.get("cy"), str) and item["cy"].strip(), (name, item)


def test_codes_are_unique_per_list(lists):
    for name, definition in lists.items():
        counts = Counter(item["code"] for item in definition["items"])
        assert [code for code, n in counts.items() if n > 1] == [], name


def test_codes_are_snake_case(lists):
    bad = [(name, item["code"]) for name, definition in lists.items()
           for item in definition["items"]
           if not (SNAKE_CASE.match(item["code"]) and len(item["code"]) <= 64)]
    assert bad == []


def test_labels_are_unique_per_list_in_each_language(lists):
    for name, definition in lists.items():
        for language in ("en", "cy"):
            counts = Counter(item[language].strip().lower() for item in definition["items"])
            assert [label for label, n in counts.items() if n > 1] == [], (name, language)


def stored(session) -> dict:
    session.expire_all()
    return {(item.list_name, item.code): (item.label_en, item.label_cy, item.position, item.rev,
                                          item.updated_at, item.active)
            for item in session.scalars(
                select(CodeListItem).where(CodeListItem.organisation_id.is_(None)))}


def revision_counter(session) -> int:
    return session.scalar(text("SELECT value FROM revision_counter WHERE id = 1"))


def test_database_holds_exactly_the_file(session, lists):
    rows = stored(session)
    expected = {(name, item["code"]): (item["en"], item["cy"], position)
                for name, definition in lists.items()
                for position, item in enumerate(definition["items"])}
    assert {key: value[:3] for key, value in rows.items()} == expected
    assert all(value[5] for value in rows.values())


def test_loading_twice_changes_nothing(session, lists):
    before, counter_before = stored(session), revision_counter(session)
    loaded = load_code_lists(session)
    session.flush()
    assert loaded == sum(len(d["items"]) for d in lists.values())
    loaded_again = load_code_lists(session)
    session.flush()
    assert loaded_again == loaded
    assert stored(session) == before
    assert revision_counter(session) == counter_before


def test_api_lists_the_items_in_both_languages(world, as_person, lists):
    client = as_person(world.worker)
    response = client.get("/api/v1/code-list-items?per_page=500")
    assert response.status_code == 200
    assert response.json["total"] == sum(len(d["items"]) for d in lists.values())
    first = lists["push_factor"]["items"][0]
    [shown] = [item for item in response.json["items"]
               if item["list_name"] == "push_factor" and item["code"] == first["code"]]
    assert shown["label"] == {"en": first["en"], "cy": first["cy"]}
    assert shown["position"] == 0
