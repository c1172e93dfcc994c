"""The interview's report: refused before sign-off; after it, in Welsh and in English, without
what the child asked not to share, except what is shared for their safety, which it says; the
override refused without why or when the child was told; each share listed and audited; only
for a supervisor of the child's team."""

import html as html_module
import uuid

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.sharing.models import ReportShare
from tests.sharing.conftest import (
    TELL_ADULTS,
    WHAT_HAPPENED,
    WHERE,
    form_token,
    report_address,
    told_and_signed_off,
)


def text_of(response) -> str:
    return html_module.unescape(response.text)


def withhold(client, told, **fields):
    address = report_address(told)
    data = {"csrf_token": form_token(client, address)} | fields
    return client.post(address + "/choices", data=data)


def test_the_report_is_refused_before_sign_off(world, as_person):
    told = told_and_signed_off(world, as_person, approve=False)
    response = as_person(world.supervisor).get(report_address(told) + "?lang=en")
    assert response.status_code == 409
    assert "only once a supervisor has signed the interview off" in text_of(response)
    welsh = as_person(world.supervisor).get(report_address(told) + "?lang=cy")
    assert welsh.status_code == 409 and "signed the interview off" not in text_of(welsh)


def test_the_report_leaves_out_what_is_withheld_and_states_an_override(signed_off, world,
                                                                       as_person):
    supervisor = as_person(world.supervisor)
    saved = withhold(supervisor, signed_off, withheld=["what_happened", "yp_tell_adults"],
                     overridden=["yp_tell_adults"], override_reason="Her nan's house is unsafe",
                     child_told_at="2026-03-04")
    assert saved.status_code == 303, saved.text
    english = text_of(supervisor.get(report_address(signed_off) + "?lang=en"))
    report = english.split('<article class="interview-report">')[1].split("</article>")[0]
    assert "Report of the interview with Gwenllïan Prŷs" in report
    assert WHAT_HAPPENED not in report and WHERE in report and TELL_ADULTS in report
    assert ("Shared for the child's safety, although they asked us not to: Her nan's house is "
            "unsafe. They were told on Wednesday, 4 March 2026.") in report
    welsh = text_of(supervisor.get(report_address(signed_off) + "?lang=cy"))
    report = welsh.split('<article class="interview-report">')[1].split("</article>")[0]
    assert "Adroddiad y cyfweliad gyda Gwenllïan Prŷs" in report
    assert WHAT_HAPPENED not in report and WHERE in report and TELL_ADULTS in report
    assert "Dydd Mercher, 4 Mawrth 2026" in report
    assert "Shared for the child" not in report and "Risks" not in report


def test_an_override_needs_a_reason_and_the_day_the_child_was_told(signed_off, world,
                                                                    as_person, session):
    supervisor = as_person(world.supervisor)
    refused = withhold(supervisor, signed_off, withheld=["yp_tell_adults"],
                       overridden=["yp_tell_adults"], override_reason=" ")
    assert refused.status_code == 422
    page = text_of(refused)
    assert "Say why it is shared for the child's safety." in page
    assert "Enter the date the child was told it would be shared." in page
    page = text_of(supervisor.get(report_address(signed_off) + "?lang=en"))
    # Nothing was saved: the item stays in the report, with no override stated.
    assert TELL_ADULTS in page and "Shared for the child's safety" not in page
    not_withheld = withhold(supervisor, signed_off, withheld=[], overridden=["why_missing"],
                            override_reason="x", child_told_at="2026-03-04")
    assert not_withheld.status_code == 422
    assert "Only something the child asked not to share" in text_of(not_withheld)


def test_a_share_is_recorded_listed_and_audited(signed_off, world, as_person, session):
    supervisor = as_person(world.supervisor)
    address = report_address(signed_off)
    missing = supervisor.post(address + "/shares", data={
        "csrf_token": form_token(supervisor, address), "recipient_kind": "social_worker",
        "recipient_name": "Rhian Jones", "language": "cy", "reason": ""})
    assert missing.status_code == 422
    assert "Say why the report is shared with them." in text_of(missing)
    shared = supervisor.post(address + "/shares", data={
        "csrf_token": form_token(supervisor, address), "recipient_kind": "social_worker",
        "recipient_name": "Rhian Jones", "language": "cy", "reason": "Review of her care plan"})
    assert shared.status_code == 303
    page = text_of(supervisor.get(address + "?lang=en"))
    listed = page.split("Who has received the report")[1]
    assert "Rhian Jones (The child's social worker)" in listed
    assert "Review of her care plan" in listed and "Cymraeg" in listed
    share = session.scalars(select(ReportShare)).one()
    assert share.shared_by == world.supervisor.id and share.language == "cy"
    audited = session.scalars(select(AuditEvent).where(AuditEvent.action == "share")).all()
    assert [(e.person_id, e.collection, e.record_id) for e in audited] == [
        (world.supervisor.id, "interview_reports", share.id)]


def test_only_a_supervisor_of_the_childs_team_reads_or_shares_it(
        signed_off, world, as_person, session, password_hash):
    from app.auth.models import Role
    from app.auth.services import add_person

    address = report_address(signed_off)
    assert as_person(world.worker).get(address).status_code == 403
    assert as_person(world.outsider).get(address).status_code == 403
    other_supervisor = add_person(session, world.org_a, world.other_team, Role.SUPERVISOR,
                                  "Sioned Other", "sioned.other@example.org", password_hash)
    session.commit()
    assert as_person(other_supervisor).get(address).status_code == 404
    assert as_person(world.supervisor).get(
        f"/review/interviews/{uuid.uuid4()}/report").status_code == 404
    worker = as_person(world.worker)
    refused = worker.post(address + "/shares", data={
        "csrf_token": form_token(worker, "/review/rescue"), "recipient_kind": "other",
        "recipient_name": "Someone", "language": "en", "reason": "Because"})
    assert refused.status_code == 403
    assert session.scalars(select(ReportShare)).all() == []
