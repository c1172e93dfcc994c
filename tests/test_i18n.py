"""Welsh and English: the catalogs are complete and current, and each person sees the language
they chose (?lang=, then their stored preference, then the cookie, then the browser)."""

import html
import re
import subprocess
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.pofile import read_po

from app.auth.models import Role
from app.auth.services import add_organisation, add_person
from app.cases.models import Child
from app.extensions import db
from tests.conftest import sign_in

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
CY_PO = TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
# The CLDR plural rule for Welsh: zero, one, two, few (3), many (6), other.
CY_PLURAL_RULE = "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5)"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


def read_catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def messages(catalog):
    return [m for m in catalog if m.id]


def msgid_key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


@pytest.fixture(scope="module")
def cy_catalog():
    return read_catalog(CY_PO)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """What the source marks for translation now, extracted as `make extract-messages` does."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    command = ([str(pybabel)] if pybabel.exists()
               else [sys.executable, "-m", "babel.messages.frontend"])
    subprocess.run(command + ["extract", "-F", "translations/babel.cfg", "-k", "_l",
                              "-k", "lazy_gettext", "-k", "t", "-k", "tn:1,2",
                              "-o", str(out), "."],
                   cwd=ROOT, check=True, capture_output=True)
    return read_catalog(out)


# The catalogs.

def test_every_welsh_message_is_translated(cy_catalog):
    assert messages(cy_catalog), "the Welsh catalog is empty"
    missing = []
    for message in messages(cy_catalog):
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy or not all(s and s.strip() for s in strings):
            missing.append(msgid_key(message))
    assert not missing, f"untranslated or fuzzy in cy: {missing}"


def test_every_welsh_plural_has_all_six_forms(cy_catalog):
    for message in messages(cy_catalog):
        if message.pluralizable:
            assert len(message.string) == 6, msgid_key(message)
            assert all(s.strip() for s in message.string), msgid_key(message)


def test_welsh_translations_keep_their_placeholders(cy_catalog):
    for message in messages(cy_catalog):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for translated in strings:
            assert set(PLACEHOLDER.findall(translated)) == wanted, msgid_key(message)
    assert not [(m.id, errors) for m, errors in cy_catalog.check()]


def test_welsh_catalog_has_the_six_form_plural_rule(cy_catalog):
    assert str(cy_catalog.locale) == "cy"
    assert cy_catalog.num_plurals == 6
    assert "nplurals=6" in cy_catalog.plural_forms
    assert cy_catalog.plural_expr.replace(" ", "") == CY_PLURAL_RULE.replace(" ", "")


def test_catalogs_are_current_with_the_source(extracted, cy_catalog):
    in_source = {msgid_key(m) for m in messages(extracted)}
    assert in_source, "extraction found no messages"
    in_catalog = {msgid_key(m) for m in messages(cy_catalog)}
    assert in_source - in_catalog == set(), "marked in the source but not in the cy catalog"
    assert in_catalog - in_source == set(), "in the cy catalog but no longer in the source"


def test_english_catalog_has_the_same_messages(cy_catalog):
    en = {msgid_key(m) for m in messages(read_catalog(EN_PO))}
    assert en == {msgid_key(m) for m in messages(cy_catalog)}


# Choosing the language.

def html_lang(response) -> str:
    return re.search(r'<html lang="([a-z]+)"', response.text).group(1)


def cookie_header(response, name: str) -> str:
    found = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "=")]
    assert found, f"no {name} cookie set"
    return found[0]


def test_english_by_default(client):
    page = client.get("/")
    assert page.status_code == 200
    assert html_lang(page) == "en"
    assert "Sign in" in page.text


def test_lang_switch_gives_welsh_and_remembers_it(client):
    page = client.get("/?lang=cy")
    assert html_lang(page) == "cy"
    assert "Mewngofnodi" in page.text
    cookie = cookie_header(page, "adref_lang")
    assert cookie.startswith("adref_lang=cy;")
    assert "SameSite=Lax" in cookie
    again = client.get("/")
    assert html_lang(again) == "cy"
    assert "Mewngofnodi" in again.text
    assert html_lang(client.get("/sign-in")) == "cy"


def test_lang_switch_back_to_english(client):
    client.get("/?lang=cy")
    page = client.get("/?lang=en")
    assert html_lang(page) == "en"
    assert html_lang(client.get("/")) == "en"


def test_unknown_lang_is_ignored(client):
    page = client.get("/?lang=fr", headers={"Accept-Language": "cy"})
    assert page.status_code == 200
    assert html_lang(page) == "cy"
    assert not [h for h in page.headers.getlist("Set-Cookie") if h.startswith("adref_lang=")]


def test_accept_language_welsh(client):
    page = client.get("/", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"})
    assert html_lang(page) == "cy"
    assert "Mewngofnodi" in page.text


def test_accept_language_english(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert html_lang(page) == "en"


def test_cookie_beats_accept_language(client):
    client.set_cookie("adref_lang", "cy")
    page = client.get("/", headers={"Accept-Language": "en"})
    assert html_lang(page) == "cy"
    assert "Mewngofnodi" in page.text


@pytest.fixture
def welsh_world(app, password_hash):
    """A worker who prefers Welsh, with one child. Made in an app context of its own, so that
    each request of the test gets its own (the locale is chosen once per app context)."""
    with app.app_context():
        org, (team,) = add_organisation(db.session, "Sefydliad Cymraeg", ["Tîm"])
        person = add_person(db.session, org, team, Role.WORKER, "Gwen Gweithiwr",
                            f"gwen.{uuid.uuid4().hex[:6]}@example.org",
                            password_hash=password_hash, language="cy")
        child = Child(organisation_id=org.id, team_id=team.id, assigned_worker_id=person.id,
                      given_name="Nia", family_name="Prawf")
        db.session.add(child)
        db.session.commit()
        return SimpleNamespace(person=SimpleNamespace(id=person.id, email=person.email),
                               child_id=str(child.id))


def test_signed_in_preference_beats_the_browser(app, welsh_world):
    client = sign_in(app.test_client(), welsh_world.person)
    page = client.get("/", headers={"Accept-Language": "en"})
    assert html_lang(page) == "cy"
    assert "Rydych wedi mewngofnodi fel Gwen Gweithiwr (gweithiwr)." in page.text
    assert "Allgofnodi" in page.text


def test_signed_in_preference_beats_the_cookie(app, welsh_world):
    client = sign_in(app.test_client(), welsh_world.person)
    client.set_cookie("adref_lang", "en")
    assert html_lang(client.get("/")) == "cy"


def test_switching_language_stores_the_preference(app, welsh_world):
    client = sign_in(app.test_client(), welsh_world.person)
    assert client.get("/api/v1/me").json["preferred_language"] == "cy"
    page = client.get("/?lang=en", headers={"Accept-Language": "cy"})
    assert html_lang(page) == "en"
    assert "You are signed in as Gwen Gweithiwr (worker)." in page.text
    assert client.get("/api/v1/me").json["preferred_language"] == "en"
    # Stored: a new browser, with no cookie and a Welsh browser, still gets English.
    other_browser = sign_in(app.test_client(), welsh_world.person)
    assert html_lang(other_browser.get("/", headers={"Accept-Language": "cy"})) == "en"


def test_preference_can_be_changed_through_the_api(app, welsh_world):
    client = sign_in(app.test_client(), welsh_world.person)
    me = client.get("/api/v1/me").json
    changed = client.patch(f"/api/v1/people/{me['id']}", json={"preferred_language": "en"})
    assert changed.status_code == 200, changed.json
    assert html_lang(client.get("/", headers={"Accept-Language": "cy"})) == "en"


# Every page links to itself in the other language.

@pytest.mark.parametrize("path", ["/", "/sign-in"])
def test_welsh_page_links_to_its_english_counterpart(client, path):
    page = client.get(f"{path}?lang=cy")
    link = re.search(r'<a href="([^"]+)"\s+lang="en" hreflang="en">English</a>', page.text)
    assert link, page.text
    assert html.unescape(link.group(1)) == f"{path}?lang=en"
    english = client.get(html.unescape(link.group(1)))
    assert html_lang(english) == "en"


@pytest.mark.parametrize("path", ["/", "/sign-in"])
def test_english_page_links_to_its_welsh_counterpart(client, path):
    page = client.get(f"{path}?lang=en")
    link = re.search(r'<a href="([^"]+)"\s+lang="cy" hreflang="cy">Cymraeg</a>', page.text)
    assert link, page.text
    assert html.unescape(link.group(1)) == f"{path}?lang=cy"
    assert html_lang(client.get(html.unescape(link.group(1)))) == "cy"


def test_error_page_offers_the_other_language(client):
    page = client.get("/no-such-page?lang=cy")
    assert page.status_code == 404
    assert re.search(r'hreflang="en">English</a>', page.text)


# The API speaks the person's language too.

def test_api_problem_title_in_welsh(client):
    response = client.get("/api/v1/children?lang=cy")
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    assert response.json["title"] == "Rhaid mewngofnodi i barhau"


def test_api_problem_title_follows_accept_language(client):
    assert client.get("/api/v1/children", headers={"Accept-Language": "cy"}).json["title"] == (
        "Rhaid mewngofnodi i barhau")
    assert client.get("/api/v1/children", headers={"Accept-Language": "en"}).json["title"] == (
        "Sign in to continue")


def test_api_validation_messages_in_welsh(app, welsh_world):
    client = sign_in(app.test_client(), welsh_world.person)
    response = client.post("/api/v1/episodes", json={
        "child_id": welsh_world.child_id,
        "reported_missing_at": "2026-05-02T10:00:00+00:00",
        "returned_at": "2026-05-01T10:00:00+00:00",
    })
    assert response.status_code == 422
    assert response.json["title"] == "Nid yw peth o'r wybodaeth yn ddilys"
    errors = {e["field"]: e["messages"] for e in response.json["errors"]}
    assert errors["returned_at"] == ["Rhaid i'r amser dychwelyd fod ar ôl amser yr adroddiad."]


# No English left on a Welsh page.

def english_fragments(cy_catalog):
    """Long English texts (split at placeholders) whose Welsh is different."""
    for message in messages(cy_catalog):
        if not isinstance(message.id, str) or message.string == message.id:
            continue
        for fragment in PLACEHOLDER.split(message.id):
            fragment = fragment.strip(" .()")
            if len(fragment) > 12:
                yield fragment


def assert_no_english(page_text: str, cy_catalog):
    text = html.unescape(page_text)
    left = [f for f in english_fragments(cy_catalog) if f in text]
    assert not left, f"English on a Welsh page: {left}"


@pytest.mark.parametrize("path", ["/?lang=cy", "/sign-in?lang=cy", "/no-such-page?lang=cy"])
def test_welsh_pages_have_no_english(client, cy_catalog, path):
    page = client.get(path)
    assert html_lang(page) == "cy"
    assert_no_english(page.text, cy_catalog)


def test_welsh_sign_in_errors_have_no_english(client, cy_catalog):
    form = client.get("/sign-in?lang=cy")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    page = client.post("/sign-in", data={"csrf_token": token, "email": "", "password": ""})
    assert page.status_code == 422
    assert "Mae problem" in page.text
    assert "Rhowch eich cyfeiriad e-bost" in page.text
    assert_no_english(page.text, cy_catalog)


def test_welsh_signed_in_landing_has_no_english(app, welsh_world, cy_catalog):
    client = sign_in(app.test_client(), welsh_world.person)
    page = client.get("/")
    assert html_lang(page) == "cy"
    assert_no_english(page.text, cy_catalog)
