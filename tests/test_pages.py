"""The HTML pages: the landing page, the sign-in page, and the error page, in both languages."""

import html
import re

import pytest


def html_lang(response) -> str:
    return re.search(r'<html lang="([a-z]+)"', response.text).group(1)


@pytest.mark.parametrize(("lang", "heading", "button"), [
    ("en", "Adref: return interviews", "Sign in"),
    ("cy", "Adref: cyfweliadau dychwelyd adref", "Mewngofnodi"),
])
def test_landing_page(client, lang, heading, button):
    page = client.get(f"/?lang={lang}")
    assert page.status_code == 200
    assert page.content_type.startswith("text/html")
    assert html_lang(page) == lang
    assert f"<h1>{heading}</h1>" in page.text
    assert re.search(rf'<a class="button" href="/sign-in">{button}</a>', page.text)
    assert 'href="/api/v1/openapi.json"' in page.text
    assert 'href="#main"' in page.text and '<main id="main">' in page.text


def test_landing_page_when_signed_in_names_the_person(world, as_person):
    page = as_person(world.supervisor).get("/")
    assert page.status_code == 200
    assert "You are signed in as Siân Sup (supervisor)." in page.text
    assert 'action="/sign-out"' in page.text
    assert 'href="/sign-in"' not in page.text


@pytest.mark.parametrize(("lang", "labels"), [
    ("en", ["Sign in", "Email address", "Password"]),
    ("cy", ["Mewngofnodi", "Cyfeiriad e-bost", "Cyfrinair"]),
])
def test_sign_in_page(client, lang, labels):
    page = client.get(f"/sign-in?lang={lang}")
    assert page.status_code == 200
    assert html_lang(page) == lang
    for label in labels:
        assert label in page.text
    assert re.search(r'<form method="post" action="/sign-in"', page.text)
    assert re.search(r'name="csrf_token" value="[^"]{20,}"', page.text)
    assert '<label for="email">' in page.text and 'id="email" name="email"' in page.text
    assert '<label for="password">' in page.text
    assert 'type="password" autocomplete="current-password"' in page.text
    assert "There is a problem" not in page.text


@pytest.mark.parametrize(("lang", "heading", "back"), [
    ("en", "Page not found", "Go to the start page"),
    ("cy", "Heb ddod o hyd i'r dudalen", "Ewch i'r dudalen gyntaf"),
])
def test_unknown_page_is_a_404_page(client, lang, heading, back):
    page = client.get(f"/no/such/page?lang={lang}")
    assert page.status_code == 404
    assert page.content_type.startswith("text/html")
    assert html_lang(page) == lang
    text = html.unescape(page.text)
    assert f"<h1>{heading}</h1>" in text
    assert f'<a class="back" href="/">{back}</a>' in text


def test_unknown_page_when_signed_in_is_still_a_404_page(world, as_person):
    page = as_person(world.worker).get("/nothing-here")
    assert page.status_code == 404
    assert "Page not found" in page.text


def test_wrong_method_on_a_page_is_an_html_page(client):
    page = client.post("/")
    assert page.status_code == 405
    assert page.content_type.startswith("text/html")
    assert "Something went wrong" in page.text


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/children/not-a-uuid", "/api/v2/children"])
def test_unknown_api_path_is_problem_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.json["status"] == 404
    assert response.json["title"] == "Not found"
    assert response.json["type"].endswith("/404")
    assert response.json["instance"] == path


def test_unknown_api_path_in_welsh(client):
    response = client.get("/api/v1/nope?lang=cy")
    assert response.status_code == 404
    assert response.json["title"] == "Heb ei ganfod"


def test_unknown_api_path_when_signed_in(world, as_person):
    response = as_person(world.worker).get("/api/v1/nope")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"


def test_static_stylesheet_is_served(client):
    page = client.get("/")
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', page.text).group(1)
    response = client.get(href)
    assert response.status_code == 200
    assert response.content_type.startswith("text/css")
