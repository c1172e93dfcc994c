"""What needs a supervisor now: each section of the board a query of their cases (a supervisor
their team's, an admin their organisation's), counted and paged in SQL, so that a page reads
only the rows it shows however many interviews there are.

The sections:
- open: the child is back, the 72-hour window is still open, and no interview was held or
  declined; the soonest to close first.
- overdue: the window has passed with no interview held or declined; the most recent first
  (those still worth chasing), the oldest on the later pages.
- declined: offers declined (by the child or their carer), the interview not yet approved.
- failing: attempts to reach the child are failing. Every attempt so far failed to reach them
  (NOT_REACHED outcomes) and either there were FAILING_TRIES or more, or the window has less
  than CLOSING_HOURS left (or has passed); the interview not held, declined or approved.
- repeats: a repeat-episode threshold of the area's policy is crossed (the rules'
  thresholds, app/referrals/suggesting.py, read through app/referrals/policies.py), for the
  interview of the child's latest episode, not yet approved, with no referral of that kind
  recorded.
- referrals: referrals waiting and Active Offers missing (app/referrals/outstanding.py).
- conflicts: the same detail changed in two places, open until someone decides.
- intelligence: submitted interviews holding information for the police, awaiting the
  supervisor's sign-off (approval) before it can be shared.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session, aliased, contains_eager

from app.audit.services import record_access
from app.auth.models import Device, Person
from app.auth.policy import may_review
from app.cases.models import Child, MissingEpisode
from app.cases.policy import visible_children_filter
from app.core.errors import Forbidden
from app.intelligence.models import IntelligenceItem
from app.interviews.clock import DEADLINE
from app.interviews.models import Consent, InterviewAttempt, InterviewStatus, ReturnInterview
from app.interviews.services import visible_interviews
from app.referrals import outstanding
from app.referrals.models import Referral
from app.referrals.policies import policies_by_area
from app.referrals.suggesting import interview_facts, suggestion_rules, suggestions
from app.syncing import quarantine, rescue
from app.syncing.collections import COLLECTIONS
from app.syncing.models import SyncConflict

SECTIONS = ("open", "overdue", "declined", "failing", "repeats", "referrals", "conflicts",
            "intelligence")
# Interviews still in the worker's or supervisor's hands (approved ones need no one now).
NOT_APPROVED = (InterviewStatus.DRAFT, InterviewStatus.SUBMITTED, InterviewStatus.RETURNED)
# Attempt outcomes (code list attempt_outcome) that did not reach the child.
NOT_REACHED = ("no_answer", "child_not_available", "wrong_contact_details")
FAILING_TRIES = 3
CLOSING_HOURS = 24
# A tablet holding unsent changes and silent this long puts them at risk.
AT_RISK_AFTER = timedelta(hours=48)


@dataclass
class Row:
    """One thing needing someone: about a child (None when no child is named), one click from
    an interview when there is one, whose worker, since when, and what the section adds."""

    child: Child | None
    interview_id: uuid.UUID | None
    worker_id: uuid.UUID | None
    when: datetime | None
    extra: dict = field(default_factory=dict)


@dataclass
class Section:
    key: str
    count: int
    rows: list[Row]


def check_board_reader(person: Person) -> None:
    if not may_review(person):
        raise Forbidden()


def section(session: Session, person: Person, key: str, now: datetime, offset: int = 0,
            limit: int = 20) -> Section:
    """A page of one section (rows offset to offset + limit), with how many there are in all."""
    check_board_reader(person)
    if key == "repeats":
        return _repeats(session, person, offset, limit)
    stmt = _QUERIES[key](person, now)
    # The page and the count of them all in one reading (a window function), since finding the
    # first rows in order finds them all anyway; counted apart only for a page past the end.
    page = session.execute(stmt.add_columns(func.count().over()).limit(limit)
                           .offset(offset)).all()
    if page:
        count = page[0][-1]
    else:
        count = 0 if offset == 0 else session.scalar(
            select(func.count()).select_from(stmt.order_by(None).subquery()))
    return Section(key, count, [_SHAPES[key](session, tuple(found)[:-1]) for found in page])


def listed(session: Session, person: Person, key: str, now: datetime, offset: int,
           limit: int) -> Section:
    """A page of one section, the reading audited."""
    found = section(session, person, key, now, offset, limit)
    record_access(session, person, "list", "board", None)
    return found


def board(session: Session, person: Person, now: datetime, limit: int = 20) -> list[Section]:
    """The first rows of every section, the reading audited."""
    found = [section(session, person, key, now, 0, limit) for key in SECTIONS]
    record_access(session, person, "list", "board", None)
    return found


# --- the 72-hour windows ----------------------------------------------------------------------
def _held_or_declined():
    return select(ReturnInterview.id).where(
        ReturnInterview.episode_id == MissingEpisode.id,
        or_(ReturnInterview.conducted_at.is_not(None),
            ReturnInterview.consent == Consent.DECLINED)).exists()


def _windows(person: Person):
    """Episodes of the person's cases whose child is back with no interview held or declined:
    the child, the episode's latest interview (if one was started), the worker, the return."""
    latest = (select(ReturnInterview.id).where(ReturnInterview.episode_id == MissingEpisode.id)
              .order_by(ReturnInterview.created_at.desc(), ReturnInterview.id.desc())
              .limit(1).scalar_subquery())
    return (select(Child, latest, Child.assigned_worker_id, MissingEpisode.returned_at)
            .select_from(MissingEpisode).join(Child, Child.id == MissingEpisode.child_id)
            .where(visible_children_filter(person), MissingEpisode.returned_at.is_not(None),
                   ~_held_or_declined()))


