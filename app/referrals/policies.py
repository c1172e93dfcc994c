"""Which repeat-episode policy applies where, for an organisation: the rules' defaults
(suggestion_rules.json `policies_by_area`), with the organisation's own choices laid over them.
The tablet is sent the rules with this mapping in place (sync.py), and the server's suggestions
read the same mapping, so both suggest alike."""

import uuid

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.cases.models import Area
from app.core.errors import ValidationFailed
from app.referrals.models import RepeatPolicyChoice
from app.referrals.suggesting import interview_facts, suggestion_rules, suggestions

ANY_AREA = "*"
UNKNOWN_POLICY = _l("There is no repeat-episode policy of that name.")
UNKNOWN_FORCE = _l("There is no police force area with that code.")


def policies_by_area(session: Session, organisation_id: uuid.UUID) -> dict:
    """The mapping of police force area code to policy name this organisation follows."""
    chosen = session.execute(select(RepeatPolicyChoice.police_force_code, RepeatPolicyChoice.policy)
                             .where(RepeatPolicyChoice.organisation_id == organisation_id)).all()
    return {**suggestion_rules()["policies_by_area"], **dict(chosen)}


def rules_for(session: Session, organisation_id: uuid.UUID) -> dict:
    """The suggestion rules with the organisation's mapping in place."""
    return {**suggestion_rules(), "policies_by_area": policies_by_area(session, organisation_id)}


def choose_policy(session: Session, organisation_id: uuid.UUID, force_code: str,
                  policy: str | None) -> None:
    """The organisation follows `policy` in the force's area ("*": any area not named); None
    goes back to the rules' default there."""
    if policy is not None and policy not in suggestion_rules()["policies"]:
        raise ValidationFailed({"policy": [UNKNOWN_POLICY]})
    if force_code != ANY_AREA and session.scalars(select(Area).where(
            Area.code == force_code, Area.kind == "police_force")).first() is None:
        raise ValidationFailed({"police_force_code": [UNKNOWN_FORCE]})
    session.execute(delete(RepeatPolicyChoice).where(
        RepeatPolicyChoice.organisation_id == organisation_id,
        RepeatPolicyChoice.police_force_code == force_code))
    if policy is not None:
        session.add(RepeatPolicyChoice(organisation_id=organisation_id, police_force_code=force_code,
                                       policy=policy))


def interview_suggestions(session: Session, interview) -> list:
    """What the interview's record suggests, by the rules in force and its organisation's
    choice of repeat policies."""
    return suggestions(suggestion_rules(), interview_facts(session, interview),
                       policies_by_area(session, interview.organisation_id))
