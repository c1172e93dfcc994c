// Long lists (a worker's 2,000 children), drawn as the worker sees them and redrawn only where
// they changed (issue 25's measurements are in bench/tablet_scale.py).
// - Each row is given by a key that says everything it shows, and a way to build it. A row once
//   built is kept while the app is unlocked and used again wherever its key comes again: going
//   back to the list, or a sync that changed one child, builds only the rows that changed.
// - Drawn afresh, the first screenful comes with the screen and the rest follows in slices, so
//   the worker can scroll and tap meanwhile: all 2,000 rows at once froze a slowed tablet for
//   about half a second.
// - Drawn again in place (a sync while the list is shown), the rows that did not change are the
//   same elements, untouched: the worker's scroll and focus stay with them.
import { element } from "./dom.js";

const FIRST_ROWS = 30; // more than a screenful on a tablet, either way up
const SLICE_MS = 20; // of building rows between the chances to scroll and tap

const jobs = new WeakMap(); // a list element: { name, rows } it is to hold
const kept = new Map(); // a list's name: Map(row key: row element)

// An empty list that render() fills. rows: [{ key, build }], in order; name: which list it is
// (the children), so that its rows are found again in the next drawing of it.
export function longList(name, properties, rows) {
  const list = element("ul", properties);
  jobs.set(list, { name, rows });
  return list;
}

export const isLongList = (node) => jobs.has(node);

// The app locked: no row (children's names) is kept.
export function forgetRows() {
  kept.clear();
}

// Each row's element: kept from the last drawing of the list when its key is the same.
function rowMaker(name) {
  const before = kept.get(name) ?? new Map();
  const now = new Map();
  kept.set(name, now);
  return ({ key, build }) => {
    const row = before.get(key) ?? build();
    now.set(key, row);
    return row;
  };
}

// Once the browser has painted what is there; then, between slices, a fresh task (a timer's
// would be held back 4 ms after the first few).
const afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
function nextTask() {
  const channel = new MessageChannel();
  return new Promise((resolve) => { channel.port1.onmessage = resolve; channel.port2.postMessage(null); });
}

// Fills a list just drawn: the first screenful at once, then the rest in slices (all at once
// when atOnce: a redraw that must find the worker's place far down). Gives true when the list
// is whole, false when another drawing took its place first.
export async function fill(list, { atOnce = false } = {}) {
  const job = jobs.get(list);
  const rowOf = rowMaker(job.name);
  const { rows } = job;
  let next = atOnce ? rows.length : Math.min(FIRST_ROWS, rows.length);
  list.append(...rows.slice(0, next).map(rowOf));
  for (let first = true; next < rows.length; first = false) {
    await (first ? afterPaint() : nextTask());
    if (jobs.get(list) !== job || !list.isConnected) return false;
    const until = performance.now() + SLICE_MS;
    const part = [];
    while (next < rows.length && performance.now() < until) part.push(rowOf(rows[next++]));
    list.append(...part);
  }
  return true;
}

// Brings the list on screen to the rows of a new drawing of it, touching only the rows that
// changed (a row half drawn is finished here). Gives whether anything changed.
export function patch(shown, wanted) {
  const job = jobs.get(wanted);
  jobs.set(shown, job); // any slices still to come for the list on screen stop
  const rowOf = rowMaker(job.name);
  let changed = false;
  let at = shown.firstElementChild;
  for (const row of job.rows) {
    const node = rowOf(row);
    if (node === at) {
      at = at.nextElementSibling;
    } else {
      shown.insertBefore(node, at);
      changed = true;
    }
  }
  while (at) {
    const after = at.nextElementSibling;
    at.remove();
    at = after;
    changed = true;
  }
  return changed;
}
