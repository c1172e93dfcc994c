"""All reference data at once: what a new database needs before anyone can record a case (and
the directory of services, checked, though it is served from its file)."""

from sqlalchemy.orm import Session

from app.cases.services import load_areas
from app.codelists.services import load_code_lists
from app.directory.services import directory_services
from app.questionnaires.services import load_questionnaires


def load_reference_data(session: Session) -> dict[str, int]:
    counts = {
        "code list items": load_code_lists(session),
        "areas": load_areas(session),
    }
    session.flush()
    counts["questionnaire versions"] = load_questionnaires(session)
    # Served from its file, not loaded into a table: checked here, so that a broken entry stops
    # the release's load rather than the first sync.
    counts["directory services (checked)"] = len(directory_services())
    return counts
