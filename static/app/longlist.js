// Long lists (a worker's 2,000 children), drawn as the worker sees them and redrawn only where
// they changed (issue 25's measurements are in bench/tablet_scale.py).
// - Only the rows near the screen are drawn: the first few screenfuls come with the screen, and
//   more as the worker scrolls near the end of those (or presses "Show more", which a keyboard
//   or a screen reader reaches). Opening the app costs the same with 2,000 children as with 200:
//   drawing all 2,000 rows, even in slices between taps, took a slowed tablet half a second.
// - Each row is given by a key that says everything it shows, and a way to build it, worked
//   out only for the rows drawn. A row once built is kept while the app is unlocked and used
//   again wherever its key comes again: going back to the list, or a sync that changed one
//   child, builds only the rows that changed.
// - Drawn again in place (a sync while the list is shown), the rows that did not change are the
//   same elements, untouched: the worker's scroll and focus stay with them.
import { button, element } from "./dom.js";

export const FIRST_ROWS = 50; // a few screenfuls on a tablet, either way up
const MORE_ROWS = 50;

const jobs = new WeakMap(); // a long list's element: { name, items, rowOf, labels, drawn }
const kept = new Map(); // a list's name: Map(row key: row element)
const reached = new Map(); // a list's name: how many rows the worker had drawn
const typed = new Map(); // a list's name: what the worker typed to narrow it

// A long list, for render() to draw: a list element of the items' rows, and beneath it how many
// are shown of how many, with a button for more. name: which list it is (the children), so
// its rows are found again in the next drawing of it. rowOf(item) gives { key, build }.
// labels: { shown(shown, total), more } in the reader's language. total: how many the whole
// list holds, when items are only its first (drawn before the rest is read).
export function longList(name, properties, items, rowOf, labels, { total = items.length } = {}) {
  const more = button(labels.more, () => showMore(holder, { focus: true }), { className: "secondary" });
  const holder = element("div", { className: "long-list" }, element("ul", properties),
    element("p", { className: "list-more" }, element("span"), " ", more));
  jobs.set(holder, { name, items, rowOf, labels, total, drawn: 0 });
  return holder;
}

export const isLongList = (node) => jobs.has(node);

// The app locked: no row (children's names), and nothing typed, is kept.
export function forgetRows() {
  kept.clear();
  reached.clear();
  typed.clear();
  observer?.disconnect();
  watching.clear();
}

// What the worker typed to narrow a list, kept while unlocked: a redraw after a sync keeps it.
export const typedFor = (name) => typed.get(name) ?? "";
export function keepTyped(name, text) {
  typed.set(name, text);
}

// Each row's element: kept from the last drawing of the list when its key is the same. A new
// drawing keeps only its own rows; rows added to a drawing join those kept.
function rowMaker(name, { adding = false } = {}) {
  const before = kept.get(name) ?? new Map();
  const now = adding ? before : new Map();
  kept.set(name, now);
  return (row) => {
    const made = before.get(row.key) ?? now.get(row.key) ?? row.build();
    now.set(row.key, made);
    return made;
  };
}

// Draws a long list just put on screen: its first rows, or, drawn again by itself (a sync
// that changed the screen's shape), as many as the worker had drawn, so their place is found.
export function fill(holder, { again = false } = {}) {
  const job = jobs.get(holder);
  const rowOf = rowMaker(job.name);
  const count = rowsToDraw(job, again ? reached.get(job.name) ?? 0 : 0);
  holder.firstElementChild.append(...job.items.slice(0, count).map((item) => rowOf(job.rowOf(item))));
  drawn(holder, job, count);
}

const rowsToDraw = (job, atLeast) => Math.min(job.items.length, Math.max(FIRST_ROWS, atLeast));

function drawn(holder, job, count) {
  job.drawn = count;
  reached.set(job.name, count);
  const line = holder.lastElementChild;
  line.hidden = count >= job.total;
  line.firstElementChild.textContent = job.labels.shown(count, job.total);
  if (!line.hidden) watch(line.lastElementChild);
}

// More rows at the end. A worker who pressed the button, or came to it from the keyboard (its
// focus would be lost as it hides), is taken to the first of them. Gives whether any came
// (none until the rest of the list is read, when only its first rows were given).
function showMore(holder, { focus = false } = {}) {
  const job = jobs.get(holder);
  if (!holder.isConnected || job.drawn >= job.items.length) return false;
  const rowOf = rowMaker(job.name, { adding: true });
  const list = holder.firstElementChild;
  const onButton = holder.lastElementChild.contains(document.activeElement);
  const [first, ...rest] = job.items.slice(job.drawn, job.drawn + MORE_ROWS).map((item) => rowOf(job.rowOf(item)));
  list.append(first, ...rest);
  drawn(holder, job, job.drawn + 1 + rest.length);
  if (focus || onButton) first.querySelector("a, button")?.focus();
  return true;
}

// More rows are drawn when the button comes within a screen of being seen, so a worker who
// scrolls never meets the end of what is drawn. Looked at again after each drawing: a quick
// fling can leave the button near the screen still.
let observer = null;
const watching = new Set(); // the buttons watched: those of lists no longer shown are let go
function watch(more) {
  observer ??= new IntersectionObserver((entries) => {
    for (const { target, isIntersecting } of entries) {
      const holder = target.closest(".long-list");
      if (!isIntersecting || !holder || !showMore(holder)) continue;
      observer.unobserve(target);
      if (!holder.lastElementChild.hidden) observer.observe(target);
    }
  }, { rootMargin: "0px 0px 100% 0px" });
  for (const old of watching) {
    if (!old.isConnected) { observer.unobserve(old); watching.delete(old); }
  }
  watching.add(more);
  observer.unobserve(more); // (watched afresh: a button already near the screen is seen again)
  observer.observe(more);
}

// Brings the long list on screen to a new drawing of it, touching only the rows that changed,
// and keeping as many rows drawn as the worker had. Gives whether anything changed.
export function patch(shown, wanted) {
  const job = jobs.get(wanted);
  const count = rowsToDraw(job, jobs.get(shown).drawn);
  jobs.set(shown, job);
  const rowOf = rowMaker(job.name);
  const list = shown.firstElementChild;
  let changed = false;
  let at = list.firstElementChild;
  for (const item of job.items.slice(0, count)) {
    const node = rowOf(job.rowOf(item));
    if (node === at) {
      at = at.nextElementSibling;
    } else {
      list.insertBefore(node, at);
      changed = true;
    }
  }
  while (at) {
    const after = at.nextElementSibling;
    at.remove();
    at = after;
    changed = true;
  }
  const line = shown.lastElementChild;
  const before = [line.hidden, line.firstElementChild.textContent];
  drawn(shown, job, count);
  return changed || before[0] !== line.hidden || before[1] !== line.firstElementChild.textContent;
}
