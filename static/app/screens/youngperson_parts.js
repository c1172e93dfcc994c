// The parts of the young person's screens: their section as the tablet holds it, the answer
// controls (faces, picture cards and big choices, each a native radio or checkbox with its words,
// so they work by touch, keyboard and screen reader), and reading aloud in their language.
import { currentLanguage, inLanguage, t } from "../i18n.js";
import { button, chosenValue, element } from "../dom.js";
import * as records from "../records.js";
import * as questionnaire from "../questionnaire.js";
import { face, picture } from "../pictures.js";

// The section being answered, its questionnaire, and what is known of the child that a question
// may depend on (out of area); null when the tablet no longer holds it.
export async function sectionOf(session, held) {
  const report = await records.one(session, "self_reports", held.report);
  if (!report) return null;
  const interview = await records.one(session, "interviews", report.interview_id);
  const episode = interview && await records.one(session, "episodes", interview.episode_id);
  const child = episode && await records.one(session, "children", episode.child_id);
  const definition = (await records.questionnaireFor(session, report))?.definition;
  if (!definition || !questionnaire.partOf(definition, "young_person")) return null;
  const context = { facts: { out_of_area: child?.out_of_area ?? null }, bag: "answers" };
  const screens = questionnaire.screensToAsk(definition, "young_person", report, context);
  return { report, interview, child, definition, context, screens };
}

function cardChoices(id, legend, items, { multiple = false, chosen = [], hint = null }) {
  const picked = new Set(chosen);
  const cards = items.map(({ value, label, drawing }, index) => {
    const inputId = index === 0 ? id : `${id}-${index}`;
    return element("div", { className: "card" },
      element("input", { id: inputId, name: id, value, type: multiple ? "checkbox" : "radio", checked: picked.has(value) }),
      element("label", { htmlFor: inputId }, drawing, element("span", { textContent: label })));
  });
  const fieldset = element("fieldset", {}, element("legend", {}, element("h1", { textContent: legend })),
    hint ? element("p", { className: "hint", id: `${id}-hint`, textContent: hint }) : null,
    element("div", { className: "cards" }, ...cards));
  if (hint) fieldset.setAttribute("aria-describedby", `${id}-hint`);
  return fieldset;
}

async function choicesOf(session, question, language) {
  if (question.type === "boolean") {
    return [["true", t("Yes")], ["false", t("No")]].map(([value, label]) => ({ value, label }));
  }
  if (question.type === "cards") {
    return questionnaire.cardOptions(question).map((option) => ({
      value: option.value, label: inLanguage(option.label, language), drawing: picture(option.picture) }));
  }
  const options = await records.options(session, question.code_list, language);
  return options.map(([value, label]) => ({ value, label, drawing: question.type === "scale" ? face(value) : null }));
}

const chosenOf = (value) => (value === null || value === undefined ? [] : [value].flat().map(String));

// The question's control (and its "why are we asking?" where it is sensitive).
export async function answerControl(session, question, value, language) {
  const id = `q-${question.id}`;
  const label = inLanguage(question.label, language);
  const hint = inLanguage(question.hint, language) || null;
  let control;
  if (["textarea", "text"].includes(question.type)) {
    const area = element("textarea", { id, name: id, rows: 5, value: value ?? "" });
    if (hint) area.setAttribute("aria-describedby", `${id}-hint`);
    control = element("div", { className: "field" }, element("h1", {}, element("label", { htmlFor: id, textContent: label })),
      hint ? element("p", { className: "hint", id: `${id}-hint`, textContent: hint }) : null, area);
  } else {
    control = cardChoices(id, label, await choicesOf(session, question, language),
      { multiple: ["multiple", "cards"].includes(question.type), chosen: chosenOf(value), hint });
  }
  const why = question.sensitive && question.why ? element("details", { className: "why" },
    element("summary", { textContent: t("Why are we asking?") }),
    element("p", { textContent: inLanguage(question.why, language) })) : null;
  return [control, why].filter(Boolean);
}

export function readAnswer(form, question) {
  const id = `q-${question.id}`;
  if (["multiple", "cards"].includes(question.type)) return chosenValue(form, id);
  if (question.type === "boolean") {
    const [picked] = chosenValue(form, id);
    return picked === undefined ? null : picked === "true";
  }
  if (["single", "scale"].includes(question.type)) return chosenValue(form, id)[0] ?? null;
  const text = form.elements[id].value;
  return text.trim() === "" ? null : text;
}

// --- reading aloud (the Web Speech API), where the browser has a voice in the language --------
function voiceFor(language) {
  if (!("speechSynthesis" in window)) return null;
  return speechSynthesis.getVoices().find((voice) => voice.lang.toLowerCase().split(/[-_]/)[0] === language) ?? null;
}

// A button that reads the screen's words; hidden when there is no voice for the language (the
// browser may find its voices after the screen is drawn).
export function readAloud(texts) {
  const language = currentLanguage();
  const speak = () => {
    const voice = voiceFor(language);
    if (!voice) return;
    speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(texts().join(". "));
    utterance.voice = voice;
    utterance.lang = voice.lang;
    speechSynthesis.speak(utterance);
  };
  const made = button(t("Read it to me"), speak, { className: "secondary read-aloud" });
  made.hidden = !voiceFor(language);
  return made;
}

if ("speechSynthesis" in window) {
  speechSynthesis.addEventListener("voiceschanged", () => {
    for (const shown of document.querySelectorAll(".read-aloud")) shown.hidden = !voiceFor(currentLanguage());
  });
}
