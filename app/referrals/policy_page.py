"""The admin's page of repeat-episode policies, by police force area: what it lists and how a
choice is saved. The rule and its refusals are choose_policy's (policies.py); this only reads
the table's rows and audits the admin's change."""

import uuid
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.services import record_access
from app.auth.models import Person
from app.cases.models import Area
from app.referrals.models import RepeatPolicyChoice
from app.referrals.policies import ANY_AREA, choose_policy
from app.referrals.suggesting import suggestion_rules

COLLECTION = "repeat_policy_choices"
ANY_OTHER_AREA = _l("Any other area")
NO_POLICY = _l("No repeat-episode policy")
# Each policy of the rules in plain words; a policy added to the rules' data without words here
# is shown by its name there.
POLICY_WORDS = {
    "gwent": _l("Gwent's policy: an interview after the first episode; a multi-agency "
                "discussion after 5 episodes in 4 weeks"),
    "dyfed_powys": _l("Dyfed-Powys's policy: a discussion after 3 episodes in 12 months"),
    "england": _l("England's guidance: a discussion after 2 episodes"),
}


@dataclass
class PolicyRow:
    code: str
    name: str
    default: str | None
    chosen: str | None


def policy_names(language: str) -> dict[str, str]:
    """Each policy of the rules, in plain words in the language."""
    return {name: str(POLICY_WORDS[name]) if name in POLICY_WORDS else policy["label"][language]
            for name, policy in suggestion_rules()["policies"].items()}


def policy_rows(session: Session, organisation_id: uuid.UUID, language: str) -> list[PolicyRow]:
    """Every police force area (those the rules name among them, Wales's first), then any other
    area: the rules' default there and the organisation's own choice, if any."""
    defaults = suggestion_rules()["policies_by_area"]
    chosen = dict(session.execute(
        select(RepeatPolicyChoice.police_force_code, RepeatPolicyChoice.policy)
        .where(RepeatPolicyChoice.organisation_id == organisation_id)).all())
    forces = session.scalars(select(Area).where(Area.kind == "police_force")
                             .order_by(Area.country.desc(), Area.code)).all()
    rows = [PolicyRow(area.code, area.name_cy if language == "cy" else area.name_en,
                      defaults.get(area.code), chosen.get(area.code)) for area in forces]
    rows.append(PolicyRow(ANY_AREA, str(ANY_OTHER_AREA), defaults.get(ANY_AREA),
                          chosen.get(ANY_AREA)))
    return rows


def read_choices(session: Session, admin: Person, language: str) -> list[PolicyRow]:
    rows = policy_rows(session, admin.organisation_id, language)
    record_access(session, admin, "read", COLLECTION, None)
    return rows


def save_choice(session: Session, admin: Person, force_code: str, policy: str | None) -> None:
    """The admin's organisation follows `policy` in the area (None: the rules' default);
    ValidationFailed, with choose_policy's words, when refused."""
    choose_policy(session, admin.organisation_id, force_code, policy)
    record_access(session, admin, "update", COLLECTION, None)


def field_id(force_code: str) -> str:
    """The id of the area's select on the page ("*" is no part of an id)."""
    return "policy-" + ("any" if force_code == ANY_AREA else force_code)
