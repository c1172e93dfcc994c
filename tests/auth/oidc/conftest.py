"""A real OpenID Connect provider (oidc-provider-mock, from the test extra) served on
127.0.0.1 for the whole test session, and the steps of a sign-in through it, followed by hand:
our sign-in page, the provider's authorization page, our callback."""

import os
import re
import threading
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from oidc_provider_mock import app as provider_app
from werkzeug.serving import make_server

from app.auth.models import Role
from app.auth.oidc import forget_cached_documents
from app.auth.oidc_models import IdentityProvider, IdentityProviderDomain, IdentityProviderGroup

DOMAIN = "example.org"


@pytest.fixture(scope="session")
def issuer():
    # The provider and Authlib's client both refuse plain http unless told this is a test.
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    server = make_server("127.0.0.1", 0, provider_app(require_nonce=True), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(autouse=True)
def _fresh_documents():
    forget_cached_documents()
    yield
    forget_cached_documents()


@pytest.fixture
def provider(session, world, issuer):
    """Organisation A's provider: example.org signs in there; two groups mapped."""
    found = IdentityProvider(organisation_id=world.org_a.id, issuer=issuer, client_id="adref",
                             client_secret="s3cret-for-tests", groups_claim="groups")
    found.domains = [IdentityProviderDomain(domain=DOMAIN)]
    found.groups = [IdentityProviderGroup(group_name="adref-workers", role=Role.WORKER),
                    IdentityProviderGroup(group_name="adref-supervisors", role=Role.SUPERVISOR)]
    session.add(found)
    session.commit()
    return found


def csrf_of(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def begin(client, email: str, lang: str = "en", **extra):
    """Our sign-in page's organisation form, sent: our answer (a redirect to the provider)."""
    page = client.get(f"/sign-in?lang={lang}&another=1")
    return client.post("/sign-in/oidc", data={"csrf_token": csrf_of(page), "oidc_email": email,
                                              **extra})


def with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def at_provider(issuer: str, authorize_url: str, sub: str, claims: dict | None = None,
                deny: bool = False) -> str:
    """The person at the provider's page: who they are (the claims the provider will give),
    then Authorize (or Deny). The provider's redirect back to us."""
    if claims is not None:
        assert requests.put(f"{issuer}/users/{sub}", json=claims, timeout=5).status_code == 204
    form = {"action": "deny"} if deny else {"sub": sub}
    answer = requests.post(authorize_url, data=form, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def come_back(client, location: str):
    """The browser arriving at our callback from the provider."""
    parts = urlsplit(location)
    assert parts.path == "/sign-in/oidc/callback"
    return client.get(f"{parts.path}?{parts.query}")


def sign_in_through(client, issuer, email, sub, claims, lang="en", **changes):
    started = begin(client, email, lang)
    assert started.status_code == 302, started.text
    url = with_query(started.headers["Location"], **changes) if changes else started.headers["Location"]
    return come_back(client, at_provider(issuer, url, sub, {"email": email, **claims}))
