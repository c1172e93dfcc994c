// The directory of services who can help (the reference part "directory", from
// app/directory/data/services.json): which of them a child may be shown at the end of their
// own section, each marked open or closed now, in the order the screen lists them.
//
// Plain functions of the entries and the child's facts; no screen, no store. Hours are London
// wall-clock time ({"always": true}, {"daily": [[open, close]]}, {"weekly": {"mon": [...]}};
// "24:00" closes a day; null: not known, so never called open), as app/directory/hours.py
// checks them. tests/browser/test_directory_filter.py runs tests/directory/help_examples.json.

import { londonWeekdayAndMinute } from "./format.js";

const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

function minutes(time) {
  const [hours, mins] = time.split(":").map(Number);
  return hours * 60 + mins;
}

// Open from the first time up to, not including, the second ("24:00": to the end of the day).
function within(ranges, minute) {
  return (ranges ?? []).some(([opens, closes]) => minutes(opens) <= minute && minute < minutes(closes));
}

export function openNow(hours, now = new Date()) {
  if (!hours) return false;
  if (hours.always === true) return true;
  const { weekday, minute } = londonWeekdayAndMinute(now);
  if (hours.daily) return within(hours.daily, minute);
  if (hours.weekly) return within(hours.weekly[DAYS[weekday]], minute);
  return false;
}

// What is not known about the child (null or undefined) keeps a service: only a fact that
// rules it out hides it.
function known(value) {
  return value !== null && value !== undefined;
}

function forThisChild(service, { age, lookedAfter, areaCode }) {
  const whom = service.for_whom;
  if (service.confirmed !== true) return false;
  if (service.audience !== "child" && service.audience !== "both") return false;
  if (known(age) && known(whom.min_age) && age < whom.min_age) return false;
  if (known(age) && known(whom.max_age) && age > whom.max_age) return false;
  if (whom.care_status === "looked_after" && lookedAfter === false) return false;
  return whom.areas === "all" || !known(areaCode) || whom.areas.includes(areaCode);
}

// A free call or text: the helplines a child can use with no credit on their phone.
function freeLine(service) {
  return service.free === true && Boolean(service.contact.phone || service.contact.text);
}

function nameIn(service, language) {
  return service.name[language] || service.name.en;
}

// What the child told us first (needs, most pressing first: a service meeting an earlier need
// comes before one meeting a later one); then open now; then, for a child reading Welsh,
// services in Welsh; then free helplines; then by name in the child's language.
function ordering(language, needs) {
  const collator = new Intl.Collator(language === "cy" ? "cy" : "en-GB");
  const first = (test) => (a, b) => Number(test(b)) - Number(test(a));
  const steps = [...needs.map((need) => first((s) => s.for_whom.needs.includes(need))),
    first((s) => s.openNow),
    ...(language === "cy" ? [first((s) => s.welsh_language === true)] : []),
    first(freeLine),
    (a, b) => collator.compare(nameIn(a, language), nameIn(b, language))];
  return (a, b) => steps.reduce((found, step) => found || step(a, b), 0);
}

// The entries a child may be shown, each a copy with openNow, in the screen's order.
// needs: what the child told us, as the directory's need tags (advocacy, emergency, ...).
export function helpForChild(services, { age = null, lookedAfter = null, areaCode = null,
  language = "en", needs = [] } = {}, now = new Date()) {
  const child = { age, lookedAfter, areaCode };
  return services.filter((service) => forThisChild(service, child))
    .map((service) => ({ ...service, openNow: openNow(service.hours, now) }))
    .sort(ordering(language, needs));
}
