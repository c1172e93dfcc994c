// The encrypted store on the tablet, and the only module that touches IndexedDB.
// Each worker has a random AES-GCM data key. It is kept only wrapped, under a key derived from
// the worker's passcode with PBKDF2-SHA-256; the unwrapped key lives in memory, never in storage.
// Every record is encrypted with its own random IV, so a copy of the disk shows no child's data.
// Apart from them, "sealed" keeps each unsent change sealed for the server (sealing.js), which a
// wipe leaves: the tablet holds no key that opens them.
const DATABASE = "adref";
const VERSION = 2;
export const ITERATIONS = 600000;
export const MINIMUM_PASSCODE_LENGTH = 8;
// Wrong passcodes allowed before the worker's data on this tablet is erased.
export const MAXIMUM_TRIES = 5;
const DAY = 24 * 60 * 60 * 1000;

export class WeakPasscode extends Error { name = "WeakPasscode"; }
export class WrongPasscode extends Error {
  name = "WrongPasscode";
  constructor(remaining) { super("the passcode is not right"); this.remaining = remaining; }
}
export class VaultErased extends Error { name = "VaultErased"; }
export class OfflineTooLong extends Error { name = "OfflineTooLong"; }

// One connection, kept while the app runs: opening one for each transaction (some ten for each
// page of a sync) was a tenth of a first sync of 7,000 records. It gives way at once when another
// tab upgrades or deletes the database, and is opened again when next needed.
let connection = null;
function open() {
  connection ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, VERSION);
    request.onupgradeneeded = ({ oldVersion }) => {
      const db = request.result;
      if (!oldVersion) {
        db.createObjectStore("vaults", { keyPath: "user" });
        const records = db.createObjectStore("records", { keyPath: ["user", "collection", "id"] });
        records.createIndex("by_user_collection", ["user", "collection"]);
      }
      db.createObjectStore("sealed", { keyPath: ["device", "mutation_id"] });
    };
    request.onsuccess = () => {
      const db = request.result;
      const letGo = () => {
        db.close();
        if (connection === opened) connection = null;
      };
      db.onversionchange = letGo;
      db.onclose = letGo; // closed by the browser (storage cleared, say)
      resolve(db);
    };
    request.onerror = () => reject(request.error);
  });
  const opened = connection;
  opened.catch(() => { if (connection === opened) connection = null; });
  return opened;
}

