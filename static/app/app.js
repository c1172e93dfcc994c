// The worker's app. It starts with the active offer (Cymraeg first), remembers the choice on
// this tablet, and works from the cached shell with no network.
import { loadCatalog, t } from "./i18n.js";

const LANGUAGE_KEY = "adref.language";
const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
const main = document.getElementById("app");

function registerServiceWorker() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(`/sw.js?v=${meta("adref-version")}`, { scope: "/" });
  }
}

function button(label, language, onChoose) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "choice";
  element.lang = language;
  element.textContent = label;
  element.addEventListener("click", onChoose);
  return element;
}

function showActiveOffer() {
  main.replaceChildren();
  const heading = document.createElement("h1");
  heading.innerHTML = '<span lang="cy">Dewiswch iaith</span> / <span lang="en">Choose a language</span>';
  const choices = document.createElement("div");
  choices.className = "choices";
  choices.append(button("Cymraeg", "cy", () => choose("cy")),
                 button("English", "en", () => choose("en")));
  main.append(heading, choices);
}

async function choose(language) {
  localStorage.setItem(LANGUAGE_KEY, language);
  await showWelcome(language);
}

async function showWelcome(language) {
  await loadCatalog(language, meta(`adref-catalog-${language}`));
  document.title = t("Adref");
  main.replaceChildren();
  const heading = document.createElement("h1");
  heading.textContent = t("Set up this tablet");
  const explain = document.createElement("p");
  explain.textContent = t("Sign in online once to set up this tablet. After that you can work with no signal.");
  const signIn = document.createElement("a");
  signIn.className = "action";
  signIn.href = `/sign-in?lang=${language}`;
  signIn.textContent = t("Sign in");
  const other = language === "cy" ? "en" : "cy";
  const switcher = button(other === "cy" ? "Cymraeg" : "English", other, () => choose(other));
  switcher.className = "switch";
  main.append(switcher, heading, explain, signIn);
}

registerServiceWorker();
const chosen = localStorage.getItem(LANGUAGE_KEY);
if (chosen === "cy" || chosen === "en") showWelcome(chosen); else showActiveOffer();
