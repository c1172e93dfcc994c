// The end of the young person's section: people who can help them (the service directory as the
// tablet holds it, filtered to this child: who is open now first, Welsh-language services first
// for a child who chose Welsh), a way to ask for an advocate, and a thank-you.
import { inLanguage, t } from "../i18n.js";
import { button, element } from "../dom.js";
import { go, show } from "../frame.js";
import * as records from "../records.js";
import * as sync from "../sync.js";
import * as youngPerson from "../youngperson.js";
import { helpForChild } from "../directory.js";
import { readAloud } from "./youngperson_parts.js";

// Whole years old on this day, or null when the date of birth is not known.
export function ageOn(dateOfBirth, today = new Date()) {
  if (!dateOfBirth) return null;
  const [year, month, day] = dateOfBirth.split("-").map(Number);
  const birthdayPassed = today.getMonth() + 1 > month || (today.getMonth() + 1 === month && today.getDate() >= day);
  return today.getFullYear() - year - (birthdayPassed ? 0 : 1);
}

// What the young person told us, as the directory's needs, the most pressing first: not safe
// now (emergency help), hurt or not sure (a helpline to talk to), an advocate asked for.
export function needsOf(report) {
  const talkTo = report.talk_to || [];
  return [
    report.answers?.yp_feel_safe_now === false ? "emergency" : null,
    ["yes", "not_sure"].includes(report.hurt) || talkTo.includes("someone_else") ? "helpline" : null,
    report.advocate_requested || talkTo.includes("advocate") ? "advocacy" : null,
  ].filter(Boolean);
}

function contactLinks(contact) {
  const links = [];
  if (contact?.phone) {
    links.push(element("a", { className: "action", href: `tel:${contact.phone.replace(/\s/g, "")}`,
                              textContent: t("Call %(number)s", { number: contact.phone }) }));
  }
  if (contact?.text) {
    links.push(element("a", { className: "action secondary", href: `sms:${contact.text.replace(/\s/g, "")}`,
                              textContent: t("Text %(number)s", { number: contact.text }) }));
  }
  if (contact?.web) {
    links.push(element("a", { className: "action secondary", href: contact.web, target: "_blank",
                              rel: "noopener", textContent: t("Website") }));
  }
  return links;
}

function serviceCard(service, language) {
  // (a service whose hours are not known is neither called open nor closed)
  const open = service.hours ? (service.openNow ? t("Open now") : t("Closed now")) : null;
  const facts = [open, service.free ? t("Free") : null,
                 service.welsh_language ? t("You can talk in Welsh") : null].filter(Boolean);
  return element("li", { className: "service" },
    element("h2", { textContent: inLanguage(service.name, language) }),
    element("p", { textContent: inLanguage(service.what_it_does, language) }),
    element("p", { className: "service-facts", textContent: facts.join(" · ") }),
    element("div", { className: "actions" }, ...contactLinks(service.contact)));
}

function advocacy(session, section, again) {
  const { report, child } = section;
  const asked = report.advocate_requested === true;
  const ask = async () => {
    await records.save(session, "self_reports", report.id,
                       { advocate_requested: true, advocate_requested_at: new Date().toISOString() });
    again();
  };
  const region = element("section", { className: "advocacy" },
    element("h2", { id: "advocacy-heading", textContent: t("An advocate") }),
    element("p", { textContent: t("An advocate is on your side. They help you say what you want, and make sure adults listen.") }),
    child?.looked_after ? element("p", { textContent: t("Children in care can always have an advocate.") }) : null,
    asked ? element("p", { className: "done", role: "status", textContent: t("Your worker will know you want an advocate.") })
      : button(t("I would like an advocate"), ask, { className: "big" }));
  region.setAttribute("aria-labelledby", "advocacy-heading");
  return region;
}

export async function showHelp(session, section, giveBack) {
  const { report, child } = section;
  const language = report.language;
  const services = helpForChild(await sync.reference(session, "directory"), {
    age: ageOn(child?.date_of_birth), lookedAfter: Boolean(child?.looked_after),
    areaCode: child?.host_authority_code || child?.placing_authority_code || null, language,
    needs: needsOf(report) });
  const again = async () => showHelp(session, { ...section, report: await records.one(session, "self_reports", report.id) }, giveBack);
  const title = t("People who can help you");
  const intro = t("You can call or text them yourself, now or later.");
  show(element("div", { className: "young-person" },
    button(t("Back"), () => go(youngPerson.addressOf("done")), { className: "secondary" }),
    element("h1", { textContent: title }), readAloud(() => [title, intro]),
    element("p", { textContent: intro }),
    element("ul", { className: "services" }, ...services.map((service) => serviceCard(service, language))),
    advocacy(session, section, again),
    element("h2", { textContent: t("Thank you") }),
    element("p", { textContent: t("Thank you for telling us how things are for you. What you say matters.") }),
    button(t("Give the tablet back to my worker"), giveBack, { className: "big" })));
}
