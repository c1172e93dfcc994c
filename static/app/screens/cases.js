// The worker's cases: the list of their children with the 72-hour clock, adding a child or a
// missing episode when a referral comes by phone, and a child's own page.
import { currentLanguage, t, tn } from "../i18n.js";
import { button, choiceField, chosenValue, element, inputField, problemsOf, selectField } from "../dom.js";
import { backLink, go, redrawShown, render, status, tellOnNextScreen } from "../frame.js";
import { keepTyped, longList, typedFor } from "../longlist.js";
import { formatDate, formatDateTime, formatNumber, londonInputValue } from "../format.js";
import { readTime } from "./times.js";
import * as cases from "../cases.js";
import * as records from "../records.js";
import { newId } from "../ids.js";

export const { clockText } = cases;

// An interview's state in the supervisor's words; when returned, what to do next.
function interviewState(interview) {
  if (!interview) return [];
  const status = interview.status;
  return [element("p", { className: "interview-state", textContent: {
    submitted: t("Waiting for review"), returned: t("Returned to the worker"),
    approved: t("Approved") }[status] ?? t("Not finished yet") }),
  status === "returned" && element("p", { className: "next-step",
    textContent: t("Next: open it, change what was asked, and submit it again.") })];
}

function pendingBadge(record) {
  // A refused change is not waiting: it needs the worker (Records needing attention).
  if (record?._refused) return element("span", { className: "badge refused", textContent: t("Refused: needs a change") });
  return record?._pending
    ? element("span", { className: "badge", textContent: t("Waiting to be sent") }) : null;
}

const SEARCH_FROM = 10; // children: with more, the list has a box to find one by name

export async function showChildren(session) {
  // Opening the app: the first screenful from the summary's head, then the whole list (to
  // scroll through, to search, to redraw after a sync) once its summary is read.
  const head = typedFor("children") ? null : await records.summaryHead(session);
  if (head?.language === currentLanguage()) {
    drawChildren(head.children, cases.indexes(head.episodes, head.interviews), head.total);
    records.summaries(session, ["children"]).then(redrawShown, () => {});
    return;
  }
  const { children, episodes, interviews } = await records.summaries(session, ["children", "episodes", "interviews"]);
  children.sort(records.byName); // (the summary keeps them in this order: little to do)
  drawChildren(children, cases.indexes(episodes, interviews), children.length);
}

// The list of children: `children` in order (the first of them, when total is more).
function drawChildren(children, joins, total) {
  const searched = total > SEARCH_FROM;
  const typed = searched ? typedFor("children") : "";
  const found = named(children, typed);
  render(element("h1", { textContent: t("Your children") }),
    element("div", { className: "actions" },
      element("a", { className: "action", href: "#/children/new", textContent: t("Add a child") }),
      status.pending ? element("a", { className: "action secondary", href: "#/rescue",
                                      textContent: t("Save a copy of changes not sent") }) : null),
    searched && searchForm(typed),
    searched && element("p", { id: "children-found", className: "found", role: "status",
                               textContent: foundText(typed, found.length) }),
    total
      ? longList("children", { className: "children" }, found, childRows(joins),
                 { more: t("Show more children"), shown: (shown, all) => t("Showing %(shown)s of %(total)s",
                   { shown: formatNumber(shown, currentLanguage()), total: formatNumber(all, currentLanguage()) }) },
                 { total: typed ? found.length : total })
      : element("p", { textContent: t("No children yet. Sync to fetch your cases.") }));
}

// Finding a child by name among many: the list narrows as the worker types (the rows not drawn
// are not there for the browser's own find to see).
function searchForm(typed) {
  const field = inputField("find-child", t("Find a child"), null, "search",
                           { value: typed, hint: t("Type part of their name") });
  const input = field.querySelector("input");
  input.spellcheck = false;
  input.addEventListener("input", () => {
    keepTyped("children", input.value);
    redrawShown();
  });
  const form = element("form", { role: "search", className: "find", noValidate: true }, field);
  form.addEventListener("submit", (event) => event.preventDefault()); // (the list narrows as typed)
  return form;
}

function foundText(typed, count) {
  if (!typed.trim()) return "";
  return count ? t("Children found: %(num)s", { num: formatNumber(count, currentLanguage()) })
    : t("No child has a name like that. Check the spelling, or type less of the name.");
}

