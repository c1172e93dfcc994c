"""All reference data at once: what a new database needs before anyone can record a case."""

from sqlalchemy.orm import Session

from app.cases.services import load_areas
from app.codelists.services import load_code_lists
from app.questionnaires.services import load_questionnaires


def load_reference_data(session: Session) -> dict[str, int]:
    counts = {
        "code list items": load_code_lists(session),
        "areas": load_areas(session),
    }
    session.flush()
    counts["questionnaire versions"] = load_questionnaires(session)
    return counts
