// @ts-check
/**
 * heap-model.js — decides what the frames and heap views draw for one replayer state
 * (pure data → data, no DOM; tested in Node): which objects get a box and in which row,
 * which values sit inline in their slot, which objects are garbage (announced, not
 * freed, and unreachable in the cycle collector's own sense), and the labels of cells.
 */

/** @typedef {import('../model/replay.js').State} State */
/** @typedef {import('../model/replay.js').HeapObject} HeapObject */
/** @typedef {{ref: number, weak?: boolean}} Edge */

/** Names of the module namespace that a learner did not write (hidden in the picture). */
export const DUNDER = /^__\w+__$/;
/** Class-dict entries that every class has; hidden in the class box. */
export const CLASS_NOISE = new Set(['__module__', '__qualname__', '__dict__', '__weakref__', '__doc__', '__firstlineno__', '__static_attributes__', '__classcell__']);
/** Types drawn as a value in their slot when the "inline" toggle is on. */
const SCALARS = new Set(['int', 'float', 'str', 'bool', 'NoneType', 'complex']);
/** Types always drawn inline (singletons whose boxes would only add clutter). */
const ALWAYS_INLINE = new Set(['NoneType', 'bool', 'NotImplementedType', 'ellipsis']);

/**
 * Every reference an object's description holds, in display order. Weak references
 * are marked; they add no count and keep nothing alive.
 * @param {HeapObject} o
 * @returns {Edge[]}
 */
export function refsOf(o) {
  /** @type {Edge[]} */
  const out = [];
  const add = (/** @type {any} */ r, weak = false) => { if (typeof r === 'number') out.push(weak ? { ref: r, weak } : { ref: r }); };
  switch (o.type) {
    case 'dict':
      for (const [k, v] of o.items || []) { add(k); add(v); }
      break;
    case 'cell': add(o.ref); break;
    case 'function':
      for (const r of o.defaults || []) add(r);
      for (const r of o.closure || []) add(r);
      add(o.kwdefaults);
      break;
    case 'method': add(o.func); add(o.self); break;
    case 'builtin_function_or_method': add(o.self); break;
    case 'weakref': add(o.ref, true); break;
    case 'type':
      for (const r of o.bases || []) add(r);
      add(o.dict);
      break;
    case 'generator':
      for (const [, r] of o.locals || []) add(r);
      break;
    default:
      if (Array.isArray(o.items)) for (const r of o.items) add(r);
      if (Array.isArray(o.args)) for (const r of o.args) add(r);
      add(o.cls);
      add(o.dict);
      for (const [, r] of o.slots || []) add(r);
  }
  return out;
}

/**
 * @param {State} s
 * @param {number | null | undefined} id
 */
function strValue(s, id) {
  const o = id == null ? undefined : s.objects.get(id);
  return o && o.type === 'str' ? String(o.value) : null;
}

/**
 * The namespace dicts that frames show as their variables (globals, class bodies).
 * @param {State} s
 */
export function namespaceDicts(s) {
  const set = new Set();
  for (const f of s.frames) {
    if (f.locals_dict != null) set.add(f.locals_dict);
    if (f.globals != null) set.add(f.globals);
  }
  return set;
}

/**
 * The variables a frame shows, in definition order: [name, ref, kind] where kind is
 * 'local', 'cell' (a cellvar slot) or 'free' (a freevar slot).
 * @param {State} s
 * @param {import('../model/replay.js').FrameState} f
 * @returns {[string, number, string][]}
 */
export function frameVariables(s, f) {
  /** @type {[string, number, string][]} */
  const out = [];
  if (f.locals_dict != null && f.names.length === 0) {
    const d = s.objects.get(f.locals_dict);
    const isModule = f.parent == null || f.locals_dict === f.globals;
    for (const [k, v] of (d && d.items) || []) {
      const name = strValue(s, k);
      if (name == null || v == null) continue;
      if (isModule ? DUNDER.test(name) : CLASS_NOISE.has(name)) continue;
      out.push([name, v, 'local']);
    }
    return out;
  }
  const nvar = f.names.length - countCellAndFree(s, f);
  f.slots.forEach((ref, i) => {
    if (ref == null) return;
    const kind = i < nvar ? 'local' : i < nvar + f.cells ? 'cell' : 'free';
    out.push([f.names[i], ref, kind]);
  });
  return out;
}

