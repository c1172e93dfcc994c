// What every unlocked screen shares: the bar at the top (online or offline, changes waiting,
// last synced, progress during a sync, records needing attention, Sync now, Sign out, the other
// language) and the way screens are drawn and moved between. The bar is updated in place, so a
// sync finishing never disturbs what the worker is typing.
import { currentLanguage, t, tn } from "./i18n.js";
import { button, element } from "./dom.js";
import { formatDateTime, formatNumber } from "./format.js";
import { fill, isLongList, patch } from "./longlist.js";

export const main = document.getElementById("app");
export const status = {
  online: navigator.onLine, syncing: false, progress: null, pending: 0, attention: 0,
  lastSynced: null, message: null, messageShownAt: null, storageLow: false,
  // Signed out everywhere: "signed-out" until the worker signs in again, "another" when the
  // person who signed in is not this tablet's worker. Nothing syncs meanwhile.
  signedOut: null,
};
const actions = { syncNow: () => {}, signOut: () => {}, switchLanguage: () => {}, changed: () => {},
                  signInAgain: () => {}, redraw: () => {} };

export function setActions(given) {
  Object.assign(actions, given);
}

// Screens call this after saving, so the counts update and a sync follows soon.
export function notifyChanged() {
  actions.changed();
}

// The screen shown, drawn again from what the store holds, in its turn among the drawings, and
// quietly: where it changed (the worker narrowed a list, say), focus and place kept.
export function redrawShown() {
  actions.redraw();
}

export function go(route) {
  if (location.hash === route) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = route;
}

function progressText() {
  const { progress } = status;
  if (progress?.stage === "sending") {
    return t("Sending changes: %(done)d of %(total)d", { done: progress.done, total: progress.total });
  }
  if (progress?.records && progress.total) {
    const language = currentLanguage();
    return t("Fetching your cases: %(done)s of %(total)s",
             { done: formatNumber(progress.records, language), total: formatNumber(progress.total, language) });
  }
  if (progress?.records) {
    return tn("Fetching your cases: %(num)d record so far", "Fetching your cases: %(num)d records so far",
              progress.records);
  }
  return t("Fetching your cases…");
}

function statusLine() {
  const parts = [status.signedOut ? t("Signed out") : status.online ? t("Online") : t("Offline")];
  if (status.syncing) parts.push(progressText());
  parts.push(tn("%(num)d change waiting to be sent", "%(num)d changes waiting to be sent", status.pending));
  parts.push(status.lastSynced
    ? t("Last synced %(when)s", { when: formatDateTime(status.lastSynced, currentLanguage()) })
    : t("Not synced yet"));
  return parts.join(" · ");
}

export function updateStatus(changes = {}) {
  Object.assign(status, changes);
  const line = document.getElementById("sync-status");
  if (line) line.textContent = statusLine();
  const attention = document.getElementById("attention-link");
  if (attention) {
    attention.hidden = status.attention === 0;
    attention.textContent = tn("%(num)d record needs attention", "%(num)d records need attention",
                               status.attention);
  }
  const storage = document.getElementById("storage-low");
  if (storage) storage.hidden = !status.storageLow;
  const rescue = document.getElementById("rescue-link");
  if (rescue) rescue.hidden = status.pending === 0;
  const syncButton = document.getElementById("sync-now");
  if (syncButton) syncButton.disabled = status.syncing || Boolean(status.signedOut);
  const signedOut = document.getElementById("signed-out");
  if (signedOut) {
    signedOut.hidden = !status.signedOut;
    document.getElementById("signed-out-text").textContent = status.signedOut === "another"
      ? t("This tablet belongs to another worker's account.")
      : t("You were signed out on every device. Sign in again to send your changes and get new ones.");
  }
}

function header() {
  const other = currentLanguage() === "cy" ? "en" : "cy";
  const bar = element("header", { className: "bar" },
    element("p", { id: "sync-status", className: "sync-status", role: "status" }),
    element("div", { className: "bar-actions" },
      element("a", { id: "attention-link", href: "#/attention", className: "attention", hidden: true }),
      Object.assign(button(t("Sync now"), () => actions.syncNow()), { id: "sync-now" }),
      button(t("Sign out"), () => actions.signOut(), { className: "secondary" }),
      button(other === "cy" ? "Cymraeg" : "English", () => actions.switchLanguage(other),
             { className: "secondary switch", lang: other })),
    element("p", { id: "storage-low", className: "warning", hidden: true },
      t("This tablet is running out of space. Sync now, or save a copy of the changes not sent."),
      " ", element("a", { id: "rescue-link", href: "#/rescue", hidden: true,
                          textContent: t("Save a copy of changes not sent") })),
    element("div", { id: "signed-out", className: "warning signed-out", hidden: true },
      element("p", { id: "signed-out-text" }),
      button(t("Sign in again"), () => actions.signInAgain())));
  return bar;
}

// Draws a screen with no bar (those before the app is open), leaving out the parts not shown.
export function show(...content) {
  main.replaceChildren(...content.filter(Boolean));
}

// Locked (or wiped): a screen still reading the store when it happened draws nothing, so no
// name comes over the lock screen and no row is kept again.
let closed = true;
export function closeScreens(value) {
  closed = value;
}

