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

async function authorised(session, url) {
  let current = await tokens(session);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let response;
    try {
      response = await fetch(url, { headers: { Authorization: `Bearer ${current.access_token}` } });
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
