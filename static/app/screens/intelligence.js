// Information for the police, on the tablet: the people, places, vehicles, phone numbers and
// social media accounts the young person linked to the episode, each in its own record (never in
// the notes), with how the young person feels about it being shared. Once a supervisor signs the
// interview off it becomes a partner intelligence submission (a server page).
import { inLanguage, t } from "../i18n.js";
import { choiceField, chosenValue, element, inputField, problemsOf, textareaField } from "../dom.js";
import { backLink, go, render } from "../frame.js";
import * as records from "../records.js";
import { newId } from "../ids.js";

const EDITABLE = new Set(["draft", "returned"]);
const hub = (interviewId) => `#/interviews/${interviewId}`;
const listOf = (interviewId) => `${hub(interviewId)}/intelligence`;

// The fields each kind asks for, in order: [field, label, input type].
function fieldsOf(kind) {
  const text = (field, label) => [field, label, "text"];
  return {
    person: [text("name", t("Name")), text("nickname", t("Nickname or street name")),
             ["description", t("What they look like, or anything else that would help find them"), "textarea"]],
    place: [text("address_or_place", t("Address or place")), ["description", t("What happens there"), "textarea"]],
    vehicle: [text("vehicle_registration", t("Registration number")),
              text("vehicle_description", t("Make, model and colour"))],
    phone_number: [["phone_number", t("Phone number"), "tel"], text("name", t("Whose number, if known"))],
    social_media: [text("platform", t("App or website")), text("handle", t("Account name"))],
  }[kind] ?? [];
}

async function itemsOf(session, interviewId) {
  const { intelligence_items: held } = await records.summaries(session, ["intelligence_items"]);
  return Promise.all(held.filter((item) => item.interview_id === interviewId)
    .map((item) => records.one(session, "intelligence_items", item.id)));
}

function itemSummary(item) {
  return [item.name, item.nickname, item.address_or_place, item.vehicle_registration, item.vehicle_description,
          item.phone_number, item.platform && item.handle ? `${item.platform}: ${item.handle}` : null,
          item.description].filter(Boolean).join(" · ");
}

export async function showIntelligence(session, interviewId) {
  const interview = await records.one(session, "interviews", interviewId);
  if (!interview) return go("#/");
  const editable = EDITABLE.has(interview.status || "draft");
  const kinds = await records.options(session, "intelligence_kind");
  const label = (code) => kinds.find(([value]) => value === code)?.[1] ?? code;
  const items = await itemsOf(session, interviewId);
  render(backLink(hub(interviewId)),
    element("h1", { textContent: t("Information for the police") }),
    element("p", { textContent: t("People, places, vehicles, phone numbers and accounts the young person told you about. Keep them here, not in the notes. When a supervisor signs the interview off, this is shared with the police as partner intelligence.") }),
    items.length ? element("ul", { className: "episodes" }, ...items.map((item) => element("li", {},
      element("strong", { textContent: label(item.kind) }), element("p", { textContent: itemSummary(item) }),
      editable ? element("a", { href: `#/intelligence/${item.id}/edit`, textContent: t("Change") }) : null)))
      : element("p", { textContent: t("Nothing recorded yet.") }),
    editable ? element("h2", { textContent: t("Add to it") }) : null,
    editable ? element("div", { className: "actions" }, ...kinds.map(([code, name]) => element("a", {
      className: "action secondary", href: `${listOf(interviewId)}/new/${code}`, textContent: name }))) : null);
}

export async function showAddItem(session, interviewId, kind) {
  return itemForm(session, interviewId, { kind }, {});
}

export async function showEditItem(session, itemId) {
  const item = await records.one(session, "intelligence_items", itemId);
  if (!item) return go("#/");
  return itemForm(session, item.interview_id, item, {});
}

async function itemForm(session, interviewId, item, errors) {
  const interview = await records.one(session, "interviews", interviewId);
  if (!interview || !EDITABLE.has(interview.status || "draft")) return go(interview ? listOf(interviewId) : "#/");
  const kinds = await records.options(session, "intelligence_kind");
  const kindName = kinds.find(([value]) => value === item.kind)?.[1] ?? item.kind;
  const asked = fieldsOf(item.kind);
  const form = element("form", { noValidate: true },
    ...asked.map(([field, label, type]) => (type === "textarea"
      ? textareaField(field, label, errors[field], { value: item[field] })
      : inputField(field, label, errors[field], type, { value: item[field] }))),
    inputField("relationship", t("How does the young person know them? (optional)"), errors.relationship, "text",
               { value: item.relationship }),
    choiceField("sharing_view", t("How does the young person feel about this being shared with the police?"),
                await records.options(session, "sharing_view"), errors.sharing_view,
                { chosen: item.sharing_view ? [item.sharing_view] : [] }),
    element("button", { type: "submit", textContent: t("Save") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = Object.fromEntries(asked.map(([field]) => [field, form.elements[field].value.trim() || null]));
    const [sharingView] = chosenValue(form, "sharing_view");
    const values = { ...fields, kind: item.kind, interview_id: interviewId,
                     relationship: form.elements.relationship.value.trim() || null,
                     sharing_view: sharingView ?? "not_asked" };
    const refused = await records.saveOrErrors(session, "intelligence_items", item.id ?? newId(), values);
    if (refused) return itemForm(session, interviewId, { ...item, ...values }, refused);
    go(listOf(interviewId));
  });
  render(backLink(listOf(interviewId)), element("h1", { textContent: inLanguage(kindName) }),
    problemsOf(errors), form);
}
