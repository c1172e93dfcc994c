// Seals a change for the server alone (app/syncing/sealing.py): an ephemeral ECDH P-256 key
// with the server's public key, HKDF-SHA-256, AES-GCM, the organisation and device bound in.
const subtle = crypto.subtle;
const bytes = (text) => new TextEncoder().encode(text);
const P256 = { name: "ECDH", namedCurve: "P-256" };

export function base64url(data) {
  let text = "";  // (one character at a time: a long interview is too many arguments for a call)
  for (const byte of new Uint8Array(data)) text += String.fromCharCode(byte);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
const unbase64url = (text) => Uint8Array.from(
  atob(text.replaceAll("-", "+").replaceAll("_", "/")), (char) => char.charCodeAt(0));

// server: the reference part "sealing" ({ organisation_id, public_key }).
export async function seal(server, device, value) {
  const theirs = await subtle.importKey("raw", unbase64url(server.public_key), P256, false, []);
  const mine = await subtle.generateKey(P256, false, ["deriveBits"]);
  const salt = await subtle.exportKey("raw", mine.publicKey);
  const shared = await subtle.deriveBits({ name: "ECDH", public: theirs }, mine.privateKey, 256);
  const key = await subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt, info: bytes("adref-sealed-v1") },
    await subtle.importKey("raw", shared, "HKDF", false, ["deriveKey"]),
    { name: "AES-GCM", length: 256 }, false, ["encrypt"]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const additionalData = bytes(`adref-sealed-v1:${server.organisation_id}:${device}`);
  const ct = await subtle.encrypt({ name: "AES-GCM", iv, additionalData }, key,
                                  bytes(JSON.stringify(value)));
  return { epk: base64url(salt), iv: base64url(iv), ct: base64url(ct) };
}
