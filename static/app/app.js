// The worker's app. It starts with the active offer (Cymraeg first), remembers the choice on
// this tablet, sets the tablet up once online (sign in, enrol, choose a passcode), and after
// that opens with the passcode, with or without a network.
import { loadCatalog, t, tn } from "./i18n.js";
import * as store from "./store.js";
import * as sync from "./sync.js";

const LANGUAGE_KEY = "adref.language";
const USER_KEY = "adref.user"; // the worker's id only: nothing personal in plain storage
const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
const main = document.getElementById("app");
let language = "cy";
// The data key, only while unlocked; dropped when the app locks.
let unlockedKey = null;
let idleTimer = null;
let hiddenAt = null;

function registerServiceWorker() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(`/sw.js?v=${meta("adref-version")}`, { scope: "/" });
  }
}

function element(tag, properties = {}, ...children) {
  const made = Object.assign(document.createElement(tag), properties);
  made.append(...children);
  return made;
}

function choiceButton(label, lang, onChoose, className = "choice") {
  const made = element("button", { type: "button", className, lang, textContent: label });
  made.addEventListener("click", onChoose);
  return made;
}

function languageSwitch() {
  const other = language === "cy" ? "en" : "cy";
  return choiceButton(other === "cy" ? "Cymraeg" : "English", other, () => choose(other), "switch");
}

function showActiveOffer() {
  const heading = element("h1");
  heading.innerHTML = '<span lang="cy">Dewiswch iaith</span> / <span lang="en">Choose a language</span>';
  main.replaceChildren(heading, element("div", { className: "choices" },
    choiceButton("Cymraeg", "cy", () => choose("cy")),
    choiceButton("English", "en", () => choose("en"))));
}

async function choose(chosen) {
  language = chosen;
  localStorage.setItem(LANGUAGE_KEY, chosen);
  await loadCatalog(chosen, meta(`adref-catalog-${chosen}`));
  document.title = t("Adref");
  await start();
}

async function signedInPerson() {
  try {
    const response = await fetch("/api/v1/me", { credentials: "same-origin" });
    return response.ok ? await response.json() : null;
  } catch {
    return null; // no network
  }
}

async function start() {
  const user = localStorage.getItem(USER_KEY);
  if (user && await store.hasVault(user)) {
    const person = await signedInPerson();
    if (person && person.id === user) await store.recordOnline(user);
    return showUnlock(user);
  }
  const person = await signedInPerson();
  if (person) return showChoosePasscode(person);
  return showSetUp();
}

function showSetUp(problem) {
  const signIn = element("a", { className: "action", textContent: t("Sign in"),
                                href: `/sign-in?lang=${language}&next=/app` });
  main.replaceChildren(languageSwitch(), element("h1", { textContent: t("Set up this tablet") }),
    ...(problem ? [errorSummary([[null, problem]])] : []),
    element("p", { textContent: t("Sign in online once to set up this tablet. After that you can work with no signal.") }),
    signIn);
}

function errorSummary(errors) {
  const list = element("ul", {}, ...errors.map(([field, message]) => element("li", {},
    field ? element("a", { href: `#${field}`, textContent: message }) : message)));
  const summary = element("div", { className: "error-summary", role: "alert", tabIndex: -1 },
    element("h2", { textContent: t("There is a problem") }), list);
  queueMicrotask(() => summary.focus());
  return summary;
}

// A labelled input with its error message, in the GOV.UK question-page pattern.
function inputField(id, label, error, type = "text") {
  const input = element("input", { id, name: id, type, autocomplete: "off" });
  const field = element("div", { className: error ? "field field-error" : "field" },
    element("label", { htmlFor: id, textContent: label }));
  if (error) {
    field.append(element("p", { className: "error-message", id: `${id}-error`, textContent: error }));
    input.setAttribute("aria-describedby", `${id}-error`);
    input.setAttribute("aria-invalid", "true");
  }
  field.append(input);
  return field;
}

const passcodeField = (id, label, error) => inputField(id, label, error, "password");

function showChoosePasscode(person, errors = {}) {
  const form = element("form", { noValidate: true },
    passcodeField("passcode", t("Passcode"), errors.passcode),
    passcodeField("passcode-again", t("Passcode again"), errors["passcode-again"]),
    element("button", { type: "submit", textContent: t("Save passcode") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const passcode = form.elements.passcode.value;
    const found = {};
    if (passcode.length < store.MINIMUM_PASSCODE_LENGTH) found.passcode = t("Use at least 8 characters");
    else if (passcode !== form.elements["passcode-again"].value) {
      found["passcode-again"] = t("The passcodes are not the same");
    }
    if (Object.keys(found).length) return showChoosePasscode(person, found);
    await enrol(person, passcode);
  });
  const problems = Object.entries(errors);
  main.replaceChildren(languageSwitch(), element("h1", { textContent: t("Choose a passcode") }),
    ...(problems.length ? [errorSummary(problems)] : []),
    element("p", { textContent: t("Use at least 8 characters. You will need it to open Adref on this tablet, also with no signal.") }),
    form);
}

async function enrol(person, passcode) {
  let tokens;
  try {
    const response = await fetch("/api/v1/devices", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: navigator.userAgent.slice(0, 100) }) });
    if (!response.ok) throw new Error(String(response.status));
    tokens = await response.json();
  } catch {
    return showSetUp(t("Setting up needs a connection. Try again when you have signal."));
  }
  const key = await store.createVault(person.id, passcode);
  await store.putRecord(key, person.id, "device", "tokens", tokens);
  localStorage.setItem(USER_KEY, person.id);
  showHome(key);
}

