"""The checks of children and missing episodes, written once: the REST services raise what
these return, and a sync push keeps it as the mutation's refusal."""

import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Person, Role, Team
from app.cases.models import Area
from app.codelists.rules import unknown_code_errors
from app.core.rules import Change, ChosenFrom, TimeOrder

AUTHORITY, FORCE = {"kind": "local_authority"}, {"kind": "police_force"}
# Area fields, each naming an area of its kind (the areas reference part holds them all).
CHILD_AREA_FIELDS = (
    ChosenFrom("placing_authority_code", "areas", "code", AUTHORITY,
               _l("Choose the placing authority from the list of local authorities.")),
    ChosenFrom("host_authority_code", "areas", "code", AUTHORITY,
               _l("Choose the host authority from the list of local authorities.")))
EPISODE_AREA_FIELDS = (
    ChosenFrom("reporting_force_code", "areas", "code", FORCE,
               _l("Choose the police force from the list of police forces.")),)
EPISODE_CODE_FIELDS = {"return_method": "return_method", "risk_grade": "risk_grade"}
NAME_FIELDS = ("given_name", "family_name")
# A child comes back after they were reported missing.
RETURN_AFTER_REPORT = TimeOrder("returned_at", "reported_missing_at",
                                _l("The return must be after the report."))

NO_SUCH_CHILD = _l("No such child among your cases.")
EPISODE_MOVED = _l("An episode cannot move to another child.")
OTHER_ORGANISATION_TEAM = _l("Choose a team of your organisation.")
OTHER_TEAM = _l("You can only place children in your own team.")
NO_SUCH_WORKER = _l("No such worker in this child's team.")
ONLY_TO_YOURSELF = _l("You can only assign children to yourself.")
ENTER_A_NAME = _l("Enter a name.")


def child_defaults(actor: Person) -> dict:
    """What a child made by this person holds unless the change says otherwise: their team, and
    a worker's own children are assigned to them."""
    defaults = {"organisation_id": actor.organisation_id, "team_id": actor.team_id}
    if actor.role == Role.WORKER:
        defaults["assigned_worker_id"] = actor.id
    return defaults


def child_errors(change: Change) -> dict:
    errors = name_errors(change, NAME_FIELDS)
    errors |= area_errors(change, CHILD_AREA_FIELDS)
    if change.new or change.sets("team_id"):
        errors |= team_errors(change)
    if change.new or change.sets("assigned_worker_id", "team_id"):
        errors |= assignment_errors(change)
    return errors


def name_errors(change: Change, names) -> dict:
    """A name must hold something a person can read: not only spaces, nor only control or
    format characters (a right-to-left override, say), which show as nothing or scramble what
    follows."""
    return {name: [ENTER_A_NAME] for name in names
            if isinstance(change.parsed.get(name), str) and not _readable(change.parsed[name])}


def _readable(text: str) -> bool:
    # Categories C (control, format, unassigned...) and Z (separators) show no letter.
    return any(unicodedata.category(character)[0] not in "CZ" for character in text)


def team_errors(change: Change) -> dict:
    """A child belongs to a team of the person's organisation; workers and supervisors may place
    children only in their own team."""
    actor, team_id = change.actor, change.merged.get("team_id")
    team = change.session.get(Team, team_id) if team_id else None
    if team is None or team.organisation_id != actor.organisation_id:
        return {"team_id": [OTHER_ORGANISATION_TEAM]}
    if actor.role != Role.ADMIN and team.id != actor.team_id:
        return {"team_id": [OTHER_TEAM]}
    return {}


def assignment_errors(change: Change) -> dict:
    """A child is assigned to an active worker or supervisor of the child's team; a worker may
    assign children only to themselves."""
    worker_id = change.merged.get("assigned_worker_id")
    if worker_id is None:
        return {}
    worker = change.session.get(Person, worker_id)
    if (worker is None or worker.team_id != change.merged.get("team_id")
            or worker.role not in (Role.WORKER, Role.SUPERVISOR)):
        return {"assigned_worker_id": [NO_SUCH_WORKER]}
    # No one may choose a person who has left. Their own new children still come in: an
    # inactive person's changes arrive only when a supervisor applies their tablet's rescue file
    # or sealed copies (they cannot sign in, their tablets are revoked), and such children wait
    # with the rest of their cases for the supervisor to reassign.
    if not worker.active and worker.id != change.actor.id:
        return {"assigned_worker_id": [NO_SUCH_WORKER]}
    if change.actor.role == Role.WORKER and worker_id != change.actor.id:
        return {"assigned_worker_id": [ONLY_TO_YOURSELF]}
    return {}


def episode_errors(change: Change) -> dict:
    if change.alters("child_id"):
        # Moving an episode would strand it on the old worker's tablet; record it anew.
        return {"child_id": [EPISODE_MOVED]}
    errors = return_time_errors(change.merged.get("reported_missing_at"),
                                change.merged.get("returned_at"))
    errors |= unknown_code_errors(change, EPISODE_CODE_FIELDS)
    return errors | area_errors(change, EPISODE_AREA_FIELDS)


def return_time_errors(reported_missing_at, returned_at) -> dict:
    return RETURN_AFTER_REPORT.errors(reported_missing_at, returned_at)


def area_errors(change: Change, area_fields: tuple[ChosenFrom, ...]) -> dict:
    """Each area field the change sets names a known area of the field's kind."""
    wanted = [choice for choice in area_fields if change.parsed.get(choice.field)]
    if not wanted:
        return {}
    kinds = change.memo.setdefault("area kinds", {})
    unread = {change.parsed[choice.field] for choice in wanted} - set(kinds)
    if unread:
        kinds |= dict.fromkeys(unread)  # an unknown code is read once, too
        kinds |= dict(change.session.execute(
            select(Area.code, Area.kind).where(Area.code.in_(unread))).all())
    return {choice.field: [choice.message] for choice in wanted
            if choice.refused(_area(kinds, change.parsed[choice.field]))}


def _area(kinds: dict, code: str) -> dict | None:
    return {"code": code, "kind": kinds[code]} if kinds.get(code) else None
