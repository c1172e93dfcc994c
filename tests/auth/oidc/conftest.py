"""A real OpenID Connect provider (oidc-provider-mock, from the test extra) served on
127.0.0.1 for the whole test session, and the steps of a sign-in through it, followed by hand:
our sign-in page, the provider's authorization page, our callback."""

import html
import re
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests

from app.auth.oidc.services import forget_cached_documents
from tests.auth.oidc.provider import add_provider, serving_provider


@pytest.fixture(scope="session")
def issuer():
    with serving_provider() as address:
        yield address


@pytest.fixture(autouse=True)
def _fresh_documents():
    forget_cached_documents()
    yield
    forget_cached_documents()


@pytest.fixture
def provider(app, session, world, issuer):
    return add_provider(session, world.org_a, issuer, app.config["SECRET_KEY"])


def csrf_of(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def begin(client, email: str, lang: str = "en", **extra):
    """Our sign-in page's organisation form, sent: our answer (a page that moves on at once to
    the provider)."""
    page = client.get(f"/sign-in?lang={lang}&another=1", follow_redirects=False)
    return client.post("/sign-in/oidc", data={"csrf_token": csrf_of(page), "oidc_email": email,
                                              **extra})


def provider_address(answer) -> str:
    """Where our answer to the sign-in form sends the browser: the Refresh header, and the
    page's link, alike."""
    assert answer.status_code == 200, answer.text
    link = html.unescape(re.search(r'id="continue-to-provider"[^>]*href="([^"]+)"',
                                   answer.text).group(1))
    assert answer.headers["Refresh"] == f"0;url={link}"
    return link


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


def sign_in_through(client, issuer, email, sub, claims, lang="en", next=None, **changes):
    url = provider_address(begin(client, email, lang, **({"next": next} if next else {})))
    url = with_query(url, **changes) if changes else url
    return come_back(client, at_provider(issuer, url, sub, {"email": email, **claims}))
