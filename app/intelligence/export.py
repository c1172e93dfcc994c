"""The partner intelligence submission as a spreadsheet (CSV): one row an item, with what the
submission says of the child and the episode on every row (so that a row read alone still
names whom it is about), column names and labels in the reader's language."""

import csv
import io
from datetime import tzinfo

from flask_babel import lazy_gettext as _l

from app.core.spreadsheets import BOM, safe_cell
from app.intelligence.submission import DETAILS, Submission
from app.interviews.rules import VICTIM_NOT_OFFENDER
from app.reports.exports import _local_time

COLUMNS = (_l("Organisation"), _l("Police force code"), _l("Police force"),
           _l("Child's name"), _l("Date of birth"), _l("Reported missing"), _l("Came back"),
           _l("Victim of exploitation"), _l("Kind"),
           *(label for _name, label in DETAILS), _l("The young person's view on sharing"))


def _about(submission: Submission, zone: tzinfo) -> list:
    child, episode = submission.child, submission.episode
    return [submission.organisation, submission.force_code or "", submission.force or "",
            f"{child.given_name} {child.family_name}",
            child.date_of_birth.isoformat() if child.date_of_birth else "",
            _local_time(episode.reported_missing_at, zone),
            _local_time(episode.returned_at, zone),
            VICTIM_NOT_OFFENDER if submission.exploited else ""]


def submission_csv(submission: Submission, zone: tzinfo) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(title) for title in COLUMNS])
    about = _about(submission, zone)
    for group in submission.groups:
        for item in group.items:
            writer.writerow([safe_cell(cell) for cell in [
                *about, group.title, *(getattr(item, name) or "" for name, _label in DETAILS),
                submission.view_of(item)]])
    return BOM + out.getvalue()
