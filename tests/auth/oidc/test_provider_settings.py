"""The admin's page that sets the organisation's provider: checked against the real provider's
discovery document, the secret never shown back, audited, and one organisation's only."""

import re

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.auth.oidc.services import open_client_secret, provider_of
from app.auth.services import add_person
from tests.auth.oidc.conftest import csrf_of
from tests.auth.oidc.provider import add_provider

# The test provider calls Authlib in ways Authlib now warns about: its warnings, not ours.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib")

SECRET = "client-secret-never-shown"


def form(issuer, **changes):
    return {"issuer": issuer, "client_id": "adref-client", "client_secret": SECRET,
            "domains": "Example.org\nstaff.example.org = worker", "groups_claim": "groups",
            "groups": "cn=supervisors,ou=groups = supervisor\nadref-admins = admin",
            "prompt_login": "yes", "max_age": "15", **changes}


def post(client, data):
    page = client.get("/admin/sign-in?lang=en")
    return client.post("/admin/sign-in", data={"csrf_token": csrf_of(page), **data})


def provider_now(session, organisation):
    session.expire_all()
    return provider_of(session, organisation.id)


def test_an_admin_sets_the_provider(app, as_person, session, world, issuer):
    admin = as_person(world.admin)
    page = admin.get("/admin/sign-in?lang=en")
    assert page.status_code == 200
    assert re.search(r"<h1>Sign-in with your organisation(&#39;|')s account</h1>", page.text)
    assert "No secret is set yet." in page.text
    saved = post(admin, form(issuer + "/"))
    assert saved.status_code == 302, saved.text
    assert saved.headers["Location"] == "/admin/sign-in?saved=1"
    provider = provider_now(session, world.org_a)
    # Kept as the provider names itself in its discovery document.
    assert provider.issuer == issuer
    assert provider.client_id == "adref-client"
    # Sealed: not in the database as it was typed, and opened with the server's secret only.
    assert SECRET not in provider.client_secret
    assert open_client_secret(app.config["SECRET_KEY"], provider.client_secret) == SECRET
    assert open_client_secret("another server", provider.client_secret) is None
    assert {d.domain: d.default_role for d in provider.domains} == {
        "example.org": None, "staff.example.org": Role.WORKER}
    assert {g.group_name: g.role for g in provider.groups} == {
        "cn=supervisors,ou=groups": Role.SUPERVISOR, "adref-admins": Role.ADMIN}
    assert (provider.prompt_login, provider.max_age) == (True, 15 * 60)
    shown = admin.get("/admin/sign-in?saved=1&lang=en")
    assert "The sign-in settings are saved." in shown.text
    assert "A secret is set. Leave this empty to keep it." in shown.text
    assert SECRET not in shown.text
    assert "cn=supervisors,ou=groups = supervisor" in shown.text
    session.expire_all()
    actions = [(e.action, e.collection) for e in session.scalars(
        select(AuditEvent).where(AuditEvent.person_id == world.admin.id))]
    assert ("create", "identity_providers") in actions and ("read", "identity_providers") in actions


def test_a_change_keeps_the_secret_when_left_empty(app, as_person, session, world, issuer):
    admin = as_person(world.admin)
    assert post(admin, form(issuer)).status_code == 302
    assert post(admin, form(issuer, client_secret="", domains="example.org",
                            groups="adref-workers = gweithiwr", prompt_login="",
                            max_age="")).status_code == 302
    provider = provider_now(session, world.org_a)
    assert open_client_secret(app.config["SECRET_KEY"], provider.client_secret) == SECRET
    assert [d.domain for d in provider.domains] == ["example.org"]
    assert [(g.group_name, g.role) for g in provider.groups] == [("adref-workers", Role.WORKER)]
    assert (provider.prompt_login, provider.max_age) == (False, None)


def test_an_unreachable_issuer_is_named_and_nothing_is_saved(as_person, session, world, issuer):
    admin = as_person(world.admin)
    answer = post(admin, form(issuer + "/nowhere"))
    assert answer.status_code == 422
    assert '<a href="#issuer">Adref could not read the sign-in service&#39;s settings' in answer.text
    assert SECRET not in answer.text
    assert provider_now(session, world.org_a) is None


def test_bad_fields_are_each_named(as_person, session, world, issuer):
    admin = as_person(world.admin)
    answer = post(admin, form("http://login.example.org", client_id="", client_secret="",
                              domains="not a domain", groups="staff", groups_claim="a b",
                              max_age="lots"))
    assert answer.status_code == 422
    summary = re.search(r'<div class="error-summary".*?</div>', answer.text, re.S).group(0)
    for field in ("issuer", "client_id", "client_secret", "domains", "groups_claim", "groups",
                  "max_age"):
        assert f'href="#{field}"' in summary
    # What was typed is kept in the form.
    assert 'value="http://login.example.org"' in answer.text
    assert provider_now(session, world.org_a) is None


