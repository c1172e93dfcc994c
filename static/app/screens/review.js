// The supervisor's decision on an interview, as the tablet pulled it (review_decisions, a
// collection the tablet only reads): while the interview is back with the worker, what they
// were asked to change, by whom and when, above the rest of the interview's page.
import { currentLanguage, t } from "../i18n.js";
import { element } from "../dom.js";
import { formatDateTime } from "../format.js";
import * as records from "../records.js";

// The interview's decisions, the latest last (a decision is never changed once made).
async function decisionsOf(session, interview) {
  const { review_decisions: all } = await records.all(session, ["review_decisions"]);
  return all.filter((decision) => decision.interview_id === interview.id)
    .sort((a, b) => a.decided_at.localeCompare(b.decided_at) || a.id.localeCompare(b.id));
}

function heading(decision) {
  return decision.decision === "reopen"
    ? t("An administrator reopened this interview")
    : t("Your supervisor returned this interview");
}

export async function reviewPart(session, interview) {
  if (interview.status !== "returned") return [];
  const latest = (await decisionsOf(session, interview)).at(-1);
  if (!latest || latest.decision === "approve") return [];
  return [element("section", { className: "notice review-comments" },
    element("h2", { textContent: heading(latest) }),
    element("p", { className: "comment", textContent: latest.comment || "" }),
    element("p", { className: "by",
      textContent: `${latest.reviewer_name}, ${formatDateTime(latest.decided_at, currentLanguage())}` }),
    element("p", { textContent: t("Make the changes, then check your answers and submit the interview again.") }))];
}
