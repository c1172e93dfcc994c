"""A signed-off interview (Welsh, with the young person's part in English) for its report."""

import re

import pytest

from tests.api.helpers import patch
from tests.review.conftest import tell_interview

WHAT_HAPPENED = "Aethon ni i dŷ dyn yn y dref."
WHERE = "Gyda Siôn mewn fflat yn Llanelwy."
TELL_ADULTS = "I want to go back to my nan's."


def told_and_signed_off(world, as_person, approve=True):
    told = tell_interview(as_person(world.worker), what_happened=WHAT_HAPPENED,
                          where_and_with_whom=WHERE,
                          local_answers={"yp_tell_adults": TELL_ADULTS})
    if approve:
        patch(as_person(world.supervisor), "interviews", told.interview["id"], status="approved")
    return told


@pytest.fixture
def signed_off(world, as_person):
    return told_and_signed_off(world, as_person)


def report_address(told) -> str:
    return f"/review/interviews/{told.interview['id']}/report"


def form_token(client, address: str) -> str:
    page = client.get(address)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