// The children whose name has every word typed in it, whatever the accents and capitals
// ("wyn" finds Ŵyn).
const folded = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
function named(children, typed) {
  const words = folded(typed).split(/\s+/).filter(Boolean);
  if (!words.length) return children;
  return children.filter((child) => {
    const name = folded(records.fullName(child));
    return words.every((word) => name.includes(word));
  });
}

// Each child's row of the list, as a key that says all it shows (its clock, the interview's
// state, what is waiting, the language) and a way to build it: a row whose key is unchanged is
// not built again. Worked out only for the rows drawn.
function childRows(joins) {
  const now = Date.now();
  const language = currentLanguage();
  const clockTexts = new Map(); // most rows share a handful of clock texts
  const clockOf = (state) => {
    const shape = `${state.kind} ${state.hours}`;
    if (!clockTexts.has(shape)) clockTexts.set(shape, clockText(state));
    return clockTexts.get(shape);
  };
  return (child) => {
    const { interview, state } = cases.mostUrgent(joins.episodesOf(child), joins.interviewOf, now);
    const clock = clockOf(state);
    const name = records.fullName(child);
    const key = JSON.stringify([child.id, name, state.kind, clock, interview ? interview.status ?? "open" : null,
                                Boolean(child._pending), Boolean(child._refused), language]);
    return { key, build: () => element("li", { className: `child clock-${state.kind}` },
      element("a", { href: `#/children/${child.id}`, textContent: name }),
      element("span", { className: "clock", textContent: clock }),
      ...interviewState(interview), pendingBadge(child)) };
  };
}

// --- adding a child, or changing their details -------------------------------------------------
function childErrors(entered) {
  const found = {};
  if (!entered.given_name) found.given_name = t("Enter the child's first name");
  if (!entered.family_name) found.family_name = t("Enter the child's last name");
  if (entered.date_of_birth && entered.date_of_birth > new Date().toISOString().slice(0, 10)) {
    found.date_of_birth = t("The date of birth must be in the past");
  }
  return found;
}

// What the form holds, as the child's fields.
function enteredChild(form) {
  const entered = { given_name: form.elements.given_name.value.trim(),
                    family_name: form.elements.family_name.value.trim(),
                    date_of_birth: form.elements.date_of_birth.value || null,
                    placing_authority_code: form.elements.placing_authority_code.value || null,
                    host_authority_code: form.elements.host_authority_code.value || null };
  const [preferred] = chosenValue(form, "preferred_language");
  const [lookedAfter] = chosenValue(form, "looked_after");
  if (preferred) entered.preferred_language = preferred;
  if (lookedAfter) entered.looked_after = lookedAfter === "yes";
  return entered;
}

// Only what differs from the child as the tablet holds them (a new child: all of it), so a
// change touches no field the worker left alone.
function changedFields(entered, child) {
  if (!child) return entered;
  return Object.fromEntries(Object.entries(entered).filter(([name, value]) => value !== (child[name] ?? null)));
}

export function showAddChild(session) {
  return showChildForm(session, null);
}

export async function showEditChild(session, childId) {
  const child = await records.one(session, "children", childId);
  if (!child) return go("#/");
  return showChildForm(session, child, {}, child);
}

