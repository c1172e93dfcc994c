// The worker's app. It starts with the active offer (Cymraeg first), remembers the choice on
// this tablet, sets the tablet up once online, and after that opens with the worker's passcode,
// with or without a network. Once open, the address (#/...) says which screen is showing, so a
// reload or a crash comes back to the same place after the passcode.
import { loadCatalog, t } from "./i18n.js";
import * as store from "./store.js";
import * as sync from "./sync.js";
import { closeScreens, forgetShownNotice, go, quietly, render, setActions, status, tellOnNextScreen,
         updateStatus, withdrawNotice } from "./frame.js";
import * as setup from "./screens/setup.js";
import { button, element } from "./dom.js";
import { forgetRows } from "./longlist.js";
import { storageIsLow } from "./rescue.js";
import * as youngPerson from "./youngperson.js";

const LANGUAGE_KEY = "adref.language";
const USER_KEY = "adref.user"; // the last worker's id only: nothing personal in plain storage
// Which worker went to sign in again (their id only), so that whoever signs in, the app opens
// that worker's data on return and asks for their tablet's tokens.
const SIGNING_IN_AGAIN_KEY = "adref.signing-in-again";
const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
let language = "cy";
// The open session: the worker's id and data key, only while unlocked.
let session = null;
let idleTimer = null;
let hiddenAt = null;

function registerServiceWorker() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(`/sw.js?v=${meta("adref-version")}`, { scope: "/" });
  }
}

async function choose(chosen) {
  language = chosen;
  localStorage.setItem(LANGUAGE_KEY, chosen);
  await loadCatalog(chosen, meta(`adref-catalog-${chosen}`));
  document.title = t("Adref");
  if (session) {
    await showRoute();
    requestSync(); // tells the server the worker's new language
  } else await start();
}

async function signedInPerson() {
  try {
    const response = await fetch("/api/v1/me", { credentials: "same-origin" });
    return response.ok ? await response.json() : null;
  } catch {
    return null; // no network
  }
}

// The young person's screens, with what they need of the app: loaded only when the tablet is
// handed over (or comes back in young person mode).
async function youngPersonScreens() {
  const screens = await import("./screens/youngperson.js");
  screens.setHooks({
    opened,
    // Too many wrong passcodes (the data is erased), or offline too long: set up again. (Young
    // person mode ends when the app next starts and finds no data for it.)
    wiped: (message) => {
      clearTimeout(idleTimer);
      session = null;
      forgetWhatWasOpen();
      setup.showSetUp(message);
    },
    // The worker's own language again, and a word that the tablet is theirs.
    handedBack: async () => {
      await loadCatalog(language, meta(`adref-catalog-${language}`));
      tellOnNextScreen(t("The tablet is back with you."));
    },
  });
  return screens;
}

// The screen that asks for the passcode: in young person mode, the young person's own, after
// which the section carries on where it was.
async function showLocked(user) {
  if (youngPerson.isOn(user)) return (await youngPersonScreens()).showLocked(user);
  await setup.showUnlock(user);
  loadScreensWhileWaiting();
}

async function start() {
  sync.handInSealed(); // what a wipe left, at each contact
  const handedOver = youngPerson.current();
  if (handedOver && await store.hasVault(handedOver.user)) return showLocked(handedOver.user);
  if (handedOver) youngPerson.end(); // its worker's data is gone from this tablet
  const person = await signedInPerson();
  if (person && await store.hasVault(person.id)) {
    await store.recordOnline(person.id);
    return showLocked(person.id);
  }
  const again = localStorage.getItem(SIGNING_IN_AGAIN_KEY);
  if (again && await store.hasVault(again)) return showLocked(again);
  if (person) return setup.showChoosePasscode({ id: person.id, name: person.display_name });
  const user = localStorage.getItem(USER_KEY);
  if (user && await store.hasVault(user)) return showLocked(user);
  if ((await store.listVaults()).length) return setup.showWhoIsUsing();
  return setup.showSetUp();
}

async function opened(unlocked) {
  session = unlocked;
  closeScreens(false);
  localStorage.setItem(USER_KEY, unlocked.user);
  stillHere();
  loadScreens();
  // Read side by side: one after the other, they were a tenth of opening a list of 2,000.
  await Promise.all([refreshCounts(), renewIfSignedOut(unlocked),
    (async () => updateStatus({ lastSynced: await sync.lastSynced(unlocked) }))(),
    (async () => updateStatus({ storageLow: await storageIsLow() }))()]);
  await showRoute();
  requestSync();
}

