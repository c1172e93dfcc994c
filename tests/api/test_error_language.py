"""Field errors in the reader's language, in plain words: marshmallow words its own errors in
English only, so each of its wordings our schemas can give is said again from our catalogs, on
the API and in the reasons sync gives for a refused change."""

import re
import uuid

import pytest
from flask_babel import force_locale
from marshmallow import Schema, ValidationError, fields, validate

from app.core.errors import field_errors
from app.core.messages import MARSHMALLOW_WORDINGS
from tests.api.helpers import API, assert_problem
from tests.review.conftest import in_language
from tests.sync.http_helpers import enrol


class EveryKind(Schema):
    """A field of each kind and a validator of each kind our schemas use, to be given nonsense."""

    text = fields.String(required=True)
    short = fields.String(validate=validate.Length(max=3))
    long = fields.String(validate=validate.Length(min=3))
    between = fields.String(validate=validate.Length(min=2, max=3))
    exact = fields.String(validate=validate.Length(equal=2))
    whole = fields.Integer(strict=True)
    at_least = fields.Integer(validate=validate.Range(min=1))
    at_most = fields.Integer(validate=validate.Range(max=1))
    within = fields.Integer(validate=validate.Range(min=1, max=5))
    above = fields.Integer(validate=validate.Range(min=1, min_inclusive=False))
    below = fields.Integer(validate=validate.Range(max=1, max_inclusive=False))
    flag = fields.Boolean()
    when = fields.AwareDateTime()
    naive = fields.AwareDateTime()
    day = fields.Date()
    ident = fields.UUID()
    email = fields.Email()
    items = fields.List(fields.String())
    mapping = fields.Dict()
    nested = fields.Nested(lambda: EveryKind(only=("text",)))
    choice = fields.String(validate=validate.OneOf(["a", "b"]))
    same = fields.Integer(validate=validate.Equal(1))
    shaped = fields.String(validate=validate.Regexp(r"^[a-z]+$"))
    not_null = fields.String(allow_none=False)


NONSENSE = {"short": "abcd", "long": "a", "between": "a", "exact": "a", "whole": "1",
            "at_least": 0, "at_most": 2, "within": 9, "above": 1, "below": 1, "flag": "maybe",
            "when": "yesterday", "naive": "2026-03-01T10:00:00", "day": "31/02/2026",
            "ident": "nope", "email": "not-an-address", "items": "x", "mapping": "x",
            "nested": "x", "choice": "c", "same": 2, "shaped": "ABC", "not_null": None,
            "unknown": 1}


def marshmallow_errors() -> dict:
    with pytest.raises(ValidationError) as refused:
        EveryKind().load(NONSENSE)
    return refused.value.messages


def test_each_marshmallow_wording_is_said_in_our_words_in_both_languages(app):
    errors = marshmallow_errors()
    assert set(errors) == set(NONSENSE) | {"text"}
    english_wordings = {message for value in errors.values()
                        for message in (value if isinstance(value, list) else value["_schema"])}
    for language in ("en", "cy"):
        with app.test_request_context(), force_locale(language):
            said = {e["field"]: e["messages"] for e in field_errors(errors)}
        for field, messages in said.items():
            for message in messages:
                assert message not in english_wordings, (language, field, message)
    with app.test_request_context(), force_locale("cy"):
        said = {e["field"]: e["messages"] for e in field_errors(errors)}
    assert said["short"] == ["Defnyddiwch 3 nod neu lai."]
    assert said["within"] == ["Rhaid i hwn fod rhwng 1 a 5."]
    assert said["choice"] == ["Dewiswch un o'r rhain: a, b."]
    assert said["text"] == ["Mae angen hwn."]
    assert said["unknown"] == ["Nid yw'r maes hwn yn hysbys yma."]


def test_our_words_carry_every_value_of_marshmallows(app):
    with app.test_request_context(), force_locale("cy"):
        for wording, ours in MARSHMALLOW_WORDINGS.items():
            for name in re.findall(r"\{(\w+)\}", wording):
                assert f"%({name})s" in str(ours), (wording, str(ours))


def test_an_api_error_for_a_welsh_reader_is_in_welsh(world, as_person):
    client = in_language(as_person(world.worker), "cy")
    response = client.post(f"{API}/children", json={"given_name": "G" * 121,
                                                     "date_of_birth": "31/02/2026",
                                                     "looked_after": "efallai"})
    body = assert_problem(response, 422, ["given_name", "family_name", "date_of_birth"])
    said = {e["field"]: e["messages"] for e in body["errors"]}
    assert said["given_name"] == ["Defnyddiwch rhwng 1 a 120 nod."]
    assert said["family_name"] == ["Mae angen hwn."]
    assert said["date_of_birth"] == ["Rhowch ddyddiad go iawn."]
    assert said["looked_after"] == ["Rhaid i hwn fod yn wir neu'n gau."]


def test_an_api_error_for_an_english_reader_is_in_plain_english(world, as_person):
    response = as_person(world.worker).post(f"{API}/children", json={"given_name": "G" * 121})
    said = {e["field"]: e["messages"] for e in assert_problem(response, 422)["errors"]}
    assert said == {"given_name": ["Use from 1 to 120 characters."],
                    "family_name": ["This is required."]}


def test_a_change_refused_in_sync_gives_its_reason_in_the_workers_language(app, world,
                                                                           as_person):
    web = in_language(as_person(world.worker), "cy")
    tablet = enrol(app, web)
    body = tablet.push([tablet.mutation("children", uuid.uuid4(), {
        "given_name": "Gwenllïan", "family_name": "Prŷs", "date_of_birth": "ddoe"})])
    (result,) = body["results"]
    assert result["status"] == "rejected"
    assert result["errors"] == {"date_of_birth": ["Rhowch ddyddiad go iawn."]}
