"""An API request that brings an Authorization header is judged by it alone: a scheme other
than Bearer is refused (401, in the person's language), never set aside in favour of the
session cookie the same request carries."""

import pytest

from tests.api.helpers import API, assert_problem


@pytest.mark.parametrize("header", ["Basic d2lsbDpwYXNzd29yZA==", "Token abc", "bearer", ""])
def test_another_scheme_is_refused_though_a_cookie_is_signed_in(world, as_person, header):
    web = as_person(world.worker)
    assert web.get(f"{API}/me").status_code == 200

    refused = web.get(f"{API}/me", headers={"Authorization": header})

    body = assert_problem(refused, 401)
    assert body["detail"] == "Use a bearer token, or sign in."


def test_the_refusal_in_welsh(world, as_person):
    web = as_person(world.worker)
    refused = web.get(f"{API}/me?lang=cy", headers={"Authorization": "Basic eA=="})
    assert assert_problem(refused, 401)["detail"] == \
        "Defnyddiwch docyn cludwr, neu rhaid mewngofnodi."
