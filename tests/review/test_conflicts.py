"""Sync conflicts resolved by a supervisor on the web, through the same resolution as the
tablet's: the team's open conflicts listed with the child, the question and both changes; the
choice kept and sent to every tablet; others' conflicts not shown nor resolved."""

import html
import re

from app.auth.models import Role
from app.auth.services import add_person
from tests.review.conftest import MINE, THEIRS, a_conflict
from tests.sync.http_helpers import open_conflicts, read


def csrf(client) -> str:
    page = client.get("/review/conflicts?lang=en").text
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_supervisor_keeps_the_tablets_change(app, world, as_person):
    worker = as_person(world.worker)
    tablet_a, ids = a_conflict(app, worker)
    supervisor = as_person(world.supervisor)
    page = html.unescape(supervisor.get("/review/conflicts?lang=en").text)
    assert "Gwenllïan Ŵyn: Return interview" in page
    assert "Why did the young person go missing?" in page
    assert MINE in page and THEIRS in page
    [conflict] = open_conflicts(worker)
    done = supervisor.post(f"/review/conflicts/{conflict['id']}/resolve",
                           data={"csrf_token": csrf(supervisor), "keep": "device"})
    assert done.status_code == 200
    assert "Saved. Every tablet gets the value kept at its next sync." in done.text
    assert "No changes are waiting for a choice." in done.text
    assert open_conflicts(worker) == []
    assert read(worker, "interviews", ids["interviews"])["why_missing"] == MINE
    pulled = tablet_a.pull()["changes"][("interviews", str(ids["interviews"]))]["record"]
    assert pulled["why_missing"] == MINE and pulled["_conflicts"] == []
    again = supervisor.post(f"/review/conflicts/{conflict['id']}/resolve",
                            data={"csrf_token": csrf(supervisor), "keep": "server"})
    assert again.status_code == 404  # closed


def test_only_the_teams_conflicts_and_only_reviewers(app, world, as_person, session,
                                                     password_hash):
    worker = as_person(world.worker)
    a_conflict(app, worker)
    [conflict] = open_conflicts(worker)
    other = add_person(session, world.org_a, world.other_team, Role.SUPERVISOR, "Osian Other",
                       "osian.conflicts@example.org", password_hash, "en")
    session.commit()
    elsewhere = as_person(other)
    assert "No changes are waiting for a choice." in elsewhere.get("/review/conflicts?lang=en").text
    refused = elsewhere.post(f"/review/conflicts/{conflict['id']}/resolve",
                             data={"csrf_token": csrf(elsewhere), "keep": "server"})
    assert refused.status_code == 404
    assert worker.get("/review/conflicts").status_code == 403
    assert len(open_conflicts(worker)) == 1
    assert "Return interview" in as_person(world.admin).get("/review/conflicts?lang=en").text
