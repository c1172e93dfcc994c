"""Plurals, dates, times and numbers in the app, in real Chromium, are what the server writes:
the browser's tn() against the server's ngettext for the same count (all six Welsh forms), and
static/app/format.js against Babel for the same instant, shown in Europe/London whatever the
tablet's own time zone and locale; datetime-local values against Python's zoneinfo, also for the
hour skipped in spring and the hour repeated in autumn.

Every expected result is computed here from the server's catalogs, Babel and zoneinfo; the only
literal ones are a few examples a person would recognise."""

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel import Locale
from flask_babel import force_locale, format_decimal, get_translations, ngettext

from app.i18n import (
    CLDR_CATEGORY_ORDER,
    clock_time,
    date_locale,
    full_date,
    used_by_the_app,
)
from tests.browser.steps import LONDON, ROOT, london_input, open_the_app, po_catalog

LANGUAGES = ("cy", "en")
STATIC = ROOT / "static"
COUNTS = (0, 1, 2, 3, 4, 6, 7, 11, 20)
FORMAT = "/static/app/format.js"
# A separate instance of the i18n module (another URL), so the app's own loadCatalog on /app
# cannot swap the catalog under the test.
I18N = "/static/app/i18n.js?instance=test"

# Tablets as they might be set: in London, and in New York with German as the language (whose
# Intl fallback would give "1.234,5" and the wrong day near midnight if anything leaked).
DEVICES = {
    "london": {"timezone_id": "Europe/London", "locale": "en-GB"},
    "new-york-german": {"timezone_id": "America/New_York", "locale": "de-DE"},
}

DEVICE_CHECK = """() => [Intl.DateTimeFormat().resolvedOptions().timeZone,
  new Date("2026-07-01T03:00:00Z").getDate()]"""


@pytest.fixture(params=sorted(DEVICES))
def device_page(request, browser, live_server):
    """The app shell open on a tablet set to one of DEVICES."""
    settings = DEVICES[request.param]
    context = browser.new_context(**settings)
    page = context.new_page()
    open_the_app(page, live_server)
    zone, day = page.evaluate(DEVICE_CHECK)
    assert zone == settings["timezone_id"]
    # The device's own clock really is where we said (30 June in New York, 1 July in London).
    assert day == datetime(2026, 7, 1, 3, tzinfo=UTC).astimezone(ZoneInfo(zone)).day
    yield page
    context.close()


def js_iso(moment: datetime) -> str:
    """An instant as JavaScript's toISOString() writes it."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# --- plurals --------------------------------------------------------------------------------------

def plural_messages(language):
    """(singular, plural) of every plural message the app shows, from the language's catalog."""
    return [tuple(message.id) for message in po_catalog(language)
            if isinstance(message.id, tuple | list) and used_by_the_app(message)]


def server_plurals(app, language, messages, counts):
    with app.test_request_context("/"), force_locale(language):
        return {f"{singular} | {count}": ngettext(singular, plural, count)
                for singular, plural in messages for count in counts}


def server_form_positions(app, language, counts):
    """Which of the compiled catalog's plural forms gettext picks for each count."""
    with app.test_request_context("/"), force_locale(language):
        return {count: get_translations().plural(count) for count in counts}


BROWSER_PLURALS = """async ({i18n, language, messages, counts}) => {
  const m = await import(i18n);
  await m.loadCatalog(language, document.querySelector(`meta[name="adref-catalog-${language}"]`).content);
  const found = {};
  for (const [singular, plural] of messages) {
    for (const count of counts) found[`${singular} | ${count}`] = m.tn(singular, plural, count);
  }
  return found;
}"""

# The app's own catalog with each plural form marked by its position ("[3] ..."), so that which
# form tn() picks shows even where forms share their text. Served at an address of the app's own
# origin by the test (the pages' policy lets them fetch nothing else, a blob: URL neither), and
# one the service worker leaves to the network.
MARKED_CATALOG = "/test-only/marked-catalog.json"
BROWSER_FORM_POSITIONS = """async ({i18n, language, catalog, message, counts}) => {
  const m = await import(i18n);
  await m.loadCatalog(language, catalog);
  return counts.map((count) => m.tn(message[0], message[1], count));
}"""


