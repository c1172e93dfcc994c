// The only module that talks to /api/v1/sync and the device token endpoint. It pulls what
// changed for this worker into the encrypted store, in revision order, following cursors, and
// obeys the server: a full resync starts again from nothing, a wipe erases this worker's data.
import * as store from "./store.js";

export class DeviceWiped extends Error { name = "DeviceWiped"; }
export class Offline extends Error { name = "Offline"; }

const META = "meta";

async function tokens(session) {
  return store.getRecord(session.key, session.user, "device", "tokens");
}

async function refresh(session, current) {
  const response = await fetch("/api/v1/devices/token", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ device_id: current.device_id, refresh_token: current.refresh_token }) });
  if (response.status === 401) {
    const problem = await response.json();
    if (problem.wipe) throw new DeviceWiped();
  }
  if (!response.ok) throw new Offline();
  const renewed = await response.json();
  await store.putRecord(session.key, session.user, "device", "tokens", renewed);
  return renewed;
}

async function authorised(session, url, options = {}) {
  let current = await tokens(session);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let response;
    try {
      response = await fetch(url, { ...options, headers: {
        ...(options.headers || {}), Authorization: `Bearer ${current.access_token}` } });
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

async function forgetRecords(session) {
  for (const collection of ["children", "episodes", "interviews", "attempts"]) {
    for (const record of await store.listRecords(session.key, session.user, collection)) {
      await store.deleteRecord(session.user, collection, record.id);
    }
  }
}

export async function pullAll(session) {
  let cursor = (await store.getRecord(session.key, session.user, META, "cursor"))?.value ?? null;
  for (;;) {
    const query = new URLSearchParams({ limit: "500" });
    if (cursor) query.set("cursor", cursor);
    const response = await authorised(session, `/api/v1/sync/pull?${query}`);
    if (response.status === 409) {
      await forgetRecords(session);
      cursor = null;
      continue;
    }
    if (!response.ok) throw new Offline();
    const page = await response.json();
    const events = [...page.changes.map((c) => ({ ...c, kind: "change" })),
                    ...page.removals.map((r) => ({ ...r, kind: "removal" }))]
      .sort((a, b) => a.rev - b.rev);
    for (const event of events) {
      if (event.kind === "change") {
        await store.putRecord(session.key, session.user, event.collection, event.id, event.record);
      } else {
        await store.deleteRecord(session.user, event.collection, event.id);
      }
    }
    cursor = page.cursor;
    await store.putRecord(session.key, session.user, META, "cursor",
                          { value: cursor, at: new Date().toISOString() });
    if (!page.more) return;
  }
}

// --- the outbox: changes made on the tablet, kept encrypted until the server has answered ---
const OUTBOX = "outbox";
const BATCH = 100;

async function nextMutationId(session) {
  const counter = await store.getRecord(session.key, session.user, META, "mutation-counter");
  const next = (counter?.value ?? 0) + 1;
  await store.putRecord(session.key, session.user, META, "mutation-counter", { value: next });
  return next;
}

// Records the change in the outbox and on the tablet's copy at once, so it is shown straight
// away and survives a reload or a crash before it is sent.
export async function queueChange(session, collection, id, fields) {
  const current = await store.getRecord(session.key, session.user, collection, id);
  const mutation = {
    mutation_id: await nextMutationId(session), collection, id, op: "upsert",
    base_rev: current?.rev ?? null, fields, device_time: new Date().toISOString() };
  await store.putRecord(session.key, session.user, OUTBOX,
                        String(mutation.mutation_id).padStart(12, "0"), mutation);
  await store.putRecord(session.key, session.user, collection, id,
                        { ...(current || { id }), ...fields, _pending: true });
  return mutation;
}

export async function pending(session) {
  const queued = await store.listRecords(session.key, session.user, OUTBOX);
  return queued.sort((a, b) => a.mutation_id - b.mutation_id);
}

// Sends the outbox oldest first. Every answered mutation leaves the outbox; a rejected one is
// kept among the records that need attention. Nothing leaves before the server has answered.
export async function pushAll(session) {
  const current = await tokens(session);
  for (;;) {
    const batch = (await pending(session)).slice(0, BATCH);
    if (!batch.length) return;
    const response = await authorised(session, "/api/v1/sync/push", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ protocol: 1, device_id: current.device_id, mutations: batch }) });
    if (!response.ok) throw new Offline();
    const answer = await response.json();
    for (const result of answer.results) {
      const sent = batch.find((m) => m.mutation_id === result.mutation_id);
      if (result.status === "rejected") {
        await store.putRecord(session.key, session.user, "attention", String(result.mutation_id),
                              { ...result, mutation: sent });
      }
      await store.deleteRecord(session.user, OUTBOX, String(result.mutation_id).padStart(12, "0"));
    }
  }
}
