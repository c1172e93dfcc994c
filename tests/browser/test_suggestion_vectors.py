"""The rules that suggest, on the tablet, in real Chromium: static/app/suggesting.js, loaded in
the app's origin, gives every example of tests/referrals/suggestion_examples.json from the same
definition (app/referrals/data/suggestion_rules.json) the server reads, as the server does."""

import json

import pytest

from app.referrals.suggesting import suggestions
from tests.browser.steps import ROOT, open_the_app

VECTORS = json.loads((ROOT / "tests/referrals/suggestion_examples.json").read_text("utf-8"))
EXAMPLES = VECTORS["examples"]
DEFINITION = json.loads((ROOT / "app/referrals/data/suggestion_rules.json").read_text("utf-8"))

SUGGEST = """async ({definition, examples}) => {
  const {suggestions} = await import("/static/app/suggesting.js");
  return examples.map((example) => {
    const given = "coverage" in example ? {...definition, coverage: example.coverage} : definition;
    const before = JSON.stringify(example.facts);
    const found = suggestions(given, example.facts, example.policies_by_area ?? null);
    return {found: found.map((each) => ({kind: each.kind, rule: each.rule,
                                         reason_en: each.reason.en, service_id: each.service_id,
                                         multi_agency: each.multi_agency, values: each.values})),
            cy: found.map((each) => each.reason.cy), versions: found.map((each) => each.version),
            untouched: JSON.stringify(example.facts) === before};
  });
}"""


@pytest.fixture(scope="module")
def found(browser, live_server):
    context = browser.new_context(timezone_id="America/New_York")  # the windows are UTC's
    page = context.new_page()
    open_the_app(page, live_server)
    answer = page.evaluate(SUGGEST, {"definition": DEFINITION, "examples": EXAMPLES})
    context.close()
    return dict(zip([example["name"] for example in EXAMPLES], answer, strict=True))


@pytest.mark.parametrize("example", EXAMPLES, ids=[example["name"] for example in EXAMPLES])
def test_the_tablet_suggests_what_the_example_says(found, example):
    answer = found[example["name"]]
    assert answer["found"] == example["suggestions"]
    assert answer["untouched"] is True
    assert set(answer["versions"]) <= {DEFINITION["version"]}
    definition = {**DEFINITION, **({"coverage": example["coverage"]} if "coverage" in example
                                   else {})}
    on_the_server = suggestions(definition, example["facts"], example.get("policies_by_area"))
    assert answer["cy"] == [each["reason"]["cy"] for each in on_the_server]


def test_the_welsh_reason_is_filled_on_the_tablet_too(found):
    answer = found["5 episodes in exactly 28 days in Gwent: a multi-agency discussion"]
    assert answer["cy"][0].startswith("5 o gyfnodau ar goll yn ystod y 28 diwrnod diwethaf.")


def test_the_facts_are_read_off_the_tablets_records(browser, live_server):
    """factsFor gives what interview_facts gives on the server (tests/referrals/
    test_interview_facts.py), from records as a pull sends them."""
    child = {"id": "c1", "given_name": "Cerys", "looked_after": True, "out_of_area": True,
             "unaccompanied_asylum_seeking": False, "placing_authority_code": "W06000015",
             "host_authority_code": "W06000011"}
    episodes = [{"id": f"e{n}", "child_id": "c1", "reported_missing_at": reported,
                 "returned_at": None, "reporting_force_code": "W15000002", "risk_grade": "low"}
                for n, reported in enumerate(("2026-03-01T10:00:00+00:00",
                                              "2026-03-09T10:00:00+00:00"))]
    interview = {"id": "i1", "episode_id": "e1", "harms": ["drugs_or_alcohol"],
                 "pull_factors": [], "push_factors": ["family_conflict"], "why_missing": "…"}
    report = {"id": "s1", "interview_id": "i1", "advocate_requested": True,
              "talk_to": ["my_worker", "advocate"]}
    context = browser.new_context()
    page = context.new_page()
    open_the_app(page, live_server)
    facts, kinds = page.evaluate("""async (records) => {
      const {factsFor, suggestions} = await import("/static/app/suggesting.js");
      const facts = factsFor(records);
      return [facts, suggestions(records.definition, facts).map((each) => each.kind)];
    }""", {"child": child, "episode": episodes[1], "episodes": episodes, "interview": interview,
           "selfReport": report, "definition": DEFINITION})
    context.close()
    assert facts == {
        "child": {key: child[key] for key in ("looked_after", "unaccompanied_asylum_seeking",
                                              "out_of_area", "placing_authority_code",
                                              "host_authority_code")},
        "episode": {key: episodes[1][key] for key in ("id", "reported_missing_at", "returned_at",
                                                      "reporting_force_code", "risk_grade")},
        "history": [{key: episodes[0][key] for key in ("id", "reported_missing_at",
                                                       "returned_at", "reporting_force_code")}],
        "interview": {"harms": ["drugs_or_alcohol"], "vulnerabilities": [],
                      "push_factors": ["family_conflict"], "pull_factors": []},
        "self_report": {"advocate_requested": True, "talk_to": ["advocate", "my_worker"]}}
    assert kinds == ["advocacy_active_offer", "substance_misuse_service", "tell_placing_authority",
                     "advocacy_referral"]