def serve_marked_catalog(page, live_server, language) -> dict:
    """The catalog of the language, marked, served at MARKED_CATALOG; returned as served."""
    catalog = json.loads((STATIC / "i18n" / f"{language}.json").read_text(encoding="utf-8"))
    for key, forms in catalog["messages"].items():
        if isinstance(forms, list):
            catalog["messages"][key] = [f"[{i}] {form}" for i, form in enumerate(forms)]
    page.route(live_server + MARKED_CATALOG, lambda route: route.fulfill(json=catalog))
    return catalog


# A plural message the app shows on every screen (the changes waiting to be sent).
WAITING = ("%(num)d change waiting to be sent", "%(num)d changes waiting to be sent")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_plural_message_reads_as_the_server_writes_it(app, live_server, page, language):
    messages = plural_messages(language)
    assert WAITING in messages
    open_the_app(page, live_server)
    shown = page.evaluate(BROWSER_PLURALS, {"i18n": I18N, "language": language,
                                            "messages": messages, "counts": list(COUNTS)})
    assert shown == server_plurals(app, language, messages, COUNTS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_count_takes_the_cldr_form_the_server_takes(app, live_server, page, language):
    message = WAITING
    open_the_app(page, live_server)
    catalog = serve_marked_catalog(page, live_server, language)
    shown = {"categories": catalog["plural_categories"], "chosen": page.evaluate(
        BROWSER_FORM_POSITIONS, {"i18n": I18N, "language": language, "catalog": MARKED_CATALOG,
                                 "message": message, "counts": list(COUNTS)})}
    positions = [int(text[1:text.index("]")]) for text in shown["chosen"]]
    server = server_form_positions(app, language, COUNTS)
    assert dict(zip(COUNTS, positions, strict=True)) == server
    cldr = {count: Locale.parse(language).plural_form(count) for count in COUNTS}
    assert {count: shown["categories"][p] for count, p in zip(COUNTS, positions, strict=True)} == cldr
    by_category = {cldr[count]: text for count, text in zip(COUNTS, shown["chosen"], strict=True)}
    expected_categories = set(CLDR_CATEGORY_ORDER) if language == "cy" else {"one", "other"}
    assert set(by_category) == expected_categories
    # Six categories in Welsh (0 zero, 1 one, 2 two, 3 few, 6 many, 4/7/11/20 other), each its
    # own form; counts of one category share a form.
    forms = {category: text[:text.index("]")] for category, text in by_category.items()}
    assert len(set(forms.values())) == len(expected_categories)


def test_chromium_welsh_plural_rules_are_cldr(live_server, page):
    """Intl.PluralRules("cy") in Chromium (ICU) against Babel's CLDR, well past the six counts."""
    counts = [*range(0, 211), 1000, 1000000]
    open_the_app(page, live_server)
    chosen = page.evaluate("""(counts) => {
      const rules = new Intl.PluralRules("cy");
      return [rules.resolvedOptions().locale, counts.map((n) => rules.select(n))];
    }""", counts)
    assert chosen[0] == "cy"
    assert chosen[1] == [Locale.parse("cy").plural_form(count) for count in counts]


# --- dates, times and numbers ---------------------------------------------------------------------

INSTANTS = (
    *(f"2026-{month:02d}-01T12:00:00Z" for month in range(1, 13)),  # every month and weekday
    "2026-01-15T09:05:00Z",  # winter
    "2026-07-04T13:45:30Z",  # summer
    "2026-03-28T23:30:00Z",  # the evening before the clocks go forward
    "2026-03-29T00:59:59.999Z",  # the last moment of GMT: 00:59
    "2026-03-29T01:00:00Z",  # 02:00 BST
    "2026-10-24T23:00:00Z",  # midnight BST, the day the clocks go back
    "2026-10-25T00:30:00Z",  # 01:30 BST
    "2026-10-25T01:00:00Z",  # 01:00 GMT, again
    "2026-10-25T01:30:00Z",  # 01:30 GMT, again
    "2026-06-30T23:30:00Z",  # 00:30 on 1 July in London
    "2026-08-31T23:00:00Z",  # midnight, 1 September in London
    "2026-12-31T23:30:00Z",  # winter: still 31 December
    "2025-12-31T23:59:59Z",
    "2028-02-29T23:30:00Z",  # a leap day, in winter
    "2026-05-31T23:59:59.999Z",  # 00:59 on 1 June in London
    "1999-12-31T23:59:59Z",
    datetime(2026, 4, 30, 23, 15, 7, 123456, tzinfo=UTC).isoformat(),  # as the API writes it
)


def server_date_time(app, iso, language):
    """The server's date (full_date, as on the landing page), its 24-hour time,
    and the two joined as Babel's format_datetime joins a date and a time."""
    moment = datetime.fromisoformat(iso)
    with app.test_request_context("/"), force_locale(language):
        day = full_date(moment)
        time = clock_time(moment)
    joined = Locale.parse(date_locale(language)).datetime_formats["full"].replace("'", "")
    return [day, time, joined.replace("{0}", time).replace("{1}", day)]


BROWSER_DATES = """async ({format, instants, languages}) => {
  const f = await import(format);
  const shown = {};
  for (const iso of instants) {
    for (const language of languages) {
      shown[`${iso} ${language}`] = [f.formatDate(iso, language), f.formatTime(iso, language),
                                     f.formatDateTime(iso, language)];
    }
  }
  return shown;
}"""


def test_the_instants_cover_what_they_should():
    """Guards the list above: every weekday and month, and days that differ in London."""
    london = [datetime.fromisoformat(iso).astimezone(LONDON) for iso in INSTANTS]
    assert {moment.weekday() for moment in london} == set(range(7))
    assert {moment.month for moment in london} == set(range(1, 13))
    assert any(moment.date() != datetime.fromisoformat(iso).date()
               for moment, iso in zip(london, INSTANTS, strict=True))


def test_dates_and_times_read_as_the_server_writes_them(app, device_page):
    shown = device_page.evaluate(BROWSER_DATES, {"format": FORMAT, "instants": list(INSTANTS),
                                                 "languages": list(LANGUAGES)})
    expected = {f"{iso} {language}": server_date_time(app, iso, language)
                for iso in INSTANTS for language in LANGUAGES}
    assert shown == expected
    assert shown["2026-03-01T12:00:00Z cy"][0] == "Dydd Sul, 1 Mawrth 2026"
    assert shown["2026-03-01T12:00:00Z en"][0] == "Sunday, 1 March 2026"


def test_a_date_alone_is_that_day(app, device_page):
    days = [date(2026, 3, 1), date(2026, 3, 29), date(2026, 7, 1), date(2026, 10, 25)]
    shown = device_page.evaluate("""async ({format, days}) => {
      const f = await import(format);
      return days.map((day) => [f.formatDate(day, "cy"), f.formatDate(day, "en")]);
    }""", {"format": FORMAT, "days": [day.isoformat() for day in days]})
    expected = []
    for day in days:
        with app.test_request_context("/"):
            welsh, english = full_date(day, "cy"), full_date(day, "en")
        expected.append([welsh, english])
    assert shown == expected


def test_a_time_without_a_zone_is_refused(device_page):
    """Date() would read "2026-03-01T14:05" in the tablet's own zone: format.js will not guess."""
    refused = device_page.evaluate("""async (format) => {
      const f = await import(format);
      try { f.formatTime("2026-03-01T14:05", "cy"); return null; } catch (e) { return e.name; }
    }""", FORMAT)
    assert refused == "RangeError"


NUMBERS = (0, 1, 7, 20, 999, 1000, 1234, 1234567, -1234.5, 0.5, 2.0625, 2.0635, 12345.6789,
           1234567.8915, -0.0)


def test_numbers_read_as_the_server_writes_them(app, device_page):
    shown = device_page.evaluate("""async ({format, numbers, languages}) => {
      const f = await import(format);
      return languages.map((language) => numbers.map((n) => f.formatNumber(n, language)));
    }""", {"format": FORMAT, "numbers": list(NUMBERS), "languages": list(LANGUAGES)})
    expected = []
    for language in LANGUAGES:
        with app.test_request_context("/"), force_locale(language):
            expected.append([format_decimal(number) for number in NUMBERS])
    assert shown == expected


# --- datetime-local values ------------------------------------------------------------------------

def every_quarter_hour(start: datetime, end: datetime):
    while start <= end:
        yield start
        start += timedelta(minutes=15)


CLOCK_CHANGES = ((datetime(2026, 3, 28, 22), datetime(2026, 3, 29, 3)),
                 (datetime(2026, 10, 24, 22), datetime(2026, 10, 25, 3)),
                 (datetime(2025, 3, 29, 22), datetime(2025, 3, 30, 3)),
                 (datetime(2025, 10, 25, 22), datetime(2025, 10, 26, 3)))

UTC_INSTANTS = (
    *(js_iso(moment.replace(tzinfo=UTC)) for start, end in CLOCK_CHANGES
      for moment in every_quarter_hour(start, end)),
    "2026-03-29T00:59:59.999Z", "2026-10-25T00:59:59.999Z", "2026-06-30T23:30:00Z",
    "2026-12-31T23:30:00Z", "2026-07-04T13:45:30Z", "2026-01-15T09:05:00Z",
)

WALL_VALUES = (
    *(moment.strftime("%Y-%m-%dT%H:%M") for start, end in CLOCK_CHANGES
      for moment in every_quarter_hour(start, end)),
    "2026-03-29T00:59", "2026-03-29T01:00", "2026-03-29T01:59", "2026-03-29T02:00",
    "2026-10-25T00:59", "2026-10-25T01:00", "2026-10-25T01:59", "2026-10-25T02:00",
    "2026-07-01T00:30:15", "2026-01-15T09:05", "2026-07-04T14:45:30.250", "2028-02-29T23:30",
)


def london_instants(value: str) -> list[str]:
    """Every UTC instant at which a London clock shows the wall time, earliest first."""
    wall = datetime.fromisoformat(value)
    found = set()
    for fold in (0, 1):
        moment = wall.replace(tzinfo=LONDON, fold=fold).astimezone(UTC)
        if moment.astimezone(LONDON).replace(tzinfo=None) == wall:
            found.add(moment)
    return [js_iso(moment) for moment in sorted(found)]


BROWSER_INPUTS = """async ({format, instants, values}) => {
  const f = await import(format);
  const input = document.createElement("input");
  input.type = "datetime-local";
  const accepted = (value) => { input.value = value; return input.value; };
  return {
    shown: instants.map((iso) => {
      const value = f.londonInputValue(iso);
      return [value, accepted(value), f.instantFromLondonInput(value)];
    }),
    // What a form reads back from the input (Chromium writes ".250" seconds as ".25").
    read: values.map((value) => accepted(value)).map((given) =>
      [given !== "", f.londonInstants(given), f.instantFromLondonInput(given)]),
  };
}"""


def test_the_values_cover_both_clock_changes():
    """Guards the lists above: a wall time that does not exist and one that happens twice."""
    counts = {len(london_instants(value)) for value in WALL_VALUES}
    assert counts == {0, 1, 2}
    shown = {london_input(datetime.fromisoformat(iso)) for iso in UTC_INSTANTS}
    assert len(shown) < len(UTC_INSTANTS)  # the repeated autumn hour shows the same wall time


def test_datetime_local_values_are_london_wall_time_on_any_tablet(device_page):
    result = device_page.evaluate(BROWSER_INPUTS, {"format": FORMAT, "instants": list(UTC_INSTANTS),
                                                   "values": list(WALL_VALUES)})
    expected_shown = []
    for iso in UTC_INSTANTS:
        value = london_input(datetime.fromisoformat(iso))
        earliest = london_instants(value)
        expected_shown.append([value, value, earliest[0] if earliest else None])
    assert result["shown"] == expected_shown
    expected_read = []
    for value in WALL_VALUES:
        instants = london_instants(value)
        expected_read.append([True, instants, instants[0] if instants else None])
    assert result["read"] == expected_read


def test_the_clock_change_examples(device_page):
    examples = device_page.evaluate("""async (format) => {
      const f = await import(format);
      return [f.instantFromLondonInput("2026-03-29T01:30"), f.instantFromLondonInput("2026-10-25T01:30"),
              f.londonInputValue("2026-03-29T01:30:00Z"), f.instantFromLondonInput(""),
              f.londonInputValue(null)];
    }""", FORMAT)
    # 01:30 on 29 March 2026 never happens in London; on 25 October it happens twice, first in BST.
    assert examples == [None, "2026-10-25T00:30:00.000Z", "2026-03-29T02:30", None, ""]


@pytest.mark.parametrize("value", ["2026-02-30T10:00", "2026-13-01T10:00", "2026-03-01T24:00",
                                   "2026-03-01 10:00", "01/03/2026 10:00"])
def test_a_value_no_input_would_give_is_refused(device_page, value):
    refused = device_page.evaluate("""async ({format, value}) => {
      const f = await import(format);
      try { return f.instantFromLondonInput(value); } catch (e) { return e.name; }
    }""", {"format": FORMAT, "value": value})
    assert refused == "RangeError"