async function transact(storeName, mode, work) {
  let db = await open();
  let tx;
  try {
    tx = db.transaction(storeName, mode);
  } catch {
    connection = null; // closed meanwhile: once more, on a new connection
    db = await open();
    tx = db.transaction(storeName, mode);
  }
  return new Promise((resolve, reject) => {
    let result;
    Promise.resolve(work(tx.objectStore(storeName))).then((value) => { result = value; });
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

const asPromise = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

async function passcodeKey(passcode, salt, iterations) {
  const material = await crypto.subtle.importKey(
    "raw", new TextEncoder().encode(passcode), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material, { name: "AES-GCM", length: 256 }, false, ["wrapKey", "unwrapKey"]);
}

// name: the worker's own name, kept in plain so a shared tablet can ask who is using it. It is
// a member of staff's name, never a child's.
export async function createVault(user, passcode, name = "") {
  if (typeof passcode !== "string" || passcode.length < MINIMUM_PASSCODE_LENGTH) {
    throw new WeakPasscode(`at least ${MINIMUM_PASSCODE_LENGTH} characters`);
  }
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const dataKey = await crypto.subtle.generateKey(
    { name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
  const wrapping = await passcodeKey(passcode, salt, ITERATIONS);
  const wrapped = await crypto.subtle.wrapKey("raw", dataKey, wrapping, { name: "AES-GCM", iv });
  await transact("vaults", "readwrite", (vaults) => vaults.put(
    { user, name, salt, iv, iterations: ITERATIONS, wrapped: new Uint8Array(wrapped), failures: 0,
      lastOnlineAt: Date.now() }));
  return unlockVault(user, passcode);
}

async function readVault(user) {
  return transact("vaults", "readonly", (vaults) => asPromise(vaults.get(user)));
}

async function writeVault(vault) {
  await transact("vaults", "readwrite", (vaults) => vaults.put(vault));
}

// The workers who have set this tablet up: their ids and names only.
export async function listVaults() {
  const vaults = await transact("vaults", "readonly", (store) => asPromise(store.getAll()));
  return vaults.map(({ user, name }) => ({ user, name }));
}

export async function vaultSummary(user) {
  const vault = await readVault(user);
  return vault ? { user: vault.user, name: vault.name } : null;
}

// Called whenever the server has just confirmed this worker online.
export async function recordOnline(user) {
  const vault = await readVault(user);
  if (vault) await writeVault({ ...vault, lastOnlineAt: Date.now() });
}

export async function hasVault(user) {
  return Boolean(await transact("vaults", "readonly", (vaults) => asPromise(vaults.get(user))));
}

// offlineDays: how long after the last time online the passcode alone may open the data.
export async function unlockVault(user, passcode, { offlineDays = Infinity } = {}) {
  const vault = await readVault(user);
  if (!vault) throw new WrongPasscode(0);
  if (Date.now() - vault.lastOnlineAt > offlineDays * DAY) throw new OfflineTooLong();
  const wrapping = await passcodeKey(passcode, vault.salt, vault.iterations);
  let key;
  try {
    // Not extractable: once unwrapped, the key can encrypt and decrypt but never be read out.
    key = await crypto.subtle.unwrapKey(
      "raw", vault.wrapped, wrapping, { name: "AES-GCM", iv: vault.iv },
      { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  } catch {
    const failures = (vault.failures || 0) + 1;
    if (failures >= MAXIMUM_TRIES) {
      await wipeUser(user);
      throw new VaultErased();
    }
    await writeVault({ ...vault, failures });
    throw new WrongPasscode(MAXIMUM_TRIES - failures);
  }
  if (vault.failures) await writeVault({ ...vault, failures: 0 });
  return key;
}

async function sealRecord(key, user, collection, id, record) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(record));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plain));
  return { user, collection, id, iv, sealed };
}

export async function putRecord(key, user, collection, id, record) {
  await writeRecords(key, user, [{ collection, id, record }], []);
}

// A page of a sync: every record written and removed in one transaction, encrypted before it
// opens (a transaction ends when it waits on anything else). One connection and one transaction
// for a page of 500 records took a tenth of the time of one each. puts: [{collection, id,
// record}]; removals: [{collection, id}].
export async function writeRecords(key, user, puts, removals) {
  const touchesSummary = [...puts, ...removals].some(({ collection }) => collection in summarised);
  if (!touchesSummary) return writeSealed(key, user, puts, removals);
  // One write at a time changes the summary, so that none is lost to another's older copy.
  const turn = summaryTurn.then(() => writeSealed(key, user, puts, removals, true));
  summaryTurn = turn.catch(() => {});
  return turn;
}

async function writeSealed(key, user, puts, removals, withSummary = false) {
  const sealed = await Promise.all(puts.map(({ collection, id, record }) =>
    sealRecord(key, user, collection, id, record)));
  if (withSummary) {
    const items = await summaryAfter(key, user, puts, removals);
    // Held (a pull under way): storage keeps none until the hold ends, so a tablet stopped
    // part way makes it afresh from the records.
    if (held.has(user)) removals = [...removals, SUMMARY, HEAD];
    else sealed.push(...await sealedSummaries(key, user, items));
  }
  try {
    await writeMany(user, sealed, removals);
  } catch (failed) {
    summaries.delete(user); // read again from storage, as it stands
    throw failed;
  }
}

// --- the summary of what lists show ------------------------------------------------------------
// For each collection named (summarise), the fields a list shows of each record, kept as one
// encrypted record beside them and written in the same transaction as they are: unlocking then
// decrypts one record, not every record (7,000 for a worker with 2,000 children).
let summarised = {};
const SUMMARY = { collection: "_summary", id: "lists" };
// The first screenful of a list, kept beside the summary in a small record of its own, so the
// list is drawn before the whole summary is read (for 2,000 children, a megabyte to decrypt
// and parse: most of what opening the list cost more than for 200).
const HEAD = { collection: "_summary", id: "head" };
const summaries = new Map(); // user: { key, items: { collection: { id: fields } } }
let summaryTurn = Promise.resolve();

let ordering = {}; // collection: how its list is sorted
let heading = null; // the summary's items: the first screenful of the list

// orders: { collection: compare(a, b) } for the lists that are sorted. The summary keeps their
// entries in that order, so sorting them when the list is drawn finds them in order already
// (sorting 2,000 children by name took about 20 ms of opening the list, slowed; in order, 4).
// head(items): what the first screen of the list needs, kept as the summary's head.
export function summarise(fieldsByCollection, { orders = {}, head = null } = {}) {
  summarised = fieldsByCollection;
  ordering = orders;
  heading = head;
}

function sealedSummaries(key, user, items) {
  for (const [collection, compare] of Object.entries(ordering)) {
    items[collection] = Object.fromEntries(Object.entries(items[collection] ?? {})
      .sort(([, a], [, b]) => compare(a, b)));
  }
  return Promise.all([sealRecord(key, user, SUMMARY.collection, SUMMARY.id, items),
    ...(heading ? [sealRecord(key, user, HEAD.collection, HEAD.id, heading(items))] : [])]);
}

// The summary's head, to draw the first screen of the list from; null when the whole summary
// is in memory already (or no head is kept: the whole summary is read).
export async function summaryHead(key, user) {
  if (summaries.get(user)?.key === key) return null;
  return getRecord(key, user, HEAD.collection, HEAD.id, { keep: false });
}

const shortened = (collection, record) =>
  Object.fromEntries(summarised[collection].map((field) => [field, record[field]]));

// The summary's entries are frozen: lists are given them as they are, not copies (copying the
// summary of 2,000 children, once to keep it and again for each list, was a fifth of unlocking
// the app, slowed as on a cheap tablet), and a screen that tried to change one would fail loudly.
const frozen = (collection, record) => Object.freeze(shortened(collection, record));

// Read once however many lists ask for it at the same moment (the list of children asks for
// three collections together: reading the summary for each took three times as long).
function summaryOf(key, user) {
  const kept = summaries.get(user);
  if (kept?.key === key) return kept.items;
  const reading = readSummary(key, user);
  summaries.set(user, { key, items: reading });
  reading.catch(() => { if (summaries.get(user)?.items === reading) summaries.delete(user); });
  return reading;
}

async function readSummary(key, user) {
  // Kept here alone, not among the records read (the summaries map is its keeping).
  let items = await getRecord(key, user, SUMMARY.collection, SUMMARY.id, { keep: false });
  if (items) {
    for (const entries of Object.values(items)) {
      for (const entry of Object.values(entries)) Object.freeze(entry);
    }
  } else {
    items = {};
    for (const collection of Object.keys(summarised)) {
      const all = await listRecords(key, user, collection, { keep: false });
      items[collection] = Object.fromEntries(all.map((record) => [record.id, frozen(collection, record)]));
    }
  }
  return items;
}

async function summaryAfter(key, user, puts, removals) {
  const items = await summaryOf(key, user);
  for (const { collection, id, record } of puts) {
    // (a summary written before a collection was summarised has no list of it yet)
    if (collection in summarised) (items[collection] ??= {})[id] = frozen(collection, { ...record, id });
  }
  for (const { collection, id } of removals) {
    if (collection in summarised) delete items[collection]?.[id];
  }
  return items;
}

// While a pull writes its pages the summary is kept up to date in memory only, and written
// once when the last hold ends: written with each of a first sync's 14 pages, the summary of
// 2,000 children (about a megabyte) was encrypted and stored 14 times.
const held = new Map(); // user: how many holds are under way
export async function holdingSummary(key, user, work) {
  held.set(user, (held.get(user) ?? 0) + 1);
  try {
    return await work();
  } finally {
    held.set(user, held.get(user) - 1);
    if (!held.get(user)) {
      held.delete(user);
      await writeHeldSummary(key, user);
    }
  }
}

function writeHeldSummary(key, user) {
  const turn = summaryTurn.then(async () => {
    const kept = summaries.get(user);
    if (kept?.key !== key || held.has(user)) return; // (none in memory: made afresh when read)
    const items = await kept.items;
    await writeMany(user, await sealedSummaries(key, user, items), []);
  });
  summaryTurn = turn.catch(() => {});
  return turn;
}

// The summarised records of a collection, as lists show them (only the summarised fields).
export async function listSummaries(key, user, collection) {
  const items = await summaryOf(key, user);
  return Object.values(items[collection] || {});
}

async function writeMany(user, sealed, removals) {
  const forget = () => {
    writes += 1;
    for (const { collection, id } of [...sealed, ...removals]) {
      decrypted.delete(placeOf(user, collection, id));
      listed.delete(JSON.stringify([user, collection]));
    }
  };
  forget();
  try {
    await transact("records", "readwrite", (records) => {
      sealed.forEach((item) => records.put(item));
      removals.forEach(({ collection, id }) => records.delete([user, collection, id]));
    });
  } finally {
    forget();
  }
}

// Records read while the app is unlocked, kept in memory (never in storage) so that a screen
// drawn again does not decrypt them again; forgotten when the app locks. Going back to a list
// of 2,000 children decrypted 7,000 records each time.
const decrypted = new Map();
// A whole collection read while unlocked is kept too, until a write to it: going back to the
// list of 2,000 children read 7,000 encrypted records from storage each time.
const listed = new Map();
const placeOf = (user, collection, id) => JSON.stringify([user, collection, id]);
// Counts writes begun and ended: a record read while one was under way is not kept, as it may
// be the copy the write replaces.
let writes = 0;

export function forgetDecrypted() {
  decrypted.clear();
  listed.clear();
  summaries.clear();
}

async function openRecord(key, stored, writesBefore, keep = true) {
  const place = placeOf(stored.user, stored.collection, stored.id);
  // Kept with the key that opened it: no other key is given what it could not decrypt.
  const kept = decrypted.get(place);
  if (kept?.key === key) return structuredClone(kept.record);
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: stored.iv }, key, stored.sealed);
  const record = JSON.parse(new TextDecoder().decode(plain));
  if (keep && writes === writesBefore) decrypted.set(place, { key, record: structuredClone(record) });
  return record;
}

export async function getRecord(key, user, collection, id, { keep = true } = {}) {
  const writesBefore = writes;
  const stored = await transact("records", "readonly",
    (records) => asPromise(records.get([user, collection, id])));
  return stored ? openRecord(key, stored, writesBefore, keep) : null;
}

export async function listRecords(key, user, collection, { keep = true } = {}) {
  const place = JSON.stringify([user, collection]);
  const kept = listed.get(place);
  if (kept?.key === key) return structuredClone(kept.records);
  const writesBefore = writes;
  const stored = await transact("records", "readonly", (records) =>
    asPromise(records.index("by_user_collection").getAll([user, collection])));
  const opened = await Promise.all(stored.map((item) => openRecord(key, item, writesBefore, keep)));
  if (keep && writes === writesBefore) listed.set(place, { key, records: structuredClone(opened) });
  return opened;
}

// How many records of a collection the user holds, counted without opening (decrypting) any.
export async function countRecords(user, collection) {
  return transact("records", "readonly", (records) =>
    asPromise(records.index("by_user_collection").count([user, collection])));
}

// With no key to write the summary again: a summarised record deleted this way takes the
// summary with it, to be made afresh when next read.
export function deleteRecord(user, collection, id) {
  if (!(collection in summarised)) return writeMany(user, [], [{ collection, id }]);
  // In the summary's turn: a summary being written meanwhile would bring the record back.
  const turn = summaryTurn.then(() => {
    summaries.delete(user);
    return writeMany(user, [], [{ collection, id }, SUMMARY, HEAD]);
  });
  summaryTurn = turn.catch(() => {});
  return turn;
}

// copy: { user, device, secret (the device's upload secret), mutation_id, sealed }.
export const putSealed = (copy) => transact("sealed", "readwrite", (sealed) => sealed.put(copy));
export const dropSealed = (device, id) =>
  transact("sealed", "readwrite", (sealed) => sealed.delete([device, id]));
// A worker's copies; those of wiped workers (user null), to hand in.
export const sealedOf = async (user) => (await transact("sealed", "readonly",
  (sealed) => asPromise(sealed.getAll()))).filter((copy) => copy.user === user);

// Erases the worker's records and vault; their sealed copies stay, left to no one.
export async function wipeUser(user) {
  forgetDecrypted();
  for (const copy of await sealedOf(user)) await putSealed({ ...copy, user: null });
  await transact("records", "readwrite", async (records) => {
    const keys = await asPromise(records.getAllKeys(
      IDBKeyRange.bound([user, "", ""], [user, "\uffff", "\uffff"])));
    keys.forEach((k) => records.delete(k));
  });
  await transact("vaults", "readwrite", (vaults) => vaults.delete(user));
}
