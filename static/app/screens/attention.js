// Records needing the worker's attention: changes the server refused (with its reasons, and a
// way to the record to put them right) and the same answer changed in two places (both values
// shown; the worker chooses, and the choice syncs to every device).
import { currentLanguage, inLanguage, t } from "../i18n.js";
import { formatDate, formatDateTime } from "../format.js";
import { independenceQuestions } from "./interview.js";
import { button, element } from "../dom.js";
import { go, notifyChanged, render, tellOnNextScreen } from "../frame.js";
import * as records from "../records.js";
import * as sync from "../sync.js";

// What the worker knows each field as (the label of the form that asks for it) and how its
// value reads: a date, a time, a code list's label, yes or no, a language, or as it is.
const LANGUAGES = { cy: "Cymraeg", en: "English" };
function knownFields() {
  const yesNo = "boolean";
  return {
    children: { given_name: [t("First name")], family_name: [t("Last name")],
                date_of_birth: [t("Date of birth (if known)"), "date"],
                preferred_language: [t("Which language does the child prefer?"), "language"],
                looked_after: [t("Is the child looked after (in care)?"), yesNo],
                placing_authority_code: [t("Placing authority (responsible for the child)")],
                host_authority_code: [t("Host authority (where the child lives)")] },
    episodes: { reported_missing_at: [t("When was the child reported missing?"), "datetime"],
                returned_at: [t("When did the child come back? (leave empty if not back yet)"), "datetime"],
                return_method: [t("How did the child come back?"), "return_method"],
                reporting_force_code: [t("Which police force was the child reported to?")],
                where_found: [t("Where was the child found? (if known)")] },
    interviews: { offered_at: [t("When did you offer the interview?"), "datetime"],
                  conducted_at: [t("When is the interview taking place?"), "datetime"],
                  location: [t("Where?"), "interview_location"],
                  language: [t("Which language is the interview in?"), "language"],
                  consent: [t("Did the young person agree to talk?"), "consent"],
                  declined_by: [t("Who declined?"), "declined_by"],
                  decline_reason: [t("Why was it declined?"), "decline_reason"],
                  interviewer_type: [t("Who is holding the interview?"), "interviewer_type"],
                  interviewer_organisation: [t("Your organisation")], status: [t("Interview")],
                  ...Object.fromEntries(independenceQuestions().map(([field, label]) => [field, [label, yesNo]])) },
    attempts: { attempted_at: [t("When did you try?"), "datetime"],
                method: [t("How did you try to make contact?"), "attempt_method"],
                outcome: [t("What happened?"), "attempt_outcome"], notes: [t("Notes (optional)")],
                interview_id: [t("Interview")] },
  };
}

// The interview's fields each of its screens sets (the questions' screens are found by question).
const INTERVIEW_SCREENS = { offered_at: "offer", conducted_at: "about", location: "about", language: "about",
  consent: "consent", declined_by: "consent", decline_reason: "consent", interviewer_type: "who",
  interviewer_organisation: "who" };

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
  const question = field && await questionFor(session, "interviews", field);
  return question ? `${hub}/questions/${question.screen}` : hub;
}

// The question that asks for an interview's field (or a local answer, by its id).
async function questionFor(session, collection, field) {
  if (collection !== "interviews") return null;
  const definition = (await records.questionnaireFor(session, null))?.definition;
  for (const part of definition?.parts || []) {
    for (const screen of part.screens) {
      const question = screen.questions.find((q) => q.field === field || q.id === field);
      if (question) return { ...question, screen: screen.id };
    }
  }
  return null;
}

const QUESTION_KINDS = { boolean: "boolean", date: "date" };

// A field as the worker knows it: its label, and how a value of it reads (async: code lists).
async function describeField(session, collection, field) {
  const question = await questionFor(session, collection, field);
  if (question) {
    return { label: inLanguage(question.label),
             kind: question.code_list || QUESTION_KINDS[question.type] };
  }
  const [label, kind] = knownFields()[collection]?.[field] || [];
  return label ? { label, kind } : null; // a field no form asks for: its reason speaks for itself
}

