"""Data minimisation, in real Chromium: a case finished longer ago than the tablets keep one
leaves the tablet at its next sync, while a recent one stays; a change to it still waiting to
be sent when the removal comes survives, is sent, and leaves the tablet after that."""

import uuid
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import update

from app.cases.models import Child, MissingEpisode
from app.core.types import utcnow
from app.interviews.models import InterviewStatus, ReturnInterview
from tests.browser.steps import (
    children_listed,
    click,
    episode_of,
    go_to,
    held_request,
    open_tablet,
    status,
    sync_and_wait,
    waiting,
)
from tests.sync.http_helpers import REPORTED, RETURNED, at

PULL = "**/api/v1/sync/pull*"


def finished_case(session, child, days_ago: float) -> uuid.UUID:
    """A missing episode of the child whose interview was approved `days_ago` days ago. Returns
    the interview's id."""
    episode = MissingEpisode(organisation_id=child.organisation_id, child_id=child.id,
                             reported_missing_at=at(REPORTED), returned_at=at(RETURNED))
    session.add(episode)
    session.flush()
    interview = ReturnInterview(organisation_id=child.organisation_id, episode_id=episode.id,
                                status=InterviewStatus.APPROVED)
    session.add(interview)
    session.commit()
    approved_ago(session, interview.id, days_ago)
    return interview.id


def approved_ago(session, interview_id, days: float) -> None:
    """The server's rows aged, as time would age them: approved `days` days ago."""
    session.execute(update(ReturnInterview).where(ReturnInterview.id == interview_id)
                    .values(updated_at=utcnow() - timedelta(days=days)))
    session.commit()


def test_a_finished_case_leaves_the_tablet_after_its_days_but_not_a_change_unsent(
        live_server, context, world, session):
    cerys_interview = finished_case(session, world.child, days_ago=1)
    bryn = Child(organisation_id=world.child.organisation_id, team_id=world.child.team_id,
                 assigned_worker_id=world.worker.id, given_name="Bryn", family_name="Test")
    session.add(bryn)
    session.commit()
    finished_case(session, bryn, days_ago=20)
    page = context.new_page()
    open_tablet(page, live_server, world)
    expect(children_listed(page)).to_have_text(["Bryn Test", "Cerys Test"], ignore_case=True)
    episode = episode_of(session, world.child)

    approved_ago(session, cerys_interview, 31)
    # While the sync that brings the removal is on its way, the worker records how Cerys came
    # back: a change waiting to be sent when the removal arrives.
    held = []
    page.route(PULL, lambda route: route.continue_() if held else held.append(route))
    page.locator("#sync-now").click()
    pull = held_request(page, held, what="the pull")
    go_to(page, f"#/episodes/{episode.id}/edit")
    page.get_by_label("Came back").check()
    click(page, "button", "Save")
    expect(status(page)).to_contain_text(waiting(1))
    pull.continue_()
    expect(page.locator("#sync-now")).to_be_enabled()

    go_to(page, "#/")
    expect(children_listed(page)).to_have_text(["Bryn Test"])
    # The episode with the change waiting is still on the tablet, and the change with it.
    go_to(page, f"#/episodes/{episode.id}/edit")
    expect(page.get_by_label("Came back")).to_be_checked()
    expect(status(page)).to_contain_text(waiting(1))

    sync_and_wait(page)

    expect(status(page)).to_contain_text(waiting(0))
    assert episode_of(session, world.child).return_method == "came_back"
    go_to(page, f"#/episodes/{episode.id}/edit")  # gone from the tablet now it is sent
    expect(page).to_have_url(f"{live_server}/app#/")
    expect(children_listed(page)).to_have_text(["Bryn Test"])
