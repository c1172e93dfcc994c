"""The partner intelligence submission a supervisor opens once an interview is approved: for
the police force of the area where the child was found, the items by kind with the child's view
on sharing beside each, in the reader's language; the statement that an exploited child is a
victim and not an offender; the same as a CSV; none of it in the interview CSV."""

import csv
import io
import uuid

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role, Team
from app.auth.services import add_person
from tests.intelligence.conftest import KEPT_VALUES, approve, in_language, make_case, submit

VICTIM = {
    "en": "This child is a victim of exploitation and must not be treated as an offender for "
          "what they were made to do.",
    "cy": "Mae'r plentyn hwn yn ddioddefwr cam-fanteisio, ac ni ddylid ei drin fel troseddwr am "
          "yr hyn y cafodd ei orfodi i'w wneud.",
}
FORCE_NAME = {"en": "Dyfed-Powys Police", "cy": "Heddlu Dyfed-Powys"}
VIEWS = {"en": ("Happy for it to be shared", "Not sure", "Not happy for it to be shared",
                "Not asked"),
         "cy": ("Yn hapus iddi gael ei rhannu", "Ddim yn siŵr",
                "Ddim yn hapus iddi gael ei rhannu", "Heb ofyn iddyn nhw")}
KINDS = {"en": ("A person", "A place", "A vehicle", "A phone number", "A social media account"),
         "cy": ("Person", "Lle", "Cerbyd", "Rhif ffôn", "Cyfrif cyfryngau cymdeithasol")}


def page_of(client, case, suffix=""):
    return client.get(f"/review/interviews/{case.interview['id']}/intelligence{suffix}")


def audited(session, action: str, collection: str) -> set:
    return set(session.scalars(select(AuditEvent.record_id).where(
        AuditEvent.action == action, AuditEvent.collection == collection)))


@pytest.mark.parametrize("stage", ["draft", "submitted"])
def test_before_approval_the_page_says_why(worker, supervisor, stage):
    case = make_case(worker, harms=["criminal_exploitation"])
    if stage == "submitted":
        submit(case)
    for suffix in ("", ".csv"):
        response = page_of(supervisor, case, suffix)
        assert response.status_code == 409
        assert response.mimetype == "text/html"
        assert "approved the interview" in response.text
        assert "Dai Bach" not in response.text


@pytest.mark.parametrize("language", ["en", "cy"])
def test_after_approval_the_submission_lists_the_items_by_kind(world, worker, supervisor,
                                                               session, language):
    case = make_case(worker, harms=["criminal_exploitation"])
    approve(case, supervisor)
    response = page_of(in_language(supervisor, language), case)
    assert response.status_code == 200, response.text
    text = response.text.replace("&#39;", "'")
    assert f'<html lang="{language}">' in text
    assert FORCE_NAME[language] in text
    assert "Organisation A" in text
    assert "Gwenllïan Prŷs" in text
    assert VICTIM[language] in text
    positions = [text.index(f"<h2>{kind}</h2>") for kind in KINDS[language]]
    assert positions == sorted(positions)
    for value in KEPT_VALUES:
        assert value in text
    for view in VIEWS[language]:
        assert view in text
    assert audited(session, "read", "intelligence_items") == {
        uuid.UUID(item["id"]) for item in case.items}
    assert audited(session, "read", "interviews") >= {uuid.UUID(case.interview["id"])}


@pytest.mark.parametrize("harm", ["sexual_exploitation", "trafficking_or_modern_slavery"])
def test_other_exploitation_is_stated_too(worker, supervisor, harm):
    case = make_case(worker, harms=[harm])
    approve(case, supervisor)
    assert VICTIM["en"] in page_of(supervisor, case).text.replace("&#39;", "'")


def test_without_exploitation_there_is_no_statement(worker, supervisor):
    case = make_case(worker, harms=["drugs_or_alcohol"])
    approve(case, supervisor)
    text = page_of(supervisor, case).text.replace("&#39;", "'")
    assert "Dai Bach" in text
    assert VICTIM["en"] not in text


def test_only_the_team_s_reviewers_open_it(world, worker, supervisor, as_person):
    case = make_case(worker)
    approve(case, supervisor)
    assert page_of(worker, case).status_code == 403
    assert page_of(as_person(world.admin), case).status_code == 200
    outsider = as_person(world.outsider)
    assert page_of(outsider, case).status_code == 403  # a worker elsewhere
    signed_out = page_of(supervisor.application.test_client(), case)
    assert signed_out.status_code == 302 and "/sign-in" in signed_out.headers["Location"]


