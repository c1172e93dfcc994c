// Reading the worker's cases from the encrypted store, and saving a change: checked against the
// server's limits first, then into the outbox and the tablet's copy at once (sync.queueChange),
// then telling the app so a sync follows.
import * as store from "./store.js";
import * as sync from "./sync.js";
import { currentLanguage, inLanguage, t } from "./i18n.js";
import { notifyChanged } from "./frame.js";
import * as limits from "./limits.js";
import { FIRST_ROWS } from "./longlist.js";

// A change that breaks a limit the server set: nothing was queued. errors: {field: [message]}.
export class NotSaved extends Error {
  name = "NotSaved";
  constructor(errors) { super("not saved"); this.errors = errors; }

  // One message a field, as the screens show them beside each field.
  get byField() {
    return Object.fromEntries(Object.entries(this.errors).map(([field, messages]) => [field, messages.join(" ")]));
  }
}

// Children in the order lists show them: by family name, then first name, as the reader's
// language sorts them (Welsh puts "ll" after "l", as a letter of its own).
let collation = null;
export function byName(a, b) {
  const language = currentLanguage();
  if (collation?.language !== language) collation = { language, collator: new Intl.Collator(language) };
  return collation.collator.compare(`${a.family_name} ${a.given_name}`, `${b.family_name} ${b.given_name}`);
}

// What the list of children shows of each record: kept in the store's summary, so that the
// list is drawn after unlocking without decrypting every record (the children kept in order).
store.summarise({
  children: ["id", "given_name", "family_name", "_pending", "_refused"],
  episodes: ["id", "child_id", "reported_missing_at", "returned_at"],
  interviews: ["id", "episode_id", "status", "conducted_at", "consent"],
  // (found by its interview's page without decrypting them all)
  self_reports: ["id", "interview_id"],
  advocacy_offers: ["id", "interview_id"],
  referrals: ["id", "interview_id", "kind", "status"],
  intelligence_items: ["id", "interview_id"],
}, { orders: { children: byName }, head: listHead });

// The first screenful of the list of children, kept as the summary's head: the first children
// in order, their episodes and those episodes' interviews, how many children there are in all,
// and the language they were put in order in.
function listHead(items) {
  const children = Object.values(items.children ?? {}).slice(0, FIRST_ROWS);
  const childIds = new Set(children.map((child) => child.id));
  const episodes = Object.values(items.episodes ?? {}).filter((episode) => childIds.has(episode.child_id));
  const episodeIds = new Set(episodes.map((episode) => episode.id));
  const interviews = Object.values(items.interviews ?? {})
    .filter((interview) => episodeIds.has(interview.episode_id));
  return { language: currentLanguage(), total: Object.keys(items.children ?? {}).length,
           children, episodes, interviews };
}

// The head, when the whole summary is not in memory yet (null otherwise).
export function summaryHead(session) {
  return store.summaryHead(session.key, session.user);
}

export async function summaries(session, collections) {
  const lists = await Promise.all(
    collections.map((collection) => store.listSummaries(session.key, session.user, collection)));
  return Object.fromEntries(collections.map((collection, index) => [collection, lists[index]]));
}

// The worker's records of these collections (all four when none is named), by collection: a
// screen reads only what it shows.
export async function all(session, collections = sync.RECORD_COLLECTIONS) {
  const lists = await Promise.all(
    collections.map((collection) => store.listRecords(session.key, session.user, collection)));
  return Object.fromEntries(collections.map((collection, index) => [collection, lists[index]]));
}

export function one(session, collection, id) {
  return store.getRecord(session.key, session.user, collection, id);
}

// Queues the change, or throws NotSaved with what is wrong with it.
export async function save(session, collection, id, fields) {
  const errors = await limitProblems(session, collection, id, fields);
  if (Object.keys(errors).length) throw new NotSaved(errors);
  const saved = await sync.queueChange(session, collection, id, fields);
  notifyChanged();
  return saved;
}

// Saves the change; gives null when it is queued, or, when it breaks a limit, what is wrong with
// it as the screens show it ({field: message}), with nothing queued.
export async function saveOrErrors(session, collection, id, fields) {
  try {
    await save(session, collection, id, fields);
    return null;
  } catch (refusal) {
    if (refusal instanceof NotSaved) return refusal.byField;
    throw refusal;
  }
}

// What is wrong with a change by the limits the tablet holds (none before its first sync: the
// server judges it then). A change to a record whose change was refused is sent with what was
// refused (sync.queueChange), so the two are checked together.
async function limitProblems(session, collection, id, fields) {
  const all = await sync.reference(session, "limits");
  const own = all.find((item) => item.collection === collection);
  if (!own) return {};
  const current = await one(session, collection, id);
  const change = { ...await sync.refusedFields(session, collection, id), ...fields };
  return limits.problems(own, current, change, {
    ancestors: await ancestorsOf(session, all, own, { ...(current || {}), ...change }),
    codeLists: await sync.reference(session, "code_lists"),
    reference: await namedParts(session, own) });
}

// The reference parts the collection's fields name an item of (areas), by name.
async function namedParts(session, own) {
  const parts = new Set(Object.values(own.fields).map((field) => field.chosen_from?.part).filter(Boolean));
  return Object.fromEntries(await Promise.all(
    [...parts].map(async (part) => [part, await sync.reference(session, part)])));
}

// The record's parent, its parent's parent... as the tablet holds them, by collection (a time
// may have to come after one of theirs).
async function ancestorsOf(session, all, own, record) {
  const found = {};
  for (let link = own.parent, held = record; link && held?.[link.field];
    link = all.find((item) => item.collection === link.collection)?.parent) {
    held = await one(session, link.collection, held[link.field]);
    if (held) found[link.collection] = held;
  }
  return found;
}

// A code list's active items as [code, label] in the reader's language (or the one asked for),
// in their set order.
export async function options(session, listName, language) {
  const items = await sync.reference(session, "code_lists");
  return items.filter((item) => item.list_name === listName && item.active)
    .sort((a, b) => a.position - b.position)
    .map((item) => [item.code, inLanguage(item.label, language)]);
}

// The areas of a kind (local_authority, police_force) as [[group label, [[code, name, lang]]]]:
// Wales's first, then those outside Wales, each by name in the reader's language.
export async function areaGroups(session, kind) {
  const areas = (await sync.reference(session, "areas")).filter((area) => area.kind === kind)
    .map((area) => [area.code, ...areaNaming(area), area.country === "wales"])
    .sort((a, b) => a[1].localeCompare(b[1]));
  return [[t("Wales"), areas.filter((area) => area[3])], [t("Outside Wales"), areas.filter((area) => !area[3])]]
    .filter(([, options]) => options.length);
}

// An area's name in the reader's language, and the language it is in: an English area known
// by its English name alone is marked so (read aloud as English on a Welsh screen).
function areaNaming(area) {
  const name = inLanguage(area.name);
  return [name, area.country !== "wales" && name === area.name.en ? "en" : undefined];
}

export async function areaName(session, code) {
  const area = (await sync.reference(session, "areas")).find((item) => item.code === code);
  return area ? areaNaming(area) : [code];
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
