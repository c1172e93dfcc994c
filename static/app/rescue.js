// The last resort when a tablet cannot sync: a file of its sealed copies of the changes not
// yet sent (sealing.js), which only the Adref server can open. A supervisor imports it; the
// mutation ids make it count exactly once, however many times it is imported or the tablet
// later syncs the same changes. With no session: the copies a wipe left.
import * as store from "./store.js";
import * as sync from "./sync.js";

export class NoServerKey extends Error { name = "NoServerKey"; }

export async function rescueFile(session) {
  // Changes queued before the server's key came are sealed now.
  for (const mutation of session ? await sync.pending(session) : []) {
    if (!(await sync.sealCopy(session, mutation))) throw new NoServerKey();
  }
  const copies = await store.sealedOf(session ? session.user : null);
  return { format: "adref-sealed", version: 1, created_at: new Date().toISOString(),
           items: copies.map(({ device, mutation_id, sealed }) =>
             ({ device_id: device, mutation_id, sealed })) };
}

// Hands the file to the browser to save (on a tablet: to Downloads, or a USB stick).
export function saveFile(file) {
  const stamp = file.created_at.slice(0, 16).replace(/[-:T]/g, "");
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([JSON.stringify(file)], { type: "application/json" }));
  link.download = `adref-rescue-${stamp}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

// Space on the tablet: asks the browser to keep Adref's data (not clear it when space runs
// short), and says whether space is running low.
const LOW_BYTES = 100 * 1024 * 1024;
export async function storageIsLow() {
  if (!navigator.storage?.estimate) return false;
  if (navigator.storage.persisted && !(await navigator.storage.persisted())) {
    await navigator.storage.persist?.();
  }
  const { usage = 0, quota = Infinity } = await navigator.storage.estimate();
  return quota - usage < LOW_BYTES || usage / quota > 0.9;
}
