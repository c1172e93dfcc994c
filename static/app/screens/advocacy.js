// The Active Offer of independent advocacy, recorded on the tablet: whether it was made, when and
// by whom, and what the young person said. For a looked-after child the interview cannot be
// submitted until it is recorded (the server's rule, refused with its words like any other).
import { currentLanguage, t } from "../i18n.js";
import { choiceField, chosenValue, element, inputField, problemsOf, textareaField } from "../dom.js";
import { backLink, go, render } from "../frame.js";
import { formatDateTime, londonInputValue } from "../format.js";
import * as records from "../records.js";
import { newId } from "../ids.js";
import { nowInput, readTime } from "./times.js";

const hub = (interviewId) => `#/interviews/${interviewId}`;

// The interview's Active Offer, found through the store's summary.
export async function activeOfferOf(session, interviewId) {
  const { advocacy_offers: held } = await records.summaries(session, ["advocacy_offers"]);
  const found = held.find((summary) => summary.interview_id === interviewId);
  return found ? records.one(session, "advocacy_offers", found.id) : null;
}

function responses() {
  return [["accepted", t("They would like an advocate")], ["declined", t("They said no")],
          ["pending", t("They have not decided yet")]];
}

function readOffer(form, problems) {
  const [offered] = chosenValue(form, "offered");
  const [response] = chosenValue(form, "response");
  const [offeredBy] = chosenValue(form, "offered_by");
  if (!offered) problems.offered = t("Say whether you made the Active Offer");
  const made = offered === "true";
  return {
    offered: offered === undefined ? null : made,
    offered_at: made ? readTime(form, "offered_at", problems, t("Enter when you made the offer")) : null,
    offered_by: made ? offeredBy ?? null : null,
    response: made ? response ?? "pending" : "pending",
    responded_at: made && response && response !== "pending" ? readTime(form, "responded_at", problems,
      t("Enter when they answered")) : null,
    provider: form.elements.provider.value.trim() || null,
    notes: form.elements.notes.value.trim() || null,
  };
}

export async function showActiveOffer(session, interviewId, errors = {}) {
  const interview = await records.one(session, "interviews", interviewId);
  if (!interview) return go("#/");
  const offer = await activeOfferOf(session, interviewId);
  const chosen = (value) => (value === null || value === undefined ? [] : String(value));
  const form = element("form", { noValidate: true },
    choiceField("offered", t("Have you made the Active Offer of independent advocacy?"),
      [["true", t("Yes")], ["false", t("Not yet")]], errors.offered,
      { chosen: chosen(offer?.offered), legendIsHeading: true,
        hint: t("An advocate is independent and on the young person's side. Children in care, and those on the child protection register, must be offered one.") }),
    inputField("offered_at", t("When did you make the offer?"), errors.offered_at, "datetime-local",
      { value: londonInputValue(offer?.offered_at) || nowInput() }),
    choiceField("offered_by", t("Who made the offer?"), await records.options(session, "advocacy_offered_by"),
      errors.offered_by, { chosen: chosen(offer?.offered_by) }),
    choiceField("response", t("What did the young person say?"), responses(), errors.response,
      { chosen: chosen(offer?.response) }),
    inputField("responded_at", t("When did they answer?"), errors.responded_at, "datetime-local",
      { value: londonInputValue(offer?.responded_at) || nowInput() }),
    inputField("provider", t("Advocacy provider (optional)"), errors.provider, "text", { value: offer?.provider }),
    textareaField("notes", t("Notes (optional)"), errors.notes, { value: offer?.notes }),
    element("button", { type: "submit", textContent: t("Save") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const problems = {};
    const fields = readOffer(form, problems);
    if (Object.keys(problems).length) return showActiveOffer(session, interviewId, problems);
    const refused = await records.saveOrErrors(session, "advocacy_offers", offer?.id ?? newId(),
      { ...fields, interview_id: interviewId });
    if (refused) return showActiveOffer(session, interviewId, refused);
    go(hub(interviewId));
  });
  render(backLink(hub(interviewId)), problemsOf(errors), form);
}

// What the interview's page says of the Active Offer.
export async function activeOfferPart(session, interview, child, editable) {
  const offer = await activeOfferOf(session, interview.id);
  const when = (iso) => formatDateTime(iso, currentLanguage());
  let said;
  if (!offer?.offered) said = child?.looked_after ? t("Not recorded yet: this child is looked after, so it must be recorded before you submit.") : t("Not recorded yet.");
  else if (offer.response === "accepted") said = t("Offered %(when)s. They would like an advocate.", { when: when(offer.offered_at) });
  else if (offer.response === "declined") said = t("Offered %(when)s. They said no.", { when: when(offer.offered_at) });
  else said = t("Offered %(when)s. They have not decided yet.", { when: when(offer.offered_at) });
  return [element("h2", { textContent: t("The Active Offer of advocacy") }),
    element("p", { className: !offer?.offered && child?.looked_after ? "notice" : "", textContent: said }),
    editable ? element("a", { className: "action secondary", href: `${hub(interview.id)}/active-offer`,
                              textContent: offer ? t("Change the Active Offer") : t("Record the Active Offer") }) : null];
}
