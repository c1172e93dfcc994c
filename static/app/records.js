// Reading the worker's cases from the encrypted store, and saving a change: into the outbox and
// the tablet's copy at once (sync.queueChange), then telling the app so a sync follows.
import * as store from "./store.js";
import * as sync from "./sync.js";
import { inLanguage } from "./i18n.js";
import { notifyChanged } from "./frame.js";

export async function all(session) {
  const [children, episodes, interviews, attempts] = await Promise.all(
    sync.RECORD_COLLECTIONS.map((collection) => store.listRecords(session.key, session.user, collection)));
  return { children, episodes, interviews, attempts };
}

export function one(session, collection, id) {
  return store.getRecord(session.key, session.user, collection, id);
}

export async function save(session, collection, id, fields) {
  const saved = await sync.queueChange(session, collection, id, fields);
  notifyChanged();
  return saved;
}

// A code list's active items as [code, label] in the reader's language, in their set order.
export async function options(session, listName) {
  const items = await sync.reference(session, "code_lists");
  return items.filter((item) => item.list_name === listName && item.active)
    .sort((a, b) => a.position - b.position)
    .map((item) => [item.code, inLanguage(item.label)]);
}

export async function codeLabel(session, listName, code) {
  return (await options(session, listName)).find(([value]) => value === code)?.[1] ?? code;
}

// The questionnaire an interview follows: its own version, or the newest the tablet holds.
export async function questionnaireFor(session, interview) {
  const versions = await sync.reference(session, "questionnaires");
  const own = versions.find((version) => version.id === interview?.questionnaire_version_id);
  if (own) return own;
  return versions.filter((version) => version.key === "return-interview")
    .sort((a, b) => b.version - a.version)[0] || null;
}

export const fullName = (child) => `${child.given_name} ${child.family_name}`;
