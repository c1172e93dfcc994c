"""The board answers "what needs me now?": each section holds the supervisor's team's cases (an
admin's organisation's) and no others, each row one click from its interview, counted, the first
of each shown with a link to the rest."""

from datetime import timedelta

from app.referrals.models import Referral, ReferralStatus
from app.syncing.models import SyncConflict
from tests.board.helpers import (
    APPROVED,
    BOARD,
    SUBMITTED,
    attempts,
    child,
    count_of,
    declined,
    episode,
    intelligence,
    interview,
    now,
    section_of,
    tablet,
)


def test_open_windows_of_the_team_soonest_first_with_time_left_in_words_and_badge(
        session, world, as_person):
    episode(session, world.child, hours_ago=70)  # 2 hours left
    episode(session, world.colleague_child, hours_ago=10)  # 62 hours left
    episode(session, world.other_team_child, hours_ago=5)
    episode(session, world.outsider_child, hours_ago=5)
    session.commit()
    page = as_person(world.supervisor).get(BOARD).text
    windows = section_of(page, "open")
    assert count_of(page, "open") == 2
    assert windows.index("Cerys Test") < windows.index("Dylan Test")
    assert "Interview due within 2 hours" in windows
    assert "Under 12 hours left" in windows
    assert "Interview due within 62 hours" in windows
    assert "More than a day left" in windows
    assert "Ffion" not in page and "Osian" not in page


def test_an_admin_sees_the_organisation_and_never_another(session, world, as_person):
    episode(session, world.other_team_child, hours_ago=5)
    episode(session, world.outsider_child, hours_ago=5)
    session.commit()
    page = as_person(world.admin).get(BOARD).text
    assert "Ffion Test" in section_of(page, "open")
    assert "Osian" not in page


def test_a_worker_and_a_commissioner_are_refused_and_the_signed_out_sent_to_sign_in(
        world, as_person, client):
    assert as_person(world.worker).get(BOARD).status_code == 403
    assert as_person(world.commissioner).get(BOARD).status_code == 403
    assert as_person(world.worker).get("/board/open").status_code == 403
    response = client.get("/board")
    assert response.status_code == 302
    assert "/sign-in" in response.location and "next=/board" in response.location


def test_overdue_and_declined_and_held(session, world, as_person):
    episode(session, world.child, hours_ago=100)  # overdue by 28 hours, nothing started
    refused = episode(session, world.colleague_child, hours_ago=100)
    declined(session, refused, world.colleague)
    held = episode(session, child(session, world.child, "Heledd"), hours_ago=100)
    interview(session, held, world.worker, conducted_at=now() - timedelta(hours=50))
    session.commit()
    page = as_person(world.supervisor).get(BOARD).text
    overdue = section_of(page, "overdue")
    assert "Cerys Test" in overdue and "Interview overdue by 28 hours" in overdue
    assert "No interview started yet" in overdue
    assert "Dylan" not in overdue and "Heledd" not in overdue
    assert count_of(page, "overdue") == 1
    offers = section_of(page, "declined")
    assert "Dylan Test" in offers and count_of(page, "declined") == 1
    assert "Heledd" not in page


def test_failing_attempts(session, world, as_person):
    three = interview(session, episode(session, world.child, hours_ago=5), world.worker)
    attempts(session, three, "no_answer", "child_not_available", "no_answer")
    reached = interview(session, episode(session, world.colleague_child, hours_ago=5),
                        world.colleague)
    attempts(session, reached, "no_answer", "spoke_to_child", "no_answer")
    closing = interview(session, episode(session, child(session, world.child, "Gethin"),
                                         hours_ago=60), world.worker)
    attempts(session, closing, "wrong_contact_details")
    early = interview(session, episode(session, child(session, world.child, "Alys"),
                                       hours_ago=10), world.worker)
    attempts(session, early, "no_answer")
    session.commit()
    failing = section_of(as_person(world.supervisor).get(BOARD).text, "failing")
    assert "Cerys Test" in failing and "3 attempts, none reached the young person." in failing
    assert "Gethin Test" in failing and "1 attempt, none reached the young person." in failing
    assert "Dylan" not in failing and "Alys" not in failing
    assert f'href="/review/interviews/{three.id}"' in failing


def test_repeat_thresholds_crossed_by_the_areas_policy(session, world, as_person):
    dyfed_powys = "W15000004"  # 3 or more episodes in 12 months
    for hours in (24 * 100, 24 * 50):
        episode(session, world.child, hours_ago=hours, reporting_force_code=dyfed_powys)
    latest = episode(session, world.child, hours_ago=5, reporting_force_code=dyfed_powys)
    interview(session, latest, world.worker)
    episode(session, world.colleague_child, hours_ago=24 * 50, reporting_force_code=dyfed_powys)
    interview(session, episode(session, world.colleague_child, hours_ago=5,
                               reporting_force_code=dyfed_powys), world.colleague)
    session.commit()
    repeats = section_of(as_person(world.supervisor).get(BOARD).text, "repeats")
    assert "Cerys Test" in repeats and "3 missing episodes in the last 12 months" in repeats
    assert "Dylan" not in repeats  # two episodes: below the threshold


