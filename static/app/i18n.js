// Interface text for the app, from static/i18n/<language>.json, which is made from the same
// gettext catalogs as the server's pages. Plural forms follow Intl.PluralRules.
let catalog = { language: "cy", messages: {}, plural_categories: ["one", "other"] };
let pluralRules = new Intl.PluralRules("cy");

export async function loadCatalog(language, url) {
  const response = await fetch(url);
  catalog = await response.json();
  pluralRules = new Intl.PluralRules(language);
  document.documentElement.lang = language;
  return catalog;
}

function fill(text, values) {
  return text.replace(/%\((\w+)\)[sd]/g, (_match, name) => String(values[name] ?? ""));
}

export function t(message, values = {}) {
  const found = catalog.messages[message];
  return fill(typeof found === "string" ? found : message, values);
}

export function tn(singular, plural, count, values = {}) {
  const forms = catalog.messages[singular];
  const index = catalog.plural_categories.indexOf(pluralRules.select(count));
  const chosen = Array.isArray(forms) ? forms[index] : (count === 1 ? singular : plural);
  return fill(chosen, { num: count, ...values });
}

export function currentLanguage() {
  return catalog.language;
}

// Content that comes in both languages ({cy, en}: questions, code-list labels) in the reader's,
// or in the language asked for (an interview's questions are in the interview's language).
export function inLanguage(text, language = catalog.language) {
  if (!text || typeof text === "string") return text ?? "";
  return text[language] ?? text.en ?? "";
}
