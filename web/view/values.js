// @ts-check
/**
 * values.js — how one reference is shown in a slot (a frame variable, a list item, an
 * attribute): either the value itself, written as Python would (when it is drawn
 * inline), or a dot that an arrow leaves from. Also the short words for an object used
 * by the event list ("list #12", "int 8").
 */
import { el } from './dom.js';

/** @typedef {import('../model/replay.js').State} State */
/** @typedef {import('./heap-model.js').HeapModel} HeapModel */

/**
 * Python's repr of a str (quotes chosen as Python chooses them).
 * @param {string} text
 */
export function pyStrRepr(text) {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const c = ch.codePointAt(0) || 0;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

/**
 * The text of a scalar value (int, float, str, bool, None), or null for other types.
 * @param {any} o
 */
export function scalarText(o) {
  if (!o) return null;
  switch (o.type) {
    case 'int': case 'float': case 'bool': case 'complex': return String(o.value);
    case 'str': return pyStrRepr(String(o.value));
    case 'NoneType': return 'None';
    case 'NotImplementedType': return 'NotImplemented';
    case 'ellipsis': return 'Ellipsis';
    default: return null;
  }
}

/**
 * Shortens long text for a slot ("…" in the middle keeps both ends readable).
 * @param {string} text
 * @param {number} [max]
 */
export function shorten(text, max = 48) {
  if (text.length <= max) return text;
  const half = Math.floor((max - 1) / 2);
  return text.slice(0, half) + '…' + text.slice(text.length - half);
}

/** @type {Map<number, number>} the current trace's learner numbers (see setIdLabels) */
let idLabels = new Map();

/**
 * Installs the learner-friendly object numbers of the trace being drawn (#1, #2, ... in
 * order of first appearance in the stream; see LabelFacts in model/timeline.js). The visualizer calls it at
 * the start of each synchronous render, so several visualizers on a page can share
 * this module.
 * @param {Map<number, number>} map interpreter id → learner number
 */
export function setIdLabels(map) { idLabels = map; }

/**
 * The label of an object as the learner sees it: "#3" (the interpreter's own id is
 * a large start-up-dependent number; it is kept in tooltips only).
 * @param {number} id
 */
export function idLabel(id) {
  const n = idLabels.get(id);
  return `#${n == null ? id : n}`;
}

/**
 * Words for an object: "list #12", "int 8", "str 'hi'", "function add".
 * @param {State} s
 * @param {number | null | undefined} id
 */
export function describe(s, id) {
  if (id == null) return 'nothing';
  const o = s.objects.get(id);
  if (!o) return idLabel(id);
  const v = scalarText(o);
  if (v != null) return o.type === 'NoneType' ? 'None' : `${o.type} ${shorten(v, 32)}`;
  if (o.name && (o.type === 'function' || o.type === 'type' || o.type === 'module')) {
    return `${o.type === 'type' ? 'class' : o.type} ${o.qualname || o.name} ${idLabel(id)}`;
  }
  return `${o.type} ${idLabel(id)}`;
}

/**
 * The element for a reference in a slot: the value (inline) or a dot an arrow starts
 * from (`data-ref`). [weak] draws the arrow dashed.
 * @param {State} s
 * @param {HeapModel} model
 * @param {number | null | undefined} ref
 * @param {{weak?: boolean}} [opts]
 */
export function slotEl(s, model, ref, opts = {}) {
  if (ref == null) return el('span', { class: 'value empty', text: '—', title: 'empty' });
  const o = s.objects.get(ref);
  if (o && model.inline(ref)) {
    return el('span', { class: ['value', 'inline', 't-' + o.type], text: shorten(scalarText(o) || o.type), title: `${describe(s, ref)} (${idLabel(ref)}; id(x) is ${ref})` });
  }
  const attrs = { class: ['slot', opts.weak && 'weak'], dataset: { ref: String(ref) }, title: `→ ${describe(s, ref)}${opts.weak ? ' (weak reference)' : ''}` };
  if (opts.weak) attrs.dataset.weak = '1';
  return el('span', attrs, el('span', { class: 'dot', 'aria-hidden': 'true' }), el('span', { class: 'sr-only', text: describe(s, ref) }));
}
