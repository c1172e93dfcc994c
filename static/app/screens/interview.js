// A return interview on the tablet: the offer and each attempt to make contact, the young
// person's answer (agreed, or declined with who and why), when and where it took place, then the
// questions one screen at a time from the questionnaire definition, saving as the worker goes,
// a check-your-answers page and submit.
import { currentLanguage, inLanguage, t } from "../i18n.js";
import { button, choiceField, chosenValue, element, inputField, problemsOf, textareaField } from "../dom.js";
import { backLink, go, render, tellOnNextScreen } from "../frame.js";
import { formatDateTime, londonInputValue } from "../format.js";
import { nowInput, readTime } from "./times.js";
import * as cases from "../cases.js";
import * as records from "../records.js";
import { newId } from "../ids.js";
import * as questionnaire from "../questionnaire.js";
import { clockText } from "./cases.js";
import { answerText } from "./answers.js";
import { selfReportPart } from "./handover.js";
import { activeOfferPart } from "./advocacy.js";
import { followUpPart } from "./followup.js";
import { reviewPart } from "./review.js";

const EDITABLE = new Set(["draft", "returned"]);
const AUTOSAVE_MS = 600;

async function load(session, interviewId) {
  const interview = await records.one(session, "interviews", interviewId);
  if (!interview) return null;
  const episode = await records.one(session, "episodes", interview.episode_id);
  const child = episode && await records.one(session, "children", episode.child_id);
  return { interview, episode, child, editable: EDITABLE.has(interview.status || "draft") };
}

const hub = (interview) => `#/interviews/${interview.id}`;

function row(label, value, changeHref) {
  return element("div", { className: "summary-row" },
    element("dt", { textContent: label }), element("dd", { textContent: value }),
    changeHref ? element("dd", { className: "change" },
      element("a", { href: changeHref, textContent: t("Change") },
        element("span", { className: "visually-hidden", textContent: ` ${label}` }))) : null);
}

function dateTimeOrNot(iso) {
  return iso ? formatDateTime(iso, currentLanguage()) : t("Not recorded");
}

// --- the interview's page ----------------------------------------------------------------------
export async function showInterview(session, interviewId) {
  const found = await load(session, interviewId);
  if (!found) return go("#/");
  const { interview, episode, child, editable } = found;
  const { attempts } = await records.all(session, ["attempts"]);
  const mine = cases.attemptsOf(interview, attempts);
  const consent = interview.consent || "pending";
  const link = (label, href, className = "action") => editable ? element("a", { className, href, textContent: label }) : null;
  const attemptRows = await Promise.all(mine.map(async (attempt) => element("li", {},
    `${formatDateTime(attempt.attempted_at, currentLanguage())}: `,
    `${await records.codeLabel(session, "attempt_method", attempt.method)}, `,
    await records.codeLabel(session, "attempt_outcome", attempt.outcome),
    attempt._refused ? element("span", { className: "badge refused", textContent: ` ${t("Refused: needs a change")}` }) : null,
    link(t("Change"), `#/attempts/${attempt.id}/edit`, "change"))));
  render(backLink(`#/children/${child.id}`, records.fullName(child)),
    element("h1", { textContent: t("Return interview with %(name)s", { name: records.fullName(child) }) }),
    element("p", { className: "clock", textContent: clockText(cases.clockState(episode, interview)) }),
    ...await reviewPart(session, interview),
    editable ? null : element("p", { className: "notice", textContent: t("This interview has been submitted. A supervisor must return it before it can be changed.") }),
    element("h2", { textContent: t("The offer") }),
    element("p", { textContent: interview.offered_at
      ? t("Offered on %(when)s", { when: formatDateTime(interview.offered_at, currentLanguage()) })
      : t("The interview has not been offered yet.") }),
    link(interview.offered_at ? t("Change the offer") : t("Record the offer"), `${hub(interview)}/offer`,
         interview.offered_at ? "action secondary" : "action"),
    element("h2", { textContent: t("Attempts to make contact") }),
    attemptRows.length ? element("ul", { className: "attempts" }, ...attemptRows)
      : element("p", { textContent: t("No attempts recorded yet.") }),
    link(t("Add an attempt"), `${hub(interview)}/attempts/new`, "action secondary"),
    element("h2", { textContent: t("The young person's answer") }),
    element("p", { textContent: consentText(consent) }),
    consent === "pending" ? link(t("Record their answer"), `${hub(interview)}/consent`) : null,
    consent === "accepted" ? link(t("Go to the questions"), `${hub(interview)}/about`) : null,
    consent !== "pending" ? element("a", { className: "action secondary", href: `${hub(interview)}/check`,
      textContent: editable ? t("Check answers and submit") : t("See the answers") }) : null,
    ...(consent === "accepted" ? await selfReportPart(session, interview, editable) : []),
    ...await activeOfferPart(session, interview, child, editable),
    ...await followUpPart(session, interview, episode, child, editable),
    element("h2", { textContent: t("Information for the police") }),
    element("a", { className: "action secondary", href: `${hub(interview)}/intelligence`,
                   textContent: t("People, places and vehicles they told you about") }));
}

