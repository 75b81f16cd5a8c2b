// @ts-check
/**
 * heap-view.js — heap objects as boxes: type, contents, reference count and GC
 * generation badges. Objects born at this step are highlighted, garbage (unreachable,
 * waiting for the cycle collector) is greyed, objects freed at this step fade out with
 * the reason. Boxes are kept per object id and rebuilt only when what they show changed.
 */
import { el, replaceChildren } from './dom.js';
import { CLASS_NOISE, MAX_SHOWN_ITEMS, refsOf, shownItems } from './heap-model.js';
import { describe, idLabel, scalarText, shorten, slotEl } from './values.js';

/** @typedef {import('../model/replay.js').State} State */
/** @typedef {import('../model/replay.js').HeapObject} HeapObject */
/** @typedef {import('./heap-model.js').HeapModel} HeapModel */
/** @typedef {{frames: Map<number, string>, cells: Map<number, {name: string, frame: number}>, ids: Map<number, number>}} Labels */

export class HeapView {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    this.root.classList.add('heap');
    /** @type {Map<number, {sig: string, el: HTMLElement}>} */
    this.boxes = new Map();
    this.signature = '';
    /** @type {Labels | null} */
    this.labels = null;
  }

  /**
   * @param {State} state
   * @param {State | null} prev
   * @param {{model: HeapModel, labels: Labels, before: () => State | null}} ctx
   *   before(): the state of the previous step (for what freed objects looked like)
   */
  update(state, prev, ctx) {
    const { model } = ctx;
    if (ctx.labels !== this.labels) {
      // A new trace numbers its objects anew: no cached box may keep an old label.
      this.labels = ctx.labels;
      this.boxes.clear();
      this.signature = '';
    }
    /** @type {Map<number, string>} */
    const sigs = new Map();
    for (const id of model.boxes) sigs.set(id, boxSignature(state, model, id, ctx.labels));
    const born = new Set(state.born);
    const changedRc = new Set(state.refChanges.map((c) => c.id));
    const sig = JSON.stringify([model.rows, model.garbage, model.hiddenObjects, [...sigs], state.step, state.freed]);
    if (sig === this.signature) return;
    this.signature = sig;
    /** @type {Map<number, {sig: string, el: HTMLElement}>} */
    const next = new Map();
    const box = (/** @type {number} */ id) => {
      const s = /** @type {string} */ (sigs.get(id));
      let entry = this.boxes.get(id);
      if (!entry || entry.sig !== s) entry = { sig: s, el: boxEl(state, model, id, ctx.labels) };
      next.set(id, entry);
      const e = entry.el;
      e.classList.toggle('born', born.has(id));
      e.classList.toggle('garbage', model.garbageSet.has(id));
      e.classList.toggle('rc-changed', changedRc.has(id));
      return e;
    };
    /** @type {HTMLElement[]} */
    const parts = [el('h3', { class: 'pane-title', text: 'Objects' })];
    for (const row of model.rows) parts.push(el('div', { class: 'heap-row' }, row.map(box)));
    if (model.hiddenObjects) {
      const n = model.hiddenObjects;
      parts.push(el('p', { class: 'muted heap-hidden', text: `… and ${n} object${n === 1 ? '' : 's'} that only the collapsed frames refer to` }));
    }
    if (model.garbage.length) {
      parts.push(el('div', { class: 'heap-section garbage-section' },
        el('h4', { text: 'Unreachable: waiting for the cycle collector' }),
        el('div', { class: 'heap-row' }, model.garbage.map(box))));
    }
    if (state.freed.length) parts.push(freedEl(state, ctx));
    if (parts.length === 1) parts.push(el('p', { class: 'muted', text: 'No objects to show yet.' }));
    this.boxes = next;
    replaceChildren(this.root, parts);
  }
}

/**
 * What a box shows, as a string: rebuilt only when this changes.
 * @param {State} s
 * @param {HeapModel} model
 * @param {number} id
 * @param {Labels} labels
 */