function showUnlock(user, error) {
  unlockedKey = null;
  const form = element("form", { noValidate: true },
    passcodeField("passcode", t("Passcode"), error),
    element("button", { type: "submit", textContent: t("Open") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      showHome(await store.unlockVault(user, form.elements.passcode.value,
                                       { offlineDays: Number(meta("adref-offline-days")) }));
    } catch (problem) {
      if (problem.name === "WrongPasscode") {
        showUnlock(user, tn("The passcode is not right. %(num)d try is left before the data on this tablet is erased.",
                            "The passcode is not right. %(num)d tries are left before the data on this tablet is erased.",
                            problem.remaining));
      } else if (problem.name === "VaultErased") {
        localStorage.removeItem(USER_KEY);
        showSetUp(t("Too many wrong passcodes: the data on this tablet has been erased. Sign in online to set it up again."));
      } else if (problem.name === "OfflineTooLong") {
        showSetUp(t("This tablet has been offline too long. Sign in online again to open Adref."));
      } else {
        throw problem;
      }
    }
  });
  main.replaceChildren(languageSwitch(), element("h1", { textContent: t("Enter your passcode") }),
    ...(error ? [errorSummary([["passcode", error]])] : []), form);
}

// The app locks after some idle minutes, and when it has been hidden for longer than that.
function idleLimit() {
  return Number(meta("adref-idle-minutes")) * 60 * 1000;
}

function lock() {
  clearTimeout(idleTimer);
  const user = localStorage.getItem(USER_KEY);
  if (unlockedKey && user) showUnlock(user);
}

function stillHere() {
  if (!unlockedKey) return;
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

async function showHome(key, message) {
  unlockedKey = key;
  stillHere();
  const user = localStorage.getItem(USER_KEY);
  const session = { key, user };
  const children = await store.listRecords(key, user, "children");
  children.sort((a, b) => `${a.family_name} ${a.given_name}`.localeCompare(
    `${b.family_name} ${b.given_name}`, language));
  const waiting = (await sync.pending(session)).length;
  const syncButton = element("button", { type: "button", textContent: t("Sync now") });
  syncButton.addEventListener("click", () => syncNow(session));
  const addButton = element("button", { type: "button", className: "secondary",
                                        textContent: t("Add a child") });
  addButton.addEventListener("click", () => showAddChild(session));
  const list = children.length
    ? element("ul", { className: "children" }, ...children.map((child) =>
      element("li", { textContent: `${child.given_name} ${child.family_name}` })))
    : element("p", { textContent: t("No children yet. Sync to fetch your cases.") });
  main.replaceChildren(languageSwitch(), element("h1", { textContent: t("Your children") }),
    ...(message ? [element("p", { className: "notice", role: "status", textContent: message })] : []),
    element("p", { className: "pending", textContent: tn(
      "%(num)d change is waiting to be sent.", "%(num)d changes are waiting to be sent.", waiting) }),
    element("div", { className: "actions" }, syncButton, addButton), list);
}

function showAddChild(session, errors = {}, values = {}) {
  const form = element("form", { noValidate: true },
    inputField("given_name", t("First name"), errors.given_name),
    inputField("family_name", t("Last name"), errors.family_name),
    element("button", { type: "submit", textContent: t("Save") }));
  form.elements.given_name.value = values.given_name || "";
  form.elements.family_name.value = values.family_name || "";
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const entered = { given_name: form.elements.given_name.value.trim(),
                      family_name: form.elements.family_name.value.trim() };
    const found = {};
    if (!entered.given_name) found.given_name = t("Enter the child's first name");
    if (!entered.family_name) found.family_name = t("Enter the child's last name");
    if (Object.keys(found).length) return showAddChild(session, found, entered);
    await sync.queueChange(session, "children", crypto.randomUUID(), entered);
    await showHome(session.key);
  });
  const cancel = element("button", { type: "button", className: "secondary",
                                     textContent: t("Cancel") });
  cancel.addEventListener("click", () => showHome(session.key));
  const problems = Object.entries(errors);
  main.replaceChildren(element("h1", { textContent: t("Add a child") }),
    ...(problems.length ? [errorSummary(problems)] : []), form, cancel);
}

async function syncNow(session) {
  try {
    await sync.pushAll(session);
    await sync.pullAll(session);
    await showHome(session.key);
  } catch (problem) {
    if (problem.name === "DeviceWiped") {
      await store.wipeUser(session.user);
      localStorage.removeItem(USER_KEY);
      showSetUp(t("This tablet was removed from Adref, so its data has been erased."));
    } else if (problem.name === "Offline") {
      await showHome(session.key, t("You are offline. Try again when you have signal."));
    } else {
      throw problem;
    }
  }
}

registerServiceWorker();
const chosen = localStorage.getItem(LANGUAGE_KEY);
if (chosen === "cy" || chosen === "en") choose(chosen); else showActiveOffer();