// --- signed out everywhere -------------------------------------------------------------------
// The tablet keeps its data and unsent changes, and does not sync, until its worker has signed
// in again on the web: then the sign-in's session renews the tablet's tokens.
async function renewIfSignedOut(opening) {
  if (!(await sync.isSignedOut(opening))) return updateStatus({ signedOut: null });
  const outcome = await sync.renew(opening);
  // Answered: the sign-in has done its part (someone else signed in may set up their own data).
  if (outcome !== "signed-out") localStorage.removeItem(SIGNING_IN_AGAIN_KEY);
  // (A revoked tablet's next sync is told to erase its data, as always.)
  if (outcome === "renewed" || outcome === "revoked") return updateStatus({ signedOut: null });
  updateStatus({ signedOut: outcome === "another" ? "another" : "signed-out", online: true });
}

function signInAgain() {
  if (!session) return;
  localStorage.setItem(SIGNING_IN_AGAIN_KEY, session.user);
  location.assign(`/sign-in?lang=${language}&next=/app`);
}

// --- screens by address ----------------------------------------------------------------------
// Screens are drawn one at a time, in the order asked: a redraw after a background sync can
// never land on top of the screen the worker has just moved to.
let drawingTurn = Promise.resolve();
function showRoute({ quiet = false } = {}) {
  // The young person's screens are never redrawn by a sync: they change only when the child acts.
  if (quiet && youngPerson.isOn()) return Promise.resolve();
  const turn = drawingTurn.then(() => (quiet ? quietly(drawRoute) : drawRoute()));
  drawingTurn = turn.catch(() => {});
  return turn;
}

// The screens are not needed to draw the lock screen, so they load after it, while the passcode
// is typed (loading them after the passcode was a tenth of opening a list of 2,000). The service
// worker holds them all, so this works offline too.
const loadScreens = () => import("./routes.js");
function loadScreensWhileWaiting() {
  (window.requestIdleCallback ?? setTimeout)(() => loadScreens());
}