function boxSignature(s, model, id, labels) {
  const o = /** @type {HeapObject} */ (s.objects.get(id));
  const parts = [JSON.stringify(o)];
  for (const e of refsOf(o)) {
    const t = s.objects.get(e.ref);
    if (!t) continue;
    if (model.inline(e.ref) || (t.type === 'str' && t.immortal)) parts.push(e.ref + ':' + t.value);
    if (model.hiddenDicts.has(e.ref)) {
      parts.push(JSON.stringify(t));
      for (const [k, v] of t.items || []) parts.push(String(s.objects.get(k)?.value), model.inline(v) ? describe(s, v) : '');
    }
  }
  if (o.type === 'cell') parts.push(JSON.stringify(labels.cells.get(id) || null));
  return parts.join('|');
}

/**
 * Badges: reference count and GC generation (or why there is none).
 * @param {HeapObject} o
 */
function badges(o) {
  if (o.immortal) {
    const what = o.type === 'int' ? 'cached' : o.type === 'str' ? 'interned' : 'built-in';
    return el('span', { class: 'badges' }, el('span', { class: 'badge immortal', text: what, title: 'lives for the whole run (reference count not shown)' }));
  }
  return el('span', { class: 'badges' },
    typeof o.rc === 'number' && el('span', { class: 'badge rc', text: `rc ${o.rc}`, title: `reference count: ${o.rc}` }),
    typeof o.gen === 'number' && el('span', {
      class: ['badge', 'gen', o.gen < 0 && 'untracked'],
      text: o.gen < 0 ? 'no gc' : `gen ${o.gen}`,
      title: o.gen < 0 ? 'not tracked by the cycle collector (cannot be part of a cycle)' : `cycle-collector generation ${o.gen}`,
    }));
}

/**
 * Builds the box of object [id].
 * @param {State} s
 * @param {HeapModel} model
 * @param {number} id
 * @param {Labels} labels
 */
function boxEl(s, model, id, labels) {
  const o = /** @type {HeapObject} */ (s.objects.get(id));
  const head = el('div', { class: 'box-head' },
    el('span', { class: 'box-type', text: typeTitle(o, s) }),
    el('span', { class: 'box-id', text: idLabel(id), title: `object ${idLabel(id)} (the interpreter's id is ${id})` }),
    badges(o));
  return el('div', { class: ['box', 't-' + o.type], dataset: { oid: String(id) }, role: 'group', 'aria-label': describe(s, id) },
    head, el('div', { class: 'box-body' }, bodyOf(s, model, o, id, labels)));
}

/**
 * @param {HeapObject} o
 * @param {State} s
 */
function typeTitle(o, s) {
  if (o.cls != null && o.type !== 'type') {
    const c = s.objects.get(o.cls);
    return `${(c && (c.name || c.qualname)) || o.type} instance`;
  }
  if (o.type === 'type') return 'class';
  return o.type;
}

/**
 * A row "name  slot" inside a box.
 * @param {string} name
 * @param {HTMLElement} slot
 * @param {string} [cls]
 */
function row(name, slot, cls) {
  return el('div', { class: ['box-row', cls] }, el('span', { class: 'key', text: name }), slot);
}

/**
 * The entries of a dict drawn inside its owner (instance attributes, class members).
 * @param {State} s
 * @param {HeapModel} model
 * @param {number | null | undefined} dictId
 * @param {boolean} isClass
 */
function dictRows(s, model, dictId, isClass) {
  const d = dictId == null ? undefined : s.objects.get(dictId);
  if (!d || !Array.isArray(d.items)) return [];
  const out = [];
  for (const [k, v] of d.items) {
    const ko = s.objects.get(k);
    const name = ko && ko.type === 'str' ? String(ko.value) : describe(s, k);
    if (isClass && CLASS_NOISE.has(name)) continue;
    out.push(row(name, slotEl(s, model, v)));
  }
  return out;
}

