"""Information for the police, made through the API as the worker's app would: an interview of
a child found in Dyfed-Powys, its items, then submitted by the worker and approved by their
supervisor."""

from dataclasses import dataclass, field

import pytest

from tests.api.helpers import API, create, create_child, create_episode, create_interview, patch

FORCE = "W15000004"  # Dyfed-Powys Police
CONDUCTED = "2026-03-03T14:30:00+00:00"

# One item of each kind, as a worker types them; what the server keeps differs only where it
# normalises (the registration, the phone number).
PERSON = {"kind": "person", "name": "Dai Bach", "nickname": "Bachgen Mawr",
          "description": "Tall, red coat, drives the blue van", "relationship": "Met at the park",
          "sharing_view": "happy"}
PLACE = {"kind": "place", "address_or_place": "Flat 3, 12 Heol y Wennol, Caerfyrddin",
         "sharing_view": "unsure"}
VEHICLE = {"kind": "vehicle", "vehicle_registration": "cu15 xyz",
           "vehicle_description": "Blue Transit van", "sharing_view": "not_happy"}
PHONE = {"kind": "phone_number", "phone_number": "07911 123456", "relationship": "The line"}
SOCIAL = {"kind": "social_media", "platform": "Snapchat", "handle": "@llinell_las",
          "sharing_view": "happy"}
ITEMS = (PERSON, PLACE, VEHICLE, PHONE, SOCIAL)
# Every value a person typed, as the server keeps it: none may appear where it must not.
KEPT_VALUES = ("Dai Bach", "Bachgen Mawr", "Tall, red coat, drives the blue van",
               "Met at the park", "Flat 3, 12 Heol y Wennol, Caerfyrddin", "CU15XYZ",
               "Blue Transit van", "+447911123456", "The line", "Snapchat", "@llinell_las")


@dataclass
class Case:
    worker: object  # the worker's signed-in client
    child: dict
    episode: dict
    interview: dict
    items: list = field(default_factory=list)


def make_case(worker, harms=(), items=ITEMS, **interview_fields) -> Case:
    """A child, an episode found in Dyfed-Powys, a draft interview and its items."""
    child = create_child(worker, given="Gwenllïan", family="Prŷs", date_of_birth="2011-04-09")
    episode = create_episode(worker, child["id"], reporting_force_code=FORCE)
    interview = create_interview(worker, episode["id"], consent="accepted",
                                 conducted_at=CONDUCTED, harms=list(harms), **interview_fields)
    made = [create(worker, "intelligence-items", interview_id=interview["id"], **item)
            for item in items]
    return Case(worker, child, episode, interview, made)


def submit(case: Case) -> None:
    case.interview = patch(case.worker, "interviews", case.interview["id"], status="submitted")


def approve(case: Case, supervisor) -> None:
    submit(case)
    case.interview = patch(supervisor, "interviews", case.interview["id"], status="approved")


@pytest.fixture
def worker(world, as_person):
    return as_person(world.worker)


@pytest.fixture
def supervisor(world, as_person):
    return as_person(world.supervisor)


def in_language(client, language: str):
    """The client's person reads in this language from now on (saved on their account)."""
    me = client.get(f"{API}/me").json
    response = client.patch(f"{API}/people/{me['id']}", json={"preferred_language": language})
    assert response.status_code == 200, response.get_data(as_text=True)
    return client