def test_a_threshold_acted_on_leaves_the_repeats(session, world, as_person):
    dyfed_powys = "W15000004"
    for hours in (24 * 100, 24 * 50):
        episode(session, world.child, hours_ago=hours, reporting_force_code=dyfed_powys)
    held = interview(session, episode(session, world.child, hours_ago=5,
                                      reporting_force_code=dyfed_powys), world.worker)
    session.add(Referral(organisation_id=held.organisation_id, interview_id=held.id,
                         kind="repeat_multi_agency_discussion", status=ReferralStatus.MADE))
    session.commit()
    page = as_person(world.supervisor).get(BOARD).text
    assert count_of(page, "repeats") == 0
    assert "Cerys Test" in section_of(page, "referrals")  # now waiting for an answer


def test_referrals_outstanding_from_the_referrals_service(session, world, as_person):
    held = interview(session, episode(session, world.colleague_child, hours_ago=5),
                     world.colleague)
    session.add(Referral(organisation_id=held.organisation_id, interview_id=held.id,
                         kind="other", status=ReferralStatus.OFFERED))
    other = interview(session, episode(session, world.other_team_child, hours_ago=5),
                      world.other_team_worker)
    session.add(Referral(organisation_id=other.organisation_id, interview_id=other.id,
                         kind="other", status=ReferralStatus.OFFERED))
    looked_after = interview(session, episode(session, world.child, hours_ago=5), world.worker)
    session.commit()
    referrals = section_of(as_person(world.supervisor).get(BOARD).text, "referrals")
    assert "Offered: not yet made" in referrals
    assert "Looked after: no Active Offer of advocacy recorded" in referrals
    assert f'href="/review/interviews/{looked_after.id}"' in referrals
    assert "Ffion" not in referrals


def test_conflicts_to_resolve_lead_to_their_interview(session, world, as_person):
    held = interview(session, episode(session, world.child, hours_ago=5), world.worker)
    other = interview(session, episode(session, world.other_team_child, hours_ago=5),
                      world.other_team_worker)
    device = tablet(session, world.worker)
    for record in (held, other):
        session.add(SyncConflict(organisation_id=record.organisation_id, collection="interviews",
                                 record_id=record.id, field="why_missing", server_value="a",
                                 device_value="b", device_id=device.id, mutation_id=1))
    session.add(SyncConflict(organisation_id=held.organisation_id, collection="interviews",
                             record_id=held.id, field="notes", server_value="a",
                             device_value="b", device_id=device.id, mutation_id=2,
                             resolved_at=now()))
    session.commit()
    page = as_person(world.supervisor).get(BOARD).text
    conflicts = section_of(page, "conflicts")
    assert count_of(page, "conflicts") == 1
    assert "why_missing" in conflicts and "notes" not in conflicts
    assert f'href="/review/interviews/{held.id}"' in conflicts


def test_intelligence_awaiting_sign_off(session, world, as_person):
    waiting = interview(session, episode(session, world.child, hours_ago=5), world.worker,
                        status=SUBMITTED, conducted_at=now())
    intelligence(session, waiting)
    draft = interview(session, episode(session, world.colleague_child, hours_ago=5),
                      world.colleague, conducted_at=now())
    intelligence(session, draft)
    approved = interview(session, episode(session, child(session, world.child, "Gwen"),
                                          hours_ago=5), world.worker, status=APPROVED,
                         conducted_at=now())
    intelligence(session, approved)
    session.commit()
    page = as_person(world.supervisor).get(BOARD).text
    found = section_of(page, "intelligence")
    assert count_of(page, "intelligence") == 1
    assert "Cerys Test" in found and "1 item of information for the police." in found


def test_each_section_shows_its_first_20_and_pages_the_rest(session, world, as_person):
    for number in range(25):
        episode(session, child(session, world.child, f"Plentyn{number:02d}"), hours_ago=number)
    session.commit()
    supervisor = as_person(world.supervisor)
    page = supervisor.get(BOARD).text
    windows = section_of(page, "open")
    assert count_of(page, "open") == 25
    assert windows.count("<tr>") == 21  # the heading's row and 20
    assert "And 5 more: see them all" in windows and 'href="/board/open"' in windows
    full = supervisor.get("/board/open?lang=en").text
    assert all(f"Plentyn{number:02d} Test" in full for number in range(25))
    assert "25 in all." in full
    assert supervisor.get("/board/open?page=2").status_code == 404
    assert supervisor.get("/board/nothing").status_code == 404


def test_the_board_is_in_the_audit_trail(session, world, as_person):
    from sqlalchemy import select

    from app.audit.models import AuditEvent
    as_person(world.supervisor).get(BOARD)
    actions = set(session.execute(select(AuditEvent.action, AuditEvent.collection).where(
        AuditEvent.person_id == world.supervisor.id)).all())
    assert ("list", "board") in actions and ("list", "devices") in actions
