// What the worker's lists need to know about a case, on plain records (no screens here): the
// latest episode, the interview that belongs to it, and where the 72-hour clock stands.
// The clock starts when the child returns, and counts real time (instants, not wall clocks).
const HOUR = 60 * 60 * 1000;
export const DEADLINE_HOURS = 72;
const FINISHED = new Set(["submitted", "approved"]);

export function byNewestReport(episodes) {
  return [...episodes].sort((a, b) => Date.parse(b.reported_missing_at) - Date.parse(a.reported_missing_at));
}

export function episodesOf(child, episodes) {
  return byNewestReport(episodes.filter((episode) => episode.child_id === child.id));
}

export function interviewOf(episode, interviews) {
  return interviews.find((interview) => interview.episode_id === episode.id) || null;
}

export function attemptsOf(interview, attempts) {
  return attempts.filter((attempt) => attempt.interview_id === interview.id)
    .sort((a, b) => Date.parse(a.attempted_at) - Date.parse(b.attempted_at));
}

// One of: missing (not back yet), finished, declined, due (hours left), overdue (hours late).
export function clockState(episode, interview, now = Date.now()) {
  if (!episode) return { kind: "none" };
  if (interview && FINISHED.has(interview.status)) {
    return { kind: interview.consent === "declined" ? "declined" : "finished" };
  }
  if (!episode.returned_at) return { kind: "missing" };
  const dueAt = Date.parse(episode.returned_at) + DEADLINE_HOURS * HOUR;
  const hours = Math.floor(Math.abs(dueAt - now) / HOUR);
  return now <= dueAt ? { kind: "due", hours, dueAt } : { kind: "overdue", hours, dueAt };
}
