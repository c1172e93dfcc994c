"""The annual report's page (/reports/annual) and the admin's page of a commissioner's areas:
who sees which figures, small counts hidden from commissioners, bad queries answered in the
reader's language, the charts drawn as SVG that reads "<5" where a figure is hidden, and the
report as one printable document."""

import html
import re
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.auth.services import add_person
from app.cases.models import Child, MissingEpisode
from app.extensions import db
from app.reports.charts import Bar, bar_chart
from app.reports.facts import ALL_AREAS, NO_AREA, FactKey, Period, Report, Scope
from app.reports.grants import CommissionerArea, granted_areas
from app.reports.labels import Labels
from app.reports.pages import report_html
from app.reports.suppression import suppress
from tests.review.conftest import in_language

CARDIFF, SWANSEA, SOUTH_WALES = "W06000015", "W06000011", "W15000003"
SVG = "{http://www.w3.org/2000/svg}"


class Tables(HTMLParser):
    """Every table of a page by its id: its rows, each a list of its cells' text."""

    def __init__(self, text: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = self._row = self._cell = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("id", ""), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table(text: str, table_id: str) -> dict[str, list[str]]:
    """A table's body rows by their heading (the first row is the columns' headings)."""
    rows = Tables(text).tables[table_id]
    return {row[0]: row[1:] for row in rows[1:]} | {"": rows[0][1:]}


def missing(session, child, times: int, day: int = 10) -> None:
    """`times` episodes of the child, reported missing in March 2026."""
    for number in range(times):
        session.add(MissingEpisode(organisation_id=child.organisation_id, child_id=child.id,
                                   reported_missing_at=datetime(2026, 3, day + number, 9,
                                                                tzinfo=UTC)))
    session.commit()


@pytest.fixture
def episodes(session, world):
    """Cerys (team A, Cardiff's) 6 incidents, Dylan (team A, no authority) 2, Ffion (the other
    team, Swansea's) 3, Osian (organisation B) 7."""
    session.get(Child, world.other_team_child.id).placing_authority_code = SWANSEA
    missing(session, world.child, 6)
    missing(session, world.colleague_child, 2)
    missing(session, world.other_team_child, 3)
    missing(session, world.outsider_child, 7)


def grant(session, person, *codes):
    session.add_all(CommissionerArea(person_id=person.id, area_code=code) for code in codes)
    session.commit()


def annual(client, **query):
    return client.get("/reports/annual", query_string={"year": "2026", **query})


# --- who may see what -----------------------------------------------------------------------

def test_a_worker_is_refused_and_someone_signed_out_is_asked_to_sign_in(world, as_person, client):
    assert annual(as_person(world.worker)).status_code == 403
    signed_out = annual(client)
    assert signed_out.status_code == 302 and "/sign-in" in signed_out.headers["Location"]


def test_a_supervisor_sees_their_teams_exact_figures(world, as_person, episodes):
    page = annual(as_person(world.supervisor))
    assert page.status_code == 200
    incidents = table(page.text, "table-incidents-areas")
    assert incidents["All areas"][0] == "8"  # Cerys's 6 and Dylan's 2, not Ffion's
    assert incidents["Cardiff"][:2] == ["6", "1"]  # 6 incidents, 1 child: exact
    assert incidents["Area not recorded"][0] == "2"
    assert "Swansea" not in incidents
    assert incidents["Cardiff"][-1] == "6.0"  # incidents per child
    # Each figure's definition, with where it is counted from, for analysts.
    assert "Missing episodes reported in the period." in page.text
    assert "Counted from: <code>missing_episodes.reported_missing_at</code>" in page.text


def test_the_page_links_the_downloads_of_the_same_days(world, as_person, episodes):
    supervisor = as_person(world.supervisor)
    page = supervisor.get("/reports/annual?lang=en&from=2026-01-01&to=2026-06-30&area=W06000015")
    assert page.status_code == 200
    links = re.findall(r'href="(/reports/annual/[^"]+)"', page.text)
    assert links == ["/reports/annual/figures.zip?from=2026-01-01&amp;to=2026-06-30",
                     "/reports/annual/open-data.sqlite?from=2026-01-01&amp;to=2026-06-30"]
    for link in links:
        download = supervisor.get(html.unescape(link))
        assert download.status_code == 200
        assert download.headers["Content-Disposition"].startswith("attachment;")


def test_an_admin_sees_the_organisation_and_as_published_the_small_counts_hidden(
        world, as_person, episodes):
    admin = as_person(world.admin)
    incidents = table(annual(admin).text, "table-incidents-areas")
    assert incidents["All areas"][0] == "11"
    assert incidents["Swansea"][:2] == ["3", "1"]
    published = annual(admin, published="1")
    shown = table(published.text, "table-incidents-areas")
    assert shown["Swansea"][0] == "<5" and shown["Swansea"][1] == "<5"
    assert "As published" in published.text


def test_a_commissioner_sees_only_granted_areas_and_never_a_small_count(
        world, as_person, episodes, session):
    grant(session, world.commissioner, CARDIFF)
    page = annual(as_person(world.commissioner))
    assert page.status_code == 200
    incidents = table(page.text, "table-incidents-areas")
    assert set(incidents) == {"", "Cardiff", "All areas"}
    assert incidents["Cardiff"][0] == "6"
    assert incidents["Cardiff"][1] == "<5"  # one child: never "1"
    for rows in Tables(page.text).tables.values():
        for row in rows[1:]:
            assert not any(re.fullmatch(r"[1-4]", cell) for cell in row[1:]), row
    assert 'name="published"' not in page.text  # always as published: no switch
    assert table(annual(as_person(world.commissioner), published="0").text,
                 "table-incidents-areas")["Cardiff"][1] == "<5"


def test_a_commissioner_given_a_police_force_area_alone_sees_it_by_force(
        world, as_person, session, episodes):
    grant(session, world.commissioner, SOUTH_WALES)
    page = annual(as_person(world.commissioner))
    assert page.status_code == 200
    incidents = table(page.text, "table-incidents-areas")
    assert incidents[""][0] == "Incidents" and set(incidents) == {"", "South Wales Police",
                                                                 "All areas"}
    # Cardiff's incidents and Swansea's, both in the force's area; Dylan's have no area.
    assert incidents["South Wales Police"][0] == "9"
    assert 'value="local_authority"' not in page.text  # no kind without areas offered


def test_a_commissioner_cannot_ask_for_an_area_not_granted(world, as_person, session, episodes):
    grant(session, world.commissioner, CARDIFF)
    commissioner = as_person(world.commissioner)
    refused = annual(commissioner, area=SWANSEA)
    assert refused.status_code == 422
    assert "Choose one of the options given." in refused.text
    assert "table-incidents-areas" not in refused.text
    assert annual(commissioner, area=CARDIFF).status_code == 200


def test_a_commissioner_with_no_areas_is_told_so(world, as_person, episodes):
    page = annual(as_person(world.commissioner))
    assert page.status_code == 200
    assert "No areas have been chosen for you yet" in page.text
    assert "<table" not in page.text


def test_another_organisations_admin_sees_none_of_its_figures(world, as_person, session,
                                                              password_hash, episodes):
    admin_b = add_person(session, world.org_b, None, Role.ADMIN, "Bea Admin",
                         f"bea.{uuid.uuid4().hex[:6]}@example.org", password_hash, "en")
    session.commit()
    incidents = table(annual(as_person(admin_b)).text, "table-incidents-areas")
    assert incidents["All areas"][0] == "7"  # Osian's alone
    assert "Cardiff" not in incidents


def test_each_view_of_the_report_is_audited_without_a_figure(world, as_person, session,
                                                             episodes):
    annual(as_person(world.supervisor))
    (event,) = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "read", AuditEvent.collection == "annual_report"))
    assert event.person_id == world.supervisor.id
    assert event.detail == "2026-01-01/2026-12-31"


