// The worker's side of the young person's own section: handing the tablet over (noting the
// child's first language when it is neither Welsh nor English, and whether an interpreter reads
// the questions), and, once it is back, what the young person said, on the interview's page.
import { currentLanguage, inLanguage, t } from "../i18n.js";
import { choiceField, chosenValue, element, problemsOf, selectField } from "../dom.js";
import { backLink, go, render } from "../frame.js";
import { formatDateTime } from "../format.js";
import * as records from "../records.js";
import * as questionnaire from "../questionnaire.js";
import * as youngPerson from "../youngperson.js";
import { newId } from "../ids.js";
import { answerText } from "./answers.js";

const EDITABLE = new Set(["draft", "returned"]);
const hub = (interviewId) => `#/interviews/${interviewId}`;

// The interview's section, found through the store's summary (no other record is decrypted).
export async function reportOf(session, interviewId) {
  const { self_reports: held } = await records.summaries(session, ["self_reports"]);
  const found = held.find((summary) => summary.interview_id === interviewId);
  return found ? records.one(session, "self_reports", found.id) : null;
}

// The newest questionnaire the tablet holds with a young person's part.
async function newestWithSection(session) {
  const newest = await records.questionnaireFor(session, null);
  return newest && questionnaire.partOf(newest.definition, "young_person") ? newest : null;
}

export async function showHandOver(session, interviewId, errors = {}) {
  const interview = await records.one(session, "interviews", interviewId);
  if (!interview || !EDITABLE.has(interview.status || "draft")) return go(interview ? hub(interviewId) : "#/");
  const report = await reportOf(session, interviewId);
  const languages = await records.options(session, "first_language");
  const form = element("form", { noValidate: true },
    selectField("first_language", t("Their first language, if it is not Welsh or English"),
      [[t("Other languages"), languages]], errors.first_language,
      { chosen: report?.first_language ?? null, none: t("Welsh or English") }),
    choiceField("interpreter", t("Will an interpreter read the questions to them?"),
      [["true", t("Yes")], ["false", t("No")]], errors.interpreter,
      { chosen: report?.interpreter === undefined || report?.interpreter === null ? [] : String(report.interpreter) }),
    element("button", { type: "submit", textContent: t("Hand over the tablet") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const [interpreter] = chosenValue(form, "interpreter");
    const refused = await handOver(session, interview, report, {
      first_language: form.elements.first_language.value || null,
      interpreter: interpreter === undefined ? null : interpreter === "true" });
    if (refused) return showHandOver(session, interviewId, refused);
  });
  render(backLink(hub(interviewId)),
    element("h1", { textContent: t("Hand the tablet to the young person") }),
    problemsOf(errors),
    element("p", { textContent: t("They will see only their own questions, in the language they choose, and can skip any of them. You will need your passcode to take the tablet back.") }),
    form);
}

async function handOver(session, interview, report, noted) {
  const now = new Date().toISOString();
  const id = report?.id ?? newId();
  let fields = { ...noted, handed_back_at: null };
  if (!report) {
    const version = await newestWithSection(session);
    if (!version) return { first_language: t("The questions for the young person are not on this tablet yet. Sync, then try again.") };
    fields = { ...fields, interview_id: interview.id, questionnaire_version_id: version.id,
               language: interview.young_person_language || currentLanguage(), handed_over_at: now,
               answers: {}, question_states: {} };
  }
  const refused = await records.saveOrErrors(session, "self_reports", id, fields);
  if (refused) return refused;
  youngPerson.begin({ user: session.user, report: id, interview: interview.id, language: null });
  go(youngPerson.addressOf("language"));
  return null;
}

function stateText(state) {
  return { skipped: t("Chose not to say"), not_reached: t("Not reached") }[state] ?? null;
}

async function answerRows(session, report) {
  const definition = (await records.questionnaireFor(session, report))?.definition;
  const part = definition && questionnaire.partOf(definition, "young_person");
  if (!part) return [];
  const states = report.question_states || {};
  const rows = [];
  for (const question of part.screens.flatMap((screen) => screen.questions)) {
    const value = questionnaire.answerOf(report, question, "answers");
    if (!states[question.id] && !questionnaire.isAnswered(value)) continue; // not asked
    const shown = stateText(states[question.id]) ?? await answerText(session, question, value);
    rows.push(element("div", { className: "summary-row" },
      element("dt", { textContent: inLanguage(question.label) }),
      element("dd", { lang: states[question.id] === "answered" ? report.language : currentLanguage(), textContent: shown })));
  }
  return rows;
}

const when = (iso) => ({ when: formatDateTime(iso, currentLanguage()) });

// The part of the interview's page about the young person's own section.
export async function selfReportPart(session, interview, editable) {
  const report = await reportOf(session, interview.id);
  const handOver = editable ? element("a", { className: report ? "action secondary" : "action",
    href: `${hub(interview.id)}/hand-over`,
    textContent: report ? t("Hand the tablet over again") : t("Hand the tablet to the young person") }) : null;
  if (!report) {
    return [element("h2", { textContent: t("In their own words") }),
            element("p", { textContent: t("The young person has not had the tablet yet.") }), handOver];
  }
  return [element("h2", { textContent: t("In their own words") }),
    element("p", { textContent: t("Handed over %(when)s", when(report.handed_over_at)) }),
    report.handed_back_at ? element("p", { textContent: t("Handed back %(when)s", when(report.handed_back_at)) }) : null,
    report.advocate_requested ? element("p", { className: "notice", textContent: t("They asked for an advocate.") }) : null,
    element("dl", { className: "summary-list" }, ...await answerRows(session, report)),
    handOver];
}
