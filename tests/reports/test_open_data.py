"""The annual report's open data: the zip of CSVs, the SQLite file for Datasette and the command
line. Always published (small counts "<5"), never a name, a date of birth, a time or a word a
child said, only what the reader may see, and every export in the audit trail."""

import csv
import io
import json
import sqlite3
import zipfile
from datetime import UTC, date, datetime

import pytest
import sqlite_utils
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.cases.models import Child, MissingEpisode
from app.interviews.models import Consent, ReturnInterview
from app.questionnaires.models import QuestionnaireVersion
from app.reports.grants import CommissionerArea
from app.reports.incidents import age_band
from app.youngperson.models import SelfReport

CARDIFF, SWANSEA, NEWPORT = "W06000015", "W06000011", "W06000022"
SOUTH_WALES, GWENT = "W15000003", "W15000002"
NOTE = "Met a man called Gareth at the bus station"
BORN = date(2014, 3, 10)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def missing(session, child, reported, returned=None, **fields) -> MissingEpisode:
    episode = MissingEpisode(organisation_id=child.organisation_id, child_id=child.id,
                             reported_missing_at=at(reported),
                             returned_at=at(returned) if returned else None, **fields)
    session.add(episode)
    session.flush()
    return episode


def held(session, episode, **fields) -> ReturnInterview:
    interview = ReturnInterview(organisation_id=episode.organisation_id, episode_id=episode.id,
                                **fields)
    session.add(interview)
    session.flush()
    return interview


@pytest.fixture
def seeded(session, world):
    """Cerys (looked after, placed by Cardiff in Swansea, born 10 March 2014): reported missing
    on her twelfth birthday and the evening before, and once in 2025; Dylan (no area, no date of
    birth): five times; Ffion of the other team once; Osian of organisation B once."""
    cerys = session.get(Child, world.child.id)
    cerys.date_of_birth = BORN
    birthday = missing(session, cerys, "2026-03-10T09:15:00", "2026-03-11T08:00:00",
                       risk_grade="high", reporting_force_code=SOUTH_WALES,
                       where_found=NOTE)
    interview = held(session, birthday, offered_at=at("2026-03-11T10:00:00"),
                     conducted_at=at("2026-03-14T08:00:00"),  # exactly 72 hours
                     consent=Consent.ACCEPTED, interviewer_type="independent_service",
                     notes=NOTE, why_missing=NOTE)
    interview.push_factors = ["family_conflict"]
    interview.harms = ["criminal_exploitation"]
    report = SelfReport(organisation_id=world.org_a.id, interview_id=interview.id,
                        language="cy", handed_over_at=at("2026-03-14T08:30:00"),
                        questionnaire_version_id=session.scalars(
                            select(QuestionnaireVersion.id)).first(),
                        answers={"yp_words": NOTE})
    report.pull_factors = ["to_see_friends"]
    session.add(report)
    eve = missing(session, cerys, "2026-03-09T23:30:00", "2026-03-10T01:00:00")
    held(session, eve, offered_at=at("2026-03-10T09:00:00"),
         conducted_at=at("2026-03-13T01:01:00"), interviewer_type="police")  # 72h 1m: late
    missing(session, cerys, "2025-11-01T10:00:00")
    for day in range(1, 6):
        # 1 July 00:30 in Wales (BST) is 30 June 23:30 UTC: a July day, in 2026.
        missing(session, world.colleague_child, f"2026-0{day + 2}-30T23:30:00")
    missing(session, world.other_team_child, "2026-04-04T12:00:00")
    missing(session, world.outsider_child, "2026-04-04T12:00:00")
    session.commit()
    return world


def unzipped(response) -> dict:
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def csv_rows(raw: bytes) -> list[dict]:
    assert raw.startswith("\ufeff".encode())  # so spreadsheet programs read UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def opened(response, tmp_path) -> sqlite_utils.Database:
    assert response.status_code == 200, response.text
    path = tmp_path / "open-data.sqlite"
    path.write_bytes(response.get_data())
    return sqlite_utils.Database(path)


def figure(rows, measure, area="ALL", care_status="all", area_kind="local_authority",
           category=""):
    (found,) = [row for row in rows if (row["measure"], row["area_code"], row["care_status"],
                                        row["area_kind"], row["category"])
                == (measure, area, care_status, area_kind, category)]
    return found


FIGURE_COLUMNS = ["area_kind", "area_code", "area", "care_status", "measure", "measure_title",
                  "category", "category_name", "value"]


