// What the worker's lists need to know about a case, on plain records (no screens here): a
// child's episodes and an episode's interview, through indexes built once per drawing; and where
// the 72-hour clock stands, in the reader's words. The clock starts when the child returns, and
// counts real time (instants, not wall clocks). Its definition is the server's
// (app/interviews/clock.py DEFINITION, held equal by tests/browser/test_clock.py), and both
// answer tests/clock_examples.json alike, with the same msgids.
import { t, tn } from "./i18n.js";

const HOUR = 60 * 60 * 1000;
export const DEFINITION = {
  deadline_hours: 72,
  hours_up_to: 72,
  rounding: { due: "up", overdue: "down" },
  urgency: ["overdue", "due", "missing", "held_late", "declined", "held", "none"],
};
export const DEADLINE_HOURS = DEFINITION.deadline_hours;

export function byNewestReport(episodes) {
  return [...episodes].sort((a, b) => Date.parse(b.reported_missing_at) - Date.parse(a.reported_missing_at));
}

// The joins of one drawing: each child's episodes (newest report first) and each episode's
// interview (the first one held for it), read in one pass over each list.
export function indexes(episodes, interviews) {
  const episodesByChild = new Map();
  for (const episode of byNewestReport(episodes)) {
    if (!episodesByChild.has(episode.child_id)) episodesByChild.set(episode.child_id, []);
    episodesByChild.get(episode.child_id).push(episode);
  }
  const interviewByEpisode = new Map();
  for (const interview of interviews) {
    if (!interviewByEpisode.has(interview.episode_id)) interviewByEpisode.set(interview.episode_id, interview);
  }
  return {
    episodesOf: (child) => episodesByChild.get(child.id) ?? [],
    interviewOf: (episode) => interviewByEpisode.get(episode.id) ?? null,
  };
}

export function attemptsOf(interview, attempts) {
  return attempts.filter((attempt) => attempt.interview_id === interview.id)
    .sort((a, b) => Date.parse(a.attempted_at) - Date.parse(b.attempted_at));
}

function wholeHours(milliseconds, kind) {
  const hours = milliseconds / HOUR;
  return Math.max(1, DEFINITION.rounding[kind] === "up" ? Math.ceil(hours) : Math.floor(hours));
}

// Where the clock stands: {kind} of DEFINITION.urgency, with hours (left or late) and dueAt for
// "due" and "overdue". The interview's status does not move it, as on the server.
export function clockState(episode, interview, now = Date.now()) {
  if (!episode) return { kind: "none" };
  if (!episode.returned_at) return { kind: "missing" };
  if (interview?.consent === "declined") return { kind: "declined" };
  const dueAt = Date.parse(episode.returned_at) + DEFINITION.deadline_hours * HOUR;
  if (interview?.conducted_at) {
    return { kind: Date.parse(interview.conducted_at) <= dueAt ? "held" : "held_late" };
  }
  return now <= dueAt ? { kind: "due", hours: wholeHours(dueAt - now, "due"), dueAt }
    : { kind: "overdue", hours: wholeHours(now - dueAt, "overdue"), dueAt };
}

// "20 hours", or beyond DEFINITION.hours_up_to, "40 days 20 hours" (or "3 days").
export function durationText(hours) {
  const inHours = (count) => tn("%(num)d hour", "%(num)d hours", count);
  if (hours <= DEFINITION.hours_up_to) return inHours(hours);
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  const said = tn("%(num)d day", "%(num)d days", days);
  return rest ? `${said} ${inHours(rest)}` : said;
}

export function clockText(state) {
  switch (state.kind) {
    case "due": return t("Interview due within %(time)s", { time: durationText(state.hours) });
    case "overdue": return t("Interview overdue by %(time)s", { time: durationText(state.hours) });
    case "missing": return t("Not back yet");
    case "declined": return t("Interview declined");
    case "held": return t("Interview held within 72 hours");
    case "held_late": return t("Interview held after 72 hours");
    default: return t("No missing episodes recorded");
  }
}

// The most urgent of a child's episodes with its interview and clock: by DEFINITION.urgency,
// then the deadline soonest passed or nearest; otherwise the newest report.
export function mostUrgent(episodes, interviewOf, now = Date.now()) {
  let chosen = { episode: null, interview: null, state: clockState(null, null) };
  const rank = (state) => DEFINITION.urgency.indexOf(state.kind);
  for (const episode of episodes) {
    const interview = interviewOf(episode);
    const state = clockState(episode, interview, now);
    const better = rank(state) - rank(chosen.state) || (state.dueAt ?? 0) - (chosen.state.dueAt ?? 0);
    if (!chosen.episode || better < 0) chosen = { episode, interview, state };
  }
  return chosen;
}
