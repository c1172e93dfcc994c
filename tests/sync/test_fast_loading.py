"""The fast paths of a push give exactly what marshmallow gives: the same loaded push and
fields for what the schemas accept, and the schemas' own errors for everything else."""

import json
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from app.cases.schemas import ChildSchema, EpisodeSchema
from app.core.schemas import load_changed_fields
from app.interviews.schemas import AttemptSchema, InterviewSchema
from sync.messages import PushRequestSchema, decode_push_request

DEVICE = "6f1c2a3e-8d6b-4f5e-9a7b-1c2d3e4f5a6b"

# Values of every JSON type, among them those a loose check takes for another (True for 1).
ODD_VALUES = [None, True, False, 0, 1, 2, -1, 1.0, 2.5, "", "1", "x" * 65, "upsert", DEVICE,
              DEVICE.replace("-", ""), [], [1], {}, {"a": 1}]
ANY_JSON = st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=3))
UUIDS = st.one_of(st.uuids().map(str), st.just("not-a-uuid"), st.uuids().map(lambda u: u.hex))


VALID_MUTATION = {
    "mutation_id": st.integers(1, 3), "collection": st.sampled_from(["interviews", "episodes"]),
    "id": st.uuids().map(str), "op": st.sampled_from(["upsert", "delete"]),
    "base_rev": st.one_of(st.none(), st.integers(0, 5)),
}
OPTIONAL = {"fields": st.just({"language": "cy"}),
            "device_time": st.one_of(st.none(), st.just("2026-03-03T15:00:00+01:00"))}


@st.composite
def valid_mutations(draw):
    names = list(VALID_MUTATION) + draw(st.lists(st.sampled_from(list(OPTIONAL)), unique=True))
    return {name: draw({**VALID_MUTATION, **OPTIONAL}[name]) for name in names}


@st.composite
def push_bodies(draw):
    """A well-formed push (ids increasing) with up to three things wrong or odd in it: a value
    replaced, a key taken away or one added, at the top or in a mutation."""
    found = draw(st.lists(valid_mutations(), max_size=3))
    for number, mutation in enumerate(found, start=1):
        mutation["mutation_id"] = number
    body = {"protocol": 1, "device_id": draw(UUIDS), "mutations": found}
    for _ in range(draw(st.integers(0, 3))):
        target = draw(st.sampled_from([body, *found]))
        change = draw(st.sampled_from(["replace", "remove", "add"]))
        if change == "add" or not target:
            target[draw(st.sampled_from(["colour", "fields", "device_time", "protocol"]))] = \
                draw(ANY_JSON)
        elif change == "remove":
            del target[draw(st.sampled_from(sorted(target)))]
        else:
            target[draw(st.sampled_from(sorted(target)))] = draw(ANY_JSON)
    return body if draw(st.integers(0, 19)) else draw(ANY_JSON)


def _outcome(load, body):
    """What loading gave, spelt out exactly (repr tells 1 from True and a UTC offset from
    another offset of the same instant), in a fixed order."""
    try:
        loaded = load(body)
    except ValidationError as error:
        return "refused", error.messages
    return "loaded", repr(sorted(loaded.items()))


def _read_in_one_pass(body):
    """decode_push_request on the body as JSON; None where it leaves the body to the schema."""
    loaded = decode_push_request(json.dumps(body).encode())
    return None if loaded is None else _outcome(lambda _body: loaded, body)


def _fast_path_differs(body) -> bool:
    """Whether reading in one pass gave anything but what the schema gives. (Leaving a body to
    the schema is always safe: protocol "1", a revision beyond 64 bits, a half surrogate.)"""
    fast = _read_in_one_pass(body)
    return fast is not None and fast != _outcome(PushRequestSchema().load, body)


@settings(max_examples=1000, deadline=None)
@given(push_bodies())
def test_a_push_read_in_one_pass_loads_as_the_schema_loads_it(body):
    assert not _fast_path_differs(body)


@settings(max_examples=200, deadline=None)
@given(st.lists(valid_mutations(), max_size=5), UUIDS.filter(lambda u: u != "not-a-uuid"))
def test_every_well_formed_push_is_read_in_one_pass(mutations, device_id):
    for number, mutation in enumerate(mutations, start=1):
        mutation["mutation_id"] = number
    body = {"protocol": 1, "device_id": device_id, "mutations": mutations}
    assert _read_in_one_pass(body) == _outcome(PushRequestSchema().load, body)


def _usual_push() -> dict:
    return {"protocol": 1, "device_id": DEVICE, "mutations": [
        {"mutation_id": 1, "collection": "interviews", "id": str(uuid.UUID(int=1)), "op": "upsert",
         "base_rev": None, "fields": {"language": "cy"}, "device_time": None},
        {"mutation_id": 2, "collection": "interviews", "id": str(uuid.UUID(int=2)), "op": "delete",
         "base_rev": 3}]}


def _with_one_change(where: str, key: str, value) -> dict:
    body = _usual_push()
    target = body if where == "body" else body["mutations"][0]
    if value == "<removed>":
        target.pop(key, None)
    else:
        target[key] = value
    return body


# Integers at the edges of what the columns behind them hold, and beyond.
EDGE_INTEGERS = [2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1, 10**30]