def _open(person: Person, now: datetime):
    return (_windows(person).where(MissingEpisode.returned_at > now - DEADLINE)
            .order_by(MissingEpisode.returned_at, MissingEpisode.id))


def _overdue(person: Person, now: datetime):
    return (_windows(person).where(MissingEpisode.returned_at <= now - DEADLINE)
            .order_by(MissingEpisode.returned_at.desc(), MissingEpisode.id))


# --- interviews: declined, failing attempts, intelligence ---------------------------------------
def _interviews(person: Person, *columns):
    return (visible_interviews(person).with_only_columns(
        Child, ReturnInterview.id, ReturnInterview.interviewer_id, *columns)
        .where(ReturnInterview.status.in_(NOT_APPROVED)))


def _declined(person: Person, now: datetime):
    when = func.coalesce(ReturnInterview.consent_recorded_at, ReturnInterview.created_at)
    return (_interviews(person, when, ReturnInterview.declined_by)
            .where(ReturnInterview.consent == Consent.DECLINED)
            .order_by(when.desc(), ReturnInterview.id))


def _failing(person: Person, now: datetime):
    of_it = InterviewAttempt.interview_id == ReturnInterview.id
    tries = select(func.count(InterviewAttempt.id)).where(of_it).scalar_subquery()
    last = select(func.max(InterviewAttempt.attempted_at)).where(of_it).scalar_subquery()
    reached = select(InterviewAttempt.id).where(
        of_it, InterviewAttempt.outcome.not_in(NOT_REACHED)).exists()
    closing = MissingEpisode.returned_at <= now - DEADLINE + timedelta(hours=CLOSING_HOURS)
    return (_interviews(person, last, tries, MissingEpisode.returned_at)
            .where(ReturnInterview.conducted_at.is_(None),
                   ReturnInterview.consent != Consent.DECLINED, ~reached, tries >= 1,
                   or_(tries >= FAILING_TRIES, closing))
            .order_by(MissingEpisode.returned_at, ReturnInterview.id))


def _intelligence(person: Person, now: datetime):
    items = (select(func.count(IntelligenceItem.id))
             .where(IntelligenceItem.interview_id == ReturnInterview.id).scalar_subquery())
    return (_interviews(person, ReturnInterview.submitted_at, items)
            .where(ReturnInterview.status == InterviewStatus.SUBMITTED, items > 0)
            .order_by(ReturnInterview.submitted_at, ReturnInterview.id))


# --- referrals outstanding (the referrals service's own queries) -------------------------------
def _referrals(person: Person, now: datetime):
    waiting = outstanding.waiting_referrals(person).with_only_columns(
        MissingEpisode.child_id.label("child_id"), Referral.interview_id.label("interview_id"),
        ReturnInterview.interviewer_id.label("worker_id"),
        outstanding.REFERRAL_SINCE.label("since"), Referral.id.label("referral_id"))
    missing = outstanding.offers_missing(person).with_only_columns(
        MissingEpisode.child_id.label("child_id"), ReturnInterview.id.label("interview_id"),
        ReturnInterview.interviewer_id.label("worker_id"),
        outstanding.OFFER_SINCE.label("since"), ReturnInterview.id.label("referral_id"))
    # An Active Offer missing is told from a referral by its "referral" id being its interview's.
    both = waiting.union_all(missing).subquery()
    return (select(Child, both.c.interview_id, both.c.worker_id, both.c.since,
                   both.c.referral_id)
            .join(both, both.c.child_id == Child.id)
            .order_by(both.c.since, both.c.referral_id))


