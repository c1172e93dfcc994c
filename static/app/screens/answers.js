// An answer as a person reads it: a choice by its label in the reader's language, yes or no, a
// date, or the words given.
import { currentLanguage, inLanguage, t } from "../i18n.js";
import { formatDate } from "../format.js";
import * as records from "../records.js";
import * as questionnaire from "../questionnaire.js";

export async function answerText(session, question, value) {
  if (!questionnaire.isAnswered(value)) return t("Not answered");
  if (question.type === "boolean") return value ? t("Yes") : t("No");
  if (question.type === "cards") {
    return questionnaire.cardOptions(question).filter((option) => value.includes(option.value))
      .map((option) => inLanguage(option.label)).join(", ");
  }
  if (question.type === "multiple") {
    const labels = await Promise.all(value.map((code) => records.codeLabel(session, question.code_list, code)));
    return labels.join(", ");
  }
  if (["single", "scale"].includes(question.type)) return records.codeLabel(session, question.code_list, value);
  if (question.type === "date") return formatDate(value, currentLanguage());
  return String(value);
}