// Draws a screen: the bar, any notice, then the screen's own content (its h1 first), and counts
// it as drawn (main's data-drawn). A long list in it (longlist.js) draws the rows near the screen.
export function render(...content) {
  if (closed) return;
  const notice = status.message
    ? element("p", { id: "notice", className: "notice", role: "status", textContent: status.message })
    : null;
  // The notice stays while the worker stays on this screen (redrawn after a sync, say), and
  // goes when they move on.
  if (status.message && status.messageShownAt === null) status.messageShownAt = location.hash;
  const body = [notice, ...content].filter(Boolean);
  const again = quiet && main.dataset.shown === location.hash;
  const focused = again ? focusedPlace() : null;
  const kept = again ? placeOnScreen() : null;
  const changed = again ? redrawInPlace(body) : null;
  if (changed === null) drawAfresh(body, again);
  updateStatus();
  if (kept && changed !== false) keepInPlace(kept);
  if (focused && !main.contains(document.activeElement)) {
    main.querySelector(focused)?.focus({ preventScroll: true });
  }
}

function drawAfresh(body, again) {
  show(header(), ...body);
  // Which address the screen shows, once drawn (screens are drawn after reading the store).
  main.dataset.shown = location.hash;
  window.scrollTo(0, 0);
  // A redraw by itself draws as many rows as the worker had, so that their place is found.
  for (const list of body.filter(isLongList)) fill(list, { again });
  countDrawn();
}

function countDrawn() {
  main.dataset.drawn = String(Number(main.dataset.drawn || 0) + 1);
}

// A screen drawn again by itself (after a sync) is quiet: unchanged, it is left as it is;
// changed, it keeps the worker's place. A screen the worker asked for starts at its top.
let quiet = false;
export async function quietly(draw) {
  quiet = true;
  try {
    return await draw();
  } finally {
    quiet = false;
  }
}

// Redraws the screen shown where it changed: each part the same is left as it is, a long list
// is brought up to date row by row, any other part that changed is replaced. Gives whether
// anything changed, or null when the parts are not the same in number and kind (the screen
// is drawn afresh).
function redrawInPlace(body) {
  const shown = [...main.children].slice(1);
  if (shown.length !== body.length || shown.some((node, i) => node.tagName !== body[i].tagName)) {
    return null;
  }
  let changed = false;
  body.forEach((wanted, i) => {
    if (isLongList(wanted) && isLongList(shown[i])) {
      changed = patch(shown[i], wanted) || changed;
    } else if (isStatusLine(wanted) && isStatusLine(shown[i]) && shown[i].id === wanted.id) {
      // The same live region, told its new words: a screen reader reads out a change to it,
      // not a region put in its place.
      if (shown[i].textContent !== wanted.textContent) {
        shown[i].textContent = wanted.textContent;
        changed = true;
      }
    } else if (!shown[i].isEqualNode(wanted)) {
      shown[i].replaceWith(wanted);
      changed = true;
    }
  });
  if (changed) countDrawn();
  return changed;
}

const isStatusLine = (node) => node.tagName === "P" && node.getAttribute("role") === "status";

// How to find an element again in a new drawing of the same screen: by its id or its link.
function selectorOf(element) {
  if (element.id) return `#${CSS.escape(element.id)}`;
  const href = element.getAttribute("href");
  return href ? `[href="${CSS.escape(href)}"]` : null;
}

function focusedPlace() {
  const focused = document.activeElement;
  return focused && main.contains(focused) ? selectorOf(focused) : null;
}

// What the worker is looking at: the focused element, or the first link or named element on
// screen, and how far down the screen it is. (Rows off screen are not laid out, so their height
// is a guess: the page is put back by what is seen, not by its scroll offset.)
function placeOnScreen() {
  if (window.scrollY === 0) return null; // at the top: a redraw starts there anyway
  const onScreen = (element) => element.getBoundingClientRect().top >= 0;
  const focused = document.activeElement;
  const anchor = focused && main.contains(focused) && onScreen(focused) && selectorOf(focused) ? focused
    : [...main.querySelectorAll("[href], [id]")].find((element) => onScreen(element) && selectorOf(element));
  return anchor ? { selector: selectorOf(anchor), top: anchor.getBoundingClientRect().top } : null;
}

function keepInPlace({ selector, top }) {
  const again = main.querySelector(selector);
  if (again) window.scrollBy(0, again.getBoundingClientRect().top - top);
}

export function tellOnNextScreen(message) {
  status.message = message;
  status.messageShownAt = null;
}

// A notice that no longer holds ("You are offline", once a sync has worked) goes at once.
export function withdrawNotice(message) {
  if (status.message !== message) return;
  status.message = null;
  status.messageShownAt = null;
  document.getElementById("notice")?.remove();
}

export function forgetShownNotice() {
  if (status.messageShownAt !== null && status.messageShownAt !== location.hash) {
    status.message = null;
    status.messageShownAt = null;
  }
}

// A link styled as a back link, for the GOV.UK pattern.
export function backLink(href, label = t("Back")) {
  return element("a", { href, className: "back", textContent: label });
}