/**
 * The contents of a box by type.
 * @param {State} s
 * @param {HeapModel} model
 * @param {HeapObject} o
 * @param {number} id
 * @param {Labels} labels
 * @returns {(HTMLElement | string)[]}
 */
function bodyOf(s, model, o, id, labels) {
  const scalar = scalarText(o);
  if (scalar != null) return [el('span', { class: ['scalar', 't-' + o.type], text: shorten(scalar, 80) })];
  switch (o.type) {
    case 'list': case 'tuple':
      return [sequence(s, model, o.items || [], true, o.type)];
    case 'set': case 'frozenset':
      return [sequence(s, model, o.items || [], false, o.type)];
    case 'dict':
      if (!o.items || !o.items.length) return [el('span', { class: 'muted', text: 'empty' })];
      return shownItems(o.items).map((/** @type {number[]} */ [k, v]) => {
        const ko = s.objects.get(k);
        const keyText = ko && (model.inline(k) || (ko.type === 'str' && ko.immortal)) ? scalarText(ko) || '' : null;
        return el('div', { class: 'box-row' },
          keyText != null ? el('span', { class: 'key', text: shorten(keyText, 30) }) : slotEl(s, model, k),
          slotEl(s, model, v));
      }).concat(moreItems(o.items.length));
    case 'cell': {
      const lab = labels.cells.get(id);
      const maker = o.frame != null ? labels.frames.get(o.frame) : lab ? labels.frames.get(lab.frame) : undefined;
      const frameId = o.frame != null ? o.frame : lab ? lab.frame : null;
      return [
        el('div', { class: 'cell-label', text: `${lab ? lab.name : 'variable'} of ${maker ? maker + '()' : 'a call'}${frameId != null ? ` · frame ${frameId}` : ''}` }),
        row('contents', slotEl(s, model, o.ref)),
      ];
    }
    case 'function': {
      const out = [el('div', { class: 'fn-name', text: `def ${o.qualname || o.name}(…)` })];
      (o.defaults || []).forEach((/** @type {number} */ r, /** @type {number} */ i) => out.push(row(`default ${i + 1}`, slotEl(s, model, r))));
      if (o.kwdefaults != null) out.push(row('kw defaults', slotEl(s, model, o.kwdefaults)));
      (o.closure || []).forEach((/** @type {number} */ r) => {
        const lab = labels.cells.get(r);
        out.push(row(`closure${lab ? ' · ' + lab.name : ''}`, slotEl(s, model, r), 'closure'));
      });
      return out;
    }
    case 'method':
      return [row('function', slotEl(s, model, o.func)), row('self', slotEl(s, model, o.self))];
    case 'builtin_function_or_method':
      return [el('div', { class: 'fn-name', text: `built-in ${o.name}` }), o.self != null ? row('self', slotEl(s, model, o.self)) : ''].filter(Boolean);
    case 'type': {
      const out = [el('div', { class: 'fn-name', text: `class ${o.qualname || o.name}` })];
      for (const b of o.bases || []) {
        const bo = s.objects.get(b);
        if (bo && bo.immortal && bo.name === 'object') continue;
        out.push(row('base', slotEl(s, model, b)));
      }
      return out.concat(dictRows(s, model, o.dict, true));
    }
    case 'module':
      return [el('div', { class: 'fn-name', text: `module ${o.name}` })];
    case 'range':
      return [el('span', { class: 'scalar', text: String(o.value) })];
    case 'generator':
      return [el('div', { class: 'fn-name', text: `${o.qualname || o.name}()` }),
        el('div', { class: 'muted', text: o.frame != null ? `suspended frame ${o.frame}` : 'finished' }),
        ...(o.locals || []).map((/** @type {[string, number]} */ [name, r]) => row(name, slotEl(s, model, r)))];
    case 'weakref':
      return [row('referent', slotEl(s, model, o.ref, { weak: true }))];
    default: {
      const out = [];
      if (Array.isArray(o.args)) out.push(sequence(s, model, o.args, false, 'args'));
      for (const [name, r] of o.slots || []) out.push(row(name, r == null ? el('span', { class: 'muted', text: 'unset' }) : slotEl(s, model, r)));
      if (o.dict !== undefined) {
        const rows = dictRows(s, model, o.dict, false);
        if (rows.length || !o.slots) out.push(...(rows.length ? rows : [el('span', { class: 'muted', text: 'no attributes' })]));
      }
      if (Array.isArray(o.items)) out.push(sequence(s, model, o.items, true, o.type));
      return out.length ? out : [el('span', { class: 'muted', text: o.type })];
    }
  }
}

