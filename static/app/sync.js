// The only module that talks to /api/v1/sync and the device token endpoint. It keeps the outbox
// (changes made on the tablet, encrypted, each with a per-device increasing mutation id), sends
// it oldest first, pulls what changed for this worker in revision order following cursors,
// fetches reference data when its version changes, and obeys the server: a full resync starts
// again from nothing, a wipe erases this worker's data, and a tablet signed out everywhere keeps
// everything and waits for its worker to sign in again.
import * as store from "./store.js";
import { seal } from "./sealing.js";

export class DeviceWiped extends Error { name = "DeviceWiped"; }
export class Offline extends Error { name = "Offline"; }
// Its person signed out everywhere: nothing is erased, but nothing syncs until they sign in again.
export class SignedOut extends Error { name = "SignedOut"; }
// The server said no, with its reasons (already in the worker's language).
export class Refused extends Error {
  name = "Refused";
  constructor(reasons) { super("refused"); this.reasons = reasons; }
}

const META = "meta";
const OUTBOX = "outbox";
const ATTENTION = "attention";
const REFERENCE = "reference";
export const RECORD_COLLECTIONS = ["children", "episodes", "interviews", "attempts", "self_reports",
                                   "advocacy_offers", "referrals", "intelligence_items",
                                   "review_decisions"];
// The mark of a tablet signed out everywhere, kept (encrypted) until its tokens are renewed.
const SIGNED_OUT = "signed-out";
const BATCH = 100;
// A first sync's first page is small, so the list shows soon; later pages are larger, as each
// costs the server a walk of the worker's cases for each collection, however few it holds.
const PAGE = 500;
const LATER_PAGE = 1500;

async function tokens(session) {
  return store.getRecord(session.key, session.user, "device", "tokens");
}

async function refresh(session, current) {
  let response;
  try {
    response = await fetch("/api/v1/devices/token", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ device_id: current.device_id, refresh_token: current.refresh_token }) });
  } catch {
    throw new Offline();
  }
  if (response.status === 401) {
    const problem = await response.json();
    if (problem.wipe) throw new DeviceWiped();
    if (problem.sign_in) {
      await store.putRecord(session.key, session.user, META, SIGNED_OUT, { at: new Date().toISOString() });
      throw new SignedOut();
    }
  }
  if (!response.ok) throw new Offline();
  const renewed = await response.json();
  await store.putRecord(session.key, session.user, "device", "tokens", renewed);
  return renewed;
}

export async function isSignedOut(session) {
  return Boolean(await store.getRecord(session.key, session.user, META, SIGNED_OUT));
}

// Once the worker has signed in again on the web, the session cookie renews the tablet's tokens
// (as enrolment gave them) and the mark goes. What came of it: "renewed"; "another" (the person
// signed in is not this tablet's worker); "revoked"; "signed-out" (no one signed in, or no
// signal: the mark stays and the next start tries again).
export async function renew(session) {
  const { device_id: device } = await tokens(session);
  try {
    const response = await fetch(`/api/v1/devices/${device}/renew`, {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: "{}" });
    if (response.status === 404) return "another";
    if (response.status === 409) return "revoked";
    if (!response.ok) return "signed-out";
    const renewed = await response.json();
    await store.putRecord(session.key, session.user, "device", "tokens", renewed);
  } catch {
    return "signed-out";
  }
  await store.deleteRecord(session.user, META, SIGNED_OUT);
  return "renewed";
}

// What the tablet says of itself on every call (sync/PROTOCOL.md, "What a device reports"): how
// many changes its outbox holds unsent, and the app shell's version, so that a supervisor sees
// a tablet holding unsent work that has stopped syncing.
async function report(session) {
  const unsent = await store.countRecords(session.user, OUTBOX);
  const version = globalThis.document?.querySelector('meta[name="adref-version"]')?.content;
  return { "Adref-Unsent": String(unsent), ...(version ? { "Adref-App-Version": version } : {}) };
}

