// The last resort when a tablet cannot sync: a file of the changes not yet sent, encrypted with
// this device's export key (AES-GCM, the device id bound in as associated data), which only the
// Adref server can open. A supervisor imports it; the mutation ids make it count exactly once,
// however many times it is imported or the tablet later syncs the same changes.
import * as store from "./store.js";
import * as sync from "./sync.js";

export class NoExportKey extends Error { name = "NoExportKey"; }

const encoder = new TextEncoder();

function base64url(bytes) {
  let text = "";
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text) {
  const plain = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(plain, (char) => char.charCodeAt(0));
}

export async function rescueFile(session) {
  const tokens = await store.getRecord(session.key, session.user, "device", "tokens");
  // Tablets set up before export keys existed get theirs at the next token refresh.
  if (!tokens?.export_key) throw new NoExportKey();
  const key = await crypto.subtle.importKey("raw", fromBase64url(tokens.export_key), "AES-GCM",
                                            false, ["encrypt"]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const body = { protocol: 1, device_id: tokens.device_id, mutations: await sync.pending(session) };
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(tokens.device_id) }, key,
    encoder.encode(JSON.stringify(body)));
  return { format: "adref-rescue", version: 1, device_id: tokens.device_id,
           created_at: new Date().toISOString(), iv: base64url(iv), ciphertext: base64url(sealed) };
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
