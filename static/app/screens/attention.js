// Records needing the worker's attention: changes the server refused (with its reasons, and a
// way to the record to put them right) and the same answer changed in two places (both values
// shown; the worker chooses, and the choice syncs to every device).
import { inLanguage, t } from "../i18n.js";
import { button, element } from "../dom.js";
import { go, notifyChanged, render, tellOnNextScreen } from "../frame.js";
import * as records from "../records.js";
import * as sync from "../sync.js";

// The fields of each collection as the worker knows them (the words of the forms that set them);
// an interview's answers are named by the questions that ask for them.
function fieldNames() {
  return {
    children: { given_name: t("First name"), family_name: t("Last name"), date_of_birth: t("Date of birth"),
                preferred_language: t("Which language does the child prefer?"), looked_after: t("Looked after") },
    episodes: { reported_missing_at: t("Reported missing"), returned_at: t("Back"),
                return_method: t("How did the child come back?") },
    interviews: { offered_at: t("When did you offer the interview?"), conducted_at: t("When is the interview taking place?"),
                  location: t("Where?"), language: t("Which language is the interview in?"),
                  consent: t("Did the young person agree to talk?"), declined_by: t("Who declined?"),
                  decline_reason: t("Why was it declined?"), interviewer_type: t("Who is holding the interview?"),
                  interviewer_organisation: t("Your organisation"), status: t("Interview") },
    attempts: { attempted_at: t("When did you try?"), method: t("How did you try to make contact?"),
                outcome: t("What happened?"), notes: t("Notes"), interview_id: t("Interview") },
  };
}

// The interview's fields each of its screens sets (the questions' screens are found by question).
const INTERVIEW_SCREENS = { offered_at: "offer", conducted_at: "about", location: "about", language: "about",
  consent: "consent", declined_by: "consent", decline_reason: "consent", interviewer_type: "who",
  interviewer_organisation: "who" };

// The question that asks for an interview's field, and its screen; or null.
async function questionFor(session, field) {
  const definition = (await records.questionnaireFor(session, null))?.definition;
  for (const part of definition?.parts || []) {
    for (const screen of part.screens) {
      const question = screen.questions.find((q) => q.field === field || q.id === field);
      if (question) return { label: inLanguage(question.label), screen: screen.id };
    }
  }
  return null;
}

// A field's name as the worker knows it (its own name, for one no form sets).
async function fieldName(session, collection, field) {
  return fieldNames()[collection]?.[field]
    ?? (collection === "interviews" ? (await questionFor(session, field))?.label : null) ?? field;
}

// The screen where the refused change is put right: the form that sets its first refused field
// (the interview's own page for a refused status or a locked interview, which say why).
async function recordHref(session, { collection, id }, fields) {
  if (collection === "children") return `#/children/${id}/edit`;
  if (collection === "episodes") return `#/episodes/${id}/edit`;
  if (collection === "attempts") return `#/attempts/${id}/edit`;
  const hub = `#/interviews/${id}`;
  const [field] = fields;
  if (field in INTERVIEW_SCREENS) return `${hub}/${INTERVIEW_SCREENS[field]}`;
  if (field?.startsWith("independent_of_") || field === "child_chose_known_adult") return `${hub}/who`;
  const question = field && await questionFor(session, field);
  return question ? `${hub}/questions/${question.screen}` : hub;
}

function shown(value) {
  if (value === null || value === undefined || value === "") return t("Nothing");
  if (typeof value === "boolean") return value ? t("Yes") : t("No");
  return Array.isArray(value) ? value.join(", ") : typeof value === "object" ? JSON.stringify(value) : String(value);
}

async function refusedItem(session, refused) {
  const { mutation } = refused;
  const reasons = [];
  const fields = Object.keys(refused.errors || {});
  for (const field of fields) {
    const name = await fieldName(session, mutation.collection, field);
    reasons.push(element("li", { textContent: `${name}: ${refused.errors[field].join(" ")}` }));
  }
  return element("li", { className: "attention-item" },
    element("h2", { textContent: t("A change was not accepted") }),
    element("ul", {}, ...reasons),
    element("div", { className: "actions" },
      element("a", { className: "action", href: await recordHref(session, mutation, fields),
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
      { field: await fieldName(session, conflict.collection, conflict.field) }) }),
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
