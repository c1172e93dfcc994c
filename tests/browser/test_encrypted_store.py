"""The tablet's store, in real Chromium: records are encrypted under a worker's key that only
their passcode unwraps; a copy of IndexedDB shows no child's name or answer; two workers on one
tablet cannot read each other's data; wiping a worker removes everything of theirs."""

from tests.browser.steps import open_the_app

SCENARIO = """async () => {
  const store = await import("/static/app/store.js");
  const outcome = {};
  try { await store.createVault("worker-a", "short"); } catch (e) { outcome.weak = e.name; }
  const keyA = await store.createVault("worker-a", "correct horse 42");
  const child = {given_name: "Gwenllïan Ŵyn", why_missing: "Roedd ffrae fawr gartref"};
  await store.putRecord(keyA, "worker-a", "children", "c-1", child);
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

  outcome.raw = await new Promise((resolve) => {
    const request = indexedDB.open("adref");
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction(["records", "vaults"]);
      const dump = {};
      tx.objectStore("records").getAll().onsuccess = (e) => { dump.records = e.target.result; };
      tx.objectStore("vaults").getAll().onsuccess = (e) => { dump.vaults = e.target.result; };
      tx.oncomplete = () => {
        const text = (bytes) => new TextDecoder("utf-8", {fatal: false}).decode(bytes);
        resolve(JSON.stringify(dump) + dump.records.map((r) => text(r.sealed)).join("")
                + dump.vaults.map((v) => text(v.wrapped)).join(""));
        db.close();
      };
    };
  });
  await store.wipeUser("worker-a");
  outcome.aVaultAfterWipe = await store.hasVault("worker-a");
  outcome.bVaultAfterWipe = await store.hasVault("worker-b");
  outcome.bStillWorks = await store.listRecords(keyB, "worker-b", "children");
  return outcome;
}"""


def test_the_store_encrypts_separates_and_wipes(live_server, page):
    open_the_app(page, live_server)
    outcome = page.evaluate(SCENARIO)
    assert outcome["weak"] == "WeakPasscode"
    child = {"given_name": "Gwenllïan Ŵyn", "why_missing": "Roedd ffrae fawr gartref"}
    assert outcome["readBack"] == child and outcome["afterUnlock"] == child
    assert outcome["wrong"] == "WrongPasscode"
    assert outcome["extractable"] is False
    assert outcome["bOwn"] == [] and outcome["bReadA"] == "refused"
    for plaintext in ("Gwenllïan", "Ŵyn", "ffrae", "gartref", "correct horse"):
        assert plaintext not in outcome["raw"]
    assert outcome["aVaultAfterWipe"] is False and outcome["bVaultAfterWipe"] is True
    assert outcome["bStillWorks"] == []
