"""Inviting a person: their account and a one-time link (kept only as a SHA-256), the page it
opens in their language, a password set once, a link refused when used, expired or unknown;
an organisation with its own provider needs no password; e-mail when a server is configured."""

import hashlib
import html
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.admin import invitations as invitations_module
from app.admin.models import Invitation
from app.auth.models import Person, Role
from app.auth.passwords import verify_password
from tests.admin.helpers import audited, csrf_of, link_token, post_form
from tests.auth.helpers import post_sign_in

NEW_PASSWORD = "a long enough new password"


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def invite(admin_client, world, **fields):
    data = {"email": "nia.new@example.org", "name": "Nia Newydd", "role": "worker",
            "team": str(world.team_a.id), "language": "cy", **fields}
    return post_form(admin_client, "/admin/people/invite", data)


def invited(session, email="nia.new@example.org") -> Person:
    session.expire_all()
    return session.scalars(select(Person).where(Person.email == email)).one()


def accept(client, token, password=NEW_PASSWORD, confirmation=None):
    return post_form(client, f"/invitations/{token}",
                     {"password": password,
                      "confirmation": password if confirmation is None else confirmation})


def test_an_admin_invites_a_person_and_sees_the_link_once(world, as_person, session):
    admin = as_person(world.admin)
    form = admin.get("/admin/people/invite?lang=en")
    assert form.status_code == 200
    assert "they cannot sign in until they have set a password" in text_of(form)

    response = invite(admin, world)
    assert response.status_code == 200
    page = text_of(response)
    token = link_token(page)
    assert "http://localhost/invitations/" + token in page
    person = invited(session)
    assert (person.display_name, person.role, person.team_id, person.preferred_language) == (
        "Nia Newydd", Role.WORKER, world.team_a.id, "cy")
    assert person.active and person.password_hash is None
    invitation = session.scalars(select(Invitation).where(Invitation.person_id == person.id)).one()
    # Only the digest is kept: the database alone opens no account.
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert invitation.invited_by_id == world.admin.id
    assert audited(session, "people", person.id) == [("invite", world.admin.id)]
    assert audited(session, "invitations", invitation.id) == [("invite", world.admin.id)]
    listing = text_of(admin.get("/admin/people?lang=en"))
    assert "Nia Newydd" in listing and "Invited" in listing
    assert token not in text_of(admin.get(f"/admin/people/{person.id}?lang=en"))


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"email": ""}, "email", "Enter their email address"),
    ({"email": "not an address"}, "email", "Enter a full email address, with an @ sign."),
    ({"name": " "}, "name", "Enter their name"),
    ({"role": "overlord"}, "role", "Choose their role"),
    ({"team": ""}, "team", "Choose a team: workers and supervisors see the children of their team."),
    ({"language": "fr"}, "language", "Choose the language of their invitation"),
])
def test_a_wrong_invitation_says_what_is_wrong_and_saves_nothing(world, as_person, session,
                                                                 fields, field, message):
    response = invite(as_person(world.admin), world, **fields)
    assert response.status_code == 422
    page = text_of(response)
    assert f'<a href="#{field}">{message}</a>' in page
    assert f'id="{field}-error"' in page
    session.expire_all()
    assert session.scalars(select(Person).where(Person.email == "nia.new@example.org")).first() \
        is None
    assert session.scalars(select(Invitation)).first() is None


def test_an_address_already_in_use_is_refused(world, as_person, session):
    response = invite(as_person(world.admin), world, email=world.outsider.email.upper())
    assert response.status_code == 422
    assert "Someone already has an account with this email address" in text_of(response)


def test_an_admin_needs_no_team(world, as_person, session):
    response = invite(as_person(world.admin), world, role="admin", team="")
    assert response.status_code == 200
    assert invited(session).team_id is None


def test_the_link_sets_a_password_once_in_the_persons_language(world, as_person, session, app):
    token = link_token(text_of(invite(as_person(world.admin), world)))
    visitor = app.test_client()
    page = visitor.get(f"/invitations/{token}")
    assert page.status_code == 200
    assert '<html lang="cy">' in text_of(page)  # Nia's invitation is in Welsh
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page.headers["Cache-Control"]
    assert '<html lang="en">' in text_of(visitor.get(f"/invitations/{token}?lang=en"))

    short = accept(visitor, token, "too short")
    assert short.status_code == 422
    assert 'id="password-error"' in text_of(short)
    different = accept(visitor, token, NEW_PASSWORD, NEW_PASSWORD + "!")
    assert different.status_code == 422
    assert 'id="confirmation-error"' in text_of(different)
    assert invited(session).password_hash is None

    done = accept(visitor, token)
    assert done.status_code == 200
    assert "/sign-in?" in text_of(done)
    person = invited(session)
    assert verify_password(person.password_hash, NEW_PASSWORD)
    assert post_sign_in(app.test_client(), person.email, NEW_PASSWORD).status_code == 302
    assert audited(session, "invitations")[-1] == ("accept", person.id)

    # Once only: the link now says it has been used, and sets nothing.
    again = visitor.get(f"/invitations/{token}?lang=en")
    assert again.status_code == 410
    assert "It has been used already" in text_of(again)
    assert accept(app.test_client(), f"{token}", "another long password").status_code == 410
    assert verify_password(invited(session).password_hash, NEW_PASSWORD)


