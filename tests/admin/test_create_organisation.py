"""`flask create-organisation`: an organisation, its teams and its first admin, who sets their
password with the one-time link printed; a duplicate address or name refused clearly."""

import re

from sqlalchemy import select

from app.auth.models import Organisation, Person, Role, Team
from tests.admin.helpers import post_form
from tests.auth.helpers import post_sign_in
from tests.conftest import second_step


def run(app, *args):
    return app.test_cli_runner().invoke(args=["create-organisation", *args])


def test_it_makes_the_organisation_its_teams_and_first_admin(app, session, client):
    result = run(app, "Gwasanaeth Dychwelyd", "--admin-email", "gweinydd@example.org",
                 "--admin-name", "Gwen Gweinydd", "--team", "Gogledd", "--team", "De",
                 "--language", "cy")
    assert result.exit_code == 0, result.output
    organisation = session.scalars(select(Organisation).where(
        Organisation.name == "Gwasanaeth Dychwelyd")).one()
    assert sorted(session.scalars(select(Team.name).where(
        Team.organisation_id == organisation.id))) == ["De", "Gogledd"]
    admin = session.scalars(select(Person).where(Person.email == "gweinydd@example.org")).one()
    assert (admin.role, admin.organisation_id, admin.password_hash, admin.preferred_language) \
        == (Role.ADMIN, organisation.id, None, "cy")
    assert "load-reference" not in result.output  # the tests' database has its questionnaires

    path = re.search(r"(/invitations/[A-Za-z0-9_-]+)", result.output).group(1)
    assert client.get(path).status_code == 200
    assert post_form(client, path, {"password": "our first admin's password",
                                    "confirmation": "our first admin's password"}
                     ).status_code == 200
    signed_in = app.test_client()
    answer = post_sign_in(signed_in, "gweinydd@example.org", "our first admin's password")
    # An admin with a local account sets up their second factor before their session starts.
    assert answer.headers["Location"].startswith("/sign-in/second-factor")
    second_step(signed_in, answer)
    assert signed_in.get("/admin/people").status_code == 200


def test_an_address_in_use_is_refused_and_nothing_is_made(app, session, world):
    result = run(app, "Another", "--admin-email", world.worker.email, "--admin-name", "Someone")
    assert result.exit_code != 0
    assert "Someone already has an account with this email address" in result.output
    assert session.scalars(select(Organisation).where(Organisation.name == "Another")).first() \
        is None


def test_a_name_in_use_is_refused(app, world):
    result = run(app, "organisation a", "--admin-email", "new@example.org",
                 "--admin-name", "New")
    assert result.exit_code != 0
    assert "There is already an organisation called" in result.output
