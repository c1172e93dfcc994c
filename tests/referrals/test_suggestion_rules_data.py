"""The suggestion rules' data file (app/referrals/data/suggestion_rules.json) holds together:
the ten stable kinds, a reason in both languages for every rule with the same placeholders in
each and a value for every one, services the directory has, codes their code lists have, facts
the interpreters are given, and police force areas app/cases/data knows."""

import json
import re
from pathlib import Path

from app.directory.services import directory_services
from app.referrals.suggesting import suggestion_rules

ROOT = Path(__file__).resolve().parents[2]
KINDS = {"advocacy_active_offer", "safeguarding_referral", "specialist_exploitation_service",
         "national_referral_mechanism", "trafficking_guardian", "substance_misuse_service",
         "repeat_first_episode_interview", "repeat_multi_agency_discussion",
         "tell_placing_authority", "advocacy_referral"}
# The facts a condition may read; for a list of codes, its code list.
CODED = {"interview.harms": "harm", "interview.vulnerabilities": "vulnerability",
         "interview.push_factors": "push_factor", "interview.pull_factors": "pull_factor",
         "self_report.talk_to": "talk_to"}
SCALAR = {"child.looked_after", "child.unaccompanied_asylum_seeking", "child.out_of_area",
          "child.placing_authority_code", "child.host_authority_code", "episode.risk_grade",
          "episode.reporting_force_code", "self_report.advocate_requested"}
PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")
DEFINITION = suggestion_rules()


def every_rule():
    yield from DEFINITION["rules"]
    for policy in DEFINITION["policies"].values():
        yield from policy["thresholds"]


def conditions_in(condition):
    yield condition
    for key in ("all", "any"):
        for part in condition.get(key, ()):
            yield from conditions_in(part)
    if "not" in condition:
        yield from conditions_in(condition["not"])


def every_condition():
    for rule in every_rule():
        yield rule["rule"], from_rule(rule)
    for name, sign in DEFINITION["signs"].items():
        yield f"sign {name}", list(conditions_in(sign))


def from_rule(rule):
    return list(conditions_in(rule["when"]))


def codes_of(list_name):
    lists = json.loads((ROOT / "app/codelists/data/codelists.json").read_text("utf-8"))["lists"]
    return {item["code"] for item in lists[list_name]["items"]}


def area_codes(kind):
    return {area["code"] for name in ("areas.json", "areas_england.json")
            for area in json.loads((ROOT / "app/cases/data" / name).read_text("utf-8"))[kind]}


def test_every_kind_is_one_of_the_ten_and_every_rule_has_its_own_id():
    rules = list(every_rule())
    assert {rule["kind"] for rule in rules} == KINDS
    assert len({rule["rule"] for rule in rules}) == len(rules)
    assert DEFINITION["version"] == 1


def test_every_reason_is_in_both_languages_with_the_same_placeholders_each_filled():
    for rule in every_rule():
        reason = rule["reason"]
        assert set(reason) == {"en", "cy"} and all(text.strip() for text in reason.values())
        found = {language: sorted(PLACEHOLDER.findall(text)) for language, text in reason.items()}
        assert found["en"] == found["cy"], rule["rule"]
        given = set(rule.get("values", {}))
        for condition in from_rule(rule):
            if "episodes" in condition:
                given |= {"count", *condition["episodes"].get("within", {})}
        assert {name for name, _ in found["en"]} <= given, rule["rule"]
        assert "%" not in PLACEHOLDER.sub("", reason["en"] + reason["cy"]), rule["rule"]


def test_every_service_is_in_the_directory():
    services = {service["id"] for service in directory_services()}
    named = {rule["service_id"] for rule in every_rule()} - {None}
    assert named <= services
    assert set(DEFINITION["coverage"]) <= services
    assert "st_giles_trust" in named and "child_trafficking_guardians" in named


def test_every_code_and_fact_named_exists():
    for where, conditions in every_condition():
        for condition in conditions:
            if "has_any" in condition:
                assert condition["fact"] in CODED, where
                unknown = set(condition["has_any"]) - codes_of(CODED[condition["fact"]])
                assert not unknown, f"{where}: {unknown}"
            elif "is" in condition:
                assert condition["fact"] in SCALAR, where
            elif "sign" in condition:
                assert condition["sign"] in DEFINITION["signs"], where
            elif "covered" in condition:
                assert set(condition["by"]) <= SCALAR, where
    for rule in every_rule():
        assert set(rule.get("values", {}).values()) <= SCALAR, rule["rule"]


def test_the_default_policies_by_area_are_gwent_dyfed_powys_and_every_english_force():
    mapping = DEFINITION["policies_by_area"]
    forces = area_codes("police_forces")
    assert set(mapping) <= forces and set(mapping.values()) <= set(DEFINITION["policies"])
    assert mapping["W15000002"] == "gwent" and mapping["W15000004"] == "dyfed_powys"
    english = {code for code in forces if code.startswith("E")}
    assert english and all(mapping[code] == "england" for code in english)
    assert "W15000001" not in mapping and "W15000003" not in mapping


def test_coverage_names_known_areas_and_says_whether_it_is_confirmed():
    known = area_codes("police_forces") | area_codes("local_authorities")
    for service, coverage in DEFINITION["coverage"].items():
        assert set(coverage["areas"]) <= known, service
        assert isinstance(coverage["confirmed"], bool)


def test_every_kind_has_a_name_in_both_languages_and_other_is_named_too():
    kinds = DEFINITION["kinds"]
    assert {rule["kind"] for rule in every_rule()} | {"other"} == set(kinds)
    for kind, name in kinds.items():
        assert name["en"].strip() and name["cy"].strip(), kind
