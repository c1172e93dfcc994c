"""The supervisor's list of interviews: scoped to what they may see, searched by the child's
name whatever the case and accents, filtered by state, and linked to its Welsh or English
counterpart with the same search."""

import re

import pytest

from app.core.text import folded, matches
from tests.review.conftest import in_language, tell_interview


def listed_children(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/review/interviews/[0-9a-f-]+">([^<]+)</a></th>',
                      html)


@pytest.fixture
def three_interviews(world, as_person):
    worker = as_person(world.worker)
    tell_interview(worker, given="Gwenllïan", family="Prŷs")
    tell_interview(worker, given="Siân", family="Ŵyn")
    tell_interview(worker, given="Dafydd", family="Jones", submit=False)
    colleague_in_other_team = as_person(world.other_team_worker)
    tell_interview(colleague_in_other_team, given="Gwenllian", family="Other")
    return worker


@pytest.mark.parametrize("search, expected", [
    ("", ["Gwenllïan Prŷs", "Siân Ŵyn", "Dafydd Jones"]),
    ("gwenllian", ["Gwenllïan Prŷs"]),
    ("GWENLLÏAN", ["Gwenllïan Prŷs"]),
    ("prys", ["Gwenllïan Prŷs"]),
    ("Prŷs", ["Gwenllïan Prŷs"]),
    ("sian wyn", ["Siân Ŵyn"]),
    ("ŵyn", ["Siân Ŵyn"]),
    ("jones dafydd", ["Dafydd Jones"]),
])
def test_search_finds_names_whatever_their_case_and_accents(three_interviews, world, as_person,
                                                            search, expected):
    html = as_person(world.supervisor).get("/review/", query_string={"q": search}).text
    assert sorted(listed_children(html)) == sorted(expected)


def test_the_list_shows_only_the_supervisors_team(three_interviews, world, as_person):
    html = as_person(world.supervisor).get("/review/?q=gwenllian").text
    assert "Gwenllian Other" not in html
    admin_html = as_person(world.admin).get("/review/?q=gwenllian").text
    assert sorted(listed_children(admin_html)) == ["Gwenllian Other", "Gwenllïan Prŷs"]


def test_filtering_by_state(three_interviews, world, as_person):
    supervisor = as_person(world.supervisor)
    waiting = supervisor.get("/review/?status=submitted").text
    assert sorted(listed_children(waiting)) == ["Gwenllïan Prŷs", "Siân Ŵyn"]
    assert listed_children(supervisor.get("/review/?status=draft").text) == ["Dafydd Jones"]
    # A state the list does not know shows every state rather than nothing.
    assert len(listed_children(supervisor.get("/review/?status=lost").text)) == 3


def test_no_match_says_what_to_try(three_interviews, world, as_person):
    html = as_person(world.supervisor).get("/review/?q=Llywelyn&lang=en").text
    assert "0 interviews found." in html
    assert "No child's name matches “Llywelyn”. Check the spelling" in html
    typed = as_person(world.supervisor).get("/review/?q=<b>Ll</b>").text
    assert "matches “&lt;b&gt;Ll&lt;/b&gt;”" in typed


def test_the_welsh_list_counts_in_welsh_and_keeps_the_search(three_interviews, world, as_person):
    supervisor = in_language(as_person(world.supervisor), "cy")
    html = supervisor.get("/review/?q=si%C3%A2n&status=submitted").text
    assert "Cafwyd 1 cyfweliad." in html
    assert "Yn aros i gael ei adolygu" in html
    switch = re.search(r'<a href="([^"]+)"\s+lang="en" hreflang="en">English</a>', html).group(1)
    assert "q=si%C3%A2n" in switch and "status=submitted" in switch and "lang=en" in switch
    english = supervisor.get(switch.replace("&amp;", "&")).text
    assert listed_children(english) == ["Siân Ŵyn"]
    assert "1 interview found." in english


def test_workers_and_people_signed_out_cannot_list_interviews(world, as_person, client):
    assert as_person(world.worker).get("/review/").status_code == 403
    signed_out = client.get("/review/?q=sian")
    assert signed_out.status_code == 302
    assert "next=/review/?q%3Dsian" in signed_out.headers["Location"].replace("%2F", "/")


def test_folding_sets_aside_case_and_every_welsh_accent():
    assert folded("ŴŶÂÊÎÔÛÏÄËÖÜẂẀẄỲŸ âêîôûŵŷ áéíóúẃý àèìòùẁỳ äëïöüẅÿ") == (
        "wyaeiouiaeouwwwyy aeiouwy aeiouwy aeiouwy aeiouwy")
    assert matches("llan", "Llanelwy") and not matches("llan bedr", "Llanelwy")


def test_a_long_list_comes_in_pages_that_keep_the_search(three_interviews, world, as_person,
                                                         monkeypatch):
    from app.review import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    supervisor = as_person(world.supervisor)
    first = supervisor.get("/review/?status=&q=").text
    assert "3 interviews found." in first and "Page 1 of 2" in first
    assert len(listed_children(first)) == 2 and "Previous page" not in first
    onward = re.search(r'<a href="([^"]+)" rel="next">Next page</a>', first).group(1)
    second = supervisor.get(onward.replace("&amp;", "&")).text
    assert "Page 2 of 2" in second and "Next page" not in second
    assert len(listed_children(second)) == 1
    assert set(listed_children(first) + listed_children(second)) == {
        "Gwenllïan Prŷs", "Siân Ŵyn", "Dafydd Jones"}
    assert "Page 2 of 2" in supervisor.get("/review/?page=99").text
    assert "Page 1 of 2" in supervisor.get("/review/?page=-1").text
    searched = supervisor.get("/review/?q=sian&page=1").text
    assert 'class="pages"' not in searched  # one page: no page links
    assert listed_children(searched) == ["Siân Ŵyn"]
    welsh = in_language(supervisor, "cy").get("/review/?status=submitted").text
    assert 'class="pages"' not in welsh  # two waiting for review: one page
    assert "Tudalen 1 o 2" in supervisor.get("/review/").text


def test_each_listing_is_in_the_audit_trail(three_interviews, world, as_person, session):
    from sqlalchemy import select

    from app.audit.models import AuditEvent

    as_person(world.supervisor).get("/review/?q=sian")
    listed = session.scalars(select(AuditEvent).where(AuditEvent.action == "list",
                                                      AuditEvent.collection == "interviews"))
    assert [event.person_id for event in listed] == [world.supervisor.id]

