"""The annual report's figures as facts: each one count of one measure, in one area, for one care
status, and for one category where the measure has them (an episode-count band, a push factor).

Every page, chart, export and the machine API is made from a list of facts; suppression works on
them through the relations the figures hold among themselves (a total and the parts that add up
to it), so that whatever shows a figure shows the same figure, suppressed the same way.
"""

from dataclasses import dataclass, field
from datetime import date

# The area column of a fact that counts the whole scope: the organisation, or for a commissioner
# every area granted, taken together.
ALL_AREAS = "ALL"
# Episodes that cannot be placed in an area of this kind (no authority or force recorded).
NO_AREA = "UNKNOWN"

AREA_KINDS = ("local_authority", "police_force")
# Care status is the child's: looked after (in care) or not. "all" is both together.
CARE_STATUSES = ("looked_after", "not_looked_after", "all")
SMALLEST_SHOWN = 5  # counts from 1 to SMALLEST_SHOWN - 1 are suppressed where published


@dataclass(frozen=True, order=True)
class FactKey:
    measure: str
    area_kind: str  # one of AREA_KINDS
    area: str  # an area's code, ALL_AREAS or NO_AREA
    care_status: str  # one of CARE_STATUSES
    category: str = ""  # a band, a code of a code list, or "" for a measure with none


@dataclass(frozen=True)
class Relation:
    """total = sum(parts): a line an attacker could use to work out a hidden cell."""

    total: FactKey
    parts: tuple[FactKey, ...]


@dataclass(frozen=True)
class Period:
    """Whole days in Wales, first and last included. An episode belongs to the period in which
    it was reported missing (its local date)."""

    first_day: date
    last_day: date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))


@dataclass(frozen=True)
class Scope:
    """Whose records are counted: an organisation's; a team's within it (a supervisor's);
    and, for a commissioner or a machine client, only the areas granted (codes of either kind;
    None is every area)."""

    organisation_id: object
    team_id: object | None = None
    areas: frozenset[str] | None = None


@dataclass
class Report:
    period: Period
    scope: Scope
    values: dict[FactKey, int] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    # Keys whose values are hidden as "<5" where the report is published (filled by
    # app.reports.suppression.suppress; empty while the report is only for its own organisation).
    suppressed: frozenset[FactKey] = frozenset()

    def shown(self, key: FactKey) -> int | None:
        """The value as published: None where suppressed."""
        return None if key in self.suppressed else self.values.get(key, 0)
