// What follows an interview, on the tablet and offline: what the record suggests (the rules of
// app/referrals/data/suggestion_rules.json, run by suggesting.js as the server runs them), each
// with its reason, and the referrals the worker records: offered, made (when, to whom, how),
// accepted or declined, their outcome; or a suggestion set aside, with the reason why.
import { currentLanguage, inLanguage, t } from "../i18n.js";
import { choiceField, chosenValue, element, inputField, problemsOf, textareaField } from "../dom.js";
import { backLink, go, render } from "../frame.js";
import { formatDateTime, londonInputValue } from "../format.js";
import * as records from "../records.js";
import * as sync from "../sync.js";
import { newId } from "../ids.js";
import { factsFor, suggestions } from "../suggesting.js";
import { reportOf } from "./handover.js";
import { nowInput, readTime } from "./times.js";

const hub = (interviewId) => `#/interviews/${interviewId}`;

async function definition(session) {
  return (await sync.reference(session, "suggestion_rules"))[0] ?? null;
}

export async function kindName(session, kind) {
  return inLanguage((await definition(session))?.kinds?.[kind]) || kind;
}

async function referralsOf(session, interviewId) {
  const { referrals: held } = await records.summaries(session, ["referrals"]);
  return held.filter((referral) => referral.interview_id === interviewId);
}

// What the record suggests for this interview, from what the tablet holds.
async function suggestedFor(session, interview, episode, child) {
  const rules = await definition(session);
  if (!rules) return [];
  const { episodes } = await records.summaries(session, ["episodes"]);
  const facts = factsFor({ child, episode, interview, selfReport: await reportOf(session, interview.id),
                           episodes: episodes.filter((other) => other.child_id === child.id) });
  return suggestions(rules, facts);
}

function statusText(referral) {
  return { suggested: t("Not acted on yet"), offered: t("Offered"), made: t("Made"),
           accepted: t("Accepted"), declined: t("Declined"), dismissed: t("Not needed") }[referral.status] ?? referral.status;
}

// The part of the interview's page about what follows.
export async function followUpPart(session, interview, episode, child, editable) {
  const found = await suggestedFor(session, interview, episode, child);
  const recorded = await referralsOf(session, interview.id);
  const language = currentLanguage();
  const items = [];
  for (const suggestion of found) {
    // The Active Offer has its own record and its own part of the page.
    if (suggestion.kind === "advocacy_active_offer") continue;
    const referral = recorded.find((held) => held.kind === suggestion.kind);
    const href = referral ? `#/referrals/${referral.id}/edit`
      : `${hub(interview.id)}/referrals/new/${suggestion.kind}`;
    items.push(element("li", { className: "suggestion" },
      element("strong", { textContent: await kindName(session, suggestion.kind) }),
      element("p", { textContent: suggestion.reason[language] ?? suggestion.reason.en }),
      referral ? element("p", { className: "badge", textContent: statusText(referral) }) : null,
      editable ? element("a", { href, className: "action secondary",
                                textContent: referral ? t("Update") : t("Record what you did") }) : null));
  }
  for (const referral of recorded.filter((held) => !found.some((s) => s.kind === held.kind))) {
    items.push(element("li", {}, element("strong", { textContent: await kindName(session, referral.kind) }),
      element("p", { className: "badge", textContent: statusText(referral) }),
      editable ? element("a", { href: `#/referrals/${referral.id}/edit`, className: "action secondary",
                                textContent: t("Update") }) : null));
  }
  return [element("h2", { textContent: t("What follows") }),
    items.length ? element("ul", { className: "episodes" }, ...items)
      : element("p", { textContent: t("Nothing is suggested from what is recorded so far.") }),
    editable ? element("a", { className: "action secondary", href: `${hub(interview.id)}/referrals/new/other`,
                              textContent: t("Record another referral") }) : null];
}

export async function showNewReferral(session, interviewId, kind) {
  return referralForm(session, interviewId, { kind, status: "suggested" }, {});
}

