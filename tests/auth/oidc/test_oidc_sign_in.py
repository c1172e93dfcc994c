"""Sign-in through the organisation's own OpenID Connect provider, a real one on 127.0.0.1:
the flow followed by hand, the roles its groups give, and every way a sign-in is refused."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from babel.support import Translations
from joserfc import jwt
from joserfc.jwk import RSAKey
from markupsafe import escape
from sqlalchemy import func, select

import app.auth.oidc.views as oidc_views
from app.audit.models import AuditEvent
from app.auth.models import Person, Role
from app.auth.oidc.services import SignInRefused, _checked_claims, discover
from app.core.types import utcnow
from tests.auth.helpers import sessions_of
from tests.auth.oidc.conftest import (
    at_provider,
    begin,
    come_back,
    provider_address,
    sign_in_through,
)

# The test provider calls Authlib in ways Authlib now warns about: its warnings, not ours.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib")

SUPERVISORS = {"groups": ["staff", "adref-supervisors"]}
CATALOGS = Path(__file__).resolve().parents[3] / "translations"


def welsh(english: str) -> str:
    """The Welsh the catalog holds for these words (never the English again)."""
    found = Translations.load(str(CATALOGS), ["cy"]).gettext(english)
    assert found != english, f"no Welsh for {english!r}"
    return found


def person_by_email(session, email):
    session.expire_all()
    return session.scalars(select(Person).where(func.lower(Person.email) == email)).one_or_none()


def audit_actions(session, person):
    session.expire_all()
    return [(e.action, e.collection) for e in session.scalars(
        select(AuditEvent).where(AuditEvent.person_id == person.id).order_by(AuditEvent.id))]


def test_the_authorization_request_is_code_flow_with_pkce_state_and_nonce(client, provider, issuer):
    answer = begin(client, "someone@EXAMPLE.org")
    assert answer.headers["Cache-Control"] == "no-store"
    url = urlsplit(provider_address(answer))
    assert f"{url.scheme}://{url.netloc}" == issuer
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert query["response_type"] == "code"
    assert query["client_id"] == "adref"
    assert query["redirect_uri"] == "http://localhost/sign-in/oidc/callback"
    assert query["scope"].split() == ["openid", "email", "profile"]
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    assert "prompt" not in query and "max_age" not in query
    with client.session_transaction() as browser:
        pending = browser["oidc_pending"]
    assert pending["state"] == query["state"] and pending["nonce"] == query["nonce"]


def test_shared_devices_ask_for_a_fresh_sign_in(client, session, provider):
    provider.prompt_login = True
    provider.max_age = 300
    session.commit()
    query = parse_qs(urlsplit(provider_address(begin(client, "someone@example.org"))).query)
    assert query["prompt"] == ["login"]
    assert query["max_age"] == ["300"]


def test_a_new_person_whose_group_maps_to_supervisor_is_made_and_signed_in(client, session,
                                                                             provider, issuer):
    email = "nia.new@example.org"
    answer = sign_in_through(client, issuer, email, "sub-nia", {"name": "Nia Newydd", **SUPERVISORS})
    assert answer.status_code == 302, answer.text
    assert answer.headers["Location"] == "/"
    me = client.get("/api/v1/me").json
    assert (me["email"], me["role"], me["display_name"]) == (email, "supervisor", "Nia Newydd")
    person = person_by_email(session, email)
    assert person.team_id is None
    assert (person.oidc_issuer, person.oidc_subject) == (issuer, "sub-nia")
    assert person.organisation_id == provider.organisation_id
    assert ("sign-in", "people") in audit_actions(session, person)
    assert "You are signed in as Nia Newydd (supervisor)." in client.get("/").text


def test_an_existing_person_is_found_by_email_then_by_subject_after_a_new_address(
        client, session, world, provider, issuer, app):
    email = world.worker.email
    answer = sign_in_through(client, issuer, email, "sub-will", {"groups": ["adref-workers"]})
    assert answer.status_code == 302, answer.text
    assert client.get("/api/v1/me").json["id"] == str(world.worker.id)
    assert person_by_email(session, email).oidc_subject == "sub-will"
    # At the provider, their address changes; the (issuer, subject) still finds them.
    again = app.test_client()
    answer = sign_in_through(again, issuer, "will.newname@example.org", "sub-will",
                             {"groups": ["adref-workers"]})
    assert answer.status_code == 302, answer.text
    me = again.get("/api/v1/me").json
    assert (me["id"], me["email"]) == (str(world.worker.id), "will.newname@example.org")


def test_the_highest_mapped_role_is_given(client, session, world, provider, issuer):
    answer = sign_in_through(client, issuer, world.worker.email, "sub-will",
                             {"groups": ["adref-workers", "adref-supervisors"]},
                             next="/review/referrals")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/review/referrals"
    assert client.get("/api/v1/me").json["role"] == "supervisor"


def test_the_domain_default_role_serves_when_no_group_maps(client, session, provider, issuer):
    provider.domains[0].default_role = Role.WORKER
    session.commit()
    answer = sign_in_through(client, issuer, "dai@example.org", "sub-dai", {"groups": ["staff"]})
    assert answer.status_code == 302
    assert client.get("/api/v1/me").json["role"] == "worker"


def test_no_mapped_group_is_refused_with_a_clear_message(client, session, provider, issuer):
    answer = sign_in_through(client, issuer, "gwen@example.org", "sub-gwen", {"groups": ["staff"]},
                             next="/review/referrals")
    # The sign-in page again, still leading where she was going.
    assert '<input type="hidden" name="next" value="/review/referrals">' in answer.text
    assert answer.status_code == 403
    assert "There is a problem" in answer.text
    assert "Your organisation&#39;s account has no role in Adref." in answer.text
    assert person_by_email(session, "gwen@example.org") is None
    assert client.get("/api/v1/me").status_code == 401


def test_the_refusal_is_in_welsh_for_a_welsh_speaker(client, session, provider, issuer):
    answer = sign_in_through(client, issuer, "gwen@example.org", "sub-gwen", {"groups": []},
                             lang="cy")
    assert answer.status_code == 403
    assert 'lang="cy"' in answer.text
    assert "no role in Adref" not in answer.text
    assert escape(welsh("Your organisation's account has no role in Adref. Ask your "
                        "administrator to give you one.")) in answer.text


def test_an_email_domain_with_no_provider_is_sent_to_the_password_form(client, provider):
    answer = begin(client, "someone@elsewhere.example")
    assert answer.status_code == 422
    assert "Sign in with your email address and password." in answer.text
    assert 'value="someone@elsewhere.example"' in answer.text


def test_a_wrong_nonce_is_refused(client, session, provider, issuer):
    # The provider is asked for another nonce than the one this browser's sign-in holds.
    answer = sign_in_through(client, issuer, "nia@example.org", "sub-nia", SUPERVISORS,
                             nonce="a-nonce-from-somewhere-else")
    assert answer.status_code == 403
    assert "sent a sign-in that Adref cannot trust" in answer.text
    assert person_by_email(session, "nia@example.org") is None
    assert client.get("/api/v1/me").status_code == 401


def test_a_wrong_state_is_refused(client, session, provider, issuer):
    started = begin(client, "nia@example.org")
    location = at_provider(issuer, provider_address(started), "sub-nia",
                           {"email": "nia@example.org", **SUPERVISORS})
    answer = come_back(client, location.replace("state=", "state=x"))
    assert answer.status_code == 400
    assert "could not check that this sign-in is yours" in answer.text
    # The pending sign-in is spent: the right answer, late, finds nothing.
    assert come_back(client, location).status_code == 400
    assert client.get("/api/v1/me").status_code == 401


def test_an_expired_pending_sign_in_is_refused(client, session, provider, issuer):
    started = begin(client, "nia@example.org")
    with client.session_transaction() as browser:
        pending = browser["oidc_pending"]
        pending["started_at"] -= 11 * 60
        browser["oidc_pending"] = pending
    location = at_provider(issuer, provider_address(started), "sub-nia",
                           {"email": "nia@example.org", **SUPERVISORS})
    answer = come_back(client, location)
    assert answer.status_code == 400
    assert "Your sign-in took too long" in answer.text
    assert client.get("/api/v1/me").status_code == 401


def test_a_callback_with_nothing_pending_is_refused(client, provider):
    answer = client.get("/sign-in/oidc/callback?code=abc&state=def")
    assert answer.status_code == 400
    assert "Your sign-in took too long" in answer.text


def test_a_sign_in_older_than_max_age_is_refused(client, session, provider, issuer, monkeypatch):
    provider.max_age = 60
    session.commit()
    started = begin(client, "nia@example.org")
    location = at_provider(issuer, provider_address(started), "sub-nia",
                           {"email": "nia@example.org", **SUPERVISORS})
    # The person comes back five minutes after signing in at the provider.
    monkeypatch.setattr(oidc_views, "utcnow", lambda: utcnow() + timedelta(minutes=5))
    answer = come_back(client, location)
    assert answer.status_code == 403
    assert "this device needs a fresh sign-in" in answer.text


def test_the_provider_saying_no_is_refused(client, provider, issuer):
    started = begin(client, "nia@example.org")
    answer = come_back(client, at_provider(issuer, provider_address(started), "sub-nia",
                                           deny=True))
    assert answer.status_code == 403
    assert "did not sign you in" in answer.text


def test_a_deactivated_person_is_refused_and_it_is_audited(client, session, world, provider, issuer):
    world.worker.active = False
    session.commit()
    answer = sign_in_through(client, issuer, world.worker.email, "sub-will",
                             {"groups": ["adref-workers"]})
    assert answer.status_code == 403
    assert "Your Adref account is switched off." in answer.text
    assert sessions_of(session, world.worker) == []
    assert audit_actions(session, world.worker) == [("sign-in-failed", "identity_providers")]


def test_another_organisations_person_is_not_signed_in_by_this_provider(client, session, world,
                                                                         provider, issuer):
    answer = sign_in_through(client, issuer, world.outsider.email, "sub-olaf", SUPERVISORS)
    assert answer.status_code == 403
    assert "cannot match your organisation" in answer.text
    assert sessions_of(session, world.outsider) == []
    assert person_by_email(session, world.outsider.email).role == Role.WORKER


def test_an_id_token_signed_by_another_key_is_refused(provider, issuer):
    # Right in every claim, but signed by a key the provider never published.
    now = utcnow()
    claims = {"iss": issuer, "aud": "adref", "sub": "sub-nia", "nonce": "n", "email": "nia@example.org",
              "iat": int(now.timestamp()), "exp": int(now.timestamp()) + 300}
    forged = jwt.encode({"alg": "RS256"}, claims, RSAKey.generate_key(2048))
    pending = {"nonce": "n", "started_at": int(now.timestamp())}
    with pytest.raises(SignInRefused) as refused:
        _checked_claims(provider, discover(issuer), forged, pending, now)
    assert refused.value.reason == "bad_token"