async function authorised(session, url, options = {}) {
  let current = await tokens(session);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let response;
    const said = await report(session);
    try {
      response = await fetch(url, { ...options, headers: {
        ...(options.headers || {}), ...said, Authorization: `Bearer ${current.access_token}` } });
    } catch {
      throw new Offline();
    }
    if (response.status !== 401) return response;
    const problem = await response.json();
    if (problem.wipe) throw new DeviceWiped();
    current = await refresh(session, current);
  }
  throw new Offline();
}

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    throw new Offline(); // a response cut off mid-way: nothing was read, so try again later
  }
}

// --- the outbox ---------------------------------------------------------------------------
const outboxKey = (mutationId) => String(mutationId).padStart(12, "0");
// Mutations on their way to the server: never changed or merged into while they travel.
const travelling = new Set();
// Work given to one of these runs after the work given to it before has finished.
function takingTurns() {
  let last = Promise.resolve();
  return (work) => {
    const turn = last.then(work);
    last = turn.catch(() => {});
    return turn;
  };
}
// Choosing what to send and adding to the outbox take turns, so a change can never join an
// entry in the moment it starts travelling.
const exclusive = takingTurns();
// Dismissing a refusal and wording it again take turns, so a dismissed one never comes back.
const attentionTurn = takingTurns();

async function nextMutationId(session) {
  const counter = await store.getRecord(session.key, session.user, META, "mutation-counter");
  const next = (counter?.value ?? 0) + 1;
  await store.putRecord(session.key, session.user, META, "mutation-counter", { value: next });
  return next;
}

export async function pending(session) {
  const queued = await store.listRecords(session.key, session.user, OUTBOX);
  return queued.sort((a, b) => a.mutation_id - b.mutation_id);
}

// Records the change in the outbox and on the tablet's copy at once, so it is shown straight
// away and survives a reload or a crash before it is sent. Typing saves often: a change to a
// record whose newest outbox entry has not started travelling joins that entry, so the outbox
// holds one mutation per record and pause, not one per keystroke.
export function queueChange(session, collection, id, fields) {
  return exclusive(() => addToOutbox(session, collection, id, fields));
}

async function addToOutbox(session, collection, id, given) {
  const current = await store.getRecord(session.key, session.user, collection, id);
  const last = (await pending(session)).at(-1);
  // A change to a record whose change was refused puts that one right: it is sent again with
  // this change laid over it, and is no longer waiting for the worker.
  const refused = await refusalsOf(session, collection, id);
  const fields = Object.assign({}, ...refused.map((r) => r.mutation.fields), given);
  await attentionTurn(async () => {
    for (const r of refused) await store.deleteRecord(session.user, ATTENTION, String(r.mutation_id));
  });
  let mutation;
  if (last && last.collection === collection && last.id === id && !travelling.has(last.mutation_id)) {
    mutation = { ...last, fields: { ...last.fields, ...fields }, device_time: new Date().toISOString() };
  } else {
    mutation = {
      mutation_id: await nextMutationId(session), collection, id, op: "upsert",
      base_rev: current?.rev ?? null, fields, device_time: new Date().toISOString() };
  }
  await store.putRecord(session.key, session.user, OUTBOX, outboxKey(mutation.mutation_id), mutation);
  await sealCopy(session, mutation);
  const updated = { ...(current || { id }), ...fields, _pending: true, _refused: false };
  await store.putRecord(session.key, session.user, collection, id, updated);
  return updated;
}

// The refused changes to one record the tablet holds, oldest first.
async function refusalsOf(session, collection, id) {
  return (await needingAttention(session)).refused
    .filter((r) => r.mutation?.collection === collection && r.mutation.id === id);
}

// What the refused changes to a record set, the newest last: sent again with its next change.
export async function refusedFields(session, collection, id) {
  return Object.assign({}, ...(await refusalsOf(session, collection, id)).map((r) => r.mutation.fields));
}

