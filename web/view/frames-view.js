// @ts-check
/**
 * frames-view.js — the stack of frames: the global frame first, the active frame
 * highlighted, each frame's variables in definition order (cell and free variables
 * tagged), the value a frame just returned, the current exception, and the middle of a
 * very deep recursion collapsed into a count that expands on request.
 */
import { el, replaceChildren } from './dom.js';
import { frameVariables, hiddenFrames } from './heap-model.js';
import { slotEl, describe } from './values.js';

/** @typedef {import('../model/replay.js').State} State */
/** @typedef {import('./heap-model.js').HeapModel} HeapModel */


export class FramesView {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    this.root.classList.add('frames');
    this.signature = '';
    this.expanded = false;
  }

  /**
   * Redraws when the frames, their variables, the returned value or the exception
   * changed since [prev].
   * @param {State} state
   * @param {State | null} prev
   * @param {{model: HeapModel}} ctx
   */
  update(state, prev, ctx) {
    const { model } = ctx;
    const vars = state.frames.map((f) => frameVariables(state, f));
    const sig = JSON.stringify([
      state.frames.map((f) => [f.id, f.line]), vars, state.frame, state.returned, state.exception,
      vars.flat().map((v) => (model.inline(v[1]) ? describe(state, v[1]) : '')), this.expanded,
      state.returned && state.returned.ret != null && model.inline(state.returned.ret) ? describe(state, state.returned.ret) : '',
    ]);
    if (sig === this.signature) return;
    this.signature = sig;
    this.draw(state, model, vars);
  }

  /**
   * @param {State} state
   * @param {HeapModel} model
   * @param {[string, number, string][][]} vars
   */
  draw(state, model, vars) {
    const frames = state.frames;
    /** @type {HTMLElement[]} */
    const items = [el('h3', { class: 'pane-title', text: 'Frames' })];
    const hidden = hiddenFrames(frames.length, this.expanded);
    frames.forEach((f, i) => {
      if (hidden && i === hidden.from) {
        items.push(el('button', {
          class: 'frames-collapsed', type: 'button',
          text: `… ${hidden.to - hidden.from} more frames of ${f.qualname}() …`,
          title: 'Show every frame',
          on: { click: () => this.expand() },
        }));
      }
      if (hidden && i >= hidden.from && i < hidden.to) return;
      items.push(this.frameEl(state, model, f, vars[i], i));
    });
    if (state.returned && !state.returned.yield && state.returned.name !== '<module>') {
      items.push(el('div', { class: 'frame returned', role: 'group', 'aria-label': `${state.returned.name} returned` },
        el('div', { class: 'frame-head' }, el('span', { class: 'frame-name', text: `${state.returned.name}()` }), el('span', { class: 'frame-note', text: 'returned' })),
        el('div', { class: 'frame-vars' }, el('div', { class: 'var-row' }, el('span', { class: 'var-name ret', text: 'return value' }), slotEl(state, model, state.returned.ret)))));
    } else if (state.returned && state.returned.yield) {
      items.push(el('div', { class: 'frame returned', role: 'group' },
        el('div', { class: 'frame-head' }, el('span', { class: 'frame-name', text: `${state.returned.name}` }), el('span', { class: 'frame-note', text: 'yielded (suspended)' })),
        el('div', { class: 'frame-vars' }, el('div', { class: 'var-row' }, el('span', { class: 'var-name ret', text: 'yielded value' }), slotEl(state, model, state.returned.ret)))));
    }
    if (state.exception) items.push(exceptionEl(state));
    if (!frames.length && !state.returned && !state.exception) {
      items.push(el('p', { class: 'muted', text: state.end ? 'The program has finished: every frame is gone.' : 'No frame yet.' }));
    }
    replaceChildren(this.root, items);
  }

  expand() {
    this.expanded = true;
    this.signature = '';
    // The page redraws the step: the hidden frames' objects join the heap, arrows follow.
    this.root.dispatchEvent(new CustomEvent('framesexpanded', { bubbles: true }));
  }

  /**
   * @param {State} state
   * @param {HeapModel} model
   * @param {import('../model/replay.js').FrameState} f
   * @param {[string, number, string][]} vars
   * @param {number} depth
   */
  frameEl(state, model, f, vars, depth) {
    const active = f.id === state.frame;
    const isModule = f.parent == null && f.name === '<module>';
    const title = isModule ? 'Global frame' : `${f.name}()`;
    const rows = vars.map(([name, ref, kind]) => el('div', { class: 'var-row' },
      el('span', { class: 'var-name', text: name },
        kind !== 'local' && el('span', { class: 'tag', text: kind === 'cell' ? 'cell' : 'free', title: kind === 'cell' ? 'a cell variable: inner functions share it through a cell object' : 'a free variable: it lives in a cell made by an enclosing call' })),
      slotEl(state, model, ref)));
    return el('div', {
      class: ['frame', active && 'active', isModule && 'global'], dataset: { frame: String(f.id) },
      role: 'group', 'aria-label': `${title}${active ? ', active' : ''}`,
    },
    el('div', { class: 'frame-head' },
      el('span', { class: 'frame-name', text: title, title: isModule ? 'the module\'s global names' : f.qualname }),
      el('span', { class: 'frame-note', text: `${depth ? `frame ${f.id} · ` : ''}line ${f.line}` })),
    rows.length ? el('div', { class: 'frame-vars' }, rows) : el('div', { class: 'muted', text: 'no variables yet' }));
  }
}

/**
 * The current exception: its type and message, where it is, and what became of it.
 * @param {State} state
 */
function exceptionEl(state) {
  const e = /** @type {import('../model/replay.js').ExceptionState} */ (state.exception);
  const last = e.tb && e.tb.length ? e.tb[e.tb.length - 1] : null;
  const where = last ? ` in ${last[2]}, line ${last[1]}` : '';
  const what = e.what === 'caught' ? 'caught by a handler' : e.what === 'uncaught' ? 'not caught: the program stops' : 'raised';
  return el('div', { class: ['exception', e.what], role: 'note' },
    el('div', { class: 'exc-title', text: `${e.type}${e.msg ? ': ' + e.msg : ''}` }),
    el('div', { class: 'exc-where', text: `${what}${where}` }));
}
