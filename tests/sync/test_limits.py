"""The limits a tablet checks before it queues a change (the reference part `limits`): read off
the registered collections' schemas and declarations, changed when they change, named in every
pull, and worded as the server words its own refusal of the same change."""

import dataclasses
import json
import re
import uuid

import pytest
from marshmallow import fields, validate

from app.cases.rules import EPISODE_CODE_FIELDS, RETURN_AFTER_REPORT
from app.core.messages import msgid_of
from app.i18n import PWA_CATALOG_DIR
from app.interviews.rules import ATTEMPT_CODE_FIELDS, ATTEMPT_TIMES, CODE_FIELDS, INTERVIEW_TIMES
from app.interviews.schemas import AttemptSchema
from app.syncing import limits
from app.syncing.collections import COLLECTIONS
from tests.sync.http_helpers import API, ATTEMPTED, REPORTED, enrol, new_case, statuses


def served(tablet) -> dict:
    """The reference part `limits` as the tablet is sent it: {collection: limits}, version."""
    response = tablet.client.get(f"{API}/sync/reference", headers=tablet.headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    part = response.json["reference"]["limits"]
    return {row["collection"]: row for row in part["data"]}, part["version"]


@pytest.fixture
def tablet(world, as_person, app):
    return enrol(app, as_person(world.worker))


def worded(message: dict, language: str, **values) -> str:
    """A message sent to the tablet, worded as the tablet words it: its catalog (made from the
    server's; a message it leaves out, as English does, is its msgid), its values filled in."""
    catalog = json.loads((PWA_CATALOG_DIR / f"{language}.json").read_text(encoding="utf-8"))
    text = catalog["messages"].get(message["msgid"], message["msgid"])
    found = {**message["params"], **values}
    return re.sub(r"%\((\w+)\)[sd]", lambda match: str(found[match.group(1)]), text)


def test_the_limits_served_are_what_the_schemas_and_declarations_say(tablet):
    by_collection, _version = served(tablet)
    assert list(by_collection) == list(COLLECTIONS)
    for name, spec in COLLECTIONS.items():
        own = by_collection[name]
        assert set(own["fields"]) == spec.device_fields
        assert own["parent"] == ({"field": spec.parent.field, "collection": spec.parent.collection}
                                 if spec.parent else None)
        for field_name, limit in own["fields"].items():
            field = spec.schema.fields[field_name]
            assert limit["required"] is field.required, (name, field_name)
            assert limit["null"] is field.allow_none, (name, field_name)
            assert limit["code_list"] == spec.code_fields.get(field_name)
            chosen = {choice.field: choice for choice in spec.chosen_from}.get(field_name)
            assert limit["chosen_from"] == (
                {"part": chosen.part, "key": chosen.key, "where": chosen.where}
                if chosen else None), (name, field_name)
            lengths = [v for v in field.validators if isinstance(v, validate.Length)]
            assert (limit["min_length"], limit["max_length"]) == \
                ((lengths[0].min, lengths[0].max) if lengths else (None, None))
            choices = [v.choices for v in field.validators if isinstance(v, validate.OneOf)]
            assert limit["choices"] == (list(choices[0]) if choices else None)
            assert ("required" in limit["messages"]) is field.required
            assert ("null" in limit["messages"]) is not field.allow_none

    children, attempts = by_collection["children"], by_collection["attempts"]
    assert children["fields"]["given_name"] | {"messages": None} == {
        "kind": "text", "required": True, "null": False, "min_length": 1, "max_length": 120,
        "choices": None, "code_list": None, "chosen_from": None, "messages": None}
    assert children["fields"]["given_name"]["messages"]["too_long"] == {
        "msgid": "Use from %(min)s to %(max)s characters.", "params": {"min": "1", "max": "120"}}
    assert children["fields"]["given_name"]["messages"]["required"] == {
        "msgid": "This is required.", "params": {}}
    assert children["fields"]["date_of_birth"]["kind"] == "date"
    assert children["fields"]["looked_after"]["kind"] == "boolean"
    assert children["fields"]["team_id"]["kind"] == "id"
    assert children["fields"]["preferred_language"]["choices"] == ["cy", "en"]
    assert attempts["fields"]["notes"]["max_length"] == 5000
    assert attempts["fields"]["notes"]["messages"]["too_long"] == {
        "msgid": "Use %(max)s characters or fewer.", "params": {"max": "5000"}}
    assert attempts["fields"]["attempted_at"]["kind"] == "instant"
    assert attempts["fields"]["method"]["code_list"] == ATTEMPT_CODE_FIELDS["method"]
    assert attempts["fields"]["method"]["messages"]["code"] == {
        "msgid": "Unknown code: %(codes)s.", "params": {}}
    interviews = by_collection["interviews"]["fields"]
    assert interviews["harms"]["kind"] == "list"
    assert interviews["harms"]["code_list"] == CODE_FIELDS["harms"]
    assert interviews["harms"]["items"]["max_length"] == 64
    assert interviews["local_answers"]["kind"] == "object"
    assert interviews["local_answers"]["keys"]["max_length"] == 64
    assert by_collection["episodes"]["fields"]["return_method"]["code_list"] == \
        EPISODE_CODE_FIELDS["return_method"]

    # The times in order, as the rules modules declare them (and their rules check them).
    assert by_collection["episodes"]["time_order"] == [{
        "later": "returned_at", "earlier": "reported_missing_at", "parent": None,
        "message": {"msgid": msgid_of(RETURN_AFTER_REPORT.message), "params": {}}}]
    # The offer, the interview and each attempt after the return (an attempt's through its
    # interview to the episode: the tablet follows each collection's parent).
    assert by_collection["interviews"]["time_order"] == [{
        "later": later, "earlier": "returned_at", "parent": "episodes",
        "message": {"msgid": msgid_of(order.message), "params": {}}}
        for later, order in zip(("offered_at", "conducted_at"), INTERVIEW_TIMES, strict=True)]
    assert by_collection["attempts"]["time_order"] == [{
        "later": "attempted_at", "earlier": "returned_at", "parent": "episodes",
        "message": {"msgid": "The attempt must be after the child came back.", "params": {}}}]
    assert by_collection["attempts"]["parent"] == {"field": "interview_id",
                                                   "collection": "interviews"}


@pytest.mark.parametrize("language", ["cy", "en"])
def test_the_tablet_words_a_limit_as_the_server_refuses_the_same_change(tablet, language):
    by_collection, _version = served(tablet)
    ids, mutations = new_case(tablet)
    assert statuses(tablet.push(mutations)) == ["applied"] * 3
    too_long = tablet.mutation("attempts", uuid.uuid4(), {
        "interview_id": str(ids["interviews"]), "attempted_at": ATTEMPTED, "method": "phone",
        "outcome": "no_answer", "notes": "n" * 5001})
    long_name = tablet.mutation("children", uuid.uuid4(), {"given_name": "G" * 121,
                                                            "family_name": "Ŵyn"})
    nameless = tablet.mutation("children", uuid.uuid4(), {"given_name": "Gwen"})
    back_first = tablet.mutation("episodes", uuid.uuid4(), {
        "child_id": str(ids["children"]), "reported_missing_at": REPORTED,
        "returned_at": "2026-02-28T10:00:00+00:00"})
    response = tablet.post_push(tablet.batch([too_long, long_name, nameless, back_first]),
                                query_string={"lang": language})
    assert response.status_code == 200, response.get_data(as_text=True)
    notes, child, unnamed, episode = (result["errors"] for result in response.json["results"])

    attempts, children = by_collection["attempts"], by_collection["children"]
    assert notes == {"notes": [worded(attempts["fields"]["notes"]["messages"]["too_long"],
                                      language)]}
    assert child == {"given_name": [worded(children["fields"]["given_name"]["messages"]
                                           ["too_long"], language)]}
    assert unnamed["family_name"] == [worded(children["fields"]["family_name"]["messages"]
                                           ["required"], language)]
    assert episode == {"returned_at": [worded(by_collection["episodes"]["time_order"][0]
                                              ["message"], language)]}


@pytest.mark.parametrize("language", ["cy", "en"])
def test_the_tablet_is_told_which_areas_a_field_names_in_the_servers_words(tablet, language):
    by_collection, _version = served(tablet)
    children = by_collection["children"]["fields"]
    force = by_collection["episodes"]["fields"]["reporting_force_code"]
    assert children["placing_authority_code"]["chosen_from"] == {
        "part": "areas", "key": "code", "where": {"kind": "local_authority"}}
    assert children["host_authority_code"]["chosen_from"]["where"] == {"kind": "local_authority"}
    assert force["chosen_from"] == {"part": "areas", "key": "code",
                                    "where": {"kind": "police_force"}}
    ids, mutations = new_case(tablet)
    assert statuses(tablet.push(mutations)) == ["applied"] * 3
    a_force_placing = tablet.mutation("children", uuid.uuid4(), {
        "given_name": "Gwen", "family_name": "Ŵyn", "placing_authority_code": "W15000001",
        "host_authority_code": "W06999999"})
    an_authority_reporting = tablet.mutation("episodes", uuid.uuid4(), {
        "child_id": str(ids["children"]), "reported_missing_at": REPORTED,
        "reporting_force_code": "W06000015"})
    response = tablet.post_push(tablet.batch([a_force_placing, an_authority_reporting]),
                                query_string={"lang": language})
    child, episode = (result["errors"] for result in response.json["results"])
    assert child == {name: [worded(children[name]["messages"]["chosen"], language)]
                     for name in ("placing_authority_code", "host_authority_code")}
    assert episode == {"reporting_force_code": [worded(force["messages"]["chosen"], language)]}
    assert "placing authority" in worded(children["placing_authority_code"]["messages"]
                                         ["chosen"], "en")


def test_the_limits_change_when_a_schema_changes_and_a_pull_names_their_version(
        tablet, monkeypatch):
    before, version = served(tablet)
    pulled = tablet.get_pull(limit=1).json
    assert pulled["reference"]["limits"] == version

    shorter = AttemptSchema()
    monkeypatch.setattr(shorter.fields["notes"], "validators", [validate.Length(max=10)])
    monkeypatch.setitem(COLLECTIONS, "attempts",
                        dataclasses.replace(COLLECTIONS["attempts"], schema=shorter))
    after, changed = served(tablet)
    assert changed != version
    assert after["attempts"]["fields"]["notes"]["max_length"] == 10
    assert after["attempts"]["fields"]["notes"]["messages"]["too_long"]["params"] == {"max": "10"}
    assert {name: row for name, row in after.items() if name != "attempts"} == \
        {name: row for name, row in before.items() if name != "attempts"}

    # A pull's last page names the version served now (the pages before it, none: the tablet
    # reads the versions once caught up).
    _ids, mutations = new_case(tablet)
    assert statuses(tablet.push(mutations)) == ["applied"] * 3
    pages = [tablet.get_pull(limit=1).json]
    while pages[-1]["more"]:
        pages.append(tablet.get_pull(pages[-1]["cursor"], limit=1).json)
    assert len(pages) >= 3
    assert pages[-1]["reference"]["limits"] == changed
    assert not any("reference" in page for page in pages[:-1])


def test_the_app_words_every_message_the_limits_send_in_both_languages():
    sent = limits.messages_sent()
    assert {"This is required.", "Use %(max)s characters or fewer.",
            msgid_of(RETURN_AFTER_REPORT.message),
            *(msgid_of(order.message) for order in INTERVIEW_TIMES + ATTEMPT_TIMES)} <= sent
    # English is worded as the msgid itself (the app's t() falls back to it), so the English
    # catalog leaves them out; the Welsh carries each, in Welsh.
    catalog = json.loads((PWA_CATALOG_DIR / "cy.json").read_text(encoding="utf-8"))
    missing = sent - set(catalog["messages"])
    assert not missing, f"static/i18n/cy.json lacks {sorted(missing)}"
    assert all(catalog["messages"][msgid] != msgid for msgid in sent)


def test_a_limit_the_tablet_would_not_know_fails_loudly(monkeypatch):
    odd = AttemptSchema()
    monkeypatch.setattr(odd.fields["notes"], "validators", [validate.Regexp("^[a-z]*$")])
    with pytest.raises(ValueError, match="Regexp"):
        limits.collection_limits(dataclasses.replace(COLLECTIONS["attempts"], schema=odd))
    monkeypatch.setitem(odd.fields, "notes", fields.Float())
    with pytest.raises(ValueError, match="Float"):
        limits.collection_limits(dataclasses.replace(COLLECTIONS["attempts"], schema=odd))