def test_another_organisation_s_supervisor_finds_nothing(world, worker, supervisor, session,
                                                        as_person, password_hash):
    case = make_case(worker)
    approve(case, supervisor)
    elsewhere = add_person(session, world.org_b, session.get(Team, world.outsider.team_id),
                           Role.SUPERVISOR, "Betsan Bee", "betsan@example.org", password_hash,
                           "en")
    session.commit()
    assert page_of(as_person(elsewhere), case).status_code == 404
    assert page_of(as_person(elsewhere), case, ".csv").status_code == 404


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_submission_as_a_csv(worker, supervisor, session, language):
    case = make_case(worker, harms=["criminal_exploitation"])
    approve(case, supervisor)
    response = page_of(in_language(supervisor, language), case, ".csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    header, items = rows[0], rows[1:]
    assert len(items) == 5
    assert {row[header.index(KIND_COLUMN[language])] for row in items} == set(KINDS[language])
    everything = "\n".join(",".join(row) for row in items)
    for value in KEPT_VALUES:
        assert value in everything
    for row in items:
        assert row[0] == "Organisation A"
        assert FORCE_NAME[language] in row
        assert "Gwenllïan Prŷs" in row and "2011-04-09" in row
        assert VICTIM[language] in row
    vehicle = next(row for row in items if "CU15XYZ" in row)
    assert vehicle[-1] == VIEWS[language][2]
    assert audited(session, "export", "intelligence_items") == {
        uuid.UUID(item["id"]) for item in case.items}


KIND_COLUMN = {"en": "Kind", "cy": "Math"}


def test_never_in_the_interview_csv(worker, supervisor):
    case = make_case(worker, harms=["criminal_exploitation"])
    approve(case, supervisor)
    response = supervisor.get("/reports/interviews.csv")
    assert response.status_code == 200
    text = response.get_data().decode("utf-8-sig")
    assert "Gwenllïan Prŷs" in text  # the interview is there
    for value in KEPT_VALUES:
        assert value not in text
    assert "7911123456" not in text and "CU15 XYZ" not in text.upper()


def test_never_on_the_interview_page_itself(worker, supervisor):
    case = make_case(worker)
    approve(case, supervisor)
    text = supervisor.get(f"/review/interviews/{case.interview['id']}").text
    assert "Gwenllïan Prŷs" in text
    for value in KEPT_VALUES:
        assert value not in text
    assert f"/review/interviews/{case.interview['id']}/intelligence" in text



def api_of(client, case):
    return client.get(f"/api/v1/interviews/{case.interview['id']}/intelligence-submission")


def test_the_api_refuses_before_approval_as_a_problem(worker, supervisor):
    case = make_case(worker)
    submit(case)
    response = api_of(supervisor, case)
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert "approved the interview" in response.json["detail"]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_api_gives_the_submission(worker, supervisor, language):
    case = make_case(worker, harms=["sexual_exploitation"])
    approve(case, supervisor)
    body = api_of(in_language(supervisor, language), case).json
    assert body["police_force_code"] == "W15000004"
    assert body["police_force"] == FORCE_NAME[language]
    assert body["organisation"] == "Organisation A"
    assert body["child"] == {"given_name": "Gwenllïan", "family_name": "Prŷs",
                             "date_of_birth": "2011-04-09"}
    assert body["victim_of_exploitation"] is True
    assert body["statement"] == VICTIM[language]
    assert [item["kind_label"] for item in body["items"]] == list(KINDS[language])
    vehicle = next(item for item in body["items"] if item["kind"] == "vehicle")
    assert vehicle["vehicle_registration"] == "CU15XYZ"
    assert vehicle["sharing_view_label"] == VIEWS[language][2]


def test_the_api_answers_only_the_team_s_reviewers(world, worker, supervisor, as_person):
    case = make_case(worker)
    approve(case, supervisor)
    assert api_of(worker, case).status_code == 403
    assert api_of(as_person(world.outsider), case).status_code == 403
    assert api_of(as_person(world.admin), case).status_code == 200


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_interview_record_says_so_too(worker, supervisor, language):
    exploited = make_case(worker, harms=["trafficking_or_modern_slavery"], items=())
    not_exploited = make_case(worker, harms=["drugs_or_alcohol"], items=())
    reader = in_language(supervisor, language)
    for case, said in ((exploited, True), (not_exploited, False)):
        submit(case)
        text = reader.get(f"/review/interviews/{case.interview['id']}").text
        assert (VICTIM[language] in text.replace("&#39;", "'")) is said