/**
 * How many of a frame's slots are cellvars or freevars: the stream gives the cellvar
 * count; the freevars are as many as the cells in the function's closure.
 * @param {State} s
 * @param {import('../model/replay.js').FrameState} f
 */
function countCellAndFree(s, f) {
  const fn = f.func == null ? undefined : s.objects.get(f.func);
  const free = fn && Array.isArray(fn.closure) ? fn.closure.length : 0;
  return f.cells + free;
}

/**
 * The ids that are garbage: announced, not freed, and unreachable the way the cycle
 * collector decides it — not reachable from a frame, and not held by any reference
 * from outside the unreachable set (refcount minus the references among them > 0
 * means something we cannot see, such as a value stack, still holds the object).
 * @param {State} s
 * @returns {Set<number>}
 */
export function garbageOf(s) {
  /** @type {number[]} */
  const roots = [];
  for (const f of s.frames) {
    for (const r of f.slots) if (r != null) roots.push(r);
    for (const r of [f.globals, f.locals_dict, f.func]) if (r != null) roots.push(r);
  }
  if (s.returned && s.returned.ret != null) roots.push(s.returned.ret);
  if (s.exception && s.exception.ref != null) roots.push(s.exception.ref);
  const reached = reach(s, roots, new Set());
  /** @type {Map<number, number>} */
  const internal = new Map();
  /** @type {number[]} */
  const held = [];
  for (const [id, o] of s.objects) {
    if (reached.has(id)) continue;
    for (const e of refsOf(o)) if (!e.weak && !reached.has(e.ref)) internal.set(e.ref, (internal.get(e.ref) || 0) + 1);
  }
  for (const [id, o] of s.objects) {
    if (reached.has(id)) continue;
    if (o.immortal || typeof o.rc !== 'number' || o.rc > (internal.get(id) || 0)) held.push(id);
  }
  reach(s, held, reached);
  const garbage = new Set();
  for (const [id] of s.objects) if (!reached.has(id)) garbage.add(id);
  return garbage;
}

/**
 * Marks everything reachable from [roots] through strong references into [seen].
 * @param {State} s
 * @param {number[]} roots
 * @param {Set<number>} seen
 */
function reach(s, roots, seen) {
  const stack = roots.slice();
  while (stack.length) {
    const id = /** @type {number} */ (stack.pop());
    if (seen.has(id)) continue;
    const o = s.objects.get(id);
    if (!o) continue;
    seen.add(id);
    for (const e of refsOf(o)) if (!e.weak && !seen.has(e.ref)) stack.push(e.ref);
  }
  return seen;
}

/**
 * Items of a list, tuple, set or dict drawn in its box; the rest are counted ("… and N
 * more"), and objects only they refer to get no box. A learner cannot read thousands of
 * slots, and drawing them would stall the page.
 */
export const MAX_SHOWN_ITEMS = 24;

/**
 * The items of a container that its box draws.
 * @template T
 * @param {T[]} items
 * @returns {T[]}
 */
export function shownItems(items) {
  return items.length > MAX_SHOWN_ITEMS ? items.slice(0, MAX_SHOWN_ITEMS) : items;
}

/** A stack deeper than this many frames is drawn collapsed (unless the learner expands it). */
export const COLLAPSE_OVER = 24;
/** Frames kept on each side of the collapsed middle: the oldest, and the newest. */
export const KEEP_BOTTOM = 3;
export const KEEP_TOP = 10;

/**
 * The frames a collapsed stack leaves out: indexes [from, to) of state.frames, or null
 * when every frame shows.
 * @param {number} count frames on the stack
 * @param {boolean} [expanded] the learner asked to see every frame
 * @returns {{from: number, to: number} | null}
 */
export function hiddenFrames(count, expanded = false) {
  if (expanded || count <= COLLAPSE_OVER) return null;
  return { from: KEEP_BOTTOM, to: count - KEEP_TOP };
}

/**
 * @typedef {{
 *   rows: number[][], garbage: number[], boxes: Set<number>, garbageSet: Set<number>,
 *   inline: (id: number) => boolean, hiddenDicts: Set<number>, namespaces: Set<number>,
 *   hiddenObjects: number
 * }} HeapModel
 */

/**
 * Builds what the heap view draws: rows of boxes in the order a learner meets them
 * (frames bottom to top, variables in order, then what each object refers to),
 * followed by the garbage.
 * Objects that only the frames of a collapsed stack refer to get no box (their names are
 * not on screen, so nothing would point at them); `hiddenObjects` counts them.
 * @param {State} s
 * @param {{inline?: boolean, expanded?: boolean}} [options] inline: draw ints/floats/strs
 *   in their slot; expanded: the learner expanded a collapsed stack
 * @returns {HeapModel}
 */
