// Joins by indexes; the 72-hour clock of app/interviews/clock.py (the same DEFINITION and
// msgids, held alike by tests/browser/test_clock.py).
import { t, tn } from "./i18n.js";

const HOUR = 36e5;
export const DEFINITION = {
  deadline_hours: 72,
  hours_up_to: 72,
  rounding: { due: "up", overdue: "down" },
  urgency: ["overdue", "due", "missing", "held_late", "declined", "held", "none"],
};

const newestReportFirst = (a, b) => Date.parse(b.reported_missing_at) - Date.parse(a.reported_missing_at);

// A child's episodes, newest first; an episode's (first) interview. Each child's episodes are
// put in order when first asked for: the list asks only for the children it draws (sorting
// the episodes of 2,000 children first parsed some 40,000 dates).
export function indexes(episodes, interviews) {
  const ofChild = new Map();
  const ofEpisode = new Map();
  for (const e of episodes) (ofChild.get(e.child_id) || ofChild.set(e.child_id, []).get(e.child_id)).push(e);
  for (const i of interviews) if (!ofEpisode.has(i.episode_id)) ofEpisode.set(i.episode_id, i);
  const inOrder = new Set();
  const episodesOf = (c) => {
    const own = ofChild.get(c.id);
    if (!own) return [];
    if (!inOrder.has(own)) {
      own.sort(newestReportFirst);
      inOrder.add(own);
    }
    return own;
  };
  return { episodesOf, interviewOf: (e) => ofEpisode.get(e.id) || null };
}

export function attemptsOf(interview, attempts) {
  return attempts.filter((attempt) => attempt.interview_id === interview.id)
    .sort((a, b) => Date.parse(a.attempted_at) - Date.parse(b.attempted_at));
}

const hoursOf = (ms, kind) => Math.max(1, Math[DEFINITION.rounding[kind] === "up" ? "ceil" : "floor"](ms / HOUR));

// The interview's status does not move the clock.
export function clockState(episode, interview, now = Date.now()) {
  if (!episode) return { kind: "none" };
  if (!episode.returned_at) return { kind: "missing" };
  if (interview?.consent === "declined") return { kind: "declined" };
  const dueAt = Date.parse(episode.returned_at) + DEFINITION.deadline_hours * HOUR;
  if (interview?.conducted_at) return { kind: Date.parse(interview.conducted_at) <= dueAt ? "held" : "held_late" };
  return now <= dueAt ? { kind: "due", hours: hoursOf(dueAt - now, "due"), dueAt }
    : { kind: "overdue", hours: hoursOf(now - dueAt, "overdue"), dueAt };
}

export function durationText(hours) {
  const inHours = (n) => tn("%(num)d hour", "%(num)d hours", n);
  if (hours <= DEFINITION.hours_up_to) return inHours(hours);
  const days = tn("%(num)d day", "%(num)d days", Math.floor(hours / 24));
  return hours % 24 ? `${days} ${inHours(hours % 24)}` : days;
}

export function clockText({ kind, hours }) {
  const time = hours && durationText(hours);
  return {
    due: () => t("Interview due within %(time)s", { time }),
    overdue: () => t("Interview overdue by %(time)s", { time }),
    missing: () => t("Not back yet"),
    declined: () => t("Interview declined"),
    held: () => t("Interview held within 72 hours"),
    held_late: () => t("Interview held after 72 hours"),
  }[kind]?.() ?? t("No missing episodes recorded");
}

// The most urgent episode: by DEFINITION.urgency, then the earliest deadline.
export function mostUrgent(episodes, interviewOf, now = Date.now()) {
  const rank = (s) => DEFINITION.urgency.indexOf(s.kind);
  let best = { interview: null, state: clockState(null) };
  for (const episode of episodes) {
    const interview = interviewOf(episode);
    const state = clockState(episode, interview, now);
    if (!best.episode || (rank(state) - rank(best.state) || state.dueAt - best.state.dueAt) < 0) {
      best = { episode, interview, state };
    }
  }
  return best;
}
