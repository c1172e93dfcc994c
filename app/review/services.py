"""What a supervisor reviews: the interviews of the children they may see, found by the child's
name and by state, and one interview read in full, which the audit trail records."""

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager

from app.audit.services import record_access
from app.auth.models import Person
from app.auth.policy import may_review
from app.auth.services import names_of_people  # noqa: F401  (where the pages find it)
from app.cases.models import Child, MissingEpisode
from app.cases.services import name_has_words, visible_children, visible_episodes
from app.core.errors import Forbidden, NotFound
from app.core.text import folded
from app.interviews.models import InterviewStatus, ReturnInterview
from app.interviews.services import visible_interviews
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.services import current_version
from app.youngperson.models import SelfReport


def check_reviewer(person: Person) -> None:
    if not may_review(person):
        raise Forbidden("only supervisors and administrators review interviews")


@dataclass
class Page:
    """One page of a list: its rows, how many there are in all, which page and of how many."""

    rows: list
    total: int
    page: int
    pages: int


def one_page(session: Session, stmt, page: int, per_page: int) -> Page:
    """A page of a SELECT of ORM rows, counted and cut in SQL (a page past the last shows the
    last), so that a list of 100,000 reads 50 rows and one count, not 100,000 rows."""
    total = session.scalar(select(func.count()).select_from(
        stmt.order_by(None).with_only_columns(ReturnInterview.id).subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(list(rows), total, page, pages)


def _interviews_matching(person: Person, search: str | None, status: InterviewStatus | None):
    """The interviews this person may review, the most recent report first; the search finds
    every word in the child's name whatever its case and accents (children.name_folded), over
    the person's own scope, a team's or an organisation's children."""
    check_reviewer(person)
    stmt = (visible_interviews(person)
            .options(contains_eager(ReturnInterview.episode).contains_eager(MissingEpisode.child))
            .order_by(MissingEpisode.reported_missing_at.desc(), ReturnInterview.created_at,
                      ReturnInterview.id))
    if status is not None:
        stmt = stmt.where(ReturnInterview.status == status)
    words = folded(search).split()
    return stmt.where(name_has_words(words)) if words else stmt


def find_interviews(session: Session, person: Person, search: str | None = None,
                    status: InterviewStatus | None = None) -> list[ReturnInterview]:
    """Every interview the search and state find (for a spreadsheet); the listing audited."""
    found = session.scalars(_interviews_matching(person, search, status)).unique().all()
    record_access(session, person, "list", "interviews", None)
    return list(found)


def find_interviews_page(session: Session, person: Person, search: str | None,
                         status: InterviewStatus | None, page: int, per_page: int) -> Page:
    """A page of what the search and state find; the listing audited."""
    found = one_page(session, _interviews_matching(person, search, status), page, per_page)
    record_access(session, person, "list", "interviews", None)
    return found


def read_interview(session: Session, person: Person, interview_id: uuid.UUID) -> ReturnInterview:
    """One interview, for reading in full; the read is kept in the audit trail."""
    check_reviewer(person)
    interview = session.scalars(visible_interviews(person).where(
        ReturnInterview.id == interview_id)).first()
    if interview is None:
        raise NotFound("no such interview among your cases")
    record_access(session, person, "read", "interviews", interview.id)
    return interview


def self_report_of(session: Session, person: Person, interview: ReturnInterview):
    """The young person's own section of an interview being read, if they gave one; the read
    is kept in the audit trail."""
    report = session.scalars(select(SelfReport).where(
        SelfReport.interview_id == interview.id)).first()
    if report is not None:
        record_access(session, person, "read", "self_reports", report.id)
    return report


def definition_of(session: Session, interview: ReturnInterview) -> dict | None:
    """The questionnaire the interview was given under (the current one when it names none)."""
    version = (session.get(QuestionnaireVersion, interview.questionnaire_version_id)
               if interview.questionnaire_version_id else None)
    version = version or current_version(session, interview.organisation_id)
    return version.definition if version else None


def children_named_in(session: Session, person: Person, mutations: list[dict]) -> list[str]:
    """The names of the children a tablet's changes are about, for a supervisor deciding on
    them: those the changes name, and those on the server their records belong to (of the
    children this person may see)."""
    names, child_ids, episode_ids = set(), set(), set()
    for mutation in mutations:
        given = mutation.get("fields") or {}
        if mutation["collection"] == "children" and given.get("given_name"):
            names.add(f"{given['given_name']} {given.get('family_name') or ''}".strip())
        elif mutation["collection"] == "children":
            child_ids.add(mutation["id"])
        child_ids.add(given.get("child_id"))
        episode_ids.add(given.get("episode_id"))
    episodes = visible_episodes(person).where(MissingEpisode.id.in_(_ids(episode_ids)))
    child_ids |= {str(episode.child_id) for episode in session.scalars(episodes)}
    children = visible_children(person).where(Child.id.in_(_ids(child_ids)))
    names |= {f"{child.given_name} {child.family_name}" for child in session.scalars(children)}
    return sorted(names)


def _ids(texts) -> list[uuid.UUID]:
    found = []
    for text in texts:
        try:
            found.append(uuid.UUID(str(text)))
        except ValueError:
            continue
    return found


def referrals_of(session: Session, person: Person, interview: ReturnInterview) -> tuple:
    """The interview's referrals (oldest first) and its Active Offer of advocacy (or None), as
    this person may see them; each read kept in the audit trail."""
    from app.referrals.models import ActiveOffer, Referral
    from app.referrals.services import visible_offers, visible_referrals
    referrals = list(session.scalars(visible_referrals(person).where(
        Referral.interview_id == interview.id).order_by(Referral.created_at, Referral.id)))
    offer = session.scalars(visible_offers(person).where(
        ActiveOffer.interview_id == interview.id)).first()
    for record, collection in [*((r, "referrals") for r in referrals),
                               *([(offer, "advocacy_offers")] if offer else [])]:
        record_access(session, person, "read", collection, record.id)
    return referrals, offer