export function buildHeapModel(s, options = {}) {
  const inlineAll = !!options.inline;
  const inline = (/** @type {number} */ id) => {
    const o = s.objects.get(id);
    if (!o) return false;
    return ALWAYS_INLINE.has(o.type) || (inlineAll && SCALARS.has(o.type) && !(o.type === 'str' && String(o.value).length > 40));
  };
  const namespaces = namespaceDicts(s);
  /** @type {Set<number>} dicts drawn inside their owner's box (instance and class dicts) */
  const hiddenDicts = new Set();
  for (const [, o] of s.objects) {
    if (o.type === 'dict' || o.dict == null) continue;
    if (o.type === 'type' || o.cls != null || 'dict' in o) hiddenDicts.add(o.dict);
  }
  /** @type {Set<number>} */
  const boxes = new Set();
  /** @type {number[][]} */
  const rows = [];
  /** @type {number[]} */
  let row = [];
  const visit = (/** @type {number} */ id) => {
    if (boxes.has(id) || namespaces.has(id) || inline(id)) return;
    const o = s.objects.get(id);
    if (!o) return;
    if (!hiddenDicts.has(id)) {
      boxes.add(id);
      row.push(id);
    }
    for (const e of childrenOf(s, o, hiddenDicts)) visit(e.ref);
  };
  const root = (/** @type {number | null | undefined} */ id) => {
    if (id == null) return;
    row = [];
    visit(id);
    if (row.length) rows.push(row);
  };
  const hidden = hiddenFrames(s.frames.length, options.expanded);
  const shown = (/** @type {number} */ i) => !hidden || i < hidden.from || i >= hidden.to;
  s.frames.forEach((f, i) => { if (shown(i)) for (const [, ref] of frameVariables(s, f)) root(ref); });
  if (s.returned) root(s.returned.ret);
  if (s.exception) root(s.exception.ref);
  let hiddenObjects = 0;
  if (hidden) {
    // Count what only the hidden frames reach, without drawing it.
    const before = boxes.size;
    const keep = rows.length;
    s.frames.forEach((f, i) => { if (!shown(i)) for (const [, ref] of frameVariables(s, f)) root(ref); });
    hiddenObjects = boxes.size - before;
    for (const r of rows.splice(keep)) for (const id of r) boxes.delete(id);
  }
  const garbageSet = garbageOf(s);
  /** @type {number[]} */
  const garbage = [];
  row = garbage;
  for (const id of [...garbageSet].sort((a, b) => a - b)) visit(id);
  return { rows, garbage, boxes, garbageSet, inline, hiddenDicts, namespaces, hiddenObjects };
}

/**
 * The references a box draws, with dicts of instances and classes expanded into their
 * entries (their keys are names, shown as text; classes hide their bookkeeping).
 * @param {State} s
 * @param {HeapObject} o
 * @param {Set<number>} hiddenDicts
 * @returns {Edge[]}
 */
export function childrenOf(s, o, hiddenDicts) {
  /** @type {Edge[]} */
  const out = [];
  if (Array.isArray(o.items) && o.items.length > MAX_SHOWN_ITEMS) o = { ...o, items: shownItems(o.items) };
  /** @type {Set<number> | null} the dict's keys, when it is a dict */
  const keys = o.type === 'dict' ? new Set((o.items || []).map((/** @type {number[]} */ kv) => kv[0])) : null;
  for (const e of refsOf(o)) {
    const target = s.objects.get(e.ref);
    if (hiddenDicts.has(e.ref) && target && target.type === 'dict') {
      for (const [k, v] of target.items || []) {
        const name = strValue(s, k);
        if (o.type === 'type' && name != null && CLASS_NOISE.has(name)) continue;
        if (name == null) out.push({ ref: k });
        if (v != null) out.push({ ref: v });
      }
    } else if (keys && keys.has(e.ref) && isKeyText(s, e.ref)) {
      continue;
    } else {
      out.push(e);
    }
  }
  return out;
}

/**
 * True when the dict key [ref] is shown as text (interned strings: names).
 * @param {State} s
 * @param {number} ref
 */
function isKeyText(s, ref) {
  const o = s.objects.get(ref);
  return !!o && o.type === 'str' && !!o.immortal;
}

