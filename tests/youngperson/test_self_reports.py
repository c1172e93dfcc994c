"""The young person's own section, made and changed through the JSON API and a tablet's push,
refused alike for the same faults, kept as coded rows, carried by pulls, seen as its interview
is."""

import uuid

import pytest
from sqlalchemy import text

from tests.api.helpers import (
    API,
    assert_problem,
    create_child,
    create_episode,
    create_interview,
    questionnaire_id,
)
from tests.sync.http_helpers import enrol, new_case, record, statuses
from tests.youngperson.helpers import BAD, TELL_ADULTS, report_fields

CONDUCTED = "2026-03-03T14:30:00+00:00"


@pytest.fixture
def web(world, as_person):
    return as_person(world.worker)


@pytest.fixture
def interview(web):
    child = create_child(web, given="Nia", family="Rees")
    episode = create_episode(web, child["id"])
    return create_interview(web, episode["id"], consent="accepted", conducted_at=CONDUCTED,
                            questionnaire_version_id=questionnaire_id(web, 2))


def post_report(client, interview, **changes):
    return client.post(f"{API}/self_reports", json=report_fields(
        interview["id"], interview["questionnaire_version_id"], **changes))


def messages(errors: list) -> dict:
    return {e["field"]: e["messages"] for e in errors}


def test_the_api_makes_and_changes_a_self_report(web, interview):
    response = post_report(web, interview)
    assert response.status_code == 201, response.get_data(as_text=True)
    made = response.json
    assert made["push_factors"] == ["family_conflict", "other"]
    assert made["talk_to"] == ["advocate"]
    assert made["answers"]["yp_tell_adults"] == TELL_ADULTS
    assert made["question_states"]["yp_hurt"] == "skipped"
    changed = web.patch(f"{API}/self_reports/{made['id']}",
                        json={"feeling_now": "very_good", "talk_to": ["my_worker", "advocate"]})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    again = web.get(f"{API}/self_reports/{made['id']}").json
    assert again["feeling_now"] == "very_good"
    assert again["talk_to"] == ["advocate", "my_worker"]
    listed = web.get(f"{API}/self_reports", query_string={"interview_id": interview["id"]}).json
    assert [item["id"] for item in listed["items"]] == [made["id"]]


def test_codes_are_rows_a_report_counts_with_sql(web, interview, session):
    report = post_report(web, interview).json
    rows = session.execute(text(
        "SELECT list_name, count(*) FROM self_report_codes WHERE self_report_id = :id "
        "GROUP BY list_name ORDER BY list_name"), {"id": uuid.UUID(report["id"]).hex
                                                  if session.get_bind().dialect.name == "sqlite"
                                                  else report["id"]}).all()
    assert [tuple(row) for row in rows] == [("pull_factor", 1), ("push_factor", 2),
                                            ("talk_to", 1)]


@pytest.mark.parametrize("case", list(BAD))
def test_the_api_refuses_a_bad_report_naming_the_fault(web, interview, case):
    changes, field, words = BAD[case]
    body = assert_problem(post_report(web, interview, **changes), 422, [field])
    if words:
        assert messages(body["errors"])[field] == [words]


@pytest.mark.parametrize("case", list(BAD))
def test_a_push_refuses_a_bad_report_with_the_same_words(app, web, interview, case):
    changes, field, words = BAD[case]
    tablet = enrol(app, web)
    fields = report_fields(interview["id"], interview["questionnaire_version_id"], **changes)
    body = tablet.push([tablet.mutation("self_reports", uuid.uuid4(), fields)])
    (result,) = body["results"]
    assert result["status"] == "rejected"
    assert field in result["errors"]
    if words:
        assert result["errors"][field] == [words]


def test_a_second_report_of_an_interview_is_refused(web, interview):
    assert post_report(web, interview).status_code == 201
    body = assert_problem(post_report(web, interview), 422, ["interview_id"])
    assert messages(body["errors"])["interview_id"] == [
        "This interview already has the young person's own section."]


def test_a_version_without_the_childs_section_or_unknown_is_refused(web, interview):
    assert_problem(post_report(web, interview, questionnaire_version_id=str(uuid.uuid4())), 422,
                   ["questionnaire_version_id"])


def test_a_submitted_interview_locks_its_report(app, web, interview):
    report = post_report(web, interview).json
    submitted = web.patch(f"{API}/interviews/{interview['id']}", json={"status": "submitted"})
    assert submitted.status_code == 200, submitted.get_data(as_text=True)
    said = "This interview has been submitted. A supervisor must return it before it can be " \
           "changed."
    body = assert_problem(web.patch(f"{API}/self_reports/{report['id']}",
                                    json={"feeling_now": "bad"}), 409, ["interview_id"])
    assert messages(body["errors"])["interview_id"] == [said]
    tablet = enrol(app, web)
    pushed = tablet.push([tablet.mutation("self_reports", report["id"], {"feeling_now": "bad"},
                                          base_rev=report["rev"])])
    assert statuses(pushed) == ["rejected"]
    assert pushed["results"][0]["errors"] == {"interview_id": [said]}


def test_a_push_makes_and_changes_a_report_and_a_pull_carries_it(app, web, session):
    tablet = enrol(app, web)
    ids, mutations = new_case(tablet, interview_fields={
        "questionnaire_version_id": questionnaire_id(web, 2)})
    report_id = uuid.uuid4()
    fields = report_fields(ids["interviews"], questionnaire_id(web, 2))
    body = tablet.push([*mutations, tablet.mutation("self_reports", report_id, fields)])
    assert statuses(body) == ["applied"] * 4, body
    first = tablet.pull()
    pulled = record(first, "self_reports", report_id)
    assert pulled["push_factors"] == ["family_conflict", "other"]
    assert pulled["question_states"]["yp_where_live"] == "not_reached"
    body = tablet.push([tablet.mutation("self_reports", report_id,
                                        {"pull_factors": [], "hurt": None},
                                        base_rev=pulled["rev"])])
    assert statuses(body) == ["applied"], body
    other = enrol(app, web, "Another tablet")
    assert record(other.pull(), "self_reports", report_id)["pull_factors"] == []
    count = session.execute(text("SELECT count(*) FROM self_report_codes WHERE list_name = "
                                 "'pull_factor'")).scalar()
    assert count == 0


def test_another_organisations_worker_cannot_see_a_report(world, as_person, web, interview, app):
    report = post_report(web, interview).json
    outsider = as_person(world.outsider)
    assert outsider.get(f"{API}/self_reports/{report['id']}").status_code == 404
    assert outsider.get(f"{API}/self_reports").json["items"] == []
    tablet = enrol(app, outsider)
    assert ("self_reports", report["id"]) not in tablet.pull()["changes"]
    body = assert_problem(outsider.post(f"{API}/self_reports", json=report_fields(
        interview["id"], interview["questionnaire_version_id"])), 422, ["interview_id"])
    assert messages(body["errors"])["interview_id"] == ["No such interview among your cases."]
