"""The supervisor's page of what is outstanding: referrals waiting for their next step and
looked-after children with no Active Offer recorded, by worker and by child, each linked to its
interview; in English and in Welsh."""

import re
from html import unescape

from tests.api.helpers import create, patch
from tests.referrals.helpers import (
    ANSWERED,
    MADE,
    SUGGESTED,
    answered_offer,
    interview_of,
)


def page(client, language="en"):
    response = client.get(f"/review/referrals?lang={language}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return unescape(response.get_data(as_text=True))


def row_of(html: str, name: str) -> list[str]:
    """The cells of the by-worker table's row of this worker."""
    row = re.search(rf"<tr><th scope=\"row\">{re.escape(name)}</th>(.*?)</tr>", html)
    assert row, f"no row for {name}"
    return re.findall(r"<td>(.*?)</td>", row.group(1))


def section_of(html: str, child_name: str) -> str:
    found = re.search(rf">{re.escape(child_name)}</h3>(.*?)</section>", html, re.S)
    assert found, f"no section for {child_name}"
    return found.group(1)


def test_what_waits_is_shown_by_worker_and_by_child(world, as_person):
    worker, colleague = as_person(world.worker), as_person(world.colleague)
    held = interview_of(worker, world.child.id)
    create(worker, "referrals", interview_id=held["id"],
           kind="national_referral_mechanism", suggested_at=SUGGESTED)
    done = create(worker, "referrals", interview_id=held["id"], kind="substance_misuse_service",
                  status="made", made_at=MADE, made_to="Barod", made_how="phone")
    patch(worker, "referrals", done["id"], status="accepted", responded_at=ANSWERED)
    create(worker, "referrals", interview_id=held["id"], kind="other", status="dismissed",
           dismissed_reason="Not needed")
    colleagues = interview_of(colleague, world.colleague_child.id)
    create(colleague, "referrals", interview_id=colleagues["id"], kind="safeguarding_referral",
           status="made", made_at=MADE, made_to="MASH", made_how="email")
    interview_of(as_person(world.other_team_worker), world.other_team_child.id)

    html = page(as_person(world.supervisor))
    assert "3 things are waiting." in html
    assert row_of(html, "Will Worker") == ["1", "1"]
    assert row_of(html, "Cai Colleague") == ["1", "0"]
    cerys = section_of(html, "Cerys Test")
    assert "National Referral Mechanism: Suggested: not yet offered, made or dismissed" in cerys
    assert "Looked after: no Active Offer of advocacy recorded" in cerys
    assert cerys.count(f'href="/review/interviews/{held["id"]}"') == 2
    assert "Substance misuse" not in html and "Another referral" not in html
    dylan = section_of(html, "Dylan Test")
    assert "Safeguarding referral: Made: waiting for an answer" in dylan
    assert "Ffion" not in html  # another team's child


def test_an_answered_active_offer_leaves_the_page(world, as_person):
    worker = as_person(world.worker)
    held = interview_of(worker, world.child.id)
    supervisor = as_person(world.supervisor)
    assert "no Active Offer of advocacy recorded" in page(supervisor)
    create(worker, "advocacy_offers", **answered_offer(held["id"]))
    html = page(supervisor)
    assert "Nothing is waiting." in html and "Cerys" not in html


def test_the_page_speaks_welsh_and_is_linked_from_the_interviews(world, as_person):
    worker = as_person(world.worker)
    interview_of(worker, world.child.id)
    supervisor = as_person(world.supervisor)
    html = page(supervisor, "cy")
    assert "Atgyfeiriadau sy'n aros" in html
    assert "Yn derbyn gofal: dim Cynnig Rhagweithiol o eiriolaeth wedi'i gofnodi" in html
    assert 'href="/review/referrals"' in supervisor.get("/review/?lang=en").get_data(as_text=True)


def test_only_reviewers_see_the_page(world, as_person):
    assert as_person(world.worker).get("/review/referrals").status_code == 403