export async function showEditReferral(session, referralId) {
  const referral = await records.one(session, "referrals", referralId);
  if (!referral) return go("#/");
  return referralForm(session, referral.interview_id, referral, {});
}

function statuses() {
  return [["offered", t("Offered to the young person")], ["made", t("Made")],
          ["accepted", t("Accepted")], ["declined", t("Declined")], ["dismissed", t("Not needed")]];
}

// What the form says of the referral; times are read only where the status needs them.
function readReferral(form, problems) {
  const [status] = chosenValue(form, "status");
  const [how] = chosenValue(form, "made_how");
  if (!status) problems.status = t("Choose what happened");
  const madeOrAfter = ["made", "accepted", "declined"].includes(status);
  const text = (name) => form.elements[name].value.trim() || null;
  return {
    status: status ?? "suggested",
    made_at: madeOrAfter ? readTime(form, "made_at", problems, t("Enter when it was made")) : null,
    made_to: madeOrAfter ? text("made_to") : null,
    made_how: madeOrAfter ? how ?? null : null,
    responded_at: ["accepted", "declined"].includes(status)
      ? readTime(form, "responded_at", problems, t("Enter when they answered")) : null,
    outcome: text("outcome"),
    dismissed_reason: status === "dismissed" ? text("dismissed_reason") : null,
  };
}

async function referralForm(session, interviewId, referral, errors) {
  const interview = await records.one(session, "interviews", interviewId);
  if (!interview) return go("#/");
  const chosen = (value) => (value ? [value] : []);
  const when = (iso) => londonInputValue(iso) || nowInput();
  const form = element("form", { noValidate: true },
    choiceField("status", t("What happened?"), statuses(), errors.status, { chosen: chosen(referral.status) }),
    inputField("made_at", t("When was it made?"), errors.made_at, "datetime-local", { value: when(referral.made_at) }),
    inputField("made_to", t("Made to whom?"), errors.made_to, "text", { value: referral.made_to }),
    choiceField("made_how", t("How?"), await records.options(session, "referral_method"), errors.made_how,
                { chosen: chosen(referral.made_how) }),
    inputField("responded_at", t("When did they answer?"), errors.responded_at, "datetime-local",
               { value: when(referral.responded_at) }),
    textareaField("outcome", t("Outcome (optional)"), errors.outcome, { value: referral.outcome }),
    textareaField("dismissed_reason", t("If it is not needed, why not?"), errors.dismissed_reason,
                  { value: referral.dismissed_reason }),
    element("button", { type: "submit", textContent: t("Save") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const problems = {};
    const fields = readReferral(form, problems);
    if (Object.keys(problems).length) return referralForm(session, interviewId, { ...referral, ...fields }, problems);
    // Suggested and offered no later than it was made: times in order, as the server keeps them.
    const now = new Date().toISOString();
    const first = (...times) => times.filter(Boolean).sort()[0];
    const start = first(fields.made_at, fields.responded_at, now);
    const stamps = { suggested_at: first(referral.suggested_at, start),
                     offered_at: fields.status === "dismissed" ? referral.offered_at ?? null : first(referral.offered_at, start),
                     outcome_at: fields.outcome ? referral.outcome_at ?? now : null };
    const refused = await records.saveOrErrors(session, "referrals", referral.id ?? newId(),
      { ...fields, ...stamps, interview_id: interviewId, kind: referral.kind });
    if (refused) return referralForm(session, interviewId, { ...referral, ...fields }, refused);
    go(hub(interviewId));
  });
  const rules = await definition(session);
  render(backLink(hub(interviewId)),
    element("h1", { textContent: inLanguage(rules?.kinds?.[referral.kind]) || referral.kind }),
    referral.made_at ? element("p", { textContent: t("Made %(when)s", { when: formatDateTime(referral.made_at, currentLanguage()) }) }) : null,
    problemsOf(errors), form);
}
