"""What each table and column of the open data holds, in both languages: written once here, and
read into the data dictionary (a CSV in the zip, a table in the SQLite file) and the metadata
Datasette shows beside the tables."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Table:
    description: object  # lazy string
    columns: dict  # column name -> lazy string


# Columns with a name in each language: "area" is written as area_en and area_cy in the SQLite
# file, where both languages travel together; a CSV holds the reader's language alone.
IN_ENGLISH = _l("In English.")
IN_WELSH = _l("In Welsh.")

# Codes stay out of the words to translate (as placeholders), the same in both languages.
AREA_KIND = _l("The kind of area the row counts: %(codes)s.",
               codes="local_authority, police_force")
AREA_CODE = _l("The area's official code; %(whole)s for every area in the export together; "
               "%(unplaced)s for incidents with no area of this kind recorded.",
               whole="ALL", unplaced="UNKNOWN")
AREA_NAME = _l("The area's name.")
CARE_STATUS = _l("The care status: %(codes)s (the last is both together).",
                 codes="looked_after, not_looked_after, all")
CARE_STATUS_NAME = _l("The care status in words.")
MEASURE = _l("What is counted: a measure's key, described in the data dictionary.")
MEASURE_TITLE = _l("The measure's title.")
CATEGORY = _l("The category counted (a band or a code), empty for a measure with none.")
CATEGORY_NAME = _l("The category in words.")
VALUE = _l("The count. Counts from 1 to 4 are never published: <5 stands in their place, and "
           "so do a few other counts from which a hidden one could be worked out.")

# The long table of the zip's CSVs, one per group of measures, in the reader's language.
FIGURES_CSV = Table(
    _l("One count a row: a measure, in an area, for a care status, and a category where the "
       "measure has them."),
    {"area_kind": AREA_KIND, "area_code": AREA_CODE, "area": AREA_NAME,
     "care_status": CARE_STATUS, "measure": MEASURE, "measure_title": MEASURE_TITLE,
     "category": CATEGORY, "category_name": CATEGORY_NAME, "value": VALUE})

SQLITE_TABLES = {
    "figures": Table(FIGURES_CSV.description, {
        "area_kind": AREA_KIND, "area_code": AREA_CODE, "area_en": AREA_NAME,
        "area_cy": AREA_NAME, "care_status": CARE_STATUS, "care_status_en": CARE_STATUS_NAME,
        "care_status_cy": CARE_STATUS_NAME, "measure": MEASURE,
        "measure_title_en": MEASURE_TITLE, "measure_title_cy": MEASURE_TITLE,
        "category": CATEGORY, "category_en": CATEGORY_NAME, "category_cy": CATEGORY_NAME,
        "value": _l("The count; empty where it is not published."),
        "suppressed": _l("1 where the count is not published (fewer than 5, or one from which "
                         "such a count could be worked out), otherwise 0.")}),
    "data_dictionary": Table(_l("Each measure: what it counts and from which record."), {
        "measure": MEASURE, "group": _l("The table of the report the measure is shown in."),
        "unit": _l("What one counts: incidents, children or referrals."),
        "title_en": MEASURE_TITLE, "title_cy": MEASURE_TITLE,
        "definition_en": _l("What is counted, in words."),
        "definition_cy": _l("What is counted, in words."),
        "source": _l("The tables and columns it is counted from."),
        "area_placement_en": _l("How an incident is placed in an area."),
        "area_placement_cy": _l("How an incident is placed in an area.")}),
    "columns": Table(_l("Each column of each table, described."), {
        "table_name": _l("The table."), "column_name": _l("The column."),
        "description_en": _l("What the column holds."),
        "description_cy": _l("What the column holds.")}),
    "areas": Table(_l("The areas the figures name."), {
        "code": _l("The area's official code."), "kind": AREA_KIND, "name_en": AREA_NAME,
        "name_cy": AREA_NAME,
        "police_force_code": _l("For a local authority, the police force covering it.")}),
    "incidents": Table(_l(
        "One row an incident (a missing episode) in the period, with nothing that names a "
        "child: no names, dates of birth, times or words."), {
        "incident": _l("A number for the incident in this export alone; another export "
                       "numbers incidents afresh."),
        "reported_missing_on": _l("The day the child was reported missing (in Wales)."),
        "returned_on": _l("The day the child came back (in Wales); empty if not recorded."),
        "age_band": _l("The child's age on the day reported missing, in bands: %(codes)s.",
                       codes="under_10, 10-11, 12-13, 14-15, 16-17, 18+, unknown"),
        "care_status": _l("The care status: %(codes)s.",
                          codes="looked_after, not_looked_after"),
        "out_of_area": _l("1 where a looked-after child lives outside the authority "
                          "responsible for them, 0 where not, empty where unknown."),
        "local_authority_code": _l("The local authority the incident is placed in."),
        "police_force_code": _l("The police force area the incident is placed in."),
        "risk_grade": _l("The police risk grade, a code of the list %(list)s.",
                         list="risk_grade"),
        "interview_offered_on": _l("The day the return interview was offered."),
        "interview_held_on": _l("The day the return interview was held."),
        "held_within_72_hours": _l("1 where the interview was held no more than 72 hours "
                                   "after the child came back, 0 where later, empty where "
                                   "not held."),
        "interviewer_type": _l("Who held the interview, a code of the list %(list)s.",
                               list="interviewer_type")}),
    "incident_codes": Table(_l("The push and pull factors and harms of each incident."), {
        "incident": _l("The incident's number in the incidents table."),
        "source": _l("Who gave it: %(worker)s (recorded in the interview) or %(child)s (given "
                     "in their own section).", worker="worker", child="young_person"),
        "list_name": _l("The list the code is from: %(codes)s.",
                        codes="push_factor, pull_factor, harm"),
        "code": _l("The code, from that list.")}),
}
# Only for those who may see incident-level data.
INCIDENT_TABLES = ("incidents", "incident_codes")
BILINGUAL_SUFFIXES = {"_en": IN_ENGLISH, "_cy": IN_WELSH}


def described(column: str, description, text) -> str:
    """A column's description in a language (text: a lazy string's words in it), saying which
    language a column of one language holds."""
    for suffix, language in BILINGUAL_SUFFIXES.items():
        if column.endswith(suffix):
            return f"{text(description)} {text(language)}"
    return text(description)
