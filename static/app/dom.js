// Small builders for the app's screens, so every screen has the same accessible parts: labelled
// fields with their error message (the GOV.UK question-page pattern), an error summary at the
// top that links to each field, and buttons big enough for a finger.
import { t } from "./i18n.js";

export function element(tag, properties = {}, ...children) {
  const made = Object.assign(document.createElement(tag), properties);
  made.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return made;
}

export function button(label, onClick, { className = "", type = "button", lang } = {}) {
  const made = element("button", { type, className, textContent: label });
  if (lang) made.lang = lang;
  if (onClick) made.addEventListener("click", onClick);
  return made;
}

export function link(label, href, className = "") {
  return element("a", { href, className, textContent: label });
}

export function errorSummary(errors) {
  const list = element("ul", {}, ...errors.map(([field, message]) => element("li", {},
    field ? element("a", { href: `#${field}`, textContent: message }) : message)));
  // A link to #field must move focus to the field, not change the app's route.
  list.addEventListener("click", (event) => {
    const target = event.target.closest("a");
    if (!target) return;
    event.preventDefault();
    document.getElementById(target.getAttribute("href").slice(1))?.focus();
  });
  const summary = element("div", { className: "error-summary", role: "alert", tabIndex: -1 },
    element("h2", { textContent: t("There is a problem") }), list);
  queueMicrotask(() => summary.focus());
  return summary;
}

function describe(control, id, hint, error) {
  const ids = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean);
  if (ids.length) control.setAttribute("aria-describedby", ids.join(" "));
  if (error) control.setAttribute("aria-invalid", "true");
}

function hintAndError(id, hint, error) {
  return [hint ? element("p", { className: "hint", id: `${id}-hint`, textContent: hint }) : null,
          error ? element("p", { className: "error-message", id: `${id}-error`, textContent: error })
            : null];
}

// A labelled text input (or passcode, date-time, number) with its hint and error.
export function inputField(id, label, error, type = "text", { value = "", hint } = {}) {
  const input = element("input", { id, name: id, type, autocomplete: "off", value: value ?? "" });
  describe(input, id, hint, error);
  return element("div", { className: error ? "field field-error" : "field" },
    element("label", { htmlFor: id, textContent: label }), ...hintAndError(id, hint, error), input);
}

export function textareaField(id, label, error, { value = "", hint } = {}) {
  const area = element("textarea", { id, name: id, rows: 6, value: value ?? "" });
  describe(area, id, hint, error);
  return element("div", { className: error ? "field field-error" : "field" },
    element("label", { htmlFor: id, textContent: label }), ...hintAndError(id, hint, error), area);
}

// A labelled list to choose one from, with an empty first choice (`none`). groups:
// [[group label, [[value, label, its language if not the screen's]]]], shown as groups.
export function selectField(id, label, groups, error, { chosen = null, none = "" } = {}) {
  const option = ([value, text, lang]) => element("option", { value, textContent: text,
                                                               selected: value === chosen, ...(lang && { lang }) });
  const select = element("select", { id, name: id }, option(["", none]),
    ...groups.map(([title, options]) => element("optgroup", { label: title }, ...options.map(option))));
  describe(select, id, null, error);
  return element("div", { className: error ? "field field-error" : "field" },
    element("label", { htmlFor: id, textContent: label }), ...hintAndError(id, null, error), select);
}

// Radios or checkboxes in a fieldset whose legend is the question. options: [[value, label]].
export function choiceField(id, legend, options, error, { multiple = false, chosen = [], hint,
                                                          legendIsHeading = false } = {}) {
  const picked = new Set(Array.isArray(chosen) ? chosen : [chosen]);
  const items = options.map(([value, label], index) => {
    const inputId = index === 0 ? id : `${id}-${index}`;
    const input = element("input", { id: inputId, name: id, value, type: multiple ? "checkbox" : "radio",
                                     checked: picked.has(value) });
    return element("div", { className: "choice-item" }, input,
      element("label", { htmlFor: inputId, textContent: label }));
  });
  const fieldset = element("fieldset", {},
    element("legend", {}, legendIsHeading ? element("h1", { textContent: legend }) : legend),
    ...hintAndError(id, hint, error), ...items);
  describe(fieldset, id, hint, error);
  return element("div", { className: error ? "field field-error" : "field" }, fieldset);
}

// What a form's choice fields hold: one value, or a list for checkboxes.
export function chosenValue(form, id) {
  return [...form.querySelectorAll(`input[name="${id}"]:checked`)].map((input) => input.value);
}

export function problemsOf(errors) {
  const problems = Object.entries(errors).filter(([, message]) => message);
  return problems.length ? errorSummary(problems) : null;
}
