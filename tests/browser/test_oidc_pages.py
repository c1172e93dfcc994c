"""Sign-in with the organisation's own account, in real Chromium: the sign-in page's new part
and the admin's provider page are accessible in English and Welsh (with their error messages
too), and a whole sign-in goes through the real provider's page and back."""

import pytest
import requests
from playwright.sync_api import expect

from app.auth.oidc.services import forget_cached_documents
from tests.auth.oidc.provider import add_provider, serving_provider
from tests.browser.steps import sign_in, violations

# The test provider calls Authlib in ways Authlib now warns about: its warnings, not ours.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib")


@pytest.fixture(scope="module")
def issuer():
    with serving_provider() as address:
        yield address


@pytest.fixture
def provider(app, session, world, issuer):
    forget_cached_documents()
    return add_provider(session, world.org_a, issuer, app.config["SECRET_KEY"])


def held_on_the_way(route):
    answer = route.fetch()
    assert answer.headers["refresh"].startswith("0;url=")
    route.fulfill(response=answer, headers={k: v for k, v in answer.headers.items()
                                            if k != "refresh"})


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_pages_are_accessible(page, live_server, world, provider, lang):
    page.goto(f"{live_server}/sign-in?lang={lang}")
    expect(page.locator("#organisation-sign-in")).to_be_visible()
    assert violations(page) == []
    # An address whose domain has no provider: the message, on its field.
    page.locator("#oidc-email").fill("someone@elsewhere.example")
    page.locator("form", has=page.locator("#oidc-email")).locator("button[type=submit]").click()
    expect(page.locator("#oidc-email-error")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == lang
    assert violations(page) == []

    # An address of the provider's domain: the page on the way to it, held there (its Refresh
    # header taken off) so that it can be checked.
    page.route(f"{live_server}/sign-in/oidc", held_on_the_way)
    page.locator("#oidc-email").fill("someone@example.org")
    page.locator("form", has=page.locator("#oidc-email")).locator("button[type=submit]").click()
    expect(page.locator("#continue-to-provider")).to_be_visible()
    assert violations(page) == []

    page.goto(f"{live_server}/sign-in?lang={lang}&another=1&next=/admin/sign-in")
    sign_in(page, world.admin)
    expect(page.locator("#issuer")).to_be_visible()
    assert violations(page) == []
    page.locator("#issuer").fill("http://login.example.org")
    page.locator("#max_age").fill("lots")
    page.locator("form.oidc-settings button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#max_age-error")).to_be_visible()
    assert violations(page) == []

    # Removing the provider: asked first, then done.
    page.goto(f"{live_server}/admin/sign-in/remove?lang={lang}")
    expect(page.locator("h1")).to_be_visible()
    assert violations(page) == []
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".notice")).to_be_visible()
    assert violations(page) == []

def test_a_whole_sign_in_through_the_providers_page(page, live_server, provider, issuer):
    email = "nia.new@example.org"
    assert requests.put(f"{issuer}/users/sub-nia", timeout=5, json={
        "email": email, "name": "Nia Newydd", "groups": ["adref-supervisors"]}).status_code == 204
    page.goto(f"{live_server}/sign-in?lang=en")
    page.locator("#oidc-email").fill(email)
    page.locator("form", has=page.locator("#oidc-email")).locator("button[type=submit]").click()
    # The provider's own page: who signs in.
    page.wait_for_url(f"{issuer}/oauth2/authorize*")
    page.locator("input[name=sub]").fill("sub-nia")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{live_server}/")
    expect(page.locator("main")).to_contain_text("You are signed in as Nia Newydd (supervisor).")
