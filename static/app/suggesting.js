// What the record suggests a worker do after a return interview, offline: the same algorithm as
// app/referrals/suggesting.py over the same definition (the reference part "suggestion_rules",
// app/referrals/data/suggestion_rules.json), giving the same answers
// (tests/referrals/suggestion_examples.json, run in Chromium by
// tests/browser/test_suggestion_vectors.py).
//
// facts: {child, episode, history, interview, self_report}, as suggesting.py's docstring says.
// Windows: the anchor is the episode's report; an episode counts when reported at or before it
// and still missing at or after the window's start (or not returned). {days: n} starts
// n x 86,400 s before the anchor; {months: n} at the same UTC day and time n calendar months
// before (the month's last day when it is shorter). The episode's own police force area picks
// the policy; the history counts episodes in every area.

const PLACEHOLDER = /%\((\w+)\)([sd])/g;
const DAY_MS = 86400 * 1000;

export function suggestions(definition, facts, policiesByArea = null) {
  const rules = [...definition.rules, ...thresholds(definition, facts, policiesByArea)];
  const found = [];
  for (const rule of rules) {
    const values = {};
    if (!holds(definition, rule.when, facts, values)) continue;
    for (const [name, path] of Object.entries(rule.values || {})) values[name] = fact(facts, path);
    const reason = {};
    for (const [language, text] of Object.entries(rule.reason)) reason[language] = filled(text, values);
    found.push({ kind: rule.kind, rule: rule.rule, version: definition.version, reason,
                 service_id: rule.service_id ?? null, multi_agency: rule.multi_agency, values });
  }
  return found;
}

export function policyFor(definition, facts, policiesByArea = null) {
  const mapping = policiesByArea ?? definition.policies_by_area;
  const force = fact(facts, "episode.reporting_force_code");
  const pick = (key) => (Object.hasOwn(mapping, key) ? mapping[key] : null);
  return force !== null && Object.hasOwn(mapping, force) ? pick(force) : pick("*");
}

function thresholds(definition, facts, policiesByArea) {
  const name = policyFor(definition, facts, policiesByArea);
  const policy = name !== null && Object.hasOwn(definition.policies, name) ? definition.policies[name] : null;
  return policy ? policy.thresholds : [];
}

export function filled(text, values) {
  return text.replace(PLACEHOLDER, (_, name, type) => {
    if (!Object.hasOwn(values, name)) throw new Error(`No value for ${name}`);
    return type === "d" ? String(Math.trunc(Number(values[name]))) : String(values[name]);
  });
}

function holds(definition, condition, facts, values) {
  if ("all" in condition) return condition.all.every((part) => holds(definition, part, facts, values));
  if ("any" in condition) return condition.any.some((part) => holds(definition, part, facts, values));
  if ("not" in condition) return !holds(definition, condition.not, facts, values);
  if ("sign" in condition) return holds(definition, definition.signs[condition.sign], facts, values);
  if ("covered" in condition) {
    const areas = definition.coverage[condition.covered].areas;
    return condition.by.some((path) => areas.includes(fact(facts, path)));
  }
  if ("episodes" in condition) return episodesHold(condition.episodes, facts, values);
  if ("has_any" in condition) {
    const codes = fact(facts, condition.fact) || [];
    return condition.has_any.some((code) => codes.includes(code));
  }
  if ("is" in condition) return fact(facts, condition.fact) === condition.is;
  throw new Error(`Not a condition: ${JSON.stringify(condition)}`);
}

// A dotted path into the facts; a missing part reads as null.
function fact(facts, path) {
  let value = facts;
  for (const part of path.split(".")) {
    value = value !== null && typeof value === "object" && !Array.isArray(value) && Object.hasOwn(value, part)
      ? value[part] : null;
  }
  return value ?? null;
}

function episodesHold(test, facts, values) {
  const count = countEpisodes(facts, test.within ?? null);
  values.count = count;
  Object.assign(values, test.within || {});
  return "exactly" in test ? count === test.exactly : count >= test.at_least;
}

// The episodes in the window (null: every one up to the anchor), the episode included.
export function countEpisodes(facts, within) {
  const episode = facts.episode || {};
  const anchor = instant(episode.reported_missing_at);
  const start = within ? windowStart(anchor, within) : null;
  const id = episode.id ?? null;
  const others = (facts.history || []).filter((other) => (other.id ?? null) === null || other.id !== id);
  let count = 0;
  for (const each of [episode, ...others]) {
    const reported = instant(each.reported_missing_at);
    const returned = each.returned_at ?? null;
    if (reported <= anchor && (start === null || returned === null || instant(returned) >= start)) count += 1;
  }
  return count;
}

// Milliseconds since the epoch, UTC.
export function windowStart(anchor, within) {
  if ("days" in within) return anchor - within.days * DAY_MS;
  const at = new Date(anchor);
  const months = at.getUTCFullYear() * 12 + at.getUTCMonth() - within.months;
  const year = Math.floor(months / 12);
  const month = months - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(at.getUTCDate(), lastDay), at.getUTCHours(),
                  at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds());
}

// An ISO 8601 instant with its offset ("Z" or +hh:mm), as milliseconds since the epoch.
function instant(text) {
  if (!/(Z|[+-]\d\d:\d\d)$/.test(text)) throw new Error(`An instant needs its offset: ${text}`);
  const moment = Date.parse(text);
  if (Number.isNaN(moment)) throw new Error(`Not an instant: ${text}`);
  return moment;
}

// The facts for an interview from the tablet's records (as a pull gives them): its child, its
// episode, the child's episodes (the episode among them or not), the interview and the young
// person's section (or null), as app/referrals/suggesting.py interview_facts reads the database.
export function factsFor({ child, episode, episodes = [], interview = null, selfReport = null }) {
  const picked = (record, names) => Object.fromEntries(names.map((name) => [name, record?.[name] ?? null]));
  const times = ["id", "reported_missing_at", "returned_at", "reporting_force_code"];
  return {
    child: { ...picked(child, ["looked_after", "unaccompanied_asylum_seeking", "out_of_area",
                               "placing_authority_code", "host_authority_code"]) },
    episode: picked(episode, [...times, "risk_grade"]),
    history: episodes.filter((other) => other.id !== episode.id).map((other) => picked(other, times)),
    interview: Object.fromEntries(["harms", "vulnerabilities", "push_factors", "pull_factors"]
      .map((name) => [name, [...(interview?.[name] || [])].sort()])),
    self_report: selfReport ? { advocate_requested: selfReport.advocate_requested ?? null,
                                talk_to: [...(selfReport.talk_to || [])].sort() } : null,
  };
}