function consentText(consent) {
  return { pending: t("Not recorded yet."), accepted: t("They agreed to talk."),
           declined: t("The interview was declined.") }[consent];
}

// --- the offer and attempts --------------------------------------------------------------------

async function editableOrBack(session, interviewId) {
  const found = await load(session, interviewId);
  if (!found) { go("#/"); return null; }
  if (!found.editable) { go(hub(found.interview)); return null; }
  return found;
}

export async function showOffer(session, interviewId, errors = {}) {
  const found = await editableOrBack(session, interviewId);
  if (!found) return;
  const { interview } = found;
  const form = element("form", { noValidate: true },
    inputField("offered_at", t("When did you offer the interview?"), errors.offered_at, "datetime-local",
               { value: londonInputValue(interview.offered_at) || nowInput() }),
    element("button", { type: "submit", textContent: t("Save") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const problems = {};
    const offeredAt = readTime(form, "offered_at", problems, t("Enter when you offered the interview"));
    if (Object.keys(problems).length) return showOffer(session, interviewId, problems);
    const refused = await records.saveOrErrors(session, "interviews", interview.id, { offered_at: offeredAt });
    if (refused) return showOffer(session, interviewId, refused);
    go(hub(interview));
  });
  render(backLink(hub(interview)), element("h1", { textContent: t("Record the offer") }),
    problemsOf(errors), form);
}

export async function showAddAttempt(session, interviewId, errors = {}, values = {}) {
  const found = await editableOrBack(session, interviewId);
  if (found) await attemptForm(session, found.interview, null, errors, values);
}

// An attempt changed (a refused one put right, say) with the same form as one added.
export async function showEditAttempt(session, attemptId) {
  const attempt = await records.one(session, "attempts", attemptId);
  if (!attempt) return go("#/");
  const found = await editableOrBack(session, attempt.interview_id);
  if (!found) return;
  await attemptForm(session, found.interview, attempt, {}, {
    ...attempt, attempted_at: londonInputValue(attempt.attempted_at) });
}

async function attemptForm(session, interview, attempt, errors, values) {
  const form = element("form", { noValidate: true },
    inputField("attempted_at", t("When did you try?"), errors.attempted_at, "datetime-local",
               { value: values.attempted_at ?? nowInput() }),
    choiceField("method", t("How did you try to make contact?"), await records.options(session, "attempt_method"),
                errors.method, { chosen: values.method }),
    choiceField("outcome", t("What happened?"), await records.options(session, "attempt_outcome"),
                errors.outcome, { chosen: values.outcome }),
    textareaField("notes", t("Notes (optional)"), errors.notes, { value: values.notes }),
    element("button", { type: "submit", textContent: t("Save") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const problems = {};
    const attemptedAt = readTime(form, "attempted_at", problems, t("Enter when you tried"));
    const [method] = chosenValue(form, "method");
    const [outcome] = chosenValue(form, "outcome");
    if (!method) problems.method = t("Choose how you tried to make contact");
    if (!outcome) problems.outcome = t("Choose what happened");
    const notes = form.elements.notes.value.trim() || null;
    const again = (errors) => attemptForm(session, interview, attempt, errors,
      { attempted_at: form.elements.attempted_at.value, method, outcome, notes });
    if (Object.keys(problems).length) return again(problems);
    const refused = await records.saveOrErrors(session, "attempts", attempt?.id ?? newId(),
      { interview_id: interview.id, attempted_at: attemptedAt, method, outcome, notes });
    if (refused) return again(refused);
    go(hub(interview));
  });
  render(backLink(hub(interview)), element("h1", { textContent: attempt ? t("Change the attempt") : t("Add an attempt") }),
    problemsOf(errors), form);
}

// --- the young person's answer -----------------------------------------------------------------
export async function showConsent(session, interviewId, errors = {}, values = null) {
  const found = await editableOrBack(session, interviewId);
  if (!found) return;
  const { interview } = found;
  const shown = values || { consent: interview.consent === "pending" ? null : interview.consent,
                            declined_by: interview.declined_by, decline_reason: interview.decline_reason };
  const declinedPart = element("div", { className: "conditional", id: "declined-details" },
    choiceField("declined_by", t("Who declined?"), await records.options(session, "declined_by"),
                errors.declined_by, { chosen: shown.declined_by }),
    choiceField("decline_reason", t("Why was it declined?"), await records.options(session, "decline_reason"),
                errors.decline_reason, { chosen: shown.decline_reason }));
  const form = element("form", { noValidate: true },
    choiceField("consent", t("Did the young person agree to talk?"),
                [["accepted", t("Yes, they agreed to talk")], ["declined", t("No, the interview was declined")]],
                errors.consent, { chosen: shown.consent, legendIsHeading: true }),
    declinedPart, element("button", { type: "submit", textContent: t("Save and continue") }));
  const reveal = () => { declinedPart.hidden = chosenValue(form, "consent")[0] !== "declined"; };
  form.addEventListener("change", reveal);
  reveal();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const [consent] = chosenValue(form, "consent");
    const [declinedBy] = chosenValue(form, "declined_by");
    const [reason] = chosenValue(form, "decline_reason");
    const problems = {};
    if (!consent) problems.consent = t("Choose whether the young person agreed to talk");
    else if (consent === "declined" && !declinedBy) problems.declined_by = t("Say who declined the interview.");
    const again = (errors) => showConsent(session, interviewId, errors,
      { consent, declined_by: declinedBy, decline_reason: reason });
    if (Object.keys(problems).length) return again(problems);
    const declined = consent === "declined";
    const refused = await records.saveOrErrors(session, "interviews", interview.id, {
      consent, consent_recorded_at: new Date().toISOString(),
      declined_by: declined ? declinedBy : null, decline_reason: declined ? reason ?? null : null });
    if (refused) return again(refused);
    go(declined ? `${hub(interview)}/check` : `${hub(interview)}/about`);
  });
  render(backLink(hub(interview)), problemsOf(errors), form);
}

