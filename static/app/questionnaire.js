// The interview's questions come from the questionnaire definition, never from code: its parts,
// screens (one question to a screen, mostly) and conditions. Answers to core-dataset questions
// live in the record's own fields; every other answer lives by question id in the record's bag
// of answers: an interview's local_answers, the young person's section's answers.
export function partOf(definition, audience) {
  return definition.parts.find((part) => part.audience === audience);
}

function questionsById(definition) {
  const found = new Map();
  for (const part of definition.parts) {
    for (const screen of part.screens) for (const question of screen.questions) found.set(question.id, question);
  }
  return found;
}

// A picture-card question's options come from more than one code list (push and pull factors):
// each option is answered as "<code list>:<code>", and kept in the list's own field.
const LIST_FIELDS = { push_factor: "push_factors", pull_factor: "pull_factors" };
const optionValue = (option) => `${option.code_list}:${option.code}`;
const optionField = (option) => option.field ?? LIST_FIELDS[option.code_list];

export function answerOf(record, question, bag = "local_answers") {
  if (question.type === "cards") {
    const chosen = question.options.filter((option) => (record[optionField(option)] || []).includes(option.code));
    return chosen.map(optionValue);
  }
  return question.field ? record[question.field] ?? null : (record[bag] || {})[question.id] ?? null;
}

// The fields to send when a question's answer changes (null: no answer, as when skipped).
export function answerChange(record, question, value, bag = "local_answers") {
  if (question.type === "cards") {
    const fields = {};
    for (const option of question.options) fields[optionField(option)] ??= [];
    for (const option of question.options) {
      if ((value || []).includes(optionValue(option))) fields[optionField(option)].push(option.code);
    }
    return fields;
  }
  if (question.field) return { [question.field]: question.type === "multiple" && value === null ? [] : value };
  const answers = { ...(record[bag] || {}), [question.id]: value };
  if (value === null) delete answers[question.id];
  return { [bag]: answers };
}

export const cardOptions = (question) => question.options.map((option) => ({ ...option, value: optionValue(option) }));

export function isAnswered(value) {
  return !(value === null || value === undefined || value === "" ||
           (Array.isArray(value) && value.length === 0));
}

// context: { facts: what is known of the child (out_of_area), which a condition may ask instead
// of an answer; bag: where the record keeps answers with no field of their own }.
function conditionHolds(condition, record, questions, { facts = {}, bag } = {}) {
  if (!condition) return true;
  const value = condition.fact ? facts[condition.fact] ?? null
    : answerOf(record, questions.get(condition.question), bag);
  if ("equals" in condition) return value === condition.equals;
  if ("includes" in condition) return Array.isArray(value) && value.includes(condition.includes);
  return isAnswered(value) === condition.answered;
}

// The questions of a screen to ask now, given the answers so far.
export function questionsToAsk(definition, screen, record, context = {}) {
  const questions = questionsById(definition);
  return screen.questions.filter((question) => conditionHolds(question.show_if, record, questions, context));
}

export function screensToAsk(definition, audience, record, context = {}) {
  return partOf(definition, audience).screens
    .filter((screen) => questionsToAsk(definition, screen, record, context).length > 0);
}

// The screen after (step 1) or before (step -1) this one, or null at either end.
export function neighbour(definition, audience, record, screenId, step, context = {}) {
  const screens = screensToAsk(definition, audience, record, context);
  const index = screens.findIndex((screen) => screen.id === screenId);
  return screens[index + step] || null;
}
