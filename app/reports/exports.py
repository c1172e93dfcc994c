"""Interviews as a spreadsheet (CSV): one row an interview, the column names and every coded
answer in the reader's language, times in the service's time zone, Welsh letters intact."""

import csv
import io
from datetime import datetime, tzinfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.services import record_access
from app.auth.models import Person
from app.cases.derived import is_out_of_area
from app.cases.models import Area
from app.codelists.services import code_labels, list_titles
from app.core.spreadsheets import BOM, safe_cell
from app.interviews.clock import within_deadline
from app.interviews.models import CODED_ANSWERS, ReturnInterview
from app.interviews.rules import STATE_NAMES
from app.review.services import names_of_people

LANGUAGE_NAMES = {"cy": _l("Welsh"), "en": _l("English")}
YES_NO = {True: _l("Yes"), False: _l("No"), None: ""}


def _columns(language: str) -> list:
    titles = list_titles()
    return [_l("Child"), _l("Reported missing"), _l("Came back"), _l("Interview offered"),
            _l("Interview held"), _l("Within 72 hours"), _l("State"), _l("Declined by"),
            _l("Language of the worker's part"),
            _l("Language of the young person's part"), _l("Where"),
            _l("Who held it"), _l("Worker"), _l("Placing authority code"),
            _l("Placing authority"), _l("Host authority code"), _l("Host authority"),
            _l("Out of area"), _l("Police force code"), _l("Police force")] + [
        titles[list_name][language] for list_name in CODED_ANSWERS.values()]


def _local_time(moment: datetime | None, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def _area_names(session: Session, language: str) -> dict[str, str]:
    name = Area.name_cy if language == "cy" else Area.name_en
    return dict(session.execute(select(Area.code, name)).all())


def _areas(child, episode, names: dict) -> list:
    """Each area's code and name, and whether the child is placed out of area."""
    def code_and_name(code):
        return [code or "", names.get(code, code) if code else ""]

    return (code_and_name(child.placing_authority_code)
            + code_and_name(child.host_authority_code) + [YES_NO[is_out_of_area(child)]]
            + code_and_name(episode.reporting_force_code))


def _row(interview: ReturnInterview, labels: dict, workers: dict, zone: tzinfo,
         areas: dict) -> list:
    episode, child = interview.episode, interview.episode.child

    def label(list_name: str, code: str | None) -> str:
        return labels.get((list_name, code), code) if code else ""

    return [
        f"{child.given_name} {child.family_name}",
        _local_time(episode.reported_missing_at, zone), _local_time(episode.returned_at, zone),
        _local_time(interview.offered_at, zone), _local_time(interview.conducted_at, zone),
        YES_NO[within_deadline(episode.returned_at, interview.conducted_at)],
        STATE_NAMES[interview.status], label("declined_by", interview.declined_by),
        LANGUAGE_NAMES.get(interview.language, ""),
        LANGUAGE_NAMES.get(interview.young_person_language, ""),
        label("interview_location", interview.location),
        label("interviewer_type", interview.interviewer_type),
        workers.get(interview.interviewer_id, ""),
        *_areas(child, episode, areas),
    ] + ["; ".join(label(list_name, code) for code in interview.coded(list_name))
         for list_name in CODED_ANSWERS.values()]


def interviews_csv(session: Session, person: Person, interviews: list[ReturnInterview],
                   language: str, zone: tzinfo) -> str:
    """The CSV text of these interviews (found by the review services, so already within what
    the person may see). Each interview exported is kept in the audit trail."""
    labels = code_labels(session, person.organisation_id, language)
    workers = names_of_people(session, [i.interviewer_id for i in interviews])
    areas = _area_names(session, language)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(title) for title in _columns(language)])
    for interview in interviews:
        writer.writerow([safe_cell(cell) for cell in _row(interview, labels, workers, zone, areas)])
        record_access(session, person, "export", "interviews", interview.id)
    return BOM + out.getvalue()
