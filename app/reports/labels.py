"""The report's words in one language: areas, care statuses and each measure's categories.
Pages, charts, exports and the data dictionary all name a figure through one Labels."""

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.models import Area
from app.codelists.services import code_labels
from app.referrals.suggesting import kind_names
from app.reports.facts import ALL_AREAS, NO_AREA
from app.reports.measures import NOT_RECORDED, Measure

CARE_STATUS_NAMES = {"looked_after": _l("Looked after (in care)"),
                     "not_looked_after": _l("Not looked after"),
                     "all": _l("All children")}
AREA_KIND_NAMES = {"local_authority": _l("Local authority"),
                   "police_force": _l("Police force area")}
# The groups areas are chosen from (a commissioner's, a report client's), by (country, kind).
AREA_GROUP_NAMES = {("wales", "local_authority"): _l("Local authorities in Wales"),
                    ("wales", "police_force"): _l("Police force areas in Wales"),
                    ("england", "local_authority"): _l("Local authorities in England"),
                    ("england", "police_force"): _l("Police force areas in England")}
WHOLE = _l("All areas")
UNPLACED = _l("Area not recorded")
NOT_RECORDED_NAME = _l("Not recorded")


class Labels:
    def __init__(self, session: Session, organisation_id, language: str):
        self.language = language
        self._codes = code_labels(session, organisation_id, language)
        name = Area.name_cy if language == "cy" else Area.name_en
        self._areas = dict(session.execute(select(Area.code, name)).all())
        self._kinds = kind_names(language)

    def text(self, lazy) -> str:
        """A lazy string in this Labels' language, whatever the request's."""
        with force_locale(self.language):
            return str(lazy)

    def area(self, code: str) -> str:
        if code == ALL_AREAS:
            return self.text(WHOLE)
        if code == NO_AREA:
            return self.text(UNPLACED)
        return self._areas.get(code, code)

    def care_status(self, status: str) -> str:
        return self.text(CARE_STATUS_NAMES[status])

    def area_kind(self, kind: str) -> str:
        return self.text(AREA_KIND_NAMES[kind])

    def category(self, measure: Measure, code: str) -> str:
        if code == NOT_RECORDED:
            return self.text(NOT_RECORDED_NAME)
        if isinstance(measure.categories, str):
            return self._codes.get((measure.categories, code), code)
        if measure.key == "referrals_made":
            return self._kinds.get(code, code)
        return code  # a band: "6-10" reads the same in both languages