# --- conflicts --------------------------------------------------------------------------------
def _conflicts(person: Person, now: datetime):
    # Each open conflict's record looked up by its id among those the person may see (not the
    # ids of every record they may see, gathered first: an admin may see 100,000 interviews).
    seen = [and_(SyncConflict.collection == spec.name,
                 spec.visible(person).with_only_columns(spec.model.id)
                 .where(spec.model.id == SyncConflict.record_id).exists())
            for spec in COLLECTIONS.values()]
    return (select(SyncConflict, Device.person_id)
            .join(Device, Device.id == SyncConflict.device_id)
            .where(SyncConflict.resolved_at.is_(None),
                   SyncConflict.organisation_id == person.organisation_id,
                   or_(*seen) if seen else false())
            .order_by(SyncConflict.created_at, SyncConflict.id))


def _about(session: Session, collection: str, record_id: uuid.UUID):
    """The child and the interview a record is about, following its parents: an interview's
    records name it, an episode's latest interview, a child's latest episode's."""
    record = session.get(COLLECTIONS[collection].model, record_id)
    while record is not None and collection not in ("interviews", "episodes", "children"):
        parent = COLLECTIONS[collection].parent
        collection = parent.collection
        record = session.get(COLLECTIONS[collection].model, getattr(record, parent.field))
    if record is None:
        return None, None
    if collection == "interviews":
        return record.episode.child, record.id
    episodes = [record] if collection == "episodes" else (
        session.scalars(select(MissingEpisode).where(MissingEpisode.child_id == record.id)
                        .order_by(MissingEpisode.reported_missing_at.desc())).all())
    child = record.child if collection == "episodes" else record
    interview = session.scalar(
        select(ReturnInterview.id).where(ReturnInterview.episode_id.in_([e.id for e in episodes]))
        .order_by(ReturnInterview.created_at.desc()).limit(1)) if episodes else None
    return child, interview


# --- repeat thresholds ------------------------------------------------------------------------
def _repeat_thresholds(policy: dict | None) -> list[dict]:
    """A policy's thresholds that count several episodes (a first episode's is not a repeat)."""
    return [threshold for threshold in (policy or {}).get("thresholds", ())
            if threshold["when"].get("episodes", {}).get("at_least", 0) >= 2]


def repeat_rules() -> set[str]:
    """The names of the rules' repeat thresholds, in every policy."""
    return {threshold["rule"] for policy in suggestion_rules()["policies"].values()
            for threshold in _repeat_thresholds(policy)}


def _fewest_by_force(mapping: dict) -> dict[str, int]:
    """Police force code ("*": any other) -> the fewest episodes any repeat threshold of the
    policy followed there counts: a child with fewer cannot have crossed one there. Read off
    the rules' data, never restated."""
    policies = suggestion_rules()["policies"]
    fewest = {}
    for force, name in mapping.items():
        counts = [threshold["when"]["episodes"]["at_least"]
                  for threshold in _repeat_thresholds(policies.get(name))]
        if counts:
            fewest[force] = min(counts)
    return fewest


def _repeat_candidates(person: Person, fewest: dict[str, int]):
    """Interviews, not approved, of each child's latest episode, in an area whose policy has a
    repeat threshold, the child having at least as many episodes as its lowest one counts: only
    these can have crossed one now. None when no area's policy has one."""
    later = aliased(MissingEpisode)
    other = aliased(MissingEpisode)
    is_latest = ~select(later.id).where(
        later.child_id == MissingEpisode.child_id,
        later.reported_missing_at > MissingEpisode.reported_missing_at).exists()
    episodes = select(func.count(other.id)).where(other.child_id == Child.id).scalar_subquery()
    force = MissingEpisode.reporting_force_code
    named = [code for code in fewest if code != "*"]
    enough = [and_(force == code, episodes >= count) for code, count in fewest.items()
              if code != "*"]
    if "*" in fewest:  # any force not named, or none recorded
        enough.append(and_(or_(force.is_(None), force.not_in(named)), episodes >= fewest["*"]))
    if not enough:
        return None
    return (visible_interviews(person)
            .where(ReturnInterview.status.in_(NOT_APPROVED), is_latest, or_(*enough))
            .options(contains_eager(ReturnInterview.episode).contains_eager(MissingEpisode.child)
                     .selectinload(Child.episodes))
            .order_by(MissingEpisode.reported_missing_at.desc(), ReturnInterview.id))