/**
 * A row of item cells with their indexes (sets have none).
 * @param {State} s
 * @param {HeapModel} model
 * @param {number[]} items
 * @param {boolean} indexed
 * @param {string} type
 */
function sequence(s, model, items, indexed, type) {
  if (!items.length) return el('span', { class: 'muted', text: 'empty' });
  const seq = el('div', { class: 'seq', role: 'list', 'aria-label': `${type} of ${items.length}` },
    shownItems(items).map((r, i) => el('div', { class: 'seq-item', role: 'listitem' },
      indexed && el('span', { class: 'idx', text: String(i) }),
      slotEl(s, model, r))));
  const more = moreItems(items.length);
  return more.length ? el('div', {}, seq, ...more) : seq;
}

/**
 * The note under a container that has more items than its box draws.
 * @param {number} count
 * @returns {HTMLElement[]}
 */
function moreItems(count) {
  if (count <= MAX_SHOWN_ITEMS) return [];
  return [el('div', { class: 'muted more-items', text: `… and ${count - MAX_SHOWN_ITEMS} more (${count} in all)` })];
}

/**
 * Ghost boxes of the objects freed at this step, fading, with the reason.
 * @param {State} state
 * @param {{before: () => State | null}} ctx
 */
function freedEl(state, ctx) {
  const before = ctx.before();
  const gens = state.collections.map((c) => c.generation);
  const shown = state.freed.slice(0, MAX_FREED_BOXES);
  const items = shown.map((f) => {
    const o = before && before.objects.get(f.id);
    const why = f.reason === 'gc'
      ? `collected by the cycle GC${gens.length ? `, generation ${gens[0]}` : ''}`
      : f.reason === 'refcount' ? 'refcount reached 0' : f.reason;
    const value = o ? scalarText(o) : null;
    return el('div', { class: ['box', 'freed', 't-' + f.type], dataset: { freed: String(f.id), reason: f.reason } },
      el('div', { class: 'box-head' },
        el('span', { class: 'box-type', text: o && before ? typeTitle(o, before) : f.type }),
        el('span', { class: 'box-id', text: idLabel(f.id) })),
      el('div', { class: 'box-body' },
        value != null && el('span', { class: 'scalar', text: shorten(value, 40) }),
        el('div', { class: 'freed-reason', text: `freed: ${why}` })));
  });
  const rest = state.freed.length - shown.length;
  if (rest > 0) {
    // A frame full of locals, or a big structure, going at once: count the rest by reason.
    const reasons = new Map();
    for (const f of state.freed.slice(shown.length)) reasons.set(f.reason, (reasons.get(f.reason) || 0) + 1);
    const words = [...reasons].map(([r, n]) => `${n} ${r === 'gc' ? 'collected by the cycle GC' : r === 'refcount' ? 'whose refcount reached 0' : `freed (${r})`}`);
    items.push(el('p', { class: 'muted freed-more', text: `… and ${rest} more: ${words.join(', ')}` }));
  }
  return el('div', { class: 'heap-section freed-section' },
    el('h4', { text: `Freed at this step${state.freed.length > 1 ? ` (${state.freed.length})` : ''}` }),
    el('div', { class: 'heap-row' }, items));
}

/** Freed objects drawn as boxes at one step; the rest are counted. */
const MAX_FREED_BOXES = 12;
