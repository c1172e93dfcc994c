"""Safe by default: the headers every response carries (a content security policy, nosniff, a
referrer policy, HSTS over HTTPS), no-store on every answer of the API and every page of someone
signed in, and Allow on a 405, pages and problem+json alike."""

import pytest

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HSTS = "max-age=31536000; includeSubDomains"
API = "/api/v1"


def assert_safe(response):
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_policy_allows_nothing_inline_and_no_frame():
    directives = dict(part.split(" ", 1) for part in CSP.split("; "))
    assert "unsafe" not in CSP and "data:" not in CSP and "*" not in CSP
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == directives["base-uri"] == "'none'"


@pytest.mark.parametrize("path", ["/", "/sign-in", "/app", "/no/such/page"])
def test_every_page_is_safe(client, path):
    response = client.get(path)
    assert response.mimetype == "text/html"
    assert_safe(response)
    assert "Strict-Transport-Security" not in response.headers


def test_an_api_answer_is_safe_and_never_stored(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert_safe(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_a_signed_in_api_answer_is_never_stored(world, as_person):
    response = as_person(world.worker).get(f"{API}/me")
    assert response.status_code == 200
    assert_safe(response)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", [f"{API}/no-such-thing", f"{API}/children"])
def test_a_problem_is_safe_and_never_stored(client, path):
    response = client.get(path)
    assert response.mimetype == "application/problem+json"
    assert response.status_code in {401, 404}
    assert_safe(response)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_static_file_is_safe_and_keeps_its_own_caching(client, world, as_person, signed_in):
    asker = as_person(world.supervisor) if signed_in else client
    response = asker.get("/static/css/site.css")
    assert response.status_code == 200
    assert_safe(response)
    assert response.headers["Cache-Control"] == "no-cache"


def test_the_service_worker_is_safe_and_keeps_its_own_caching(world, as_person):
    response = as_person(world.worker).get("/sw.js")
    assert_safe(response)
    assert response.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", ["/", f"{API}/openapi.json", "/static/css/site.css",
                                  f"{API}/no-such-thing"])
def test_over_https_the_browser_is_told_to_keep_to_it(client, path):
    response = client.get(path, base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == HSTS
    assert_safe(response)
    assert "Strict-Transport-Security" not in client.get(path).headers


def test_a_page_for_no_one_signed_in_may_be_cached(client):
    assert "Cache-Control" not in client.get("/").headers


@pytest.mark.parametrize("path", ["/", "/sign-in", "/no/such/page"])
def test_every_page_of_someone_signed_in_is_never_stored(world, as_person, path):
    response = as_person(world.supervisor).get(path)
    assert response.headers["Cache-Control"] == "no-store"
    assert_safe(response)


def test_the_apps_shell_keeps_its_own_caching_for_someone_signed_in(world, as_person):
    response = as_person(world.worker).get("/app")
    assert response.headers["Cache-Control"] == "no-cache"
    assert_safe(response)


def test_a_wrong_method_on_the_api_says_which_are_allowed(world, as_person):
    response = as_person(world.worker).put(f"{API}/me", json={})
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
    assert "PUT" not in response.headers["Allow"]
    assert_safe(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_a_wrong_method_on_a_page_says_which_are_allowed(client):
    response = client.post("/")
    assert response.status_code == 405
    assert response.mimetype == "text/html"
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
    assert "POST" not in response.headers["Allow"]
    assert_safe(response)
