// Dates, times and numbers as the person reads them, and the conversion between the instants we
// store (ISO strings in UTC) and <input type="datetime-local"> values, which are wall-clock time.
//
// Interviews happen in Wales and England, so every date and time is shown in Europe/London,
// whatever time zone or language the tablet itself is set to; the server does the same
// (BABEL_DEFAULT_TIMEZONE). The text must equal the server's Babel output for the same instant.
//
// Why the month and day names are written out here instead of coming from Intl: Chromium's ICU
// data has no Welsh dates or numbers. Intl.DateTimeFormat("cy") quietly falls back to the
// device's own locale ("Sunday, March 1, 2026" on an American tablet, German on a German one),
// while Intl.PluralRules("cy") is complete. So Intl is used only for what every browser has:
// the Europe/London time-zone rules, as numbers. The names and patterns are CLDR's, as Babel
// (CLDR 47) uses them on the server; tests/browser/test_plurals_and_dates.py checks every name.

const ZONE = "Europe/London";

const DATE_WORDS = {
  cy: {
    // CLDR's full date pattern for the language (EEEE = weekday, MMMM = month, d = day, y = year).
    date: "EEEE, d MMMM y",
    weekdays: ["Dydd Sul", "Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau", "Dydd Gwener",
      "Dydd Sadwrn"],
    months: ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst",
      "Medi", "Hydref", "Tachwedd", "Rhagfyr"],
  },
  // British English (CLDR en_GB), as the server writes English dates (app/i18n.py DATE_LOCALES).
  en: {
    date: "EEEE, d MMMM y",
    weekdays: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    months: ["January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December"],
  },
};

// CLDR's way of joining a date and a time ("{1}, {0}" for both languages), as Babel's
// format_datetime joins them.
const DATE_TIME_JOIN = ", ";

// Wall-clock fields of an instant in London, as numbers. "en" with Latin digits exists in every
// browser; hourCycle "h23" because hour12: false gives "24" at midnight in some Chromium versions.
const LONDON_FIELDS = new Intl.DateTimeFormat("en-US", {
  timeZone: ZONE, hourCycle: "h23", numberingSystem: "latn",
  year: "numeric", month: "numeric", day: "numeric",
  hour: "numeric", minute: "numeric", second: "numeric",
});

function words(language) {
  return DATE_WORDS[language] ?? DATE_WORDS.en; // the server's default locale is English too
}

function pad(number, width = 2) {
  return String(number).padStart(width, "0");
}

