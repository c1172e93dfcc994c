"""What the report holds for a version 2 interview: the child's own words read from their
self-report as the supervisor's page reads them (an item withheld by its question id), the
risks, the referrals with their status, the Active Offer and the agreed actions."""

import html as html_module

from tests.api.helpers import (
    API,
    create,
    create_child,
    create_episode,
    create_interview,
    offer_advocacy,
    patch,
    questionnaire_id,
)
from tests.sharing.conftest import form_token
from tests.youngperson.helpers import TELL_ADULTS, report_fields

OUTCOME = "A strategy meeting on 10 March; her social worker visits weekly."


def signed_off_with_self_report(world, as_person) -> dict:
    web = as_person(world.worker)
    child = create_child(web, given="Nia", family="Rees", date_of_birth="2011-05-17")
    episode = create_episode(web, child["id"], risk_grade="high")
    interview = create_interview(web, episode["id"], consent="accepted",
                                 conducted_at="2026-03-03T14:30:00+00:00", language="en",
                                 questionnaire_version_id=questionnaire_id(web, 2),
                                 harms=["sexual_exploitation"], why_missing="An argument.")
    response = web.post(f"{API}/self_reports", json=report_fields(
        interview["id"], interview["questionnaire_version_id"]))
    assert response.status_code == 201, response.get_data(as_text=True)
    create(web, "referrals", interview_id=interview["id"], kind="safeguarding_referral",
           status="made", made_at="2026-03-03T16:00:00+00:00", made_to="Conwy MASH",
           outcome=OUTCOME, outcome_at="2026-03-04T10:00:00+00:00")
    create(web, "referrals", interview_id=interview["id"], kind="substance_misuse_service",
           status="dismissed", dismissed_reason="No sign of it")
    offer_advocacy(web, interview["id"], response="accepted")
    patch(web, "interviews", interview["id"], status="submitted")
    patch(as_person(world.supervisor), "interviews", interview["id"], status="approved")
    return interview


def test_the_report_holds_the_childs_words_risks_referrals_and_actions(world, as_person):
    interview = signed_off_with_self_report(world, as_person)
    supervisor = as_person(world.supervisor)
    address = f"/review/interviews/{interview['id']}/report"
    saved = supervisor.post(address + "/choices", data={
        "csrf_token": form_token(supervisor, address), "withheld": ["yp_why_left_other"]})
    assert saved.status_code == 303, saved.text
    page = html_module.unescape(supervisor.get(address + "?lang=en").text)
    report = page.split('<article class="interview-report">')[1].split("</article>")[0]
    assert "Report of the interview with Nia Rees" in report
    assert "Tuesday, 17 May 2011" in report
    assert "An argument." in report
    assert TELL_ADULTS in report and "Too loud at home" not in report
    assert "Chose not to say" in report  # a question the child skipped, as the review reads it
    assert "Police risk grade" not in report and "High" in report
    assert "Sexual exploitation" in report
    assert "Safeguarding referral" in report and "Made: waiting for an answer: Conwy MASH" in report
    assert "Substance misuse service" not in report  # dismissed: never made
    assert "Offered on" in report and "Accepted" in report
    assert f"Safeguarding referral: {OUTCOME}" in report
