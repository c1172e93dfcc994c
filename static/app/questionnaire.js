// The interview's questions come from the questionnaire definition, never from code: its parts,
// screens (one question to a screen, mostly) and conditions. Answers to core-dataset questions
// live in the interview's own fields; every other answer lives in local_answers by question id.
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

export function answerOf(interview, question) {
  return question.field ? interview[question.field] ?? null
    : (interview.local_answers || {})[question.id] ?? null;
}

// The fields to send when a question's answer changes.
export function answerChange(interview, question, value) {
  if (question.field) return { [question.field]: value };
  return { local_answers: { ...(interview.local_answers || {}), [question.id]: value } };
}

export function isAnswered(value) {
  return !(value === null || value === undefined || value === "" ||
           (Array.isArray(value) && value.length === 0));
}

function conditionHolds(condition, interview, questions) {
  if (!condition) return true;
  const value = answerOf(interview, questions.get(condition.question));
  if ("equals" in condition) return value === condition.equals;
  if ("includes" in condition) return Array.isArray(value) && value.includes(condition.includes);
  return isAnswered(value) === condition.answered;
}

// The questions of a screen to ask now, given the answers so far.
export function questionsToAsk(definition, screen, interview) {
  const questions = questionsById(definition);
  return screen.questions.filter((question) => conditionHolds(question.show_if, interview, questions));
}

export function screensToAsk(definition, audience, interview) {
  return partOf(definition, audience).screens
    .filter((screen) => questionsToAsk(definition, screen, interview).length > 0);
}

// The screen after (step 1) or before (step -1) this one, or null at either end.
export function neighbour(definition, audience, interview, screenId, step) {
  const screens = screensToAsk(definition, audience, interview);
  const index = screens.findIndex((screen) => screen.id === screenId);
  return screens[index + step] || null;
}
