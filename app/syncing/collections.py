"""The collections devices may write, what each may change, and the rules each obeys.

Values are checked with the same marshmallow schemas and the same rule functions as the JSON
API, so a change is judged alike whichever way it arrives.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from app.cases import rules as case_rules
from app.cases.models import Child, MissingEpisode
from app.cases.schemas import ChildSchema, EpisodeSchema
from app.cases.services import visible_children, visible_episodes
from app.interviews import rules as interview_rules
from app.interviews.models import CODED_ANSWERS, InterviewAttempt, ReturnInterview
from app.interviews.schemas import AttemptSchema, InterviewSchema
from app.interviews.services import visible_attempts, visible_interviews


@dataclass(frozen=True)
class SyncCollection:
    name: str
    model: type
    schema: Schema
    visible: Callable
    # Fields any case worker may set from a device, and those only reviewers may.
    device_fields: frozenset[str]
    reviewer_fields: frozenset[str] = frozenset()
    # Set when the record is made, never changed after (the record's place in the case).
    create_only: frozenset[str] = frozenset()
    required_on_create: tuple[str, ...] = ()
    # (field naming the parent, the parent's collection)
    parent: tuple[str, str] | None = None
    deletable: bool = False
    code_fields: dict[str, str] = field(default_factory=dict)
    area_fields: dict[str, str] = field(default_factory=dict)
    extra_fields: tuple[str, ...] = ()
    # The fields of a stored record of this collection that checking a change to one of its
    # children reads (a lock, a time to compare with), with the link to its own parent so that
    # the chain up to the child can be walked. A push reads only these of the parents its
    # changes name (hundreds of episodes a push), not every column of each. A new rule that
    # reads another field of a parent adds it here; asked for any other, a stored parent fails.
    read_by_children: tuple[str, ...] = ()

    @property
    def all_fields(self) -> frozenset[str]:
        return self.device_fields | self.reviewer_fields | self.create_only


CHILDREN = SyncCollection(
    name="children", model=Child, schema=ChildSchema(), visible=visible_children,
    device_fields=frozenset({
        "given_name", "family_name", "date_of_birth", "preferred_language", "looked_after",
        "placing_authority_code", "host_authority_code", "residential_placement",
        "unaccompanied_asylum_seeking"}),
    reviewer_fields=frozenset({"assigned_worker_id", "team_id"}),
    required_on_create=("given_name", "family_name"),
    area_fields=case_rules.CHILD_AREA_FIELDS,
)

EPISODES = SyncCollection(
    name="episodes", model=MissingEpisode, schema=EpisodeSchema(), visible=visible_episodes,
    device_fields=frozenset({"reported_missing_at", "returned_at", "return_method", "risk_grade",
                             "reporting_force_code", "where_found"}),
    create_only=frozenset({"child_id"}),
    required_on_create=("child_id", "reported_missing_at"),
    parent=("child_id", "children"),
    read_by_children=("child_id", "returned_at"),
    code_fields=case_rules.EPISODE_CODE_FIELDS,
    area_fields=case_rules.EPISODE_AREA_FIELDS,
)

INTERVIEWS = SyncCollection(
    name="interviews", model=ReturnInterview, schema=InterviewSchema(),
    visible=visible_interviews,
    device_fields=frozenset({
        "status", "offered_at", "consent", "consent_recorded_at", "declined_by",
        "decline_reason", "conducted_at", "location", "interviewer_type",
        "interviewer_organisation", "independent_of_police", "independent_of_local_authority",
        "independent_of_placement", "child_chose_known_adult", "language",
        "young_person_language", "duration_account", "why_missing", "what_happened",
        "where_and_with_whom", "feeling_before", "feeling_during", "feeling_after", "notes",
        "local_answers", *CODED_ANSWERS}),
    create_only=frozenset({"episode_id", "questionnaire_version_id"}),
    required_on_create=("episode_id",),
    parent=("episode_id", "episodes"),
    read_by_children=("episode_id", "status"),
    code_fields=interview_rules.CODE_FIELDS,
    extra_fields=tuple(CODED_ANSWERS),
)

ATTEMPTS = SyncCollection(
    name="attempts", model=InterviewAttempt, schema=AttemptSchema(), visible=visible_attempts,
    device_fields=frozenset({"attempted_at", "method", "outcome", "notes"}),
    create_only=frozenset({"interview_id"}),
    required_on_create=("interview_id", "attempted_at", "method", "outcome"),
    parent=("interview_id", "interviews"),
    deletable=True,
    code_fields=interview_rules.ATTEMPT_CODE_FIELDS,
)

# In the order rows must be written: a parent before what it holds.
COLLECTIONS = {c.name: c for c in (CHILDREN, EPISODES, INTERVIEWS, ATTEMPTS)}

NOT_WRITABLE = _l("This field cannot be changed from a device.")
UNKNOWN_COLLECTION = _l("Unknown collection.")
NOT_DELETABLE = _l("This record cannot be deleted.")
NO_SUCH_PARENT = _l("No such record among your cases.")
REQUIRED = _l("This field is needed.")