// The record's marks as the outbox and the refusals say: waiting to be sent while a change of
// it is in the outbox, refused while a refused change of it waits for the worker. So the status
// bar's count and each record's badge agree.
async function markRecord(session, collection, id) {
  const record = await store.getRecord(session.key, session.user, collection, id);
  if (!record) return;
  const waiting = (await pending(session)).some((m) => m.collection === collection && m.id === id);
  const refused = (await refusalsOf(session, collection, id)).length > 0;
  if (record._pending !== waiting || Boolean(record._refused) !== refused) {
    await store.putRecord(session.key, session.user, collection, id,
                          { ...record, _pending: waiting, _refused: refused });
  }
}

// A copy of the change that only the server can open, kept apart so that a wipe leaves it
// (none before the first reference data brings the server's key: the outbox alone holds it).
export async function sealCopy(session, mutation) {
  const [server] = await reference(session, "sealing");
  const { device_id: device, upload_secret: secret } = await tokens(session);
  if (server) await store.putSealed({ user: session.user, device, secret,
    mutation_id: mutation.mutation_id, sealed: await seal(server, device, mutation) });
  return server;
}

// Hands in the sealed copies a wipe left (at the next contact; sync/PROTOCOL.md), even of a
// revoked tablet: they wait on the server for a supervisor. Those taken are deleted here. One
// hand-in at a time: one asked for meanwhile shares it.
let handingIn = null;
export const handInSealed = () => (handingIn ??= handIn().finally(() => { handingIn = null; }));

async function handIn() {
  const left = await store.sealedOf(null);
  for (const device of new Set(left.map((copy) => copy.device))) {
    const mine = left.filter((copy) => copy.device === device).slice(0, BATCH);
    const body = { secret: mine[0].secret,
                   items: mine.map(({ mutation_id, sealed }) => ({ mutation_id, sealed })) };
    try {
      const response = await fetch(`/api/v1/sync/devices/${device}/sealed`, { method: "POST",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      const taken = response.ok ? (await response.json()).taken : [];
      for (const id of taken) await store.dropSealed(device, id);
    } catch {
      return; // no network: the next contact tries again
    }
  }
}

// Sends the outbox oldest first. Every answered mutation leaves the outbox; a rejected or
// conflicting one is kept among the records that need attention. Nothing leaves before the
// server has answered, so a dropped connection only means the batch is sent again, and the
// server answers "duplicate" for whatever it already has.
export async function pushAll(session, onProgress = () => {}) {
  const current = await tokens(session);
  const total = (await pending(session)).length;
  let sent = 0;
  for (;;) {
    const batch = await exclusive(async () => {
      const chosen = (await pending(session)).slice(0, BATCH);
      chosen.forEach((m) => travelling.add(m.mutation_id));
      return chosen;
    });
    if (!batch.length) return;
    try {
      onProgress({ stage: "sending", done: sent, total: Math.max(total, sent + batch.length) });
      const response = await authorised(session, "/api/v1/sync/push", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ protocol: 1, device_id: current.device_id, mutations: batch }) });
      if (!response.ok) throw new Offline();
      const answer = await readJson(response);
      for (const result of answer.results) await settle(session, batch, result, current.device_id);
      sent += batch.length;
    } finally {
      batch.forEach((m) => travelling.delete(m.mutation_id));
    }
  }
}

async function settle(session, batch, result, device) {
  const sent = batch.find((m) => m.mutation_id === result.mutation_id);
  const seen = result.status === "duplicate" && result.original ? result.original : result;
  // Conflicts are the server's to list (they stay open until someone resolves them).
  if (seen.status === "rejected") {
    await store.putRecord(session.key, session.user, ATTENTION, String(result.mutation_id),
                          { ...seen, mutation: sent });
  }
  await store.deleteRecord(session.user, OUTBOX, outboxKey(result.mutation_id));
  if (sent) await markRecord(session, sent.collection, sent.id);
  await store.dropSealed(device, result.mutation_id);
}

