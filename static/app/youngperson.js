// Young person mode: once the worker hands the tablet over, it shows only the young person's own
// section until the worker takes it back with their passcode. The mode is kept in the browser's
// plain storage, so a reload, a crash, a new tab or the app locking after idle all come back to
// it: it holds ids, the step reached and the language chosen only, never a name or an answer
// (those are in the encrypted store, like every record).
const KEY = "adref.youngPerson";

// { user, report, interview, step, language } or null.
export function current() {
  try {
    const held = JSON.parse(localStorage.getItem(KEY));
    return held && held.user && held.report ? held : null;
  } catch {
    return null;
  }
}

export function isOn(user) {
  const held = current();
  return Boolean(held && (!user || held.user === user));
}

export function begin({ user, report, interview, language }) {
  localStorage.setItem(KEY, JSON.stringify({ user, report, interview, language, step: "language" }));
}

export function remember(changes) {
  const held = current();
  if (held) localStorage.setItem(KEY, JSON.stringify({ ...held, ...changes }));
}

export function end() {
  localStorage.removeItem(KEY);
}

// The addresses of the section's steps: #/young-person/<step>, a question's step being q/<id>.
export const ROUTE = /^\/young-person\/(language|notice|done|help|give-back|q\/[a-z][a-z0-9_]*)$/;
export const addressOf = (step) => `#/young-person/${step}`;

export function stepOf(path) {
  return path.match(ROUTE)?.[1] ?? null;
}