async function shown(session, value, kind) {
  if (value === null || value === undefined || value === "") return t("Nothing");
  if (Array.isArray(value)) return (await Promise.all(value.map((one) => shown(session, one, kind)))).join(", ");
  if (typeof value === "boolean") return value ? t("Yes") : t("No");
  if (typeof value === "object") return JSON.stringify(value);
  const language = currentLanguage();
  if (kind === "datetime") return formatDateTime(value, language);
  if (kind === "date") return formatDate(value, language);
  if (kind === "language") return LANGUAGES[value] ?? value;
  if (kind === "consent") {
    return { accepted: t("They agreed to talk."), declined: t("The interview was declined.") }[value] ?? value;
  }
  return kind ? records.codeLabel(session, kind, value) : String(value);
}

// Whose record it is and which: "Cerys Test: return interview, episode reported <date>".
async function whichRecord(session, collection, id) {
  const one = (name, key) => (key ? records.one(session, name, key) : null);
  const attempt = collection === "attempts" ? await one("attempts", id) : null;
  const interview = await one("interviews", collection === "interviews" ? id : attempt?.interview_id);
  const episode = await one("episodes", collection === "episodes" ? id : interview?.episode_id);
  const child = await one("children", collection === "children" ? id : episode?.child_id);
  if (!child) return null;
  const reported = episode && formatDate(episode.reported_missing_at, currentLanguage());
  const record = {
    children: t("The child's details"),
    episodes: t("Missing episode reported %(date)s", { date: reported }),
    interviews: t("Return interview, episode reported %(date)s", { date: reported }),
    attempts: attempt && t("Attempt to make contact, %(when)s",
                            { when: formatDateTime(attempt.attempted_at, currentLanguage()) }),
  }[collection];
  return `${records.fullName(child)}: ${record}`;
}

async function refusedItem(session, refused) {
  const { mutation } = refused;
  const reasons = [];
  const fields = Object.keys(refused.errors || {});
  for (const field of fields) {
    const name = (await describeField(session, mutation.collection, field))?.label ?? field;
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

// The field's label and both values as read. The answers to questions outside the core dataset
// travel as one field (local_answers): only the questions answered differently are shown.
async function bothValues(session, { collection, field, device_value: device, server_value: server }) {
  if (field !== "local_answers") {
    const described = await describeField(session, collection, field);
    const read = (value) => shown(session, value, described?.kind);
    return { label: described?.label ?? field, mine: await read(device), theirs: await read(server) };
  }
  const [mine, theirs] = [device || {}, server || {}];
  const ids = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])]
    .filter((id) => JSON.stringify(mine[id]) !== JSON.stringify(theirs[id]));
  const questions = await Promise.all(ids.map(async (id) => (await describeField(session, collection, id)) || { label: id }));
  const read = async (answers) => (await Promise.all(questions.map(async (question, index) => {
    const text = await shown(session, answers[ids[index]], question.kind);
    return ids.length > 1 ? `${question.label}: ${text}` : text;
  }))).join("; ");
  return { label: questions.map((question) => question.label).join("; "), mine: await read(mine),
           theirs: await read(theirs) };
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
  const { label, mine, theirs } = await bothValues(session, conflict);
  const which = await whichRecord(session, conflict.collection, conflict.record_id);
  return element("li", { className: "attention-item" },
    element("h2", { textContent: t("Changed in two places: %(field)s", { field: label }) }),
    which ? element("p", { className: "which-record", textContent: which }) : null,
    element("dl", { className: "summary" },
      element("dt", { textContent: t("Your change") }), element("dd", { textContent: mine }),
      element("dt", { textContent: t("The other change") }), element("dd", { textContent: theirs })),
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