// --- pulling ------------------------------------------------------------------------------
// Before a full resync: every record goes, in one transaction, but those with changes still
// waiting to be sent (the resync brings the server's copy, with the changes laid over it).
async function forgetRecords(session) {
  const queued = await pending(session);
  const gone = [];
  for (const collection of RECORD_COLLECTIONS) {
    for (const record of await store.listRecords(session.key, session.user, collection)) {
      if (!queued.some((m) => m.collection === collection && m.id === record.id)) {
        gone.push({ collection, id: record.id });
      }
    }
  }
  await store.writeRecords(session.key, session.user, [], gone);
}

// The server's copy, with whatever is still waiting in the outbox laid over it: a change made
// while a sync was under way is neither lost nor hidden.
// A record with a refused change waiting for the worker is marked so.
function withPendingChanges(record, collection, id, queued, refused = []) {
  const mine = queued.filter((m) => m.collection === collection && m.id === id);
  const marked = refused.some((r) => r.mutation?.collection === collection && r.mutation.id === id)
    ? { ...record, _refused: true } : record;
  if (!mine.length) return marked;
  return Object.assign({ ...marked, _pending: true }, ...mine.map((m) => m.fields));
}

// A removal (a case finished long enough ago, a child reassigned) never drops a record with
// changes waiting to be sent: it waits until they have gone, and a later pull applies it,
// unless the record has come back since (a newer revision). Decided with the outbox held, so
// no change can be queued for a record between the look and the drop.
const WAITING = "removals-waiting";

async function applyRemovals(session, removals) {
  return exclusive(async () => {
    const queued = await pending(session);
    const waiting = [], dropped = [];
    for (const removal of removals) {
      const { collection, id, rev } = removal;
      if (queued.some((m) => m.collection === collection && m.id === id)) {
        waiting.push({ collection, id, rev });
      } else if (!removal.waited
                 || !((await store.getRecord(session.key, session.user, collection, id))?.rev > rev)) {
        dropped.push(removal);
      }
    }
    await store.writeRecords(session.key, session.user, [], dropped);
    return waiting;
  });
}

async function applyPage(session, page) {
  const queued = await pending(session);
  const { refused } = await needingAttention(session);
  const waited = (await store.getRecord(session.key, session.user, META, WAITING))?.items || [];
  const events = [...page.changes.map((c) => ({ ...c, kind: "change" })),
                  ...waited.map((r) => ({ ...r, kind: "removal", waited: true })),
                  ...page.removals.map((r) => ({ ...r, kind: "removal" }))]
    .sort((a, b) => a.rev - b.rev);
  // In revision order, the last event of a record decides: written, or removed. A page's
  // records are written in one transaction.
  const last = new Map(events.map((event) => [`${event.collection}/${event.id}`, event]));
  const puts = [], removals = [];
  for (const event of last.values()) {
    if (event.kind === "change") {
      puts.push({ collection: event.collection, id: event.id,
                  record: withPendingChanges(event.record, event.collection, event.id, queued, refused) });
    } else removals.push(event);
  }
  await store.writeRecords(session.key, session.user, puts, []);
  const waiting = await applyRemovals(session, removals);
  if (waited.length || waiting.length) {
    await store.putRecord(session.key, session.user, META, WAITING, { items: waiting });
  }
}

// The next page is asked for while this one is written, so the server's time and the tablet's
// overlap (one after the other, a first sync of 7,000 records took their sum).
export function pullAll(session, onProgress = () => {}) {
  return store.holdingSummary(session.key, session.user, () => pullPages(session, onProgress));
}

async function pullPages(session, onProgress) {
  const cursor = (await store.getRecord(session.key, session.user, META, "cursor"))?.value ?? null;
  let pages = 0, fetched = 0;
  let coming = fetchPage(session, cursor);
  for (;;) {
    onProgress({ stage: "fetching", done: pages, records: fetched });
    const { expired, page } = await coming;
    if (expired) {
      await forgetRecords(session);
      coming = fetchPage(session, null);
      continue;
    }
    coming = page.more ? fetchPage(session, page.cursor) : null;
    coming?.catch(() => {}); // (a failure is met where it is awaited, or not at all)
    await applyPage(session, page);
    pages += 1;
    // Out of how many: those fetched before this page and those waiting when it was read.
    const total = fetched + (page.waiting ?? 0);
    fetched += page.changes.length + page.removals.length;
    await store.putRecord(session.key, session.user, META, "cursor", { value: page.cursor });
    onProgress({ stage: "fetched", done: pages, records: fetched, total: Math.max(total, fetched), more: page.more });
    if (!page.more) return page.reference;
  }
}