def test_only_admins_reach_the_page(as_person, client, world):
    assert as_person(world.supervisor).get("/admin/sign-in").status_code == 403
    assert as_person(world.worker).get("/admin/sign-in").status_code == 403
    signed_out = client.get("/admin/sign-in")
    assert signed_out.status_code == 302
    assert signed_out.headers["Location"].startswith("/sign-in?next=/admin/sign-in")


def test_another_organisations_admin_neither_sees_nor_takes_the_provider(
        as_person, session, world, issuer, password_hash):
    assert post(as_person(world.admin), form(issuer)).status_code == 302
    other_admin = add_person(session, world.org_b, None, Role.ADMIN, "Bea Admin",
                             "bea.admin@other.example", password_hash, "en")
    session.commit()
    theirs = as_person(other_admin)
    page = theirs.get("/admin/sign-in?lang=en")
    assert page.status_code == 200
    assert "adref-client" not in page.text and "cn=supervisors" not in page.text
    assert re.search(r'<textarea id="domains"[^>]*></textarea>', page.text)
    assert "No secret is set yet." in page.text
    taken = post(theirs, form(issuer, client_id="theirs"))
    assert taken.status_code == 422
    assert "Another organisation signs in with example.org already" in taken.text
    assert provider_now(session, world.org_b) is None
    assert provider_now(session, world.org_a).client_id == "adref-client"


def test_a_secret_sealed_under_another_server_secret_must_be_set_again(app, as_person, session,
                                                                         world, issuer):
    add_provider(session, world.org_a, issuer, "the server secret of before")
    admin = as_person(world.admin)
    page = admin.get("/admin/sign-in?lang=en")
    assert "The secret set can no longer be read" in page.text
    refused = post(admin, form(issuer, client_secret=""))
    assert refused.status_code == 422
    assert '<a href="#client_secret">Enter the client secret' in refused.text
    assert post(admin, form(issuer)).status_code == 302
    provider = provider_now(session, world.org_a)
    assert open_client_secret(app.config["SECRET_KEY"], provider.client_secret) == SECRET


def test_an_admin_removes_the_provider_after_being_told_who_has_no_password(
        as_person, session, world, issuer, password_hash):
    """Removing the provider asks first, naming how many people would have no way in; then
    the organisation signs in with passwords again, and everyone keeps their account."""
    admin = as_person(world.admin)
    assert post(admin, form(issuer)).status_code == 302
    through_provider = add_person(session, world.org_a, world.team_a, Role.WORKER, "Nia Rees",
                                  "nia@example.org", None, "en")
    add_person(session, world.org_b, None, Role.WORKER, "Bea Other", "bea@other.example", None,
               "en")  # another organisation's: not counted
    session.commit()
    assert 'href="/admin/sign-in/remove"' in admin.get("/admin/sign-in?lang=en").text

    asked = admin.get("/admin/sign-in/remove?lang=en")
    assert asked.status_code == 200
    assert "1 person has no password in Adref." in asked.text
    assert provider_now(session, world.org_a) is not None  # asking removes nothing

    removed = admin.post("/admin/sign-in/remove", data={"csrf_token": csrf_of(asked)})
    assert removed.status_code == 302
    assert removed.headers["Location"] == "/admin/sign-in?removed=1"
    assert provider_now(session, world.org_a) is None
    assert session.get(type(through_provider), through_provider.id).active
    page = admin.get("/admin/sign-in?removed=1&lang=en")
    assert "The sign-in service is removed." in page.text
    assert "/admin/sign-in/remove" not in page.text
    actions = [(e.action, e.collection) for e in session.scalars(
        select(AuditEvent).where(AuditEvent.person_id == world.admin.id))]
    assert ("delete", "identity_providers") in actions
    # Nothing left to remove: back to the settings.
    assert admin.get("/admin/sign-in/remove").headers["Location"] == "/admin/sign-in"


def test_only_the_organisations_admin_removes_its_provider(as_person, session, world, issuer,
                                                          password_hash):
    assert post(as_person(world.admin), form(issuer)).status_code == 302
    supervisor = as_person(world.supervisor)
    assert supervisor.get("/admin/sign-in/remove").status_code == 403
    assert supervisor.post("/admin/sign-in/remove").status_code in (400, 403)
    other_admin = add_person(session, world.org_b, None, Role.ADMIN, "Bea Admin",
                             "bea.admin@other.example", password_hash, "en")
    session.commit()
    theirs = as_person(other_admin)
    page = theirs.get("/admin/sign-in/remove")
    assert page.status_code == 302  # they have none: nothing to remove
    assert provider_now(session, world.org_a) is not None
