"""The tablet's store, in real Chromium: records are encrypted under a worker's key that only
their passcode unwraps; a change's sealed copy only the server's private key opens; a copy of
IndexedDB (every store) shows no child's name or answer; two workers on one tablet cannot read
each other's data; wiping a worker removes everything of theirs but their sealed copies, left
to be handed in."""

from tests.browser.steps import RAW_STORAGE, open_the_app

SCENARIO = """async () => {
  const store = await import("/static/app/store.js");
  const outcome = {};
  try { await store.createVault("worker-a", "short"); } catch (e) { outcome.weak = e.name; }
  const keyA = await store.createVault("worker-a", "correct horse 42");
  const child = {given_name: "Gwenllïan Ŵyn", why_missing: "Roedd ffrae fawr gartref"};
  await store.putRecord(keyA, "worker-a", "children", "c-1", child);
  // A server's key pair made here: the tablet is given only its public half.
  const { seal, base64url } = await import("/static/app/sealing.js");
  const server = await crypto.subtle.generateKey({name: "ECDH", namedCurve: "P-256"}, false,
                                                 ["deriveBits"]);
  const publicKey = base64url(await crypto.subtle.exportKey("raw", server.publicKey));
  await store.putSealed({user: "worker-a", device: "d-1", secret: "s", mutation_id: 1,
    sealed: await seal({organisation_id: "o-1", public_key: publicKey}, "d-1", child)});
  outcome.readBack = await store.getRecord(keyA, "worker-a", "children", "c-1");

  try { await store.unlockVault("worker-a", "wrong passcode"); }
  catch (e) { outcome.wrong = e.name; }
  const again = await store.unlockVault("worker-a", "correct horse 42");
  outcome.afterUnlock = await store.getRecord(again, "worker-a", "children", "c-1");
  outcome.extractable = again.extractable;

  const keyB = await store.createVault("worker-b", "another passcode 7");
  outcome.bOwn = await store.listRecords(keyB, "worker-b", "children");
  try { await store.getRecord(keyB, "worker-a", "children", "c-1"); outcome.bReadA = "read"; }
  catch (e) { outcome.bReadA = "refused"; }

  outcome.raw = await (RAW_STORAGE)();
  await store.wipeUser("worker-a");
  outcome.aVaultAfterWipe = await store.hasVault("worker-a");
  outcome.bVaultAfterWipe = await store.hasVault("worker-b");
  outcome.bStillWorks = await store.listRecords(keyB, "worker-b", "children");
  outcome.sealedLeft = (await store.sealedOf(null)).map((copy) => Object.keys(copy.sealed));
  outcome.sealedOfA = (await store.sealedOf("worker-a")).length;
  outcome.rawAfterWipe = await (RAW_STORAGE)();
  return outcome;
}"""


def test_the_store_encrypts_separates_and_wipes(live_server, page):
    open_the_app(page, live_server)
    outcome = page.evaluate(SCENARIO.replace("RAW_STORAGE", RAW_STORAGE))
    assert outcome["weak"] == "WeakPasscode"
    child = {"given_name": "Gwenllïan Ŵyn", "why_missing": "Roedd ffrae fawr gartref"}
    assert outcome["readBack"] == child and outcome["afterUnlock"] == child
    assert outcome["wrong"] == "WrongPasscode"
    assert outcome["extractable"] is False
    assert outcome["bOwn"] == [] and outcome["bReadA"] == "refused"
    for plaintext in ("Gwenllïan", "Ŵyn", "ffrae", "gartref", "correct horse"):
        assert plaintext not in outcome["raw"] and plaintext not in outcome["rawAfterWipe"]
    assert '"epk"' in outcome["raw"]  # the sealed copy was read too
    # The wipe leaves the sealed copy, to no one: only the server's private key opens it.
    assert outcome["sealedLeft"] == [["epk", "iv", "ct"]] and outcome["sealedOfA"] == 0
    assert outcome["aVaultAfterWipe"] is False and outcome["bVaultAfterWipe"] is True
    assert outcome["bStillWorks"] == []