def test_a_push_with_one_thing_changed_loads_as_the_schema_loads_it():
    """Each key of the body and of a mutation given each odd value, taken away, or added."""
    keys = [("body", key) for key in ("protocol", "device_id", "mutations", "colour")]
    keys += [("mutation", key) for key in ("mutation_id", "collection", "id", "op", "base_rev",
                                           "fields", "device_time", "colour")]
    differing = [
        (where, key, value) for where, key in keys
        for value in ODD_VALUES + EDGE_INTEGERS + ["<removed>"]
        if _fast_path_differs(_with_one_change(where, key, value))]
    assert not differing


def test_a_usual_push_is_read_in_one_pass(monkeypatch):
    body = _usual_push()
    expected = PushRequestSchema().load(body)
    monkeypatch.setattr(PushRequestSchema, "load", lambda *args, **kwargs: pytest.fail())
    assert decode_push_request(json.dumps(body).encode()) == expected


@pytest.mark.parametrize("raw", [
    b'{"protocol": 1, "device_id": "%s", "mutations": []', b"\xff\xfe",
    '{"protocol": 1, "device_id": "6f1c2a3e-8d6b-4f5e-9a7b-1c2d3e4f5a6b", '
    '"mutations": []}'.encode("utf-16"),
    b'{"protocol": 1, "device_id": "6f1c2a3e-8d6b-4f5e-9a7b-1c2d3e4f5a6b", "mutations": '
    b'[{"mutation_id": 1, "collection": "children", "id": "6f1c2a3e-8d6b-4f5e-9a7b-1c2d3e4f5a6b", '
    b'"op": "upsert", "base_rev": null, "fields": {"given_name": "\\ud800"}}]}'],
    ids=["cut short", "not UTF-8", "UTF-16", "half a surrogate pair"])
def test_what_is_not_plain_json_is_left_to_the_careful_way(raw):
    assert decode_push_request(raw) is None


# Values a device may send for one field of each kind, right and wrong.
FIELD_VALUES = ODD_VALUES + [
    "draft", "submitted", "archived", "accepted", "declined", "cy", "en", "fr", "placement",
    "x" * 64, "x" * 10001, "true", "no", "2026-03-03T14:30:00+00:00", "2026-03-03T14:30:00",
    "2026-03-03T14:30:00Z", "2026-03-03T14:30:00.123+05:30", "20260303T143000+0000",
    "2026-03-03", "03/03/2026", ["not_listened_to"], ["not_listened_to", "to_see_friends"],
    [""], ["y" * 65], ["z"] * 50, ["z"] * 51, [None], [True], {"q1": "yes"}, {"k" * 65: 1},
    # Lengths counted in characters, whatever their size in UTF-8 or UTF-16.
    "\U0001F600" * 64, "\U0001F600" * 65, "ŵ" * 200, "ŵ" * 201, "e\u0301" * 32,
    "e\u0301" * 33, ["\U0001F600" * 64], ["\U0001F600" * 65],
    # Half a surrogate pair, as json.loads reads "\ud800" (the push refuses it before loading).
    "\ud800", ["\ud800"]]
SCHEMAS = [InterviewSchema(), AttemptSchema(), EpisodeSchema(), ChildSchema()]


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda schema: type(schema).__name__)
def test_a_changed_field_loads_as_the_schema_loads_it(schema):
    """Each field of the schema (and an unknown one) given each value, on its own."""
    differing = [(name, value) for name in [*schema.fields, "colour", "\ud800"]
                 for value in FIELD_VALUES
                 if _loaded_differently(schema, {name: value})]
    assert not differing


def _loaded_differently(schema, changes) -> bool:
    expected = _outcome(lambda data: schema.load(data, partial=True), changes)
    return _outcome(lambda data: load_changed_fields(schema, data), changes) != expected


@st.composite
def interview_changes(draw):
    names = draw(st.sets(st.sampled_from(sorted(InterviewSchema().fields)), min_size=1))
    return {name: draw(st.sampled_from(FIELD_VALUES)) for name in names}


@settings(max_examples=300, deadline=None)
@given(interview_changes())
def test_several_changed_fields_load_as_the_schema_loads_them(changes):
    assert not _loaded_differently(SCHEMAS[0], changes)


def test_a_usual_change_is_loaded_in_one_pass():
    """An interview's usual fields are checked by msgspec in one pass (its instants and ids
    parsed after), giving what the schema gives; none needs to be loaded field by field."""
    from app.core.schemas import _one_pass_loader

    schema = InterviewSchema()
    change = {
        "episode_id": DEVICE, "offered_at": "2026-03-03T09:00:00+00:00", "consent": "accepted",
        "conducted_at": "2026-03-03T14:30:00+01:00", "location": "placement",
        "interviewer_type": "independent_service", "language": "cy",
        "independent_of_police": True, "independent_of_local_authority": False,
        "why_missing": "Roedd ffrae gartref.", "feeling_before": "Angry", "notes": None,
        "push_factors": ["communication_breakdown", "not_listened_to"], "pull_factors": [],
        "local_answers": {"q1": "yes"}}
    assert _one_pass_loader(schema)(change) == schema.load(change, partial=True)


def test_a_schema_checking_fields_together_loads_as_it_loads():
    """An episode returned before it was reported is refused as its schema refuses it: the
    schema's own check of the two fields together runs, not only each field's."""
    changes = {"reported_missing_at": "2026-03-03T14:00:00+00:00",
               "returned_at": "2026-03-02T14:00:00+00:00"}
    with pytest.raises(ValidationError) as refused:
        load_changed_fields(EpisodeSchema(), changes)
    assert refused.value.messages == {"returned_at": ["The return must be after the report."]}
    assert not _loaded_differently(EpisodeSchema(), changes)
