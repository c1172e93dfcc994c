"""The partner intelligence submission: once a supervisor has approved an interview, its items
for the police force of the area where the child was found, by kind, each with the child's view
on sharing it; and, where the child was exploited, the statement that they are a victim and not
an offender. Reading it and exporting it are kept in the audit trail.

What it holds of the child is what the police need to match it to their own missing-person
record, and no more: the child's name and date of birth, and when they went missing and came
back. Nothing else of the interview (no answers, notes, care status or address) is in it."""

import uuid
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.audit.services import record_access
from app.auth.models import Organisation, Person
from app.auth.policy import may_review
from app.codelists.services import code_labels
from app.core.errors import Conflict, Forbidden, NotFound
from app.intelligence.models import IntelligenceItem, Kind
from app.intelligence.schemas import IntelligenceItemSchema
from app.intelligence.services import items_of
from app.interviews.models import InterviewStatus, ReturnInterview
from app.interviews.rules import VICTIM_NOT_OFFENDER, exploitation_indicated
from app.interviews.services import visible_interviews

NOT_APPROVED = _l("Information for the police can be shared only after a supervisor has "
                  "approved the interview. This interview has not been approved yet.")

# What each kind shows, in this order: (field, its label).
DETAILS = (
    ("name", _l("Name")),
    ("nickname", _l("Nickname")),
    ("description", _l("Description")),
    ("address_or_place", _l("Address or place")),
    ("vehicle_registration", _l("Registration")),
    ("vehicle_description", _l("Vehicle description")),
    ("phone_number", _l("Phone number")),
    ("platform", _l("App or website")),
    ("handle", _l("Account name or handle")),
    ("relationship", _l("How the young person knows them")),
)


@dataclass
class Group:
    kind: str
    title: str
    items: list = field(default_factory=list)


@dataclass
class Submission:
    interview: ReturnInterview
    organisation: str
    force_code: str | None
    force: str | None
    exploited: bool
    groups: list[Group]
    labels: dict

    @property
    def episode(self):
        return self.interview.episode

    @property
    def child(self):
        return self.interview.episode.child

    def view_of(self, item: IntelligenceItem) -> str:
        return self.labels.get(("sharing_view", item.sharing_view), item.sharing_view)


def details_of(item: IntelligenceItem) -> list[tuple]:
    """(label, value) of each field the item holds."""
    return [(label, getattr(item, name)) for name, label in DETAILS if getattr(item, name)]


def approved_interview(session: Session, person: Person,
                       interview_id: uuid.UUID) -> ReturnInterview:
    """The interview, among those the person may review; refused before its approval."""
    if not may_review(person):
        raise Forbidden()
    interview = session.scalars(visible_interviews(person).where(
        ReturnInterview.id == interview_id)).first()
    if interview is None:
        raise NotFound()
    if interview.status != InterviewStatus.APPROVED:
        raise Conflict(NOT_APPROVED)
    return interview


def read_submission(session: Session, person: Person, interview_id: uuid.UUID, language: str,
                    action: str = "read") -> Submission:
    """The submission in this language; its reading (or its export: action) is audited, for
    the interview and for each item."""
    interview = approved_interview(session, person, interview_id)
    labels = code_labels(session, interview.organisation_id, language)
    groups = [Group(kind.value, labels.get(("intelligence_kind", kind.value), kind.value))
              for kind in Kind]
    by_kind = {group.kind: group for group in groups}
    for item in items_of(session, interview.id):
        by_kind.setdefault(item.kind, Group(item.kind, item.kind)).items.append(item)
        record_access(session, person, action, "intelligence_items", item.id)
    record_access(session, person, action, "interviews", interview.id)
    force = interview.episode.reporting_force
    return Submission(
        interview=interview,
        organisation=session.get(Organisation, interview.organisation_id).name,
        force_code=interview.episode.reporting_force_code,
        force=(force.name_cy if language == "cy" else force.name_en) if force else None,
        exploited=exploitation_indicated(interview.harms),
        groups=[group for group in by_kind.values() if group.items], labels=labels)


def as_document(submission: Submission, today) -> dict:
    """The submission as the API gives it: what the page shows, labels in the reader's
    language beside the codes."""
    child, episode = submission.child, submission.episode
    dump = IntelligenceItemSchema().dump
    return {
        "interview_id": str(submission.interview.id), "date": today.isoformat(),
        "organisation": submission.organisation,
        "police_force_code": submission.force_code, "police_force": submission.force,
        "child": {"given_name": child.given_name, "family_name": child.family_name,
                  "date_of_birth": child.date_of_birth.isoformat()
                  if child.date_of_birth else None},
        "reported_missing_at": episode.reported_missing_at.isoformat(),
        "returned_at": episode.returned_at.isoformat() if episode.returned_at else None,
        "victim_of_exploitation": submission.exploited,
        "statement": str(VICTIM_NOT_OFFENDER) if submission.exploited else None,
        "items": [{**dump(item), "kind_label": group.title,
                   "sharing_view_label": submission.view_of(item)}
                  for group in submission.groups for item in group.items],
    }
