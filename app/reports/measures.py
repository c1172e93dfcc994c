"""What the annual report counts: each measure's title and definition in both languages, its
categories, and which of its figures add up to which (the relations suppression protects).

How an episode is placed in an area (written once here, said on every page and in the data
dictionary):
- local authority: the authority responsible for the child (the placing authority), or, with
  none recorded, the authority the child lives in (the host authority);
- police force area: the force the episode was reported to, or, with none recorded, the force
  covering the local authority above.
An episode belongs to a period by the day (in Wales) it was reported missing, and to a care status
by whether its child is looked after.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.codelists.services import DATA_FILE
from app.core.reference import read_json
from app.referrals.models import KINDS

# The episode-count bands of the FOI returns, as (category, fewest, most); most None is no limit.
BANDS = (("1", 1, 1), ("2", 2, 2), ("3", 3, 3), ("4", 4, 4), ("5", 5, 5), ("6-10", 6, 10),
         ("11-20", 11, 20), ("21-50", 21, 50), ("51-100", 51, 100), ("100+", 101, None))
NOT_RECORDED = "not_recorded"

AREA_PLACEMENT = _l(
    "An incident is placed in the local authority responsible for the child (the placing "
    "authority), or where none is recorded the authority the child lives in; and in the police "
    "force area it was reported to, or where none is recorded the force covering that "
    "authority. It belongs to the period by the day it was reported missing.")


@dataclass(frozen=True)
class Measure:
    key: str
    group: str  # the table it is shown in (GROUPS)
    title: object  # lazy string
    definition: object  # lazy string: what is counted
    unit: str  # "incidents", "children" or "referrals"
    # The categories: a shipped code list's name (its codes in order, then NOT_RECORDED when
    # `complete`), or a fixed tuple; None for a measure with no categories.
    categories: str | tuple | None = None
    # The categories together count every unit of `sums_to` exactly once (each incident has one
    # risk grade or none): a relation. Multiple choice categories (factors) never do.
    sums_to: str | None = None
    complete: bool = False  # add NOT_RECORDED to a code list's categories
    # The fields counted (table.column), for the data dictionary: names in the database, the
    # same in both languages, so kept out of the definition that is translated.
    source: str = ""

    def category_codes(self) -> tuple[str, ...]:
        if self.categories is None:
            return ("",)
        if isinstance(self.categories, tuple):
            return self.categories
        codes = tuple(item["code"] for item in read_json(DATA_FILE)["lists"][self.categories]["items"])
        return codes + ((NOT_RECORDED,) if self.complete else ())

    def adds_over_areas(self, area_kind: str) -> bool:
        """Whether the areas' figures add up to the whole: every incident is in one area of each
        kind, and every child in one local authority, but a child may go missing in two police
        force areas."""
        return self.unit != "children" or area_kind == "local_authority"


GROUPS = {
    "incidents": _l("Incidents and children"),
    "bands": _l("Children by number of incidents"),
    "interviews": _l("Return interviews"),
    "conducted_by": _l("Who held the interviews"),
    "push_factors": _l("Push factors: why children left"),
    "pull_factors": _l("Pull factors: what drew children away"),
    "harms": _l("Harms while missing"),
    "risk_grades": _l("Risk grades"),
    "referrals": _l("What followed"),
}

MEASURES = (
    Measure("incidents", "incidents", _l("Incidents"), _l(
        "Missing episodes reported in the period."), "incidents",
        source="missing_episodes.reported_missing_at"),
    Measure("children", "incidents", _l("Children"), _l(
        "Individual children with at least one incident in the period."), "children",
        source="missing_episodes.child_id"),
    Measure("repeat_incidents", "incidents", _l("Repeat incidents"), _l(
        "Incidents of a child who had been reported missing before, at any earlier time."),
        "incidents", source="missing_episodes.reported_missing_at"),
    Measure("out_of_area_incidents", "incidents", _l("Incidents from out-of-area placements"), _l(
        "Incidents of looked-after children living outside the authority responsible for them "
        "(the authority they live in is not the placing authority)."), "incidents",
        source="children.looked_after, children.placing_authority_code, "
               "children.host_authority_code"),
    Measure("children_by_band", "bands", _l("Children"), _l(
        "Children by how many incidents they had in the period in the area (in all the areas "
        "for the whole), in the bands of the Freedom of Information returns."), "children",
        categories=tuple(band for band, _f, _m in BANDS), sums_to="children",
        source="missing_episodes.child_id"),
    Measure("offered", "interviews", _l("Offered"), _l(
        "Incidents whose return interview was offered."), "incidents",
        source="return_interviews.offered_at"),
    Measure("accepted", "interviews", _l("Accepted"), _l(
        "Incidents whose interview the child accepted."), "incidents",
        source="return_interviews.consent"),
    Measure("declined", "interviews", _l("Declined"), _l(
        "Incidents whose interview was declined, by the child or a parent or carer."),
        "incidents", source="return_interviews.consent"),
    Measure("conducted", "interviews", _l("Held"), _l(
        "Incidents whose interview was held."), "incidents",
        source="return_interviews.conducted_at"),
    Measure("conducted_within_72_hours", "interviews", _l("Held within 72 hours"), _l(
        "Incidents whose interview was held no more than 72 hours after the child came back, "
        "in real time: the clocks changing add or take away no hour."), "incidents",
        source="return_interviews.conducted_at, missing_episodes.returned_at"),
    Measure("conducted_by", "conducted_by", _l("Held by"), _l(
        "Incidents whose interview was held, by who held the latest interview held."),
        "incidents", categories="interviewer_type", sums_to="conducted", complete=True,
        source="return_interviews.interviewer_type"),
    Measure("push_factor_worker", "push_factors", _l("Recorded by the worker"), _l(
        "Incidents whose interview records the push factor. One incident may have several."),
        "incidents", categories="push_factor", source="interview_codes"),
    Measure("push_factor_young_person", "push_factors", _l("Given by the young person"), _l(
        "Incidents whose young person gave the push factor in their own section. One incident "
        "may have several."), "incidents", categories="push_factor", source="self_report_codes"),
    Measure("pull_factor_worker", "pull_factors", _l("Recorded by the worker"), _l(
        "Incidents whose interview records the pull factor. One incident may have several."),
        "incidents", categories="pull_factor", source="interview_codes"),
    Measure("pull_factor_young_person", "pull_factors", _l("Given by the young person"), _l(
        "Incidents whose young person gave the pull factor in their own section. One incident "
        "may have several."), "incidents", categories="pull_factor", source="self_report_codes"),
    Measure("harms", "harms", _l("Incidents"), _l(
        "Incidents whose interview records the harm. One incident may have several."),
        "incidents", categories="harm", source="interview_codes"),
    Measure("risk_grades", "risk_grades", _l("Incidents"), _l(
        "Incidents by the police risk grade recorded for the episode."), "incidents",
        categories="risk_grade", sums_to="incidents", complete=True,
        source="missing_episodes.risk_grade"),
    Measure("referrals_made", "referrals", _l("Referrals made"), _l(
        "Referrals made in the period's incidents, by kind: each referral made, whether or not "
        "it was then accepted or declined."), "referrals", categories=KINDS,
        source="referrals.kind, referrals.status"),
    Measure("advocacy_offered", "referrals", _l("Advocacy offered"), _l(
        "Incidents whose interview records the Active Offer of advocacy as made."),
        "incidents", source="advocacy_offers.offered"),
    Measure("advocacy_taken_up", "referrals", _l("Advocacy taken up"), _l(
        "Incidents whose young person accepted the Active Offer."), "incidents",
        source="advocacy_offers.response"),
    Measure("thresholds_crossed", "referrals", _l("Repeat thresholds crossed"), _l(
        "Incidents for which the suggestion rules found a repeat threshold crossed (a referral "
        "of a repeat kind suggested, whatever became of it)."), "incidents",
        source="referrals.kind"),
)
MEASURES_BY_KEY = {measure.key: measure for measure in MEASURES}
