"""The interviews as a spreadsheet: column names and coded answers in the reader's language,
Welsh letters intact for spreadsheet programs, only what the reader may see, nothing a
spreadsheet would run as a formula, and every export in the audit trail."""

import csv
import io
import uuid

from sqlalchemy import select

from app.audit.models import AuditEvent
from tests.api.helpers import patch
from tests.review.conftest import in_language, tell_interview


def download(client, **query) -> tuple[list[str], list[dict]]:
    response = client.get("/reports/interviews.csv", query_string=query)
    assert response.status_code == 200, response.text
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=\"adref-")
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())  # so spreadsheet programs read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    return header, [dict(zip(header, row, strict=True)) for row in body]


def test_a_welsh_reader_gets_welsh_columns_and_labels_with_welsh_letters_intact(
        world, as_person):
    tell_interview(as_person(world.worker), given="Gwenllïan", family="Prŷs")
    supervisor = in_language(as_person(world.supervisor), "cy")
    response = supervisor.get("/reports/interviews.csv")
    assert "cyfweliadau" in response.headers["Content-Disposition"]
    header, rows = download(supervisor)
    assert header[:5] == ["Plentyn", "Adroddwyd ar goll", "Daeth yn ôl",
                          "Cyfweliad wedi'i gynnig", "Cyfweliad wedi'i gynnal"]
    (row,) = rows
    assert row["Plentyn"] == "Gwenllïan Prŷs"
    assert row["Cyfweliad wedi'i gynnal"] == "2026-03-03 14:30"
    assert row["O fewn 72 awr"] == "Ie"
    assert row["Statws"] == "Yn aros i gael ei adolygu"
    assert row["Iaith rhan y gweithiwr"] == "Cymraeg"
    assert row["Iaith rhan y person ifanc"] == "Saesneg"
    assert row["Ffactorau gwthio"] == "Gwrthdaro yn y teulu; Arall"
    assert row["Ble"] == "Lleoliad gofal"
    assert row["Pwy a'i cynhaliodd"] == "Gwasanaeth annibynnol"
    assert row["Gweithiwr"] == "Will Worker"


def test_an_english_reader_gets_english_and_the_same_search(world, as_person):
    worker = as_person(world.worker)
    tell_interview(worker, given="Siân", family="Ŵyn")
    tell_interview(worker, given="Dafydd", family="Jones")
    header, rows = download(as_person(world.supervisor), q="sian")
    assert header[0] == "Child" and "Push factors" in header
    (row,) = rows
    assert row["Child"] == "Siân Ŵyn"
    assert row["Push factors"] == "Family conflict; Other"
    assert row["Pull factors"] == "To see friends"
    assert row["Language of the worker's part"] == "Welsh"
    assert row["Where"] == "Placement"


def test_the_export_holds_only_what_the_reader_may_see(world, as_person):
    tell_interview(as_person(world.worker), given="Cerian", family="Team")
    tell_interview(as_person(world.other_team_worker), given="Owain", family="Elsewhere")
    tell_interview(as_person(world.outsider), given="Olwen", family="Outside")
    _, team_rows = download(as_person(world.supervisor))
    assert [row["Child"] for row in team_rows] == ["Cerian Team"]
    _, organisation_rows = download(as_person(world.admin))
    assert sorted(row["Child"] for row in organisation_rows) == ["Cerian Team", "Owain Elsewhere"]
    assert as_person(world.worker).get("/reports/interviews.csv").status_code == 403
    assert as_person(world.commissioner).get("/reports/interviews.csv").status_code == 403


def test_a_name_that_looks_like_a_formula_is_written_as_text(world, as_person):
    tell_interview(as_person(world.worker), given="=HYPERLINK(\"http://x\")", family="-1+1")
    _, (row,) = download(as_person(world.supervisor))
    assert row["Child"] == "'=HYPERLINK(\"http://x\") -1+1"


def test_each_interview_exported_is_in_the_audit_trail(world, as_person, session):
    told = tell_interview(as_person(world.worker))
    download(as_person(world.supervisor))
    exports = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [(e.person_id, e.record_id) for e in exports] == [
        (world.supervisor.id, uuid.UUID(told.interview["id"]))]


def test_signed_out_the_download_leads_through_sign_in_back_to_the_list(client):
    response = client.get("/reports/interviews.csv?q=si%C3%A2n&status=submitted")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/sign-in?next=")
    from urllib.parse import parse_qs, urlsplit

    assert parse_qs(urlsplit(location).query)["next"] == ["/review/?q=si%C3%A2n&status=submitted"]


def placed_from_cardiff_in_shropshire(told) -> None:
    """The told interview's child placed by Cardiff in Shropshire, found by Dyfed-Powys Police."""
    patch(told.worker, "children", told.child["id"], looked_after=True,
          placing_authority_code="W06000015", host_authority_code="E06000051")
    patch(told.worker, "episodes", told.interview["episode_id"],
          reporting_force_code="W15000004")


def test_the_areas_and_out_of_area_are_columns_in_the_readers_language(world, as_person):
    placed_from_cardiff_in_shropshire(tell_interview(as_person(world.worker)))
    _, (english,) = download(as_person(world.supervisor))
    assert {name: english[name] for name in (
        "Placing authority code", "Placing authority", "Host authority code", "Host authority",
        "Out of area", "Police force code", "Police force")} == {
        "Placing authority code": "W06000015", "Placing authority": "Cardiff",
        "Host authority code": "E06000051", "Host authority": "Shropshire",
        "Out of area": "Yes", "Police force code": "W15000004",
        "Police force": "Dyfed-Powys Police"}
    _, (welsh,) = download(in_language(as_person(world.supervisor), "cy"))
    assert "Caerdydd" in welsh.values() and "Heddlu Dyfed-Powys" in welsh.values()
    assert "W06000015" in welsh.values()


def test_a_child_placed_in_their_own_authority_is_not_out_of_area_and_unknown_is_blank(
        world, as_person):
    told = tell_interview(as_person(world.worker), given="Nia")
    patch(told.worker, "children", told.child["id"], looked_after=True,
          placing_authority_code="W06000011", host_authority_code="W06000011")
    tell_interview(as_person(world.worker), given="Aled")
    _, rows = download(as_person(world.supervisor))
    by_child = {row["Child"].split()[0]: row for row in rows}
    assert by_child["Nia"]["Out of area"] == "No"
    assert by_child["Nia"]["Placing authority"] == "Swansea"
    assert by_child["Aled"]["Out of area"] == "No"  # not looked after: no placement
    assert by_child["Aled"]["Placing authority code"] == by_child["Aled"]["Police force"] == ""