// When and where the interview took place, and its language: asked before the questions.
export async function showAbout(session, interviewId, errors = {}, values = null) {
  const found = await editableOrBack(session, interviewId);
  if (!found) return;
  const { interview } = found;
  const shown = values || { conducted_at: londonInputValue(interview.conducted_at) || nowInput(),
                            location: interview.location, language: interview.language || currentLanguage() };
  const form = element("form", { noValidate: true },
    inputField("conducted_at", t("When is the interview taking place?"), errors.conducted_at,
               "datetime-local", { value: shown.conducted_at }),
    choiceField("location", t("Where?"), await records.options(session, "interview_location"),
                errors.location, { chosen: shown.location }),
    choiceField("language", t("Which language is the interview in?"),
                [["cy", "Cymraeg"], ["en", "English"]], errors.language, { chosen: shown.language }),
    element("button", { type: "submit", textContent: t("Save and continue") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const problems = {};
    const conductedAt = readTime(form, "conducted_at", problems, t("Enter when the interview is taking place"));
    const [location] = chosenValue(form, "location");
    const [language] = chosenValue(form, "language");
    const again = (errors) => showAbout(session, interviewId, errors,
      { conducted_at: form.elements.conducted_at.value, location, language });
    if (Object.keys(problems).length) return again(problems);
    // The server's limits (the interview after the child's return, among them) are checked as
    // it saves.
    const refused = await records.saveOrErrors(session, "interviews", interview.id,
      { conducted_at: conductedAt, location: location ?? null, language: language ?? null });
    if (refused) return again(refused);
    go(`${hub(interview)}/who`);
  });
  render(backLink(hub(interview)), element("h1", { textContent: t("About the interview") }),
    problemsOf(errors), form);
}

// Who holds the interview, and how independent they are (the core dataset records both).
export function independenceQuestions() {
  return [
    ["independent_of_police", t("Is your organisation independent of the police?")],
    ["independent_of_local_authority", t("Is your organisation independent of the council?")],
    ["independent_of_placement", t("Is your organisation independent of the young person's placement or home?")],
    ["child_chose_known_adult", t("Did the young person ask for an adult they know to hold the interview?")],
  ];
}

const yesNo = (value) => (value === true ? "true" : value === false ? "false" : null);

export async function showWho(session, interviewId, errors = {}, values = null) {
  const found = await editableOrBack(session, interviewId);
  if (!found) return;
  const { interview } = found;
  const shown = values || interview;
  const form = element("form", { noValidate: true },
    choiceField("interviewer_type", t("Who is holding the interview?"),
                await records.options(session, "interviewer_type"), errors.interviewer_type,
                { chosen: shown.interviewer_type }),
    inputField("interviewer_organisation", t("Your organisation"), errors.interviewer_organisation, "text",
               { value: shown.interviewer_organisation ?? "" }),
    ...independenceQuestions().map(([field, label]) => choiceField(field, label,
      [["true", t("Yes")], ["false", t("No")]], errors[field], { chosen: yesNo(shown[field]) })),
    element("button", { type: "submit", textContent: t("Save and continue") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const [type] = chosenValue(form, "interviewer_type");
    const organisation = form.elements.interviewer_organisation.value.trim();
    const fields = { interviewer_type: type ?? null, interviewer_organisation: organisation || null };
    for (const [field] of independenceQuestions()) {
      const [picked] = chosenValue(form, field);
      fields[field] = picked === undefined ? null : picked === "true";
    }
    let saved;
    try {
      saved = await records.save(session, "interviews", interview.id, fields);
    } catch (refusal) {
      if (!(refusal instanceof records.NotSaved)) throw refusal;
      return showWho(session, interviewId, refusal.byField, fields);
    }
    const definition = (await records.questionnaireFor(session, saved))?.definition;
    const first = definition && questionnaire.screensToAsk(definition, "worker", saved)[0];
    go(first ? `${hub(interview)}/questions/${first.id}` : `${hub(interview)}/check`);
  });
  render(backLink(`${hub(interview)}/about`), element("h1", { textContent: t("About you") }),
    problemsOf(errors), form);
}

// --- the questions, one screen at a time -------------------------------------------------------
// The questions are asked in the interview's language, which the worker may read aloud; one tap
// shows them in the other (kept per interview while the app is open). The app's own words stay
// in the worker's language.
const otherLanguageShown = new Set();
const otherLanguage = (language) => (language === "cy" ? "en" : "cy");
// Yes and No as answers to a question, in the question's language (as the catalogs have them).
const YES_NO = { cy: [["true", "Ie"], ["false", "Na"]], en: [["true", "Yes"], ["false", "No"]] };

function questionsLanguage(interview) {
  const own = interview.language || currentLanguage();
  return otherLanguageShown.has(interview.id) ? otherLanguage(own) : own;
}

function languageToggle(interview, shownIn, redraw) {
  const label = shownIn === "cy" ? t("Show the questions in English") : t("Show the questions in Welsh");
  return button(label, () => {
    if (otherLanguageShown.has(interview.id)) otherLanguageShown.delete(interview.id);
    else otherLanguageShown.add(interview.id);
    redraw();
  }, { className: "secondary" });
}

function questionControl(question, value, options, single, error, language) {
  const label = inLanguage(question.label, language);
  const hint = inLanguage(question.hint, language) || undefined;
  const id = `q-${question.id}`;
  switch (question.type) {
    case "textarea":
      return textareaField(id, label, error, { value, hint });
    case "multiple":
    case "single":
      return choiceField(id, label, options, error,
        { multiple: question.type === "multiple", chosen: value ?? [], hint, legendIsHeading: single });
    case "boolean":
      return choiceField(id, label, YES_NO[language], error,
        { chosen: value === null ? [] : String(value), hint, legendIsHeading: single });
    default:
      return inputField(id, label, error, { date: "date", number: "number" }[question.type] || "text",
                        { value, hint });
  }
}

// The record's errors ({field: message}) on the questions that ask for those fields, by the id
// of each question's control (every local question's answer is in local_answers).
function questionErrors(asked, errors) {
  return Object.fromEntries(asked.map((question) => [`q-${question.id}`, errors[question.field || "local_answers"]])
    .filter(([, message]) => message));
}

function readAnswer(form, question) {
  const id = `q-${question.id}`;
  if (question.type === "multiple") return chosenValue(form, id);
  if (question.type === "single") return chosenValue(form, id)[0] ?? null;
  if (question.type === "boolean") {
    const [picked] = chosenValue(form, id);
    return picked === undefined ? null : picked === "true";
  }
  const text = form.elements[id].value;
  if (question.type === "number") return text === "" ? null : Number(text);
  return text.trim() === "" ? null : text;
}

export async function showQuestions(session, interviewId, screenId, errors = {}, entered = null) {
  const found = await editableOrBack(session, interviewId);
  if (!found) return;
  let { interview } = found;
  const definition = (await records.questionnaireFor(session, interview))?.definition;
  const screen = definition && questionnaire.partOf(definition, "worker").screens.find((s) => s.id === screenId);
  if (!screen) return go(hub(interview));
  const asked = questionnaire.questionsToAsk(definition, screen, interview);
  const single = asked.length === 1 && ["single", "multiple", "boolean"].includes(asked[0].type);
  const shownErrors = questionErrors(asked, errors);
  const language = questionsLanguage(interview);
  const controls = await Promise.all(asked.map(async (question) => questionControl(question,
    entered ? entered[question.id] : questionnaire.answerOf(interview, question),
    question.code_list ? await records.options(session, question.code_list, language) : [], single,
    shownErrors[`q-${question.id}`], language)));
  const questions = element("div", { className: "questions", lang: language }, ...controls);
  const form = element("form", { noValidate: true }, questions,
    element("button", { type: "submit", textContent: t("Save and continue") }));
  // Saving as the worker goes: every change is in the encrypted outbox within a moment. A change
  // that breaks a limit is not queued: what is wrong is shown when they go on.
  const saveAnswers = async () => {
    let fields = {};
    for (const question of asked) {
      fields = { ...fields, ...questionnaire.answerChange({ ...interview, ...fields }, question, readAnswer(form, question)) };
    }
    try {
      interview = await records.save(session, "interviews", interview.id, fields);
    } catch (refusal) {
      if (!(refusal instanceof records.NotSaved)) throw refusal;
      return { refused: refusal.byField };
    }
    return { saved: interview };
  };
  let pause = null;
  form.addEventListener("input", () => { clearTimeout(pause); pause = setTimeout(saveAnswers, AUTOSAVE_MS); });
  form.addEventListener("change", () => { clearTimeout(pause); saveAnswers(); });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearTimeout(pause);
    const { saved, refused } = await saveAnswers();
    if (refused) {
      return showQuestions(session, interviewId, screenId, refused,
        Object.fromEntries(asked.map((question) => [question.id, readAnswer(form, question)])));
    }
    const next = questionnaire.neighbour(definition, "worker", saved, screen.id, 1);
    go(next ? `${hub(interview)}/questions/${next.id}` : `${hub(interview)}/check`);
  });
  const previous = questionnaire.neighbour(definition, "worker", interview, screen.id, -1);
  const screens = questionnaire.screensToAsk(definition, "worker", interview);
  const redraw = () => showQuestions(session, interviewId, screenId, errors,
    Object.fromEntries(asked.map((question) => [question.id, readAnswer(form, question)])));
  render(backLink(previous ? `${hub(interview)}/questions/${previous.id}` : `${hub(interview)}/who`),
    element("p", { className: "question-number", textContent: t("Question %(number)d of %(total)d",
      { number: screens.findIndex((s) => s.id === screen.id) + 1, total: screens.length }) }),
    languageToggle(interview, language, redraw),
    element("p", { className: "caption", lang: language, textContent: inLanguage(screen.title, language) }),
    single ? null : element("h1", { lang: language, textContent: inLanguage(screen.title, language) }),
    problemsOf(shownErrors), form);
}