def test_the_zip_holds_a_csv_a_group_small_counts_hidden(seeded, as_person):
    files = unzipped(as_person(seeded.supervisor).get("/reports/annual/figures.zip?year=2026"))
    assert {"incidents.csv", "bands.csv", "interviews.csv", "push_factors.csv",
            "data_dictionary.csv", "metadata.json"} <= set(files)
    rows = csv_rows(files["incidents.csv"])
    assert list(rows[0]) == FIGURE_COLUMNS
    # The team's 2026: Cerys twice (Cardiff), Dylan five times (no area). Which of the larger
    # counts are hidden too is suppression's choice; whatever is shown is the exact count.
    assert figure(rows, "incidents", CARDIFF)["value"] == "<5"
    assert figure(rows, "incidents")["value"] in {"7", "<5"}
    assert figure(rows, "incidents", "UNKNOWN")["value"] in {"5", "<5"}
    assert "5" in {figure(rows, "incidents", "UNKNOWN")["value"],
                   figure(rows, "incidents", "UNKNOWN", "not_looked_after")["value"]}
    assert {row["value"] for row in rows} <= {"<5", "0", "5", "6", "7"}
    cardiff = figure(rows, "incidents", CARDIFF)
    assert (cardiff["area"], cardiff["measure_title"]) == ("Cardiff", "Incidents")
    assert {row["measure"] for row in rows} <= {"incidents", "children", "repeat_incidents",
                                                "out_of_area_incidents"}
    assert not [row for row in rows if row["value"] in {"1", "2", "3", "4"}]
    dictionary = csv_rows(files["data_dictionary.csv"])
    assert [row["name"] for row in dictionary if row["kind"] == "column"] == FIGURE_COLUMNS
    assert any(row["name"] == "conducted_within_72_hours" and "72" in row["definition"]
               for row in dictionary)


def test_a_welsh_reader_gets_welsh_names(seeded, as_person):
    client = as_person(seeded.admin)
    files = unzipped(client.get("/reports/annual/figures.zip?year=2026&lang=cy"))
    rows = csv_rows(files["incidents.csv"])
    assert figure(rows, "incidents", CARDIFF)["area"] == "Caerdydd"
    assert list(rows[0]) == FIGURE_COLUMNS  # the columns' names are the same in every language


def test_the_sqlite_file_has_its_tables_and_columns(seeded, as_person, tmp_path):
    database = opened(as_person(seeded.admin).get("/reports/annual/open-data.sqlite?year=2026"),
                      tmp_path)
    assert set(database.table_names()) == {"figures", "data_dictionary", "columns", "areas",
                                           "incidents", "incident_codes"}
    assert list(database["figures"].columns_dict) == [
        "area_kind", "area_code", "area_en", "area_cy", "care_status", "care_status_en",
        "care_status_cy", "measure", "measure_title_en", "measure_title_cy", "category",
        "category_en", "category_cy", "value", "suppressed"]
    assert database["figures"].columns_dict["value"] is int
    cardiff = next(database["figures"].rows_where(
        "measure = 'incidents' and area_code = ? and care_status = 'all' and area_kind = "
        "'local_authority'", [CARDIFF]))
    assert (cardiff["value"], cardiff["suppressed"]) == (None, 1)
    assert (cardiff["area_en"], cardiff["area_cy"]) == ("Cardiff", "Caerdydd")
    assert database["areas"].get(CARDIFF)["police_force_code"] == SOUTH_WALES
    assert set(database["data_dictionary"].columns_dict) >= {
        "measure", "group", "unit", "title_en", "title_cy", "definition_en", "definition_cy"}
    described = {(row["table_name"], row["column_name"]) for row in database["columns"].rows}
    assert ("incidents", "age_band") in described and ("figures", "suppressed") in described


def test_the_incidents_are_de_identified(seeded, as_person, tmp_path):
    database = opened(as_person(seeded.admin).get("/reports/annual/open-data.sqlite?year=2026"),
                      tmp_path)
    incidents = list(database["incidents"].rows)
    # The organisation's 2026: Cerys twice, Dylan five times, Ffion once (Osian's is B's).
    assert len(incidents) == 8
    assert [row["incident"] for row in incidents] == list(range(1, 9))
    eve, birthday = incidents[0], incidents[1]
    assert birthday == {
        "incident": 2, "reported_missing_on": "2026-03-10", "returned_on": "2026-03-11",
        "age_band": "12-13", "care_status": "looked_after", "out_of_area": 1,
        "local_authority_code": CARDIFF, "police_force_code": SOUTH_WALES,
        "risk_grade": "high", "interview_offered_on": "2026-03-11",
        "interview_held_on": "2026-03-14", "held_within_72_hours": 1,
        "interviewer_type": "independent_service"}
    # The evening before her birthday she was still 11; 72 hours and a minute is late; the
    # force is the one covering Cardiff, none being recorded.
    assert (eve["age_band"], eve["held_within_72_hours"], eve["police_force_code"]) == (
        "10-11", 0, SOUTH_WALES)
    dylan = [row for row in incidents if row["care_status"] == "not_looked_after"
             and row["age_band"] == "unknown"]
    assert "2026-07-01" in [row["reported_missing_on"] for row in dylan]
    assert {(row["incident"], row["source"], row["list_name"], row["code"])
            for row in database["incident_codes"].rows} == {
        (2, "worker", "push_factor", "family_conflict"),
        (2, "worker", "harm", "criminal_exploitation"),
        (2, "young_person", "pull_factor", "to_see_friends")}


