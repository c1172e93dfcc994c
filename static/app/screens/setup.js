// The screens before the app is open: the active offer (Cymraeg first), setting the tablet up
// online (sign in, enrol, choose a passcode), choosing which worker is using a shared tablet,
// and the passcode to open it.
import { t, tn } from "../i18n.js";
import * as store from "../store.js";
import { handInSealed } from "../sync.js";
import { rescueFile, saveFile } from "../rescue.js";
import { button, element, errorSummary, inputField, problemsOf } from "../dom.js";
import { show } from "../frame.js";
import { formatDate } from "../format.js";

const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
let hooks = { choose: () => {}, opened: () => {}, language: () => "cy" };

export function setHooks(given) {
  hooks = { ...hooks, ...given };
}

function languageSwitch() {
  const other = hooks.language() === "cy" ? "en" : "cy";
  return button(other === "cy" ? "Cymraeg" : "English", () => hooks.choose(other),
                { className: "switch", lang: other });
}

export function showActiveOffer() {
  const heading = element("h1");
  heading.innerHTML = '<span lang="cy">Dewiswch iaith</span> / <span lang="en">Choose a language</span>';
  show(heading, element("div", { className: "choices" },
    button("Cymraeg", () => hooks.choose("cy"), { className: "choice", lang: "cy" }),
    button("English", () => hooks.choose("en"), { className: "choice", lang: "en" })));
}

// After a wipe too: the sealed copies it left are handed in, or, with no signal, saved.
export async function showSetUp(problem) {
  const signIn = element("a", { className: "action", textContent: t("Sign in"),
                                href: `/sign-in?lang=${hooks.language()}&next=/app` });
  await handInSealed();
  const left = (await store.sealedOf(null)).length;
  show(languageSwitch(), element("h1", { textContent: t("Set up this tablet") }),
    problem ? errorSummary([[null, problem]]) : null,
    element("p", { textContent: t("Sign in online once to set up this tablet. After that you can work with no signal.") }),
    signIn, left ? button(t("Save a copy of changes not sent"),
                          async () => saveFile(await rescueFile()), { className: "secondary" }) : null);
}

export const passcodeField = (id, label, error) => inputField(id, label, error, "password");

export function showChoosePasscode(person, errors = {}) {
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
  show(languageSwitch(), element("h1", { textContent: t("Choose a passcode") }),
    problemsOf(errors),
    element("p", { textContent: t("Use at least 8 characters. You will need it to open Adref on this tablet, also with no signal.") }),
    form);
}

// How the tablet is named wherever it is listed (the rescue page, the devices): whose, and since when.
function tabletName(person) {
  const today = formatDate(new Date().toISOString(), hooks.language());
  return t("%(name)s's tablet, %(date)s", { name: person.name, date: today }).slice(0, 120);
}

async function enrol(person, passcode) {
  let tokens;
  try {
    const response = await fetch("/api/v1/devices", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: tabletName(person) }) });
    if (!response.ok) throw new Error(String(response.status));
    tokens = await response.json();
  } catch {
    return showSetUp(t("Setting up needs a connection. Try again when you have signal."));
  }
  const key = await store.createVault(person.id, passcode, person.name);
  await store.putRecord(key, person.id, "device", "tokens", tokens);
  // Kept so the data is safe from the browser clearing space (the worker is told if refused).
  await navigator.storage?.persist?.();
  hooks.opened({ key, user: person.id });
}

// On a shared tablet each worker has their own passcode and sees only their own data.
export async function showWhoIsUsing() {
  const vaults = (await store.listVaults()).sort((a, b) => (a.name || "").localeCompare(b.name || "", hooks.language()));
  const choices = vaults.map((vault) => button(vault.name || t("Worker"),
    () => showUnlock(vault.user), { className: "choice" }));
  show(languageSwitch(), element("h1", { textContent: t("Who is using this tablet?") }),
    element("div", { className: "choices" }, ...choices),
    element("p", {}, element("a", { href: `/sign-in?lang=${hooks.language()}&next=/app&another=1`,
                                    textContent: t("Set up this tablet for another worker") })));
}

function wrongPasscodeMessage(remaining) {
  return tn("The passcode is not right. %(num)d try is left before the data on this tablet is erased.",
            "The passcode is not right. %(num)d tries are left before the data on this tablet is erased.",
            remaining);
}

// A passcode tried: { key }, or { wrong: what to say }, or, once the data is erased (too many
// wrong tries) or the tablet has been offline too long to open, { setUpAgain: what to say }.
// The offline limit is for opening the app; a passcode checked while it is open (the worker
// taking the tablet back from the young person) passes offlineDays: Infinity.
export async function tryPasscode(user, passcode, { offlineDays = Number(meta("adref-offline-days")) } = {}) {
  try {
    return { key: await store.unlockVault(user, passcode, { offlineDays }) };
  } catch (problem) {
    if (problem.name === "WrongPasscode") return { wrong: wrongPasscodeMessage(problem.remaining) };
    if (problem.name === "VaultErased") {
      return { setUpAgain: t("Too many wrong passcodes: the data on this tablet has been erased. Sign in online to set it up again.") };
    }
    if (problem.name === "OfflineTooLong") {
      return { setUpAgain: t("This tablet has been offline too long. Sign in online again to open Adref.") };
    }
    throw problem;
  }
}

export async function showUnlock(user, error) {
  const vault = await store.vaultSummary(user);
  const form = element("form", { noValidate: true },
    passcodeField("passcode", t("Passcode"), error),
    element("button", { type: "submit", textContent: t("Open") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { key, wrong, setUpAgain } = await tryPasscode(user, form.elements.passcode.value);
    if (key) hooks.opened({ key, user });
    else if (wrong) showUnlock(user, wrong);
    else showSetUp(setUpAgain);
  });
  const others = (await store.listVaults()).length > 1;
  show(languageSwitch(), element("h1", { textContent: t("Enter your passcode") }),
    error ? errorSummary([["passcode", error]]) : null,
    vault?.name ? element("p", { textContent: vault.name }) : null,
    form,
    others ? button(t("Someone else is using this tablet"), showWhoIsUsing, { className: "secondary" })
      : element("p", {}, element("a", { href: `/sign-in?lang=${hooks.language()}&next=/app&another=1`,
                                        textContent: t("Set up this tablet for another worker") })));
}