// --- check answers and submit ------------------------------------------------------------------
function submissionErrors(interview) {
  const consent = interview.consent || "pending";
  if (consent === "pending") return { consent: t("Record whether the young person agreed to talk") };
  if (consent === "declined" && !interview.declined_by) return { consent: t("Say who declined the interview.") };
  if (consent === "accepted" && !interview.conducted_at) {
    return { conducted_at: t("Record when the interview took place, or that it was declined.") };
  }
  return {};
}

async function answerRows(session, interview, editable) {
  const definition = (await records.questionnaireFor(session, interview))?.definition;
  if (!definition || interview.consent !== "accepted") return [];
  const rows = [];
  for (const screen of questionnaire.screensToAsk(definition, "worker", interview)) {
    for (const question of questionnaire.questionsToAsk(definition, screen, interview)) {
      rows.push(row(inLanguage(question.label),
        await answerText(session, question, questionnaire.answerOf(interview, question)),
        editable ? `${hub(interview)}/questions/${screen.id}` : null));
    }
  }
  return rows;
}

export async function showCheck(session, interviewId, errors = {}) {
  const found = await load(session, interviewId);
  if (!found) return go("#/");
  const { interview, editable } = found;
  const declined = interview.consent === "declined";
  const consentRows = [row(t("Did the young person agree to talk?"), consentText(interview.consent || "pending"),
                           editable ? `${hub(interview)}/consent` : null)];
  if (declined) {
    consentRows.push(row(t("Who declined?"), interview.declined_by
      ? await records.codeLabel(session, "declined_by", interview.declined_by) : t("Not recorded")));
    consentRows.push(row(t("Why was it declined?"), interview.decline_reason
      ? await records.codeLabel(session, "decline_reason", interview.decline_reason) : t("Not recorded")));
  } else {
    const about = editable ? `${hub(interview)}/about` : null;
    consentRows.push(row(t("When is the interview taking place?"), dateTimeOrNot(interview.conducted_at), about));
    consentRows.push(row(t("Where?"), interview.location
      ? await records.codeLabel(session, "interview_location", interview.location) : t("Not recorded"), about));
    consentRows.push(row(t("Which language is the interview in?"),
      { cy: "Cymraeg", en: "English" }[interview.language] ?? t("Not recorded"), about));
    const who = editable ? `${hub(interview)}/who` : null;
    consentRows.push(row(t("Who is holding the interview?"), interview.interviewer_type
      ? await records.codeLabel(session, "interviewer_type", interview.interviewer_type) : t("Not recorded"), who));
    consentRows.push(row(t("Your organisation"), interview.interviewer_organisation || t("Not recorded"), who));
    for (const [field, label] of independenceQuestions()) {
      const value = interview[field];
      consentRows.push(row(label, value === true ? t("Yes") : value === false ? t("No") : t("Not recorded"), who));
    }
  }
  const submit = button(t("Submit the interview"), async () => {
    const problems = submissionErrors(interview);
    if (Object.keys(problems).length) return showCheck(session, interviewId, problems);
    const refused = await records.saveOrErrors(session, "interviews", interview.id, { status: "submitted" });
    if (refused) return showCheck(session, interviewId, refused);
    tellOnNextScreen(t("The interview has been submitted."));
    go(`#/children/${found.child.id}`);
  });
  render(backLink(hub(interview)),
    element("h1", { textContent: editable ? t("Check your answers") : t("The answers") }),
    problemsOf(errors),
    element("dl", { className: "summary-list" }, ...consentRows, ...await answerRows(session, interview, editable)),
    editable ? element("p", { textContent: t("When you submit, the interview goes to a supervisor. You cannot change it after that unless they return it.") }) : null,
    editable ? submit : null);
}
