"""The organisation's teams: listed with their people and children, added and renamed with a
name unique in the organisation; another organisation's team answers 404; each change audited."""

import html

from sqlalchemy import select

from app.auth.models import Team
from tests.admin.helpers import audited, post_form


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def teams_of(session, organisation) -> list[str]:
    session.expire_all()
    return sorted(session.scalars(select(Team.name).where(
        Team.organisation_id == organisation.id)))


def test_the_list_counts_people_and_children(world, as_person):
    page = text_of(as_person(world.admin).get("/admin/teams?lang=en"))
    assert "B1" not in page  # another organisation's
    rows = page.split("<tbody>")[1].split("</tr>")
    a1 = next(row for row in rows if ">A1<" in row)
    a2 = next(row for row in rows if ">A2<" in row)
    # A1: the supervisor and two workers, two children; A2: one worker, one child.
    assert "3 people" in a1 and "2 children" in a1
    assert "1 person" in a2 and "1 child" in a2


def test_adding_a_team(world, as_person, session):
    admin = as_person(world.admin)
    response = post_form(admin, "/admin/teams", {"name": "  Tîm  Gogledd "})
    assert response.status_code == 302
    assert "Team added." in text_of(admin.get(response.location + "&lang=en"))
    assert teams_of(session, world.org_a) == ["A1", "A2", "Tîm Gogledd"]
    team = session.scalars(select(Team).where(Team.name == "Tîm Gogledd")).one()
    assert audited(session, "teams", team.id) == [("create", world.admin.id)]


def test_a_name_in_use_or_empty_is_refused(world, as_person, session):
    admin = as_person(world.admin)
    clash = post_form(admin, "/admin/teams", {"name": "a1"})
    assert clash.status_code == 422
    assert "There is already a team called “a1”" in text_of(clash)
    empty = post_form(admin, "/admin/teams", {"name": " "})
    assert empty.status_code == 422
    assert "Enter the team's name" in text_of(empty)
    # Another organisation's names are theirs: B1 may be used here.
    assert post_form(admin, "/admin/teams", {"name": "B1"}).status_code == 302
    assert teams_of(session, world.org_a) == ["A1", "A2", "B1"]
    assert [a for a, _who in audited(session, "teams")] == ["create"]


def test_renaming_a_team(world, as_person, session):
    admin = as_person(world.admin)
    assert "A2" in text_of(admin.get(f"/admin/teams/{world.other_team.id}?lang=en"))
    clash = post_form(admin, f"/admin/teams/{world.other_team.id}", {"name": "A1"})
    assert clash.status_code == 422
    assert "There is already a team called “A1”" in text_of(clash)
    # Its own name, in other letters, is no clash.
    assert post_form(admin, f"/admin/teams/{world.other_team.id}",
                     {"name": "a2"}).status_code == 302
    response = post_form(admin, f"/admin/teams/{world.other_team.id}", {"name": "Y Cymoedd"})
    assert response.status_code == 302
    assert teams_of(session, world.org_a) == ["A1", "Y Cymoedd"]
    assert audited(session, "teams", world.other_team.id) == [
        ("rename", world.admin.id), ("rename", world.admin.id)]


def test_another_organisations_team_cannot_be_renamed(world, as_person, session):
    response = post_form(as_person(world.admin), f"/admin/teams/{world.outsider.team_id}",
                         {"name": "Ours now"})
    assert response.status_code == 404
    assert teams_of(session, world.org_b) == ["B1"]


def test_a_supervisor_cannot_add_or_rename(world, as_person, session):
    supervisor = as_person(world.supervisor)
    assert post_form(supervisor, "/admin/teams", {"name": "Mine"}).status_code == 403
    assert post_form(supervisor, f"/admin/teams/{world.team_a.id}",
                     {"name": "Mine"}).status_code == 403
    assert teams_of(session, world.org_a) == ["A1", "A2"]