async function drawRoute() {
  if (!session) return;
  const path = location.hash.replace(/^#/, "") || "/";
  // Handed over: whatever the address, only the young person's section is shown.
  if (youngPerson.isOn(session.user)) return (await youngPersonScreens()).showYoungPerson(session, path);
  const { routes } = await loadScreens();
  for (const [pattern, screen] of routes) {
    const matched = path.match(pattern);
    if (matched) return screen(session, ...matched.slice(1));
  }
  return go("#/");
}

window.addEventListener("hashchange", () => {
  forgetShownNotice();
  showRoute();
});

// --- locking ---------------------------------------------------------------------------------
function idleLimit() {
  return Number(meta("adref-idle-minutes")) * 60 * 1000;
}

function lock() {
  clearTimeout(idleTimer);
  if (!session) return;
  const user = session.user;
  session = null; // the data key is dropped with the session
  forgetWhatWasOpen();
  showLocked(user);
}

// Every record read while open, and every row drawn of them, goes with the key.
function forgetWhatWasOpen() {
  closeScreens(true);
  store.forgetDecrypted();
  forgetRows();
}

function stillHere() {
  if (!session) return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(lock, idleLimit());
}

for (const kind of ["pointerdown", "keydown", "touchstart"]) {
  document.addEventListener(kind, stillHere, { passive: true });
}
document.addEventListener("visibilitychange", () => {
  if (document.hidden) hiddenAt = Date.now();
  else if (hiddenAt && Date.now() - hiddenAt > idleLimit()) lock();
});

// --- syncing by itself -----------------------------------------------------------------------
// Sync runs when the app opens, when the network comes back, soon after a change, and from
// "Sync now". When the server cannot be reached it tries again later, waiting twice as long
// each time (up to five minutes), with a random part so that tablets do not all retry at once.
const FIRST_RETRY_MS = 5000;
const LAST_RETRY_MS = 5 * 60 * 1000;
let failures = 0;
let retryTimer = null;

async function refreshCounts() {
  if (!session) return;
  const attention = await sync.needingAttention(session);
  updateStatus({ pending: (await sync.pending(session)).length,
                 attention: attention.refused.length + attention.conflicts.length });
}

function retryLater() {
  const ceiling = Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
  failures += 1;
  clearTimeout(retryTimer);
  retryTimer = setTimeout(requestSync, ceiling / 2 + Math.random() * ceiling / 2);
}

// One sync at a time. A request made while one is under way waits for it and then runs once
// more (requests made meanwhile share that one run), so whoever asks is answered only when a
// sync that started after their request has finished.
let syncUnderWay = null;
let nextSync = null;

function requestSync({ byHand = false } = {}) {
  if (nextSync) {
    nextSync.byHand ||= byHand;
    return nextSync.done;
  }
  if (!syncUnderWay) return startSync(byHand);
  const waiting = { byHand };
  waiting.done = syncUnderWay.then(() => {
    nextSync = null;
    return startSync(waiting.byHand);
  });
  nextSync = waiting;
  return waiting.done;
}

function startSync(byHand) {
  syncUnderWay = syncOnce(byHand).finally(() => { syncUnderWay = null; });
  return syncUnderWay;
}

const offlineMessage = () => t("You are offline. Try again when you have signal.");

async function syncOnce(byHand) {
  if (!session || status.signedOut) return; // no retrying: the bar says to sign in again
  const running = session;
  updateStatus({ syncing: true, progress: null });
  try {
    await sync.syncEverything(running, (progress) => showProgress(running, progress), language);
    failures = 0;
    clearTimeout(retryTimer);
    updateStatus({ online: true, lastSynced: await sync.lastSynced(running) });
    withdrawNotice(offlineMessage());
  } catch (problem) {
    if (problem.name === "DeviceWiped") return wipe(running);
    if (problem.name === "SignedOut") {
      clearTimeout(retryTimer);
      failures = 0;
      updateStatus({ online: true, signedOut: "signed-out" });
      withdrawNotice(offlineMessage());
      return;
    }
    if (problem.name !== "Offline") throw problem;
    updateStatus({ online: false });
    if (byHand) tellOnNextScreen(offlineMessage());
    retryLater();
  } finally {
    updateStatus({ syncing: false, progress: null });
  }
  // Locked meanwhile: what the sync read (the summary, to keep it up to date) goes too.
  if (session !== running) return store.forgetDecrypted();
  await refreshCounts();
  if (session === running && (byHand || refreshable())) await showRoute({ quiet: true });
}

// The count of records fetched goes in the bar; the first page fetched of a first sync is
// shown at once (the rest when the sync ends).
function showProgress(running, progress) {
  updateStatus({ progress });
  const firstPageIn = progress.stage === "fetched" && progress.done === 1 && progress.more;
  if (firstPageIn && session === running && refreshable()) showRoute({ quiet: true });
}

// Lists are drawn again after a sync; a form being filled in, or a question put to the
// worker (the sign-out warning), is never disturbed. (A search box is kept, with what is typed.)
function refreshable() {
  return !document.querySelector("main form:not([role=search]), main .asking");
}

async function wipe(wiped) {
  forgetWhatWasOpen();
  await store.wipeUser(wiped.user);
  localStorage.removeItem(USER_KEY);
  localStorage.removeItem(SIGNING_IN_AGAIN_KEY);
  youngPerson.end();
  session = null;
  updateStatus({ syncing: false });
  setup.showSetUp(t("This tablet was removed from Adref, so its data has been erased."));
}

let soonTimer = null;
function changed() {
  refreshCounts();
  clearTimeout(soonTimer);
  soonTimer = setTimeout(() => { if (navigator.onLine) requestSync(); }, 3000);
}

window.addEventListener("online", () => {
  updateStatus({ online: true });
  sync.handInSealed();
  requestSync();
});
window.addEventListener("offline", () => updateStatus({ online: false }));

// --- signing out -----------------------------------------------------------------------------
async function signOut() {
  if (!session) return;
  const waiting = (await sync.pending(session)).length;
  if (!waiting) return lock();
  const syncFirst = button(t("Sync, then sign out"), async () => {
    await requestSync({ byHand: true });
    if (session && !(await sync.pending(session)).length) lock();
  });
  render(element("h1", { textContent: t("Some changes have not been sent") }),
    element("p", { textContent: t("They are kept safe and encrypted on this tablet, and will be sent the next time you sync. Sync now if you can.") }),
    element("div", { className: "actions asking" }, syncFirst,
      element("a", { className: "action secondary", href: "#/rescue",
                     textContent: t("Save a copy of changes not sent") }),
      button(t("Sign out without sending"), lock, { className: "secondary" }),
      button(t("Cancel"), () => showRoute(), { className: "secondary" })));
}

setActions({ syncNow: () => requestSync({ byHand: true }), signOut, switchLanguage: choose, changed,
             signInAgain, redraw: () => refreshable() && showRoute({ quiet: true }) });
setup.setHooks({ choose, opened, language: () => language });

registerServiceWorker();
// The language chosen on this tablet, else the one the worker chose when signing in on the web.
async function openInTheirLanguage() {
  const chosen = localStorage.getItem(LANGUAGE_KEY) || (await signedInPerson())?.preferred_language;
  if (chosen === "cy" || chosen === "en") choose(chosen); else setup.showActiveOffer();
}
openInTheirLanguage();