def every_cell(database) -> list[str]:
    return [str(value) for table in database.table_names()
            for row in database.execute(f"select * from [{table}]").fetchall() for value in row]


def test_nothing_in_the_file_names_a_child(seeded, as_person, tmp_path, session):
    database = opened(as_person(seeded.admin).get("/reports/annual/open-data.sqlite?year=2026"),
                      tmp_path)
    children = session.scalars(select(Child)).all()
    episodes = session.scalars(select(MissingEpisode)).all()
    identifying = ({child.given_name for child in children}
                   | {str(child.id) for child in children} | {str(e.id) for e in episodes}
                   | {BORN.isoformat(), "Gareth", "bus station", "09:15", "23:30", "T08:00"})
    for cell in every_cell(database):
        for word in identifying:
            assert word not in cell, f"{word!r} in {cell!r}"


def test_a_commissioner_gets_granted_areas_and_no_incidents(seeded, as_person, session,
                                                            tmp_path):
    session.add(CommissionerArea(person_id=seeded.commissioner.id, area_code=CARDIFF))
    session.commit()
    client = as_person(seeded.commissioner)
    database = opened(client.get("/reports/annual/open-data.sqlite?year=2026"), tmp_path)
    assert "incidents" not in database.table_names()
    assert "incident_codes" not in database.table_names()
    areas = {row["area_code"] for row in database["figures"].rows}
    assert areas <= {CARDIFF, "ALL", "UNKNOWN"} and CARDIFF in areas
    assert not [row for row in database["figures"].rows if row["value"] in {1, 2, 3, 4}]
    files = unzipped(client.get("/reports/annual/figures.zip?year=2026"))
    assert "incidents" not in json.loads(files["metadata.json"])["databases"]["open-data"][
        "tables"]
    refused = client.get(f"/reports/annual/figures.zip?year=2026&area={NEWPORT}")
    assert refused.status_code == 400
    assert "Choose an area from those you may read." in refused.text


def test_a_commissioner_with_no_areas_and_a_worker_are_refused(seeded, as_person):
    refused = as_person(seeded.commissioner).get("/reports/annual/figures.zip")
    assert refused.status_code == 403 and "administrator" in refused.text
    assert as_person(seeded.worker).get("/reports/annual/figures.zip").status_code == 403
    assert as_person(seeded.worker).get("/reports/annual/open-data.sqlite").status_code == 403


def test_a_bad_query_is_told_in_the_readers_language(seeded, as_person):
    client = as_person(seeded.admin)
    english = client.get("/reports/annual/open-data.sqlite?year=199")
    assert english.status_code == 400 and "Give a year from 2000" in english.text
    welsh = client.get("/reports/annual/figures.zip?from=2026-13-01&to=2026-01-01&lang=cy")
    assert welsh.status_code == 400 and "Rhowch ddyddiad fel blwyddyn-mis-diwrnod" in welsh.text


def test_the_supervisor_gets_the_team_alone(seeded, as_person, tmp_path):
    database = opened(as_person(seeded.supervisor).get(
        "/reports/annual/open-data.sqlite?year=2026"), tmp_path)
    assert database["incidents"].count == 7  # not Ffion's, of the other team


def test_an_area_narrows_the_export(seeded, as_person, tmp_path):
    database = opened(as_person(seeded.admin).get(
        f"/reports/annual/open-data.sqlite?year=2026&area={CARDIFF}"), tmp_path)
    assert {row["local_authority_code"] for row in database["incidents"].rows} == {CARDIFF}


def test_each_export_is_in_the_audit_trail_without_a_name(seeded, as_person, session):
    as_person(seeded.admin).get("/reports/annual/figures.zip?year=2026")
    as_person(seeded.supervisor).get("/reports/annual/open-data.sqlite?from=2026-01-01&to=2026-06-30")
    exports = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")
                              .order_by(AuditEvent.id)).all()
    assert [(e.person_id, e.collection, e.record_id, e.detail) for e in exports] == [
        (seeded.admin.id, "reports", None, "figures.zip 2026-01-01/2026-12-31 incidents"),
        (seeded.supervisor.id, "reports", None,
         "open-data.sqlite 2026-01-01/2026-06-30 incidents")]