def test_an_expired_link_is_refused(world, as_person, session, app):
    token = link_token(text_of(invite(as_person(world.admin), world)))
    invitation = session.scalars(select(Invitation)).one()
    invitation.expires_at -= timedelta(days=7, seconds=1)
    session.commit()
    page = app.test_client().get(f"/invitations/{token}?lang=en")
    assert page.status_code == 410
    assert "It has expired" in text_of(page)
    assert accept(app.test_client(), token).status_code == 410
    assert invited(session).password_hash is None


def test_an_unknown_link_is_refused(app, world):
    page = app.test_client().get("/invitations/not-a-token-we-made?lang=en")
    assert page.status_code == 404
    assert "This invitation link cannot be used" in text_of(page)


def test_a_new_link_replaces_the_old_one(world, as_person, session, app):
    admin = as_person(world.admin)
    first = link_token(text_of(invite(admin, world)))
    person = invited(session)
    response = post_form(admin, f"/admin/people/{person.id}/invite")
    assert response.status_code == 200
    second = link_token(text_of(response))
    assert second != first
    assert app.test_client().get(f"/invitations/{first}").status_code == 410
    assert app.test_client().get(f"/invitations/{second}").status_code == 200


def test_a_deactivated_persons_link_is_refused(world, as_person, session, app):
    admin = as_person(world.admin)
    token = link_token(text_of(invite(admin, world)))
    post_form(admin, f"/admin/people/{invited(session).id}/deactivate")
    assert app.test_client().get(f"/invitations/{token}").status_code == 410
    assert accept(app.test_client(), token).status_code == 410
    assert invited(session).password_hash is None
    # Nor is a new link made until the account is active again.
    again = post_form(admin, f"/admin/people/{invited(session).id}/invite")
    assert again.status_code == 422
    assert "Reactivate the account before inviting them again." in text_of(again)


def test_with_the_organisations_own_provider_no_password_is_asked(world, as_person, session,
                                                                  app, monkeypatch):
    monkeypatch.setattr(invitations_module, "signs_in_with_provider", lambda *_args: True)
    admin = as_person(world.admin)
    assert "They sign in with your organisation" in text_of(admin.get("/admin/people/invite"
                                                                       "?lang=en"))
    token = link_token(text_of(invite(admin, world, language="en")))
    visitor = app.test_client()
    page = text_of(visitor.get(f"/invitations/{token}"))
    assert "You sign in with your organisation" in page
    assert 'type="password"' not in page
    done = post_form(visitor, f"/invitations/{token}", page=f"/invitations/{token}?lang=en")
    assert done.status_code == 200
    assert "Sign in with your organisation" in text_of(done)
    person = invited(session)
    assert person.active and person.password_hash is None
    assert visitor.get(f"/invitations/{token}").status_code == 410


class FakeSMTP:
    """Stands in for smtplib.SMTP: keeps what would have been sent."""

    sent: list = []

    def __init__(self, host, port, timeout):
        self.host, self.port = host, port

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        return False

    def send_message(self, message):
        FakeSMTP.sent.append((self.host, self.port, message))


def test_with_a_mail_server_the_link_is_emailed_in_their_language(world, as_person, app,
                                                                   monkeypatch):
    monkeypatch.setattr("app.admin.mail.smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.org")
    monkeypatch.setitem(app.config, "MAIL_FROM", "adref@example.org")
    FakeSMTP.sent = []
    response = invite(as_person(world.admin), world, language="en")
    page = text_of(response)
    assert "The invitation link has been sent to their email address." in page
    [(host, port, message)] = FakeSMTP.sent
    assert (host, port) == ("mail.example.org", 25)
    assert message["To"] == "nia.new@example.org"
    assert message["From"] == "adref@example.org"
    assert "/invitations/" + link_token(page) in message.get_content()
    assert "Hello Nia Newydd," in message.get_content()


def test_a_mail_server_that_fails_is_said_so(world, as_person, app, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise ConnectionRefusedError()

    monkeypatch.setattr("app.admin.mail.smtplib.SMTP", refuse)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.org")
    page = text_of(invite(as_person(world.admin), world))
    assert "The email could not be sent. Pass the link on to them yourself." in page
    assert "/invitations/" in page


def test_only_an_admin_invites(world, as_person, session):
    response = invite(as_person(world.supervisor), world)
    assert response.status_code == 403
    session.expire_all()
    assert session.scalars(select(Invitation)).first() is None


def test_the_form_keeps_its_csrf_check(world, as_person, app):
    token = link_token(text_of(invite(as_person(world.admin), world)))
    visitor = app.test_client()
    csrf_of(visitor, f"/invitations/{token}")
    refused = visitor.post(f"/invitations/{token}", data={"password": NEW_PASSWORD,
                                                          "confirmation": NEW_PASSWORD})
    assert refused.status_code == 400
