// The young person's own section, on the worker's tablet once it is handed over: their language
// first (Cymraeg first), a short notice of who reads the answers, one question a screen (each can
// be skipped, and changed until the end), the people who can help them, and a way to ask for an
// advocate. Only these screens show until the worker takes the tablet back with their passcode.
// Every answer is saved as it is given, encrypted and queued like any change (and sealed, so a
// wipe keeps it).
import { currentLanguage, inLanguage, loadCatalog, t } from "../i18n.js";
import { button, element, errorSummary, problemsOf } from "../dom.js";
import { go, show } from "../frame.js";
import * as records from "../records.js";
import * as questionnaire from "../questionnaire.js";
import * as youngPerson from "../youngperson.js";
import { passcodeField, tryPasscode } from "./setup.js";
import { answerControl, readAnswer, readAloud, sectionOf } from "./youngperson_parts.js";
import { showHelp } from "./help.js";

const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
let hooks = { opened: () => {}, wiped: () => {}, handedBack: async () => {} };

export function setHooks(given) {
  hooks = { ...hooks, ...given };
}

async function inChildsLanguage(language) {
  if (language && currentLanguage() !== language) {
    await loadCatalog(language, meta(`adref-catalog-${language}`));
  }
}

const save = (session, report, fields) => records.save(session, "self_reports", report.id, fields);
const now = () => new Date().toISOString();

// --- which screen: whatever the address, a step of the section -------------------------------
export async function showYoungPerson(session, path) {
  const held = youngPerson.current();
  let step = youngPerson.stepOf(path);
  if (!step) {
    // Back to the worker's screens (the back gesture, a changed address): the section stays.
    step = held.step;
    history.replaceState(null, "", youngPerson.addressOf(step));
  }
  await inChildsLanguage(held.language);
  const section = await sectionOf(session, held);
  // Its record gone from the tablet (the case left it): still only the worker's passcode ends it.
  if (!section) return showGiveBack(session, null);
  youngPerson.remember({ step });
  if (step === "language") return showLanguage(session, section);
  if (step === "notice") return showNotice(session, section);
  if (step === "done") return showDone(session, section);
  if (step === "help") return showHelp(session, section, () => go(youngPerson.addressOf("give-back")));
  if (step === "give-back") return showGiveBack(session, section);
  return showQuestion(session, section, step.slice(2));
}

function backButton(step) {
  return button(t("Back"), () => go(youngPerson.addressOf(step)), { className: "secondary" });
}

// --- the language, with the active offer ------------------------------------------------------
function showLanguage(session, { report }) {
  const choose = async (language) => {
    await save(session, report, { language });
    youngPerson.remember({ language });
    go(youngPerson.addressOf("notice"));
  };
  const heading = element("h1");
  heading.innerHTML = '<span lang="cy">Pa iaith hoffet ti?</span> <span lang="en">Which language would you like?</span>';
  show(element("div", { className: "young-person" }, heading,
    element("div", { className: "choices" },
      button("Cymraeg", () => choose("cy"), { className: "choice", lang: "cy" }),
      button("English", () => choose("en"), { className: "choice", lang: "en" }))));
}

// --- before the first question: who reads it, when it is shared, skipping and stopping ---------
function showNotice(session, { report, screens }) {
  const paragraphs = [
    [t("Who will read this?"), t("Your worker and their manager will read your answers.")],
    [t("Will anyone else know?"), t("Only if you tell us something that means you are not safe. Then your worker may need to tell someone who can help keep you safe. They will talk to you about it first.")],
    [t("You choose"), t("You can skip any question. You can stop at any time. There are no right or wrong answers.")],
  ];
  const start = async () => {
    if (!report.started_at) await save(session, report, { started_at: now() });
    go(youngPerson.addressOf(screens.length ? `q/${screens[0].id}` : "done"));
  };
  const title = t("Before you start");
  show(element("div", { className: "young-person" },
    backButton("language"), element("h1", { textContent: title }),
    readAloud(() => [title, ...paragraphs.flat()]),
    ...paragraphs.flatMap(([heading, text]) => [element("h2", { textContent: heading }),
                                                element("p", { textContent: text })]),
    button(t("Start"), start, { className: "big" })));
}