def test_signed_out_the_download_leads_to_sign_in(client):
    response = client.get("/reports/annual/figures.zip?year=2026")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


@pytest.mark.parametrize("born, on_day, band", [
    (date(2016, 5, 1), date(2026, 4, 30), "under_10"),
    (date(2016, 5, 1), date(2026, 5, 1), "10-11"),  # the tenth birthday itself
    (date(2012, 5, 1), date(2026, 4, 30), "12-13"),
    (date(2010, 5, 1), date(2026, 5, 1), "16-17"),
    (date(2008, 5, 1), date(2026, 4, 30), "16-17"),
    (date(2008, 5, 1), date(2026, 5, 1), "18+"),
    (date(2012, 2, 29), date(2026, 2, 28), "12-13"),  # a leap day's birthday comes on 1 March
    (None, date(2026, 5, 1), "unknown"),
])
def test_age_bands_at_their_edges(born, on_day, band):
    assert age_band(born, on_day) == band


# --- the command line


def run(app, *args):
    return app.test_cli_runner().invoke(args=["report", "annual", *args])


def test_the_command_writes_the_zip_and_the_sqlite_file(app, seeded, tmp_path):
    # The world has two organisations: one must be named.
    several = run(app, "--year", "2026", "--format", "csv", "--output", str(tmp_path / "x.zip"))
    assert several.exit_code == 2 and "--organisation" in several.output
    written = run(app, "--year", "2026", "--organisation", "Organisation A", "--format", "csv",
                  "--output", str(tmp_path / "figures.zip"), "--language", "cy")
    assert written.exit_code == 0, written.output
    with zipfile.ZipFile(tmp_path / "figures.zip") as archive:
        rows = csv_rows(archive.read("incidents.csv"))
    assert figure(rows, "incidents", CARDIFF)["area"] == "Caerdydd"
    assert figure(rows, "incidents", CARDIFF)["value"] == "<5"
    path = tmp_path / "open-data.sqlite"
    written = run(app, "--year", "2026", "--organisation", "Organisation A", "--format",
                  "sqlite", "--output", str(path), "--area", CARDIFF)
    assert written.exit_code == 0, written.output
    database = sqlite_utils.Database(path)
    assert "incidents" not in database.table_names()  # figures alone from the command
    assert {row["area_code"] for row in database["figures"].rows
            if row["area_kind"] == "local_authority"} <= {CARDIFF, "ALL"}
    assert not [row for row in database["figures"].rows if row["value"] in {1, 2, 3, 4}]


@pytest.mark.parametrize("args, words", [
    (["--year", "1999"], "--year: Give a year from 2000"),
    (["--from", "2026-02-30", "--to", "2026-03-01"], "--from: Give a date"),
    (["--area", "W99999999"], "--area: not a known area code"),
    (["--organisation", "Nobody"], "No organisation is named 'Nobody'"),
])
def test_the_command_says_what_is_wrong(app, seeded, tmp_path, args, words):
    base = ["--format", "sqlite", "--output", str(tmp_path / "x.sqlite")]
    organisation = [] if "--organisation" in args else ["--organisation", "Organisation A"]
    result = run(app, *base, *organisation, *args)
    assert result.exit_code == 2 and words in result.output, result.output
    assert not (tmp_path / "x.sqlite").exists()


def test_a_suppressed_value_is_null_in_sqlite_not_a_small_number(seeded, as_person, tmp_path):
    database = opened(as_person(seeded.admin).get("/reports/annual/open-data.sqlite?year=2026"),
                      tmp_path)
    connection = sqlite3.connect(tmp_path / "open-data.sqlite")
    hidden = connection.execute(
        "select count(*) from figures where suppressed = 1 and value is not null").fetchone()
    assert hidden == (0,)
    assert database["figures"].count > 0


def test_the_command_writes_the_printable_report(app, seeded, tmp_path):
    path = tmp_path / "report.html"
    written = run(app, "--year", "2026", "--organisation", "Organisation A", "--format", "html",
                  "--output", str(path), "--language", "cy")
    assert written.exit_code == 0, written.output
    document = path.read_text(encoding="utf-8")
    assert document.startswith("<!DOCTYPE html>") or document.lstrip().startswith("<!")
    assert 'lang="cy"' in document and "Caerdydd" in document
    assert "&lt;5" in document  # published: Cardiff's two incidents hidden
    assert "Cerys" not in document