// A page of changes after the cursor, or expired: the server no longer knows the cursor
// (the tablet's records are fetched again from the start).
async function fetchPage(session, cursor) {
  const query = new URLSearchParams({ limit: String(cursor ? LATER_PAGE : PAGE) });
  if (cursor) query.set("cursor", cursor);
  const response = await authorised(session, `/api/v1/sync/pull?${query}`);
  if (response.status === 409) return { expired: true };
  if (!response.ok) throw new Offline();
  return { page: await readJson(response) };
}

// Code lists, questionnaires, areas and the limits of the records, fetched again only when the
// server's version differs.
async function refreshReference(session, versions) {
  const held = await store.getRecord(session.key, session.user, META, "reference-versions");
  const stale = Object.entries(versions || {}).some(([part, version]) => held?.[part] !== version);
  if (held && !stale) return;
  const response = await authorised(session, "/api/v1/sync/reference");
  if (!response.ok) throw new Offline();
  const { reference } = await readJson(response);
  for (const [part, value] of Object.entries(reference)) {
    // (The catalogs come with the app's shell: the part names only their version.)
    if ("data" in value) await store.putRecord(session.key, session.user, REFERENCE, part, value.data);
  }
  await store.putRecord(session.key, session.user, META, "reference-versions",
    Object.fromEntries(Object.entries(reference).map(([part, value]) => [part, value.version])));
}

export async function reference(session, part) {
  return (await store.getRecord(session.key, session.user, REFERENCE, part)) || [];
}

async function fetchConflicts(session) {
  const response = await authorised(session, "/api/v1/sync/conflicts");
  if (!response.ok) throw new Offline();
  const { items } = await readJson(response);
  await store.putRecord(session.key, session.user, META, "conflicts", { items });
}

// The worker's language is kept on their account too, so that what the server writes for them
// (its reasons for refusing a change, later their documents) is in the language they chose here.
async function tellLanguage(session, language) {
  const told = await store.getRecord(session.key, session.user, META, "language-told");
  if (!language || told?.value === language) return;
  const response = await authorised(session, `/api/v1/people/${session.user}`, {
    method: "PATCH", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ preferred_language: language }) });
  // A refusal here must never hold back the worker's changes: it is tried again next sync.
  if (response.ok) await store.putRecord(session.key, session.user, META, "language-told", { value: language });
}

// A refusal is kept on the tablet worded in the language of the sync that brought it. The
// server keeps each refusal in Welsh and in English, so after a change of language the next
// sync words again, in the new one, those the tablet still holds. Only wording: if the server
// cannot be asked now, the next sync asks again, and this one still counts as done.
async function rewordRefusals(session, language) {
  const held = await store.listRecords(session.key, session.user, ATTENTION);
  if (!held.length) return;
  // Only from the oldest refusal held on: the server keeps every one the tablet ever had.
  const query = new URLSearchParams({ device_id: (await tokens(session)).device_id,
    from_mutation_id: Math.min(...held.map((refused) => refused.mutation_id)), per_page: 500 });
  if (language) query.set("lang", language);
  let kept;
  try {
    kept = await keptRefusals(session, `/api/v1/sync/rejections?${query}`);
  } catch (problem) {
    if (problem.name === "Offline") return;
    throw problem;
  }
  if (!kept) return;
  await attentionTurn(async () => {
    // Read again now: one dismissed while the server was asked stays dismissed.
    for (const refused of await store.listRecords(session.key, session.user, ATTENTION)) {
      const errors = kept.get(refused.mutation_id);
      if (errors && !sameErrors(errors, refused.errors)) {
        await store.putRecord(session.key, session.user, ATTENTION, String(refused.mutation_id),
                              { ...refused, errors });
      }
    }
  });
}

