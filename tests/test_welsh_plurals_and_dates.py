"""Welsh plurals (all six CLDR categories), dates in Welsh, and the active offer."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from babel import Locale
from babel.dates import format_date
from flask_babel import force_locale, ngettext

CASES = ("You can see %(num)d child's case.", "You can see %(num)d children's cases.")
EXPECTED_CY = {
    0: "Gallwch weld achosion 0 o blant.",
    1: "Gallwch weld achos 1 plentyn.",
    2: "Gallwch weld achosion 2 blentyn.",
    3: "Gallwch weld achosion 3 phlentyn.",
    4: "Gallwch weld achosion 4 o blant.",
    6: "Gallwch weld achosion 6 phlentyn.",
    7: "Gallwch weld achosion 7 o blant.",
    11: "Gallwch weld achosion 11 o blant.",
    20: "Gallwch weld achosion 20 o blant.",
}


@pytest.mark.parametrize("count", sorted(EXPECTED_CY))
def test_welsh_plural_forms_follow_cldr(app, count):
    with app.test_request_context("/"), force_locale("cy"):
        assert ngettext(*CASES, count) == EXPECTED_CY[count]


@pytest.mark.parametrize("count", sorted(EXPECTED_CY))
def test_the_catalog_rule_agrees_with_cldr(count):
    categories = ["zero", "one", "two", "few", "many", "other"]
    catalog_rule = (0 if count == 0 else 1 if count == 1 else 2 if count == 2 else
                    3 if count == 3 else 4 if count == 6 else 5)
    assert categories[catalog_rule] == Locale("cy").plural_form(count)


@pytest.mark.parametrize("count", [1, 2, 6])
def test_english_plurals(app, count):
    with app.test_request_context("/"), force_locale("en"):
        text = ngettext(*CASES, count)
    assert text == (f"You can see {count} child's case." if count == 1
                    else f"You can see {count} children's cases.")


def test_a_signed_in_worker_sees_their_case_count_in_welsh(world, as_person):
    page = as_person(world.worker).get("/?lang=cy")
    assert "Gallwch weld achos 1 plentyn." in page.text


def test_todays_date_is_written_in_welsh(client):
    page = client.get("/?lang=cy")
    today = datetime.now(ZoneInfo("Europe/London")).date()
    assert format_date(today, format="full", locale="cy") in page.text
    assert re.search(r"Dydd (Llun|Mawrth|Mercher|Iau|Gwener|Sadwrn|Sul), ", page.text)


def test_todays_date_is_written_the_british_way_in_english(client):
    page = client.get("/?lang=en")
    today = datetime.now(ZoneInfo("Europe/London")).date()
    british = f"{today:%A}, {today.day} {today:%B} {today.year}"
    assert british in page.text


def test_sign_in_first_offers_cymraeg_then_english(client):
    page = client.get("/sign-in")
    assert 'name="password"' not in page.text
    welsh, english = page.text.index(">Cymraeg<"), page.text.index(">English<")
    assert welsh < english
    assert 'href="/sign-in?lang=cy"' in page.text


def test_the_choice_is_remembered(client):
    chosen = client.get("/sign-in?lang=cy")
    assert 'name="password"' in chosen.text and "Cyfrinair" in chosen.text
    again = client.get("/sign-in")
    assert 'name="password"' in again.text and "Cyfrinair" in again.text
