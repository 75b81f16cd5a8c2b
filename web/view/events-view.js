// @ts-check
/**
 * events-view.js — what happened at this step, in words ("allocated list #12",
 * "refcount of list #7 3→2", "gc generation 0: 2 unreachable, 2 freed"), listed on the
 * page and summarised into an aria-live region so a screen reader follows the steps.
 */
import { el, replaceChildren } from './dom.js';
import { describe, pyStrRepr, shorten } from './values.js';

/** @typedef {import('../model/replay.js').State} State */

const MAX_ITEMS = 40;

export class EventsView {
  /**
   * @param {HTMLElement} root
   * @param {HTMLElement} live an aria-live region
   */
  constructor(root, live) {
    this.root = root;
    this.live = live;
    this.key = '';
    this.list = el('ul', { class: 'events-list' });
    root.classList.add('events');
    root.append(el('h3', { class: 'pane-title', text: 'What happened at this step' }), this.list);
  }

  /**
   * @param {State} state
   * @param {State | null} before the state of the previous step (names of freed objects)
   * @param {{total: number, visible: Set<number>, namespaces: Set<number>, frameNames: Map<number, string>}} ctx
   */
  update(state, before, ctx) {
    const key = `${state.step}/${ctx.total}/${state.header && state.header.source.length}`;
    if (key === this.key) return;
    this.key = key;
    const lines = eventWords(state, before, ctx);
    const items = lines.slice(0, MAX_ITEMS).map((t) => el('li', { text: t }));
    if (lines.length > MAX_ITEMS) items.push(el('li', { class: 'muted', text: `… and ${lines.length - MAX_ITEMS} more` }));
    if (!items.length) items.push(el('li', { class: 'muted', text: 'Nothing changed in memory.' }));
    replaceChildren(this.list, items);
    const where = state.line ? `, line ${state.line}` : '';
    this.live.textContent = `Step ${state.step + 1} of ${ctx.total}${where}. ${lines.slice(0, 4).join('. ')}${lines.length ? '.' : ''}`;
  }
}

/**
 * The step's records in words.
 * @param {State} s
 * @param {State | null} before
 * @param {{visible: Set<number>, namespaces: Set<number>, frameNames: Map<number, string>}} ctx
 * @returns {string[]}
 */
export function eventWords(s, before, ctx) {
  /** @type {string[]} */
  const out = [];
  const name = (/** @type {number | null} */ frame) => (frame != null && ctx.frameNames.get(frame)) || 'a frame';
  const d = (/** @type {number | null} */ id) => describe(s.objects.has(id ?? -1) || !before ? s : before, id);
  const keyName = (/** @type {number} */ k) => {
    const o = s.objects.get(k) || (before && before.objects.get(k));
    return o && o.type === 'str' ? String(o.value) : d(k);
  };
  for (const r of s.records) {
    switch (r.kind) {
      case 'push':
        out.push(r.name === '<module>' ? 'The program starts: the global frame is pushed' : `Called ${r.qualname}(): a new frame is pushed`);
        break;
      case 'pop':
        if (r.yield) out.push(`${r.qualname || name(r.frame)} yielded ${d(r.ret)} and is suspended`);
        else if (r.ret == null) out.push(`${name(r.frame)}() ended by an exception: its frame is popped`);
        else if (name(r.frame) === '<module>') out.push('The program ends: the global frame is popped');
        else out.push(`${name(r.frame)}() returned ${d(r.ret)}: its frame is popped`);
        break;
      case 'bind':
        out.push(r.ref == null ? `${r.name} was deleted in ${name(r.frame)}()` : `${r.name} now refers to ${d(r.ref)}`);
        break;
      case 'alloc':
        if (!r.immortal && (ctx.visible.has(r.id) || !s.objects.has(r.id))) out.push(`Allocated ${describe(s.objects.has(r.id) ? s : /** @type {State} */ (before || s), r.id)}`);
        break;
      case 'splice':
        out.push(`${d(r.id)} changed: ${r.del ? `${r.del} item${r.del > 1 ? 's' : ''} removed` : ''}${r.del && r.ins.length ? ', ' : ''}${r.ins.length ? `${r.ins.length} item${r.ins.length > 1 ? 's' : ''} inserted` : ''} at index ${r.at}`);
        break;
      case 'dict': {
        const global = ctx.namespaces.has(r.id);
        for (const k of r.del || []) out.push(global ? `The name ${keyName(k)} was deleted` : `Key ${keyName(k)} removed from ${d(r.id)}`);
        for (const [k, v] of r.set || []) out.push(global ? `${keyName(k)} now refers to ${d(v)}` : `${d(r.id)}[${shorten(keyName(k), 24)}] = ${d(v)}`);
        break;
      }
      case 'members': out.push(`${d(r.id)} now has ${r.items.length} members`); break;
      case 'cell': out.push(`${d(r.id)} now holds ${d(r.ref)}`); break;
      case 'update': out.push(`${d(r.id)} changed`); break;
      case 'counts':
        for (const key in r.rc || {}) {
          const id = Number(key);
          if (!ctx.visible.has(id)) continue;
          const c = s.refChanges.find((x) => x.id === id);
          out.push(`Refcount of ${d(id)} ${c && c.from != null ? `${c.from}→${c.to}` : `is ${r.rc[key]}`}`);
        }
        for (const key in r.gen || {}) {
          const id = Number(key);
          if (!ctx.visible.has(id)) continue;
          out.push(`${d(id)} ${r.gen[key] < 0 ? 'is no longer tracked by the collector' : `moved to generation ${r.gen[key]}`}`);
        }
        break;
      case 'free':
        // "refcount", the usual reason, is left out of the record (see the spec)
        out.push(`Freed ${d(r.id)}: ${r.reason === 'gc' ? 'collected by the cycle GC' : r.reason === 'end' ? 'the program ended' : 'its refcount reached 0'}`);
        break;
      case 'gc':
        out.push(`gc generation ${r.generation}: ${r.examined} examined, ${r.unreachable} unreachable, ${r.freed} freed`);
        break;
      case 'out':
        out.push(`${r.stream === 2 ? 'Wrote to stderr' : 'Printed'} ${pyStrRepr(shorten(r.text, 60))}`);
        break;
      case 'exc':
        out.push(`${r.what === 'raised' ? 'Raised' : r.what === 'caught' ? 'Caught' : 'Uncaught'} ${r.type}${r.msg ? ': ' + shorten(r.msg, 80) : ''}`);
        break;
      case 'input': out.push(`input() asks: ${pyStrRepr(r.prompt || '')} — type your answer in the terminal`); break;
      case 'budget':
        out.push(r.what === 'trace' ? `Stopped: the trace reached its limit of ${r.limit} steps` : `Stopped: the program used up its budget of ${r.limit} steps (an endless loop, or too much work?)`);
        break;
      case 'end':
        if (r.exit === 'ok') out.push('The program finished');
        break;
      default:
    }
  }
  return out;
}