// The server's wording of the tablet's refusals, by mutation_id, page after page; null if it
// would not give them (the next sync asks again).
async function keptRefusals(session, firstPage) {
  const kept = new Map();
  const asked = new Set();
  for (let page = firstPage; page && !asked.has(page);) {  // a page named twice is not asked again
    asked.add(page);
    const response = await authorised(session, page);
    if (!response.ok) return null;
    const body = await readJson(response);
    for (const item of body.items) kept.set(item.mutation_id, item.errors);
    page = body.next;
  }
  return kept;
}

// The same errors whatever order their keys came in, at every depth (PostgreSQL keeps JSON
// objects with their keys in an order of its own).
function sameErrors(one, other) {
  return JSON.stringify(canonical(one ?? {})) === JSON.stringify(canonical(other ?? {}));
}

function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  const byKey = ([one], [other]) => (one < other ? -1 : one > other ? 1 : 0);
  return Object.entries(value).sort(byKey).map(([key, inner]) => [key, canonical(inner)]);
}

// One whole sync: the language first (so the answers come in it), send, then fetch, then
// reference data, open conflicts and the wording of refusals held.
export async function syncEverything(session, onProgress = () => {}, language = null) {
  await tellLanguage(session, language);
  await pushAll(session, onProgress);
  const versions = await pullAll(session, onProgress);
  await refreshReference(session, versions);
  await fetchConflicts(session);
  await rewordRefusals(session, language);
  await store.putRecord(session.key, session.user, META, "last-synced", { at: new Date().toISOString() });
}

export async function lastSynced(session) {
  return (await store.getRecord(session.key, session.user, META, "last-synced"))?.at ?? null;
}

// --- records needing a person's attention ---------------------------------------------------
export async function needingAttention(session) {
  const refused = await store.listRecords(session.key, session.user, ATTENTION);
  const conflicts = (await store.getRecord(session.key, session.user, META, "conflicts"))?.items || [];
  return { refused: refused.sort((a, b) => a.mutation_id - b.mutation_id), conflicts };
}

export async function dismiss(session, mutationId) {
  const held = await store.getRecord(session.key, session.user, ATTENTION, String(mutationId));
  await attentionTurn(() => store.deleteRecord(session.user, ATTENTION, String(mutationId)));
  if (held?.mutation) await markRecord(session, held.mutation.collection, held.mutation.id);
}

// Choosing the value for a field in conflict needs the server, which makes the choice a change
// of its own that every device pulls.
export async function resolveConflict(session, conflict, value) {
  const response = await authorised(session, `/api/v1/sync/conflicts/${conflict.id}/resolve`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ value }) });
  // 404: someone else resolved it already; the next pull brings their choice.
  if (response.status === 404) return forgetConflict(session, conflict);
  if (response.status === 422 || response.status === 409) {
    const problem = await readJson(response);
    throw new Refused(Object.values(problem.errors || {}).flat().concat(problem.errors ? [] : [problem.detail]));
  }
  if (!response.ok) throw new Offline();
  const resolved = await readJson(response);
  if (resolved.deleted) {
    // Decided as deleted: the record is gone, and with it every conflict open on it.
    await store.deleteRecord(session.user, resolved.collection, resolved.id);
    return forgetConflicts(session, (c) => c.collection === resolved.collection && c.record_id === resolved.id);
  }
  await store.putRecord(session.key, session.user, resolved.collection, resolved.id,
    withPendingChanges(resolved.record, resolved.collection, resolved.id, await pending(session)));
  await forgetConflict(session, conflict);
}

// Only the one resolved: another open conflict on the same field holds another device's value,
// on which no one has decided yet.
function forgetConflict(session, conflict) {
  return forgetConflicts(session, (c) => c.id === conflict.id);
}

async function forgetConflicts(session, decided) {
  const held = await store.getRecord(session.key, session.user, META, "conflicts");
  const items = (held?.items || []).filter((c) => !decided(c));
  await store.putRecord(session.key, session.user, META, "conflicts", { items });
}
