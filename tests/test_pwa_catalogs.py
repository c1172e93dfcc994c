"""The PWA's interface text is made from the gettext catalogs: one source of text."""

import json
import os
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app import i18n
from app.i18n import PWA_CATALOG_DIR, pwa_catalog_text, used_by_the_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("language", ["cy", "en"])
def test_the_pwa_catalogs_are_not_stale(language):
    written = (PWA_CATALOG_DIR / f"{language}.json").read_text(encoding="utf-8")
    assert written == pwa_catalog_text(language), (
        "static/i18n is stale: run `make extract-messages` (or flask --app wsgi export-catalogs)")


def test_the_welsh_catalog_carries_every_message_of_the_app_in_welsh_with_six_plural_forms():
    catalog = json.loads((PWA_CATALOG_DIR / "cy.json").read_text(encoding="utf-8"))
    with (ROOT / "translations/cy/LC_MESSAGES/messages.po").open("rb") as handle:
        source = read_po(handle, locale="cy")
    assert catalog["plural_categories"] == ["zero", "one", "two", "few", "many", "other"]
    assert catalog["plural_forms"].startswith("nplurals=6;")
    for message in source:
        if not message.id or not used_by_the_app(message):
            assert message.id not in catalog["messages"]
            continue
        if isinstance(message.id, tuple):
            assert catalog["messages"][message.id[0]] == list(message.string)
        else:
            assert catalog["messages"][message.id] == message.string
    assert catalog["messages"]["Sign in"] == "Mewngofnodi"
    assert "Email address" not in catalog["messages"]  # the sign-in page's, not the app's


def test_the_english_catalog_has_two_plural_forms():
    catalog = json.loads((PWA_CATALOG_DIR / "en.json").read_text(encoding="utf-8"))
    assert catalog["plural_categories"] == ["one", "other"]
    assert catalog["messages"]["%(num)d change waiting to be sent"] == [
        "%(num)d change waiting to be sent", "%(num)d changes waiting to be sent"]


def test_the_english_catalog_leaves_out_what_the_app_words_as_its_msgid():
    """Our msgids are our English: the app's t() words a message the catalog lacks as its
    msgid, so the precached shell does not carry every English message twice."""
    catalog = json.loads((PWA_CATALOG_DIR / "en.json").read_text(encoding="utf-8"))
    assert "Sign in" not in catalog["messages"]
    assert all(isinstance(forms, list) for forms in catalog["messages"].values())


def test_the_version_changes_with_the_content():
    cy, en = (json.loads((PWA_CATALOG_DIR / f"{lang}.json").read_text(encoding="utf-8"))
              for lang in ("cy", "en"))
    assert cy["version"] != en["version"] and len(cy["version"]) == 16


@pytest.fixture
def welsh_catalog(tmp_path, monkeypatch) -> Path:
    """A copy of the Welsh catalog that the app reads instead of the real one; its path."""
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "messages.po"
    po.write_bytes((ROOT / "translations/cy/LC_MESSAGES/messages.po").read_bytes())
    monkeypatch.setattr(i18n, "CATALOG_DIR", tmp_path)
    return po


def test_a_changed_catalog_is_read_again(welsh_catalog):
    """The catalogs are read once for each state of their files (every sync pull names their
    versions): an edited translation is served, with a new version, without a restart."""
    po = welsh_catalog
    before = i18n.pwa_catalog("cy")
    assert before["messages"]["Sign in"] == "Mewngofnodi"

    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgstr "Mewngofnodi"', 'msgstr "Mewngofnodwch"', 1), encoding="utf-8")
    after = i18n.pwa_catalog("cy")
    assert after["messages"]["Sign in"] == "Mewngofnodwch"
    assert after["version"] != before["version"]


def test_a_catalog_changed_within_the_same_size_and_time_is_read_again(welsh_catalog):
    """Known by its content, not its file's size and time: an edit of the same length within
    the file system's tick (or with its time set back) is still served."""
    po = welsh_catalog
    before = i18n.pwa_catalog("cy")
    state = po.stat()

    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgstr "Mewngofnodi"', 'msgstr "MEWNGOFNODI"', 1), encoding="utf-8")
    os.utime(po, ns=(state.st_atime_ns, state.st_mtime_ns))
    assert (po.stat().st_size, po.stat().st_mtime_ns) == (state.st_size, state.st_mtime_ns)
    after = i18n.pwa_catalog("cy")
    assert after["messages"]["Sign in"] == "MEWNGOFNODI"
    assert after["version"] != before["version"]
