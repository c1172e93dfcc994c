"""The directory's data file: every entry passes the schema that checks it whenever it is read
(both languages, UK numbers, short codes from the allow-list, hours that parse, https
addresses), and the same schema refuses an entry broken in each of those ways."""

import copy
import json

import pytest
from marshmallow import ValidationError

from app.directory.services import DATA_FILE, checked_directory, directory_services

SHIPPED = json.loads(DATA_FILE.read_text(encoding="utf-8"))
NATIONAL = {"meic", "childline", "runaway_helpline", "tgp_cymru", "nyas_cymru", "nspcc_helpline",
            "fearless", "crimestoppers", "modern_slavery_helpline",
            "child_trafficking_guardians", "st_giles_trust", "police_emergency",
            "police_non_emergency"}


def test_every_shipped_entry_passes_the_checks():
    loaded = checked_directory(SHIPPED)
    assert loaded["version"] == 1
    assert {entry["id"] for entry in loaded["services"]} == NATIONAL
    assert directory_services() == loaded["services"]


def test_what_domain_calls_unconfirmed_is_marked_so():
    unconfirmed = {e["id"] for e in directory_services() if not e["confirmed"]}
    assert unconfirmed == {"nyas_cymru", "child_trafficking_guardians", "st_giles_trust"}


def test_lines_for_adults_are_not_for_a_child():
    by_id = {e["id"]: e for e in directory_services()}
    assert by_id["nspcc_helpline"]["audience"] == "worker"
    assert by_id["modern_slavery_helpline"]["audience"] == "worker"
    assert by_id["meic"]["hours"] == {"daily": [["08:00", "24:00"]]}
    assert by_id["meic"]["contact"] == {"phone": "080880 23456", "text": "84001",
                                        "web": "https://www.meic.cymru", "chat": True}


def entry(**changes):
    """Childline's entry with these changes: a dotted key reaches inside (contact.phone)."""
    changed = copy.deepcopy(next(e for e in SHIPPED["services"] if e["id"] == "childline"))
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        target = changed
        for key in path:
            target = target[key]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value
    return changed


def problems(*services) -> dict:
    with pytest.raises(ValidationError) as refused:
        checked_directory({"version": 1, "services": list(services)})
    return refused.value.messages


BROKEN = {
    "no Welsh name": (dict(name__cy=KeyError), ["name", "cy"]),
    "a blank English description": (dict(what_it_does__en="  "), ["what_it_does", "en"]),
    "a number too short": (dict(contact__phone="0800 111"), ["contact", "phone"]),
    "letters in a number": (dict(contact__phone="0800 CHILD"), ["contact", "phone"]),
    "a premium-rate number": (dict(contact__phone="0909 879 0000"), ["contact", "phone"]),
    "a short code not on the list": (dict(contact__phone="118118"), ["contact", "phone"]),
    "a text code as a number to call": (dict(contact__phone="84001"), ["contact", "phone"]),
    "a foreign number": (dict(contact__phone="+33 1 42 68 53 00"), ["contact", "phone"]),
    "a text number that is no text code": (dict(contact__text="1234"), ["contact", "text"]),
    "a web address without https": (dict(contact__web="http://www.childline.org.uk"),
                                     ["contact", "web"]),
    "a time without its zero": (dict(hours={"daily": [["8:00", "20:00"]]}), ["hours"]),
    "closing before opening": (dict(hours={"daily": [["20:00", "08:00"]]}), ["hours"]),
    "opening at 24:00": (dict(hours={"daily": [["24:00", "24:00"]]}), ["hours"]),
    "an hour past the day": (dict(hours={"daily": [["08:00", "25:00"]]}), ["hours"]),
    "a day that is not one": (dict(hours={"weekly": {"mon": [], "funday": []}}), ["hours"]),
    "two kinds of hours": (dict(hours={"always": True, "daily": []}), ["hours"]),
    "an unknown area": (dict(for_whom__areas=["W06999999"]), ["for_whom", "areas"]),
    "ages the wrong way round": (dict(for_whom__min_age=12, for_whom__max_age=8),
                                 ["for_whom", "max_age"]),
    "an unknown need": (dict(for_whom__needs=["snacks"]), ["for_whom", "needs"]),
    "no audience": (dict(audience="everyone"), ["audience"]),
    "free but a geographic number": (dict(contact__phone="029 2039 6974"), ["free"]),
    "confirmed and no way to reach it": (dict(contact__phone=None, contact__web=None),
                                         ["contact"]),
    "an id that is no slug": (dict(id="Child Line"), ["id"]),
    "an id with a space at its end": (dict(id="childline two"), ["id"]),
    "a web address with a space in it": (dict(contact__web="https://www.childline.org.uk x"),
                                         ["contact", "web"]),
}


@pytest.mark.parametrize("changes,where", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_entry_is_refused_where_it_is_broken(changes, where):
    messages = problems(entry(**changes))["services"][0]
    for key in where:
        assert key in messages, messages
        messages = messages[key]


VALID = {
    "the Runaway Helpline's 116 000": dict(contact__phone="116 000", contact__text="116 000"),
    "emergency": dict(contact__phone="999"),
    "the police, not an emergency": dict(contact__phone="101", free=False),
    "a text code": dict(contact__text="84001"),
    "a number with +44": dict(contact__phone="+44 800 1111"),
    "a geographic number, not free": dict(contact__phone="02920 396974", free=False),
    "open to midnight": dict(hours={"daily": [["08:00", "24:00"]]}),
    "a week, a night across midnight as two ranges": dict(hours={"weekly": {
        "fri": [["09:00", "17:00"], ["22:00", "24:00"]], "sat": [["00:00", "02:00"]]}}),
    "hours not known": dict(hours=None),
    "unconfirmed, no contact yet": dict(confirmed=False, contact__phone=None,
                                        contact__web=None),
    "Wales's councils": dict(for_whom__areas=["W06000015", "W06000001"]),
}


@pytest.mark.parametrize("changes", VALID.values(), ids=VALID.keys())
def test_what_the_checks_allow(changes):
    checked_directory({"version": 1, "services": [entry(**changes)]})


def test_an_id_used_twice_is_refused():
    assert "services" in problems(entry(), entry())


def test_one_broken_entry_refuses_the_whole_file():
    document = copy.deepcopy(SHIPPED)
    document["services"][3]["contact"]["phone"] = "0800 111"
    with pytest.raises(ValidationError) as refused:
        checked_directory(document)
    assert set(refused.value.messages["services"]) == {3}
