// The limits a change must keep before it is queued: the server's own, read off its record
// definitions and sent as the reference part "limits" (sync/PROTOCOL.md), so the worker is told
// at once, in their language and in the server's words, and nothing the server would refuse
// waits in the outbox. Pure functions: the records and reference data they read are given to
// them.
import { t } from "./i18n.js";

// A limit's message in the reader's language: the server's msgid, worded by the app's
// catalogs (made from the server's), with its values.
export function worded(message, values = {}) {
  return t(message.msgid, { ...message.params, ...values });
}

// What is wrong with a change, as {field: [message]}: `own` is the collection's limits (one
// item of the part), `current` the record as the tablet holds it (null for one being made),
// `fields` what the change sets, `ancestors` the record's parent, its parent's parent...
// as the tablet holds them, by collection, `codeLists` the code list items the tablet holds,
// and `reference` the other reference parts a field names an item of (areas), by name.
export function problems(own, current, fields, { ancestors = {}, codeLists = [], reference = {} } = {}) {
  const found = {};
  const add = (name, message) => { (found[name] ||= []).push(message); };
  for (const [name, value] of Object.entries(fields)) {
    const limits = own.fields[name];
    if (!limits) continue;
    const wrong = valueProblem(limits, value);
    if (wrong) { add(name, wrong); continue; }
    const unknown = unknownCodes(limits, value, codeLists);
    if (unknown.length) add(name, worded(limits.messages.code, { codes: unknown.join(", ") }));
    else if (notChosen(limits.chosen_from, value, reference)) add(name, worded(limits.messages.chosen));
  }
  if (!current) {
    for (const [name, limits] of Object.entries(own.fields)) {
      if (limits.required && (fields[name] ?? null) === null && !found[name]) {
        add(name, worded(limits.messages.required));
      }
    }
  }
  const merged = { ...(current || {}), ...fields };
  for (const order of own.time_order) {
    // As the server: a change that sets neither time is not refused for them.
    if (!(order.later in fields) && (order.parent || !(order.earlier in fields))) continue;
    const later = merged[order.later];
    const earlier = order.parent ? ancestors[order.parent]?.[order.earlier] : merged[order.earlier];
    if (later && earlier && !found[order.later] && Date.parse(later) < Date.parse(earlier)) {
      add(order.later, worded(order.message));
    }
  }
  return found;
}

// The first thing wrong with one value (its kind, emptiness, length or choice), worded; or null.
function valueProblem(limits, value) {
  const { messages } = limits;
  if (value === null || value === undefined) return limits.null ? null : worded(messages.null);
  if (!ofKind(limits.kind, value)) return worded(messages.kind);
  // Text is counted in characters as the server counts them (code points, not UTF-16 units).
  const length = typeof value === "string" ? [...value].length
    : Array.isArray(value) ? value.length : null;
  if (length !== null && limits.min_length !== null && length < limits.min_length) {
    return worded(messages.too_short);
  }
  if (length !== null && limits.max_length !== null && length > limits.max_length) {
    return worded(messages.too_long);
  }
  if (limits.choices && !limits.choices.includes(value)) return worded(messages.choices);
  if (limits.items) {
    for (const item of value) {
      const wrong = valueProblem(limits.items, item);
      if (wrong) return wrong;
    }
  }
  if (limits.kind === "object") {
    const inner = [...Object.keys(value).map((key) => [limits.keys, key]),
                   ...Object.values(value).map((each) => [limits.values, each])];
    for (const [itsLimits, each] of inner) {
      const wrong = itsLimits && valueProblem(itsLimits, each);
      if (wrong) return wrong;
    }
  }
  return null;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function ofKind(kind, value) {
  switch (kind) {
    case "text": return typeof value === "string";
    case "instant": return typeof value === "string" && INSTANT.test(value) && !Number.isNaN(Date.parse(value));
    case "date": return typeof value === "string" && DATE.test(value) && !Number.isNaN(Date.parse(value));
    case "boolean": return typeof value === "boolean";
    case "integer": return Number.isInteger(value);
    case "id": return typeof value === "string" && ID.test(value);
    case "list": return Array.isArray(value);
    case "object": return typeof value === "object" && !Array.isArray(value);
    default: return true; // a kind this app does not know yet: the server judges it
  }
}

// The codes of a value that its code list does not hold. A list the tablet holds nothing of
// (reference data not yet fetched) is the server's to judge.
function unknownCodes(limits, value, codeLists) {
  if (!limits.code_list || value === null || value === undefined) return [];
  const known = new Set(codeLists.filter((item) => item.list_name === limits.code_list)
    .map((item) => item.code));
  if (!known.size) return [];
  return (Array.isArray(value) ? value : [value]).filter((code) => code !== null && !known.has(code));
}

// Whether a value names no item of its reference part that holds what the field asks (an area
// of the field's kind). A part the tablet holds nothing of is the server's to judge.
function notChosen(from, value, reference) {
  const items = from && value !== null && value !== undefined ? reference[from.part] || [] : [];
  if (!items.length) return false;
  return !items.some((item) => item[from.key] === value
    && Object.entries(from.where).every(([key, wanted]) => item[key] === wanted));
}
