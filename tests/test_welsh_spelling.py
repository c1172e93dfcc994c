"""Every Welsh string a person can meet — the interface catalog and the bilingual content
(code lists, questionnaires, areas, the directory of services) — is spelled as the hunspell
Welsh dictionary from Bangor University (the npm package dictionary-cy, installed by
`make test`) knows it, apart from a short reviewed allow-list of proper nouns."""

import json
import os
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from spylls.hunspell import Dictionary

ROOT = Path(__file__).resolve().parent.parent
DICTIONARY = Path(os.environ.get(
    "ADREF_WELSH_DICTIONARY", ROOT / ".cache" / "npm" / "node_modules" / "dictionary-cy" / "index"))
ALLOWED = {line.strip() for line in (ROOT / "translations" / "cy-allow-list.txt").read_text(
    encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}
# What is left of a word once an apostrophe has joined it to the next: sy'n, o'r, i'w, a'ch.
CLITICS = {"n", "r", "i", "w", "ch", "m", "th", "u", "y", "a", "o", "s", "d"}
WORD = re.compile(r"[A-Za-zÀ-ÿŴŵŶŷ]+(?:['’][A-Za-zÀ-ÿŴŵŶŷ]+)*")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def catalog_texts():
    with (ROOT / "translations" / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="cy")
    for message in catalog:
        if message.id:
            strings = message.string if isinstance(message.string, tuple | list) \
                else [message.string]
            yield from ((f"catalog: {message.id!r}", s) for s in strings)


def welsh_in(document, where: str):
    """Every "cy" text in a bilingual data document."""
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "cy" and isinstance(value, str):
                yield where, value
            else:
                yield from welsh_in(value, where)
    elif isinstance(document, list):
        for value in document:
            yield from welsh_in(value, where)


def content_texts():
    for path in ("app/codelists/data/codelists.json", "app/cases/data/areas.json",
                 "app/directory/data/services.json", "app/referrals/data/suggestion_rules.json",
                 *sorted(str(p.relative_to(ROOT)) for p in
                         (ROOT / "app/questionnaires/data").glob("*.json"))):
        yield from welsh_in(json.loads((ROOT / path).read_text(encoding="utf-8")), path)


def words(text: str):
    for word in WORD.findall(PLACEHOLDER.sub(" ", text)):
        for part in re.split(r"['’]", word):
            if part.lower() not in CLITICS:
                yield part


@pytest.fixture(scope="module")
def dictionary():
    assert DICTIONARY.with_suffix(".dic").exists(), (
        f"the Welsh dictionary is missing at {DICTIONARY}: `make test` installs dictionary-cy")
    return Dictionary.from_files(str(DICTIONARY))


def unknown_words(dictionary, texts) -> dict[str, set[str]]:
    unknown: dict[str, set[str]] = {}
    for where, text in texts:
        for word in words(text):
            if word in ALLOWED or dictionary.lookup(word) or dictionary.lookup(word.lower()):
                continue
            unknown.setdefault(word, set()).add(where)
    return unknown


def test_the_welsh_interface_text_is_spelled_right(dictionary):
    texts = list(catalog_texts())
    assert len(texts) > 50
    assert unknown_words(dictionary, texts) == {}


def test_the_welsh_content_is_spelled_right(dictionary):
    texts = list(content_texts())
    assert len(texts) > 100
    assert unknown_words(dictionary, texts) == {}


def test_the_check_catches_a_misspelling(dictionary):
    found = unknown_words(dictionary, [("example", "Mae'r plentynn yn ddiogel gartref.")])
    assert found == {"plentynn": {"example"}}


def test_the_allow_list_holds_only_reviewed_proper_nouns():
    assert ALLOWED == {"API", "CSV", "JSON", "NUL", "OpenAPI", "Talbot", "UTC", "UUID",
                       # the names of services in the directory (app/directory/data)
                       "Barnardo", "Childline", "Crimestoppers", "Fearless", "Giles",
                       "Helpline", "NYAS", "Runaway", "St", "TGP", "Trust",
                       # languages' names in Welsh, as the Welsh Government's term base gives them
                       "Albaneg", "Amhareg", "Cwrdeg", "Fietnameg", "Pashto", "Perseg",
                       "Rwmaneg", "Somalieg", "Tigrinya", "Wrdw"}
