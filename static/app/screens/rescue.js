// Saving a copy of the changes not yet sent, for a supervisor to import when this tablet cannot
// sync.
import { t, tn } from "../i18n.js";
import { button, element } from "../dom.js";
import { backLink, render, tellOnNextScreen } from "../frame.js";
import * as rescue from "../rescue.js";
import * as sync from "../sync.js";

export async function showRescue(session, problem) {
  const waiting = (await sync.pending(session)).length;
  const save = button(t("Save the copy"), async () => {
    try {
      rescue.saveFile(await rescue.rescueFile(session));
      tellOnNextScreen(t("The copy has been saved. Give it to your supervisor."));
    } catch (error) {
      if (error.name !== "NoServerKey") throw error;
      return showRescue(session, t("Sync once with signal before saving a copy."));
    }
    return showRescue(session);
  });
  render(backLink("#/"),
    element("h1", { textContent: t("Save a copy of changes not sent") }),
    problem ? element("p", { className: "error-message", role: "alert", textContent: problem }) : null,
    element("p", { textContent: tn("%(num)d change waiting to be sent", "%(num)d changes waiting to be sent", waiting) }),
    element("p", { textContent: t("If this tablet cannot sync, save a copy of the changes not sent and give it to your supervisor to import. The copy is encrypted: only Adref can open it. Your changes stay on this tablet too.") }),
    waiting ? save : null);
}
