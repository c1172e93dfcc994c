"""Behind reverse proxies (TRUSTED_PROXIES of them): the service sees the HTTPS the person used
(so HSTS is sent) and their own network address (so wrong passwords from one person do not
slow everyone behind the same proxy). With none trusted, forwarded headers are ignored, since
anyone can send them."""

import re

import pytest

from app import create_app
from tests.conftest import PASSWORD

PROXY = "10.0.0.2"


@pytest.fixture
def proxied_app(app):
    return create_app({**app.config, "TRUSTED_PROXIES": 1})


def forwarded(client_address: str, proto: str = "https") -> dict:
    return {"X-Forwarded-For": client_address, "X-Forwarded-Proto": proto}


def sign_in_from(client, email, password, client_address):
    page = client.get("/sign-in?lang=en")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/sign-in", data={"csrf_token": token, "email": email,
                                         "password": password},
                       headers=forwarded(client_address), environ_base={"REMOTE_ADDR": PROXY})


def test_https_at_the_proxy_is_seen(proxied_app, app):
    answer = proxied_app.test_client().get("/", headers=forwarded("198.51.100.1"))
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=")
    unproxied = app.test_client().get("/", headers=forwarded("198.51.100.1"))
    assert "Strict-Transport-Security" not in unproxied.headers


def test_wrong_passwords_count_against_the_persons_address_not_the_proxys(proxied_app, world):
    client = proxied_app.test_client()
    for number in range(5):
        sign_in_from(client, f"guess{number}@example.org", "wrong password", "198.51.100.1")
    assert sign_in_from(client, world.worker.email, PASSWORD, "198.51.100.1").status_code == 429
    # Someone else behind the same proxy signs in.
    assert sign_in_from(client, world.worker.email, PASSWORD, "203.0.113.9").status_code == 302
