// Records needing the worker's attention: changes the server refused (with its reasons, and a
// way to the record to put them right) and the same answer changed in two places (both values
// shown; the worker chooses, and the choice syncs to every device).
import { inLanguage, t } from "../i18n.js";
import { button, element } from "../dom.js";
import { go, notifyChanged, render, tellOnNextScreen } from "../frame.js";
import * as records from "../records.js";
import * as sync from "../sync.js";

// Where a record of each collection is put right.
async function recordHref(session, collection, id) {
  if (collection === "children") return `#/children/${id}`;
  if (collection === "interviews") return `#/interviews/${id}`;
  if (collection === "episodes") return `#/episodes/${id}/edit`;
  const attempt = await records.one(session, "attempts", id);
  return attempt ? `#/interviews/${attempt.interview_id}` : "#/";
}

// A field's name as the worker knows it: the question that asks for it, where there is one.
async function fieldName(session, collection, field) {
  if (collection === "interviews") {
    const definition = (await records.questionnaireFor(session, null))?.definition;
    for (const part of definition?.parts || []) {
      for (const screen of part.screens) {
        const question = screen.questions.find((q) => q.field === field || q.id === field);
        if (question) return inLanguage(question.label);
      }
    }
  }
  return null; // a field no question asks for: its reason speaks for itself
}

function shown(value) {
  if (value === null || value === undefined || value === "") return t("Nothing");
  if (typeof value === "boolean") return value ? t("Yes") : t("No");
  return Array.isArray(value) ? value.join(", ") : typeof value === "object" ? JSON.stringify(value) : String(value);
}

async function refusedItem(session, refused) {
  const { mutation } = refused;
  const reasons = [];
  for (const [field, messages] of Object.entries(refused.errors || {})) {
    const name = await fieldName(session, mutation.collection, field);
    reasons.push(element("li", { textContent: name ? `${name}: ${messages.join(" ")}` : messages.join(" ") }));
  }
  return element("li", { className: "attention-item" },
    element("h2", { textContent: t("A change was not accepted") }),
    element("ul", {}, ...reasons),
    element("div", { className: "actions" },
      element("a", { className: "action", href: await recordHref(session, mutation.collection, mutation.id),
                     textContent: t("Put it right") }),
      button(t("Dismiss"), async () => {
        await sync.dismiss(session, refused.mutation_id);
        notifyChanged();
        go("#/attention");
      }, { className: "secondary" })));
}

async function conflictItem(session, conflict) {
  const choose = (value) => async () => {
    try {
      await sync.resolveConflict(session, conflict, value);
      tellOnNextScreen(t("Saved"));
    } catch (problem) {
      if (problem.name === "Refused") tellOnNextScreen(problem.reasons.join(" "));
      else if (problem.name === "Offline") tellOnNextScreen(t("You are offline. Try again when you have signal."));
      else throw problem;
    }
    notifyChanged();
    go("#/attention");
  };
  return element("li", { className: "attention-item" },
    element("h2", { textContent: t("Changed in two places: %(field)s",
      { field: await fieldName(session, conflict.collection, conflict.field) ?? conflict.field }) }),
    element("dl", { className: "summary" },
      element("dt", { textContent: t("Your change") }), element("dd", { textContent: shown(conflict.device_value) }),
      element("dt", { textContent: t("The other change") }), element("dd", { textContent: shown(conflict.server_value) })),
    element("div", { className: "actions" },
      button(t("Keep your change"), choose(conflict.device_value)),
      button(t("Keep the other change"), choose(conflict.server_value), { className: "secondary" })));
}

export async function showAttention(session) {
  const { refused, conflicts } = await sync.needingAttention(session);
  const items = [...await Promise.all(conflicts.map((c) => conflictItem(session, c))),
                 ...await Promise.all(refused.map((r) => refusedItem(session, r)))];
  render(element("a", { href: "#/", className: "back", textContent: t("Your children") }),
    element("h1", { textContent: t("Records needing attention") }),
    items.length ? element("ul", { className: "attention-list" }, ...items)
      : element("p", { textContent: t("Nothing needs your attention.") }));
}