def _repeats(session: Session, person: Person, offset: int, limit: int) -> Section:
    """The thresholds are the rules' (app/referrals/suggesting.py's suggestions, run on the
    rules' thresholds alone with the organisation's choice of policies, never a copy of them):
    the query narrows the interviews to those that may have crossed one, and the rules decide."""
    rules = repeat_rules()
    mapping = policies_by_area(session, person.organisation_id)
    stmt = _repeat_candidates(person, _fewest_by_force(mapping))
    thresholds_only = {**suggestion_rules(), "rules": []}
    crossed = []
    for interview in (session.scalars(stmt).unique() if stmt is not None else ()):
        facts = interview_facts(session, interview, with_self_report=False)
        met = [suggestion for suggestion in suggestions(thresholds_only, facts, mapping)
               if suggestion["rule"] in rules]
        if met:
            crossed.append((interview, met))
    recorded = _kinds_recorded(session, [interview.id for interview, _ in crossed])
    found = []
    for interview, met in crossed:
        waiting = [s for s in met if s["kind"] not in recorded.get(interview.id, set())]
        if waiting:
            found.append(Row(interview.episode.child, interview.id, interview.interviewer_id,
                             interview.episode.reported_missing_at,
                             {"reasons": [s["reason"] for s in waiting]}))
    return Section("repeats", len(found), found[offset:offset + limit])


def _kinds_recorded(session: Session, interview_ids: list) -> dict:
    """Interview id -> the kinds of referral recorded on it (any status: acted on)."""
    kinds: dict = {}
    for start in range(0, len(interview_ids), 500):
        for interview_id, kind in session.execute(select(
                Referral.interview_id, Referral.kind).where(
                Referral.interview_id.in_(interview_ids[start:start + 500]))):
            kinds.setdefault(interview_id, set()).add(kind)
    return kinds


# --- each section's rows ------------------------------------------------------------------------
def _window_row(session, found) -> Row:
    child, interview_id, worker_id, returned_at = found
    return Row(child, interview_id, worker_id, returned_at)


def _declined_row(session, found) -> Row:
    child, interview_id, worker_id, when, declined_by = found
    return Row(child, interview_id, worker_id, when, {"declined_by": declined_by})


def _failing_row(session, found) -> Row:
    child, interview_id, worker_id, last, tries, returned_at = found
    return Row(child, interview_id, worker_id, last, {"tries": tries, "returned_at": returned_at})


def _intelligence_row(session, found) -> Row:
    child, interview_id, worker_id, submitted_at, items = found
    return Row(child, interview_id, worker_id, submitted_at, {"item_count": items})


def _referral_row(session, found) -> Row:
    child, interview_id, worker_id, since, referral_id = found
    referral = None if referral_id == interview_id else session.get(Referral, referral_id)
    return Row(child, interview_id, worker_id, since,
               {"waiting": outstanding.Outstanding(child, interview_id, worker_id, referral,
                                                   since)})


def _conflict_row(session, found) -> Row:
    conflict, worker_id = found
    child, interview_id = _about(session, conflict.collection, conflict.record_id)
    return Row(child, interview_id, worker_id, conflict.created_at, {"field": conflict.field})


_QUERIES = {"open": _open, "overdue": _overdue, "declined": _declined, "failing": _failing,
            "referrals": _referrals, "conflicts": _conflicts, "intelligence": _intelligence}
_SHAPES = {"open": _window_row, "overdue": _window_row, "declined": _declined_row,
           "failing": _failing_row, "referrals": _referral_row, "conflicts": _conflict_row,
           "intelligence": _intelligence_row}


# --- sync health ------------------------------------------------------------------------------
@dataclass
class TabletHealth:
    device: Device
    owner: str
    waiting_sealed: int
    at_risk: bool


def sync_health(session: Session, person: Person, now: datetime) -> list[TabletHealth]:
    """The tablets, not revoked, of the person's team (an admin's: organisation), the longest
    silent first, each with what it last reported and its sealed copies waiting; the reading
    audited."""
    check_board_reader(person)
    stmt = (rescue.importable_devices(person).add_columns(Person.display_name)
            .join(Person, Person.id == Device.person_id)
            .where(Device.revoked_at.is_(None))
            .order_by(Device.last_seen_at.is_(None).desc(), Device.last_seen_at, Device.id))
    waiting = quarantine.waiting_counts(session, person)
    found = [TabletHealth(device, owner, waiting.get(device.id, 0), at_risk(device, now))
             for device, owner in session.execute(stmt)]
    record_access(session, person, "list", "devices", None)
    return found


def at_risk(device: Device, now: datetime) -> bool:
    """Unsent changes on a tablet that has not synced for AT_RISK_AFTER."""
    silent = device.last_seen_at is None or now - device.last_seen_at > AT_RISK_AFTER
    return bool(device.unsent_count) and silent