# --- bad queries -----------------------------------------------------------------------------

@pytest.mark.parametrize("language, year_message, area_message", [
    ("en", "Give a year from 2000 to", "Choose one of the options given."),
    ("cy", "Rhowch flwyddyn rhwng 2000 a", "Dewiswch un o'r dewisiadau a roddir."),
])
def test_bad_queries_are_answered_in_the_readers_language(world, as_person, language,
                                                          year_message, area_message):
    supervisor = in_language(as_person(world.supervisor), language)
    page = supervisor.get("/reports/annual", query_string={"year": "20x6", "area": "W99"})
    assert page.status_code == 422
    assert year_message in html.unescape(page.text) and area_message in html.unescape(page.text)
    assert 'class="error-summary"' in page.text and 'id="year"' in page.text
    dates = supervisor.get("/reports/annual", query_string={"from": "2026-04-01",
                                                            "to": "2026-03-01"})
    assert dates.status_code == 422
    assert ("The last day must not come before the first." if language == "en"
            else "Ni ddylai'r diwrnod olaf ddod cyn y cyntaf.") in html.unescape(dates.text)


# --- the commissioners' areas ------------------------------------------------------------------

def grants_page(client, person):
    return client.get(f"/admin/people/{person.id}/report-areas")


def save_areas(client, person, *codes):
    token = re.search(r'name="csrf_token" value="([^"]+)"', grants_page(client, person).text)
    return client.post(f"/admin/people/{person.id}/report-areas",
                       data={"csrf_token": token.group(1) if token else "", "area": list(codes)})


