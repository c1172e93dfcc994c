"""What the record suggests a worker do after a return interview: the rules are data
(data/suggestion_rules.json, versioned), read here on the server and by static/app/suggesting.js
on the tablet with the same answers (tests/referrals/suggestion_examples.json holds both to it).

The facts a rule reads (every key may be missing; a missing one reads as null, or as an empty
list where a list of codes is expected):
    child:       looked_after, unaccompanied_asylum_seeking, out_of_area (true, false or null),
                 placing_authority_code, host_authority_code
    episode:     the interview's episode: id, reported_missing_at, returned_at (ISO 8601 with an
                 offset, or null), risk_grade, reporting_force_code
    history:     the child's other episodes, each id, reported_missing_at, returned_at,
                 reporting_force_code (one with the episode's id is the episode, counted once)
    interview:   harms, vulnerabilities, push_factors, pull_factors (codes)
    self_report: advocate_requested, talk_to (codes), or null when there is none

Episode windows, as the data file's "windows" says: the anchor is the episode's report; an
episode counts when reported at or before it and still missing at or after the window's start
(or not returned). {"days": n} starts n x 86,400 s before the anchor; {"months": n} at the same
UTC day and time n calendar months before (the month's last day when it is shorter). The
episode's own force picks the policy; the history counts episodes in every area.

Pure functions: no Flask, no database; interview_facts() alone
read the database.
"""

import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from app.cases.derived import episodes_in_window
from app.core.reference import read_json

DATA_FILE = Path(__file__).parent / "data" / "suggestion_rules.json"
PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")


@cache
def suggestion_rules(path: Path = DATA_FILE) -> dict:
    """The definition as the data file holds it; the same object on every call."""
    return read_json(path)


def kind_names(language: str) -> dict[str, str]:
    """Each kind of suggestion and referral by its name in the language (the rules' data)."""
    return {kind: names[language] for kind, names in suggestion_rules()["kinds"].items()}


def suggestions(definition: dict, facts: dict, policies_by_area: dict | None = None) -> list:
    """Every suggestion the facts meet: the rules in the definition's order, then the
    thresholds of the policy of the episode's police force area (policies_by_area, an
    organisation's choice, replaces the definition's whole; "*" names the policy of any force
    it does not list)."""
    found = []
    for rule in [*definition["rules"], *_thresholds(definition, facts, policies_by_area)]:
        values = {}
        if _holds(definition, rule["when"], facts, values):
            for name, path in rule.get("values", {}).items():
                values[name] = _fact(facts, path)
            found.append({
                "kind": rule["kind"], "rule": rule["rule"], "version": definition["version"],
                "reason": {language: filled(text, values)
                           for language, text in rule["reason"].items()},
                "service_id": rule.get("service_id"), "multi_agency": rule["multi_agency"],
                "values": values})
    return found


def policy_for(definition: dict, facts: dict, policies_by_area: dict | None = None) -> str | None:
    mapping = definition["policies_by_area"] if policies_by_area is None else policies_by_area
    force = _fact(facts, "episode.reporting_force_code")
    return mapping.get(force, mapping.get("*")) if force is not None else mapping.get("*")


def _thresholds(definition, facts, policies_by_area) -> list:
    policy = definition["policies"].get(policy_for(definition, facts, policies_by_area))
    return policy["thresholds"] if policy else []


def filled(text: str, values: dict) -> str:
    """%(name)d or %(name)s in the text, each replaced by its value (a KeyError if missing)."""
    def one(match):
        value = values[match.group(1)]
        return str(int(value)) if match.group(2) == "d" else str(value)
    return PLACEHOLDER.sub(one, text)


def _holds(definition: dict, condition: dict, facts: dict, values: dict) -> bool:
    if "all" in condition:
        return all(_holds(definition, part, facts, values) for part in condition["all"])
    if "any" in condition:
        return any(_holds(definition, part, facts, values) for part in condition["any"])
    if "not" in condition:
        return not _holds(definition, condition["not"], facts, values)
    if "sign" in condition:
        return _holds(definition, definition["signs"][condition["sign"]], facts, values)
    if "covered" in condition:
        areas = definition["coverage"][condition["covered"]]["areas"]
        return any(_fact(facts, path) in areas for path in condition["by"])
    if "episodes" in condition:
        return _episodes_hold(condition["episodes"], facts, values)
    if "has_any" in condition:
        return bool(set(_fact(facts, condition["fact"]) or ()) & set(condition["has_any"]))
    if "is" in condition:
        value = _fact(facts, condition["fact"])  # as JavaScript's ===: 1 is not true
        return type(value) is type(condition["is"]) and value == condition["is"]
    raise ValueError(f"Not a condition: {condition!r}")


def _fact(facts: dict, path: str):
    value = facts
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _episodes_hold(test: dict, facts: dict, values: dict) -> bool:
    count = count_episodes(facts, test.get("within"))
    values["count"] = count
    values.update(test.get("within") or {})
    if "exactly" in test:
        return count == test["exactly"]
    return count >= test["at_least"]


def count_episodes(facts: dict, within: dict | None) -> int:
    """The episodes in the window (None: every one up to the anchor), the episode included."""
    episode = facts.get("episode") or {}
    others = [other for other in facts.get("history") or ()
              if other.get("id") is None or other.get("id") != episode.get("id")]
    spells = [(instant(each["reported_missing_at"]),
               instant(each["returned_at"]) if each.get("returned_at") else None)
              for each in (episode, *others)]
    return episodes_in_window(instant(episode["reported_missing_at"]), spells, within)


def instant(text: str) -> datetime:
    """An ISO 8601 instant with its offset ("Z" or +hh:mm), in UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"An instant needs its offset: {text!r}")
    return moment.astimezone(UTC)


# --- the facts of an interview, read from the database -------------------------------------------

def interview_facts(session, interview, with_self_report: bool = True) -> dict:
    """The facts the rules read, for a ReturnInterview: its child, its episode and the child's
    other episodes, its coded answers and the young person's own section (null when there is
    none, or when not asked for: the repeat thresholds alone never read it)."""
    from app.cases.derived import is_out_of_area
    episode = interview.episode
    child = episode.child
    return {
        "child": {"looked_after": child.looked_after,
                  "unaccompanied_asylum_seeking": child.unaccompanied_asylum_seeking,
                  "out_of_area": is_out_of_area(child),
                  "placing_authority_code": child.placing_authority_code,
                  "host_authority_code": child.host_authority_code},
        "episode": {**_episode_facts(episode), "risk_grade": episode.risk_grade},
        "history": [_episode_facts(other) for other in child.episodes if other.id != episode.id],
        "interview": {name: list(getattr(interview, name)) for name in
                      ("harms", "vulnerabilities", "push_factors", "pull_factors")},
        "self_report": _self_report_facts(session, interview) if with_self_report else None,
    }


def _episode_facts(episode) -> dict:
    return {"id": str(episode.id),
            "reported_missing_at": _iso(episode.reported_missing_at),
            "returned_at": _iso(episode.returned_at),
            "reporting_force_code": episode.reporting_force_code}


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _self_report_facts(session, interview) -> dict | None:
    from sqlalchemy import select

    from app.youngperson.models import SelfReport
    report = session.scalars(
        select(SelfReport).where(SelfReport.interview_id == interview.id)).first()
    if report is None:
        return None
    return {"advocate_requested": report.advocate_requested, "talk_to": list(report.talk_to)}