// --- one question a screen ---------------------------------------------------------------------
async function showQuestion(session, section, questionId) {
  const { report, screens, definition, context } = section;
  const index = screens.findIndex((screen) => screen.id === questionId);
  if (index < 0) return go(youngPerson.addressOf(screens.length ? `q/${screens[0].id}` : "done"));
  const [question] = questionnaire.questionsToAsk(definition, screens[index], report, context);
  const previous = index === 0 ? "notice" : `q/${screens[index - 1].id}`;
  const answer = async (value, state) => {
    const fields = questionnaire.answerChange(report, question, value, "answers");
    const states = { ...(report.question_states || {}), [question.id]: state };
    try {
      return await save(session, report, { ...fields, question_states: states });
    } catch (refusal) {
      if (!(refusal instanceof records.NotSaved)) throw refusal;
      show(element("div", { className: "young-person" }, problemsOf({ [`q-${question.id}`]: Object.values(refusal.byField).join(" ") }),
        backButton(`q/${question.id}`)));
      return null;
    }
  };
  const onwards = async (value, state) => {
    const saved = await answer(value, state);
    if (!saved) return;
    const next = questionnaire.neighbour(definition, "young_person", saved, question.id, 1, context);
    go(youngPerson.addressOf(next ? `q/${next.id}` : "done"));
  };
  const form = element("form", { noValidate: true }, ...await answerControl(session, question,
    questionnaire.answerOf(report, question, "answers"), report.language),
    element("div", { className: "actions" },
      element("button", { type: "submit", className: "big", textContent: t("Next") }),
      button(t("I'd rather not say"), () => onwards(null, "skipped"), { className: "secondary big" })));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = readAnswer(form, question);
    onwards(questionnaire.isAnswered(value) ? value : null, questionnaire.isAnswered(value) ? "answered" : "skipped");
  });
  // A choice is kept as soon as it is made; words when the young person pauses.
  let pause = null;
  const keep = () => {
    const value = readAnswer(form, question);
    if (questionnaire.isAnswered(value)) answer(value, "answered");
  };
  form.addEventListener("change", () => { clearTimeout(pause); keep(); });
  form.addEventListener("input", () => { clearTimeout(pause); pause = setTimeout(keep, 800); });
  show(element("div", { className: "young-person", lang: report.language },
    backButton(previous),
    element("p", { className: "question-number", textContent: t("Question %(number)d of %(total)d",
      { number: index + 1, total: screens.length }) }),
    readAloud(() => spokenQuestion(question, report.language)),
    form,
    button(t("Stop here"), () => stop(session, report), { className: "link-button" })));
  form.querySelector("input, textarea")?.focus({ preventScroll: true });
}

function spokenQuestion(question, language) {
  const options = [...document.querySelectorAll(".cards label")].map((label) => label.textContent);
  return [inLanguage(question.label, language), inLanguage(question.hint, language), ...options].filter(Boolean);
}

async function stop(session, report) {
  if (report.started_at && !report.finished_at) await save(session, report, { finished_at: now() });
  go(youngPerson.addressOf("help"));
}

// --- the end of the questions ------------------------------------------------------------------
function showDone(session, { report, screens }) {
  const title = t("You got to the end");
  const text = t("Thank you. You can go back and change any answer, or finish now.");
  show(element("div", { className: "young-person" },
    backButton(screens.length ? `q/${screens.at(-1).id}` : "notice"),
    element("h1", { textContent: title }), readAloud(() => [title, text]),
    element("p", { textContent: text }),
    button(t("Finish"), () => stop(session, report), { className: "big" })));
}

// --- taking the tablet back ----------------------------------------------------------------------
function passcodeForm(user, error, onKey, options) {
  const form = element("form", { noValidate: true },
    passcodeField("passcode", t("Your worker's passcode"), error),
    element("button", { type: "submit", className: "big", textContent: t("Open") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { key, wrong, setUpAgain } = await tryPasscode(user, form.elements.passcode.value, options);
    if (key) onKey(key);
    else if (wrong) onKey(null, wrong);
    else hooks.wiped(setUpAgain);
  });
  return [error ? errorSummary([["passcode", error]]) : null, form];
}

function showGiveBack(session, section, error) {
  const taken = (key, wrong) => (key ? handBack(session, section) : showGiveBack(session, section, wrong));
  show(element("div", { className: "young-person" }, section ? backButton("help") : null,
    element("h1", { textContent: t("Give the tablet back to your worker") }),
    element("p", { textContent: t("Your worker needs their passcode to take it back.") }),
    ...passcodeForm(session.user, error, taken, { offlineDays: Infinity })));
}

// After a reload, a new tab or the app locking: the worker's passcode opens the section again,
// where the young person was.
export async function showLocked(user, error) {
  await inChildsLanguage(youngPerson.current()?.language);
  const opened = (key, wrong) => (key ? hooks.opened({ key, user }) : showLocked(user, wrong));
  show(element("div", { className: "young-person" },
    element("h1", { textContent: t("Ask your worker to open Adref") }),
    element("p", { textContent: t("Your answers are saved. Your worker needs their passcode to open it again.") }),
    ...passcodeForm(user, error, opened)));
}

// Back to the worker: questions the young person could have reached and did not are stored as
// not reached, the time is recorded, and the worker sees the interview again.
async function handBack(session, section) {
  const held = youngPerson.current();
  if (section) {
    const { report, definition, context } = section;
    const states = { ...(report.question_states || {}) };
    for (const screen of questionnaire.screensToAsk(definition, "young_person", report, context)) {
      for (const question of questionnaire.questionsToAsk(definition, screen, report, context)) states[question.id] ??= "not_reached";
    }
    const finished = report.started_at && !report.finished_at ? { finished_at: now() } : {};
    await save(session, report, { ...finished, question_states: states, handed_back_at: now() });
  }
  youngPerson.end();
  await hooks.handedBack();
  go(held?.interview ? `#/interviews/${held.interview}` : "#/");
}