def test_an_admin_grants_a_commissioner_areas_audited(world, as_person, session):
    admin = as_person(world.admin)
    assert "Choose the areas they see in the annual report" in admin.get(
        f"/admin/people/{world.commissioner.id}").text
    page = grants_page(admin, world.commissioner)
    assert page.status_code == 200
    assert "Cardiff" in page.text and "South Wales Police" in page.text
    saved = save_areas(admin, world.commissioner, CARDIFF, "W15000003")
    assert saved.status_code == 302
    session.expire_all()
    assert granted_areas(session, world.commissioner) == {CARDIFF, "W15000003"}
    assert 'value="W06000015" checked' in admin.get(saved.headers["Location"]).text
    save_areas(admin, world.commissioner, SWANSEA)
    session.expire_all()
    assert granted_areas(session, world.commissioner) == {SWANSEA}
    events = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "report-areas")).all()
    assert [event.record_id for event in events] == [world.commissioner.id] * 2


def test_the_areas_page_in_welsh(world, as_person):
    admin = in_language(as_person(world.admin), "cy")
    page = grants_page(admin, world.commissioner)
    assert "Caerdydd" in page.text and "Ardaloedd yn yr adroddiad blynyddol" in page.text


def test_an_unknown_area_is_refused_and_nothing_changes(world, as_person, session):
    grant(session, world.commissioner, CARDIFF)
    refused = save_areas(as_person(world.admin), world.commissioner, SWANSEA, "W99999999")
    assert refused.status_code == 422
    assert "Choose only areas from the list." in refused.text
    session.expire_all()
    assert granted_areas(session, world.commissioner) == {CARDIFF}


def test_only_an_admin_of_the_same_organisation_and_only_for_a_commissioner(
        world, as_person, session, password_hash):
    assert grants_page(as_person(world.supervisor), world.commissioner).status_code == 403
    assert save_areas(as_person(world.supervisor), world.commissioner,
                      CARDIFF).status_code == 403
    admin = as_person(world.admin)
    assert grants_page(admin, world.supervisor).status_code == 404  # not a commissioner
    assert save_areas(admin, world.supervisor, CARDIFF).status_code == 404
    admin_b = add_person(session, world.org_b, None, Role.ADMIN, "Bea Admin",
                         f"bea.{uuid.uuid4().hex[:6]}@example.org", password_hash, "en")
    session.commit()
    assert grants_page(as_person(admin_b), world.commissioner).status_code == 404
    assert save_areas(as_person(admin_b), world.commissioner, CARDIFF).status_code == 404
    session.expire_all()
    assert granted_areas(session, world.commissioner) == frozenset()


# --- charts and the printable document ---------------------------------------------------------

def test_a_chart_is_svg_with_a_title_and_a_hidden_bar_reads_the_mark():
    svg = bar_chart("chart-x", "Incidents <by> area", [Bar("Cardiff & Vale", 12, "12"),
                                                      Bar("Swansea", None, "<5")], "table-x")
    root = ET.fromstring(str(svg))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title.text == "Incidents <by> area"
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == "table-x"
    bars = root.findall(f"{SVG}g")
    assert [bar.findall(f"{SVG}text")[1].text for bar in bars] == ["12", "<5"]
    hidden = bars[1].find(f"{SVG}rect")
    assert hidden.get("class") == "bar-hidden" and hidden.get("fill") == "url(#chart-x-hatch)"
    assert bars[0].find(f"{SVG}text").text == "Cardiff & Vale"


def hand_made_report(organisation_id) -> Report:
    def key(measure, area, category=""):
        return FactKey(measure, "local_authority", area, "all", category)

    values = {key("incidents", CARDIFF): 40, key("incidents", SWANSEA): 3,
              key("incidents", NO_AREA): 7, key("incidents", ALL_AREAS): 50,
              key("children", CARDIFF): 9, key("children", SWANSEA): 2,
              key("children", NO_AREA): 6, key("children", ALL_AREAS): 17,
              key("offered", ALL_AREAS): 25,
              key("harms", ALL_AREAS, "sexual_exploitation"): 2}
    return Report(Period.year(2025), Scope(organisation_id), values=values)


def test_the_printable_document_in_welsh_hides_small_counts_and_charts_them_as_the_mark(
        app, world):
    with app.app_context():
        labels = Labels(db.session, world.org_a.id, "cy")
        text = report_html(suppress(hand_made_report(world.org_a.id)), labels)
    assert text.startswith("<!doctype html>") and '<html lang="cy">' in text
    assert "<style>" in text and "@media print" in text
    incidents = table(text, "table-incidents-areas")
    assert incidents["Caerdydd"][:2] == ["40", "9"]
    assert incidents["Abertawe"][:2] == ["<5", "<5"]
    assert incidents["Caerdydd"][-1] == "4.4"
    assert incidents["Abertawe"][-1] == "—"  # a rate of hidden figures is not given
    whole = Tables(text).tables["table-interviews-areas"][-1]  # the whole, last
    assert whole[1:3] == ["25", "50%"]
    charts = re.findall(r"<svg.*?</svg>", text, re.S)
    assert charts
    chart = ET.fromstring(charts[0])
    assert "<5" in [node.text for node in chart.iter(f"{SVG}text")]