async function showChildForm(session, child, errors = {}, values = {}) {
  const yesNo = [["yes", t("Yes")], ["no", t("No")]];
  const authorities = await records.areaGroups(session, "local_authority");
  const authority = (name, label) => selectField(name, label, authorities, errors[name],
                                                 { chosen: values[name], none: t("Not known") });
  const form = element("form", { noValidate: true },
    inputField("given_name", t("First name"), errors.given_name, "text", { value: values.given_name }),
    inputField("family_name", t("Last name"), errors.family_name, "text", { value: values.family_name }),
    inputField("date_of_birth", t("Date of birth (if known)"), errors.date_of_birth, "date",
               { value: values.date_of_birth }),
    choiceField("preferred_language", t("Which language does the child prefer?"),
                [["cy", "Cymraeg"], ["en", "English"]], errors.preferred_language,
                { chosen: values.preferred_language }),
    choiceField("looked_after", t("Is the child looked after (in care)?"), yesNo, errors.looked_after,
                { chosen: values.looked_after === undefined ? [] : values.looked_after ? "yes" : "no" }),
    authority("placing_authority_code", t("Placing authority (responsible for the child)")),
    authority("host_authority_code", t("Host authority (where the child lives)")),
    element("button", { type: "submit", textContent: t("Save") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const entered = enteredChild(form);
    const found = childErrors(entered);
    if (Object.keys(found).length) return showChildForm(session, child, found, entered);
    const id = child?.id ?? newId();
    const fields = changedFields(entered, child);
    const refused = Object.keys(fields).length
      ? await records.saveOrErrors(session, "children", id, fields) : null;
    if (refused) return showChildForm(session, child, refused, entered);
    if (child) tellOnNextScreen(t("Saved"));
    go(`#/children/${id}`);
  });
  render(backLink(child ? `#/children/${child.id}` : "#/"),
    element("h1", { textContent: child ? t("Change the child's details") : t("Add a child") }),
    problemsOf(errors), form);
}

// --- a child's page --------------------------------------------------------------------------
function summaryRow(label, value, lang) {
  return [element("dt", { textContent: label }), element("dd", { textContent: value, ...(lang && { lang }) })];
}

// The return notice and the child's wish about their worker, as the supervisor recorded them
// at intake (read-only here: the server writes them). The same words as the intake's pages.
const NOTIFIER_NAMES = () => ({ police: t("The police"), local_authority: t("The local authority"),
                                carer: t("A parent or carer"), other: t("Someone else") });
const WISH_NAMES = () => ({ same: t("The same worker as last time"), different: t("A different worker"),
                            none: t("No wish") });

function intakeRows(episode, language) {
  const rows = [];
  if (episode.notified_by) {
    const who = NOTIFIER_NAMES()[episode.notified_by] ?? episode.notified_by;
    rows.push(...summaryRow(t("Who told us"), episode.notified_at
      ? `${who}, ${formatDateTime(episode.notified_at, language)}` : who));
  }
  if (episode.worker_wish) {
    rows.push(...summaryRow(t("What the child asked about their worker"),
                            WISH_NAMES()[episode.worker_wish] ?? episode.worker_wish));
  }
  return rows;
}

function episodeItem(session, episode, interview) {
  const language = currentLanguage();
  const state = cases.clockState(episode, interview);
  const details = element("dl", { className: "summary" },
    ...summaryRow(t("Reported missing"), formatDateTime(episode.reported_missing_at, language)),
    ...summaryRow(t("Back"), episode.returned_at ? formatDateTime(episode.returned_at, language)
      : t("Not back yet")), ...intakeRows(episode, language));
  const actions = element("div", { className: "actions" });
  if (interview) {
    actions.append(element("a", { className: "action", href: `#/interviews/${interview.id}`,
                                  textContent: t("Open the return interview") }));
  } else if (episode.returned_at) {
    actions.append(button(t("Start the return interview"), () => startInterview(session, episode)));
  }
  actions.append(element("a", { className: "action secondary", href: `#/episodes/${episode.id}/edit`,
                                textContent: episode.returned_at ? t("Change the dates")
                                  : t("Record the return") }));
  return element("li", { className: `episode clock-${state.kind}` },
    element("h3", { textContent: t("Missing from %(date)s", { date: formatDate(episode.reported_missing_at, language) }) }),
    element("p", { className: "clock", textContent: clockText(state) }), ...interviewState(interview),
    pendingBadge(episode), details, actions);
}

async function startInterview(session, episode) {
  const id = newId();
  const questionnaire = await records.questionnaireFor(session, null);
  const refused = await records.saveOrErrors(session, "interviews", id, {
    episode_id: episode.id, questionnaire_version_id: questionnaire?.id ?? null,
    language: currentLanguage() });
  if (refused) {
    tellOnNextScreen(Object.values(refused).join(" "));
    return go(`#/children/${episode.child_id}`);
  }
  go(`#/interviews/${id}`);
}

// Out of area is the server's to work out (app/cases/derived.py); a change not yet sent may
// alter it, so until then it is not shown as known.
function outOfArea(child) {
  if (child._pending) return t("Worked out once sent");
  return { true: t("Yes"), false: t("No") }[child.out_of_area] ?? t("Not known");
}

async function areaRow(session, label, code) {
  return summaryRow(label, ...(code ? await records.areaName(session, code) : [t("Not known")]));
}

export async function showChild(session, childId) {
  const child = await records.one(session, "children", childId);
  if (!child) return go("#/");
  const { episodes, interviews } = await records.summaries(session, ["episodes", "interviews"]);
  const joins = cases.indexes(episodes, interviews);
  // Only this child's episodes are opened whole: the summary holds what the page shows of the
  // interviews (their state and clock), and a child has a few episodes of thousands.
  const mine = await Promise.all(joins.episodesOf(child)
    .map((episode) => records.one(session, "episodes", episode.id)));
  const language = currentLanguage();
  render(backLink("#/", t("Your children")),
    element("h1", { textContent: records.fullName(child) }), pendingBadge(child),
    element("dl", { className: "summary" },
      ...summaryRow(t("Date of birth"), child.date_of_birth ? formatDate(child.date_of_birth, language)
        : t("Not known")),
      ...summaryRow(t("Looked after"), child.looked_after ? t("Yes") : t("No")),
      ...await areaRow(session, t("Placing authority"), child.placing_authority_code),
      ...await areaRow(session, t("Host authority"), child.host_authority_code),
      ...summaryRow(t("Out of area"), outOfArea(child))),
    element("div", { className: "actions" },
      element("a", { className: "action secondary", href: `#/children/${child.id}/edit`,
                     textContent: t("Change the child's details") })),
    element("h2", { textContent: t("Missing episodes") }),
    element("div", { className: "actions" },
      element("a", { className: "action", href: `#/children/${child.id}/episodes/new`,
                     textContent: t("Add a missing episode") })),
    mine.length ? element("ul", { className: "episodes" },
      ...mine.map((episode) => episodeItem(session, episode, joins.interviewOf(episode))))
      : element("p", { textContent: t("No missing episodes recorded") }));
}

// --- a missing episode -----------------------------------------------------------------------
function episodeErrors(form) {
  const found = {};
  const reported = readTime(form, "reported_missing_at", found, t("Enter when the child was reported missing"));
  const returned = readTime(form, "returned_at", found);
  return { found, reported, returned };
}

export async function showEpisodeForm(session, childId, episodeId, errors = {}, values = null) {
  const episode = episodeId ? await records.one(session, "episodes", episodeId) : null;
  if (episodeId && !episode) return go("#/");
  const owner = childId || episode.child_id;
  const shown = values || { reported_missing_at: londonInputValue(episode?.reported_missing_at),
                            returned_at: londonInputValue(episode?.returned_at),
                            return_method: episode?.return_method,
                            reporting_force_code: episode?.reporting_force_code,
                            where_found: episode?.where_found };
  const form = element("form", { noValidate: true },
    inputField("reported_missing_at", t("When was the child reported missing?"), errors.reported_missing_at,
               "datetime-local", { value: shown.reported_missing_at }),
    inputField("returned_at", t("When did the child come back? (leave empty if not back yet)"),
               errors.returned_at, "datetime-local", { value: shown.returned_at }),
    choiceField("return_method", t("How did the child come back?"),
                await records.options(session, "return_method"), errors.return_method,
                { chosen: shown.return_method }),
    selectField("reporting_force_code", t("Which police force was the child reported to?"),
                await records.areaGroups(session, "police_force"),
                errors.reporting_force_code, { chosen: shown.reporting_force_code, none: t("Not known") }),
    inputField("where_found", t("Where was the child found? (if known)"), errors.where_found, "text",
               { value: shown.where_found }),
    element("button", { type: "submit", textContent: t("Save") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { found, reported, returned } = episodeErrors(form);
    const [method] = chosenValue(form, "return_method");
    const places = { reporting_force_code: form.elements.reporting_force_code.value || null,
                     where_found: form.elements.where_found.value.trim() || null };
    const again = (errors) => showEpisodeForm(session, childId, episodeId, errors, {
      reported_missing_at: form.elements.reported_missing_at.value,
      returned_at: form.elements.returned_at.value, return_method: method, ...places });
    if (Object.keys(found).length) return again(found);
    const fields = { reported_missing_at: reported, returned_at: returned, return_method: method ?? null,
                     ...places };
    if (!episode) fields.child_id = owner;
    // The server's limits (a return after the report, among them) are checked as it saves.
    const refused = await records.saveOrErrors(session, "episodes", episode?.id ?? newId(), fields);
    if (refused) return again(refused);
    tellOnNextScreen(t("Saved"));
    go(`#/children/${owner}`);
  });
  render(backLink(`#/children/${owner}`),
    element("h1", { textContent: episode ? t("Change the missing episode") : t("Add a missing episode") }),
    problemsOf(errors), form);
}
