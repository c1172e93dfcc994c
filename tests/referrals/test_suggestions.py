"""The rules that suggest, on the server (app/referrals/suggesting.py): every example of
suggestion_examples.json, which the tablet's static/app/suggesting.js is held to as well
(tests/browser/test_suggestion_vectors.py) — the edges of each repeat window among them."""

import json
from pathlib import Path

import pytest

from app.referrals.suggesting import suggestion_rules, suggestions

VECTORS = json.loads((Path(__file__).parent / "suggestion_examples.json").read_text("utf-8"))
EXAMPLES = VECTORS["examples"]


def as_the_example_says(found: list[dict]) -> list[dict]:
    return [{"kind": each["kind"], "rule": each["rule"], "reason_en": each["reason"]["en"],
             "service_id": each["service_id"], "multi_agency": each["multi_agency"],
             "values": each["values"]} for each in found]


def definition_for(example: dict) -> dict:
    definition = suggestion_rules()
    return {**definition, "coverage": example["coverage"]} if "coverage" in example else definition


@pytest.mark.parametrize("example", EXAMPLES, ids=[example["name"] for example in EXAMPLES])
def test_the_worker_is_suggested_what_the_example_says(example):
    found = suggestions(definition_for(example), example["facts"], example.get("policies_by_area"))
    assert as_the_example_says(found) == example["suggestions"]


def test_the_examples_are_many_and_cover_every_kind():
    kinds = {suggestion["kind"] for example in EXAMPLES for suggestion in example["suggestions"]}
    definition = suggestion_rules()
    rules = [*definition["rules"],
             *(rule for policy in definition["policies"].values() for rule in policy["thresholds"])]
    assert len(EXAMPLES) >= 30
    assert kinds == {rule["kind"] for rule in rules}
    assert {s["rule"] for e in EXAMPLES for s in e["suggestions"]} == {r["rule"] for r in rules}


def test_each_suggestion_names_its_rule_and_version_and_reads_in_welsh():
    example = next(e for e in EXAMPLES if e["name"].startswith("5 episodes in exactly 28 days"))
    [found] = suggestions(suggestion_rules(), example["facts"])
    assert found["version"] == suggestion_rules()["version"] == 1
    assert found["reason"]["cy"].startswith("5 o gyfnodau ar goll yn ystod y 28 diwrnod diwethaf.")
    assert found["multi_agency"] is True


def test_the_facts_are_not_changed():
    example = EXAMPLES[-1]
    before = json.dumps(example["facts"], sort_keys=True)
    suggestions(suggestion_rules(), example["facts"])
    assert json.dumps(example["facts"], sort_keys=True) == before