// ISO strings without "Z" or an offset ("2026-03-01T14:05") are read by Date in the device's time
// zone, which would make the result depend on the tablet; they are refused. A date alone
// ("2026-03-01") is read as UTC midnight, the same day in London. Python's isoformat() gives
// microseconds, which not every browser parses: they are cut to milliseconds.
function instant(iso) {
  const date = iso instanceof Date ? new Date(iso.getTime())
    : new Date(trimToMilliseconds(zonedOrDateOnly(String(iso))));
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not an instant: ${iso}`);
  return date;
}

function zonedOrDateOnly(text) {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const zoned = /T.*(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  if (!dateOnly && !zoned) throw new RangeError(`No time zone in ${text}: give UTC ("Z")`);
  return text;
}

function trimToMilliseconds(text) {
  return text.replace(/(\.\d{3})\d+/, "$1");
}

// {year, month (1-12), day, hour, minute, second} of the instant on a London clock.
function londonFields(date) {
  const fields = {};
  for (const { type, value } of LONDON_FIELDS.formatToParts(date)) fields[type] = value;
  return {
    year: Number(fields.year), month: Number(fields.month), day: Number(fields.day),
    hour: Number(fields.hour), minute: Number(fields.minute), second: Number(fields.second),
  };
}

// The weekday (0 Sunday to 6 Saturday) and the minute of the day (0 to 1439) of an instant on a
// London clock (an opening time is read against them: static/app/directory.js).
export function londonWeekdayAndMinute(when) {
  const fields = londonFields(instant(when));
  return { weekday: new Date(fieldsAsUtc(fields)).getUTCDay(), minute: fields.hour * 60 + fields.minute };
}

// The wall-clock fields read as if they were UTC, in milliseconds: the arithmetic base for
// offsets. setUTCFullYear, not Date.UTC, which turns years 0-99 into 1900-1999.
function fieldsAsUtc({ year, month, day, hour = 0, minute = 0, second = 0, millisecond = 0 }) {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  return date.getTime();
}

// How far London's clocks are ahead of UTC at the instant (0 in winter, one hour in summer).
function londonOffset(milliseconds) {
  const whole = Math.floor(milliseconds / 1000) * 1000;
  return fieldsAsUtc(londonFields(new Date(whole))) - whole;
}

function fillDate(fields, language) {
  const { date, weekdays, months } = words(language);
  const weekday = new Date(fieldsAsUtc(fields)).getUTCDay();
  const values = { EEEE: weekdays[weekday], MMMM: months[fields.month - 1], d: fields.day,
    y: fields.year };
  return date.replace(/EEEE|MMMM|d|y/g, (token) => String(values[token]));
}

function fillTime(fields) {
  return `${pad(fields.hour)}:${pad(fields.minute)}`;
}

// "Dydd Sul, 1 Mawrth 2026" / "Sunday, March 1, 2026": the server's format_date(…, "full").
export function formatDate(iso, language) {
  return fillDate(londonFields(instant(iso)), language);
}

// "14:05", 24-hour, London time. Seconds are dropped, not rounded, as Babel's "HH:mm" does.
export function formatTime(iso, _language) {
  return fillTime(londonFields(instant(iso)));
}

// "Dydd Sul, 1 Mawrth 2026, 14:05": the full date and the 24-hour time, joined as CLDR (and so
// Babel's format_datetime) joins a full date and a time.
export function formatDateTime(iso, language) {
  const fields = londonFields(instant(iso));
  return fillDate(fields, language) + DATE_TIME_JOIN + fillTime(fields);
}

// "1,234.5" in both languages, up to three decimals rounded half to even, as Babel's
// format_decimal. Listing "en" after the language keeps Chromium, which has no Welsh number
// data, from falling back to the device's locale ("1.234,5" on a German tablet); Welsh and
// English use the same separators in CLDR.
export function formatNumber(n, language) {
  return new Intl.NumberFormat([language, "en"], {
    numberingSystem: "latn", maximumFractionDigits: 3, roundingMode: "halfEven",
  }).format(n);
}

// The value for <input type="datetime-local"> showing the instant on a London clock,
// "2026-03-29T02:30" (seconds dropped). Empty for no instant, so the input shows blank.
export function londonInputValue(iso) {
  if (iso === null || iso === undefined || iso === "") return "";
  const f = londonFields(instant(iso));
  return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${fillTime(f)}`;
}

const INPUT_VALUE = /^(\d{4,6})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

// A datetime-local value as fields; a value no browser would give (wrong shape, 30 February,
// 25:00) is a mistake in the calling code, so it throws rather than guessing.
function inputFields(value) {
  const match = INPUT_VALUE.exec(value);
  if (!match) throw new RangeError(`Not a datetime-local value: ${value}`);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const millisecond = Number((match[7] ?? "").padEnd(3, "0"));
  const fields = { year, month, day, hour, minute, second, millisecond };
  const back = new Date(fieldsAsUtc(fields));
  const same = back.getUTCFullYear() === year && back.getUTCMonth() === month - 1
    && back.getUTCDate() === day && back.getUTCHours() === hour && back.getUTCMinutes() === minute
    && back.getUTCSeconds() === second;
  if (!same) {
    throw new RangeError(`No such date or time: ${value}`);
  }
  return fields;
}

// Every instant at which a London clock shows the value, earliest first: usually one; none in
// the hour skipped when the clocks go forward (01:00-01:59 on the last Sunday of March); two in
// the hour repeated when they go back (01:00-01:59 on the last Sunday of October, first in BST,
// then in GMT). London's offset a day either side of the wall time covers both offsets in play.
export function londonInstants(value) {
  if (value === null || value === undefined || value === "") return [];
  const wall = fieldsAsUtc(inputFields(value));
  const day = 24 * 60 * 60 * 1000;
  const offsets = new Set([londonOffset(wall - day), londonOffset(wall + day)]);
  return [...offsets]
    .map((offset) => wall - offset)
    .filter((candidate) => londonOffset(candidate) === wall - candidate)
    .sort((a, b) => a - b)
    .map((candidate) => new Date(candidate).toISOString());
}

// The UTC instant ("2026-03-29T00:30:00.000Z") that a datetime-local value means on a London
// clock. A time that does not exist (the skipped spring hour) gives null, so the form can say
// so instead of moving the time silently; a time that happens twice (the autumn hour) gives the
// earlier instant, in BST, which is how people read the clock until it goes back. Empty → null.
export function instantFromLondonInput(value) {
  return londonInstants(value)[0] ?? null;
}
