// @ts-check
/**
 * visualizer.js — the reusable component every example and the playground use: code
 * editor, step controls, frames, heap with arrows, terminal, and the step's events.
 * It runs the code in the engine (or, in a build without the wasm engine, loads the
 * trace precomputed at build time), keeps edits in localStorage, and renders the state
 * at the chosen step once per animation frame.
 */
import { Timeline } from '../model/timeline.js';
import { el } from '../view/dom.js';
import { CodeView } from '../view/code-view.js';
import { Controls } from '../view/controls.js';
import { FramesView } from '../view/frames-view.js';
import { HeapView } from '../view/heap-view.js';
import { Arrows } from '../view/arrows.js';
import { TerminalView } from '../view/terminal-view.js';
import { EventsView } from '../view/events-view.js';
import { buildHeapModel } from '../view/heap-model.js';
import { setIdLabels } from '../view/values.js';
import { getEngine } from './engine.js';
import { shareLink } from './share.js';
import { sourceKey } from './source-key.js';

/** @typedef {import('../model/replay.js').State} State */

/**
 * Bytecode step budget for page runs: an endless loop stops after this many, with
 * StepBudgetExceeded. A trace has at most about this many steps (a loop iteration
 * takes 2 to 5 bytecodes per step), and never more: it is also the trace step
 * budget. The timeline seeks in any step of a trace this long in about a millisecond
 * (web/model/timeline.js, bench/replay-seek.mjs).
 */
export const PAGE_MAX_STEPS = 1000000;
/** Text fed to a timeline per task when indexing a whole trace (keeps the page responsive). */
const INDEX_SLICE = 1 << 20;
const INLINE_KEY = 'pyframes:inline';

/**
 * @typedef {{
 *   source: string, storageKey?: string, traceUrl?: string, title?: string,
 *   predict?: boolean, share?: boolean, maxSteps?: number,
 *   onStep?: (step: number) => void
 * }} VisualizerOptions
 */

export class Visualizer {
  /**
   * @param {HTMLElement} root
   * @param {VisualizerOptions} options
   */
  constructor(root, options) {
    this.root = root;
    this.options = options;
    this.original = options.source;
    this.storageKey = options.storageKey ? `pyframes:edit:${options.storageKey}` : null;
    /** @type {Timeline | null} */
    this.timeline = null;
    this.step = 0;
    this.running = false;
    /** @type {string[]} lines typed for input() so far */
    this.stdin = [];
    /** @type {import('../view/terminal-view.js').Echo[]} where the typed lines show in the terminal */
    this.echoes = [];
    /** @type {{step: number, outLen: number} | null} where the program waits for input */
    this.asking = null;
    /** @type {State | null} */
    this.prev = null;
    this.pending = 0;
    this.ranSource = '';
    /** @type {Map<number, number>} */
    this.lineCache = new Map();
    this.labels = { frames: new Map(), cells: new Map(), ids: new Map() };
    this.inline = readFlag(INLINE_KEY);
    this.build();
  }

  build() {
    const saved = this.storageKey ? safeGet(this.storageKey) : null;
    const o = this.options;
    this.runButton = el('button', { type: 'button', class: 'primary run', text: '▶ Run', title: 'Run the code (Ctrl+Enter)', on: { click: () => this.run() } });
    this.resetButton = el('button', { type: 'button', class: 'reset', text: 'Reset', title: 'Restore the original code', on: { click: () => this.reset() } });
    this.shareButton = o.share === false ? null : el('button', { type: 'button', class: 'share', text: 'Share', title: 'Make a link with this code and step', on: { click: () => this.share() } });
    this.inlineBox = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', checked: this.inline, on: { change: () => this.setInline(this.inlineBox.checked) } }));
    this.status = el('span', { class: 'status', role: 'status' });
    this.progress = el('progress', { class: 'loading', hidden: true, 'aria-label': 'Loading' });
    this.shareOut = /** @type {HTMLInputElement} */ (el('input', { class: 'share-link', type: 'text', readOnly: true, hidden: true, 'aria-label': 'Share link' }));
    const codeBox = el('div', { class: 'code' });
    const controlsBox = el('div', {});
    const termBox = el('div', { class: 'term' });
    this.framesBox = el('div', {});
    this.heapBox = el('div', {});
    this.stage = el('div', { class: 'stage', tabindex: '0', 'aria-label': 'Frames and objects. Left and right arrow keys step through the program.' }, this.framesBox, this.heapBox);
    this.placeholder = el('div', { class: 'placeholder' }, el('progress', { 'aria-label': 'Loading' }), el('span', { text: 'Preparing the example…' }));
    this.stage.append(this.placeholder);
    const eventsBox = el('div', {});
    const live = el('div', { class: 'sr-only step-live', 'aria-live': 'polite' });
    this.root.classList.add('viz');
    if (o.predict) this.root.classList.add('predict');
    this.root.replaceChildren(
      el('div', { class: 'viz-bar' }, this.runButton, this.resetButton, this.shareButton,
        el('label', { class: 'toggle', title: 'Draw small ints, floats and strings inside their slot instead of as boxes' }, this.inlineBox, ' values inline'),
        this.progress, this.status),
      this.shareOut,
      el('div', { class: 'viz-grid' },
        el('div', { class: 'viz-left' }, codeBox,
          el('div', { class: 'legend', 'aria-hidden': 'true' },
            el('span', { class: 'step-arrow next', text: '➜' }), ' next line to run ',
            el('span', { class: 'step-arrow done', text: '➜' }), ' line just run'),
          controlsBox,
          el('div', { class: 'term-wrap' }, el('h3', { class: 'pane-title', text: 'Output' }), termBox)),
        this.stage),
      eventsBox, live);
    this.code = new CodeView(codeBox, {
      source: saved != null ? saved : o.source,
      label: `${o.title || 'Example'}: Python code, editable`,
      onChange: (text) => this.edited(text),
      onRun: () => this.run(),
    });
    this.controls = new Controls(controlsBox, { go: (n) => this.go(n), stop: () => this.stop() });
    this.frames = new FramesView(this.framesBox);
    this.heap = new HeapView(this.heapBox);
    this.arrows = new Arrows(this.stage);
    this.terminal = new TerminalView(termBox, { onInput: (line) => this.answer(line) });
    this.events = new EventsView(eventsBox, live);
    this.root.addEventListener('keydown', (e) => this.key(e));
    // Expanding a collapsed stack brings the hidden frames' objects into the heap.
    this.root.addEventListener('framesexpanded', () => this.render());
    this.controls.update(0, 0, false);
    if (saved != null && saved !== o.source) this.setStatus('Your edited version (Reset restores the original).');
  }

  /**
   * Runs the code in the editor: in the engine when the build has it, else the
   * precomputed trace of the original code.
   * @param {{step?: number | 'last'}} [at] where to go when the trace is ready
   */
  async run(at = {}) {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.runNow(at);
    } finally {
      this.busy = false;
    }
  }

  /**
   * @param {{step?: number | 'last'}} at
   */
  async runNow(at) {
    const source = this.code.text;
    const engine = getEngine();
    if (source !== this.ranSource) { this.stdin = []; this.echoes = []; }
    if (!engine) return this.runFallback(source, at);
    this.running = true;
    this.controls.update(this.step, this.timeline ? this.timeline.length : 0, true);
    this.runButton.disabled = true;
    this.progress.hidden = false;
    this.setStatus('Loading the Python engine…');
    try {
      await engine.ready;
    } catch (err) {
      return this.failed(`The Python engine could not load: ${errText(err)}`);
    }
    this.setStatus('Running…');
    const t = new Timeline();
    let stopped = false;
    let last = 0;
    try {
      // Each chunk (about 64 KB of whole records) is indexed as it arrives, in its
      // own task: the page stays responsive and Stop works while a long run streams in.
      const options = { max_steps: this.options.maxSteps || PAGE_MAX_STEPS, max_trace_steps: PAGE_MAX_STEPS, stdin: this.stdin.slice(), filename: 'main.py' };
      const r = await engine.run(source, options, (chunk) => {
        t.append(chunk);
        if (t.length - last >= 5000) { last = t.length; this.setStatus(`Running… ${t.length.toLocaleString('en')} steps`); }
      });
      if (r.stream) await indexText(t, r.stream);
    } catch (err) {
      if (/Maximum call stack size exceeded/.test(errText(err))) {
        return this.failed('The program nested deeper than this browser\'s stack allows, so its run was lost ' +
          '(Maximum call stack size exceeded). The engine has restarted; try a smaller input.');
      }
      if (errText(err) !== 'stopped') return this.failed(`The engine failed: ${errText(err)}`);
      stopped = true;
    }
    t.finish();
    this.ranSource = source;
    this.running = false;
    this.runButton.disabled = false;
    this.progress.hidden = true;
    this.show(t, at, stopped);
  }

  /**
   * The no-wasm fallback: loads the trace the site build precomputed with
   * `build/pyframes trace` for the original code. Edited code needs the engine.
   * @param {string} source
   * @param {{step?: number | 'last'}} at
   */
  async runFallback(source, at) {
    this.progress.hidden = false;
    this.setStatus('Loading the trace…');
    try {
      const url = source === this.original && this.options.traceUrl ? this.options.traceUrl : await tracedFile(source);
      if (!url) {
        this.progress.hidden = true;
        this.placeholder.remove();
        this.setStatus('This build has no WebAssembly engine, so edited code cannot run here; Reset shows the original example.');
        this.root.classList.add('stale');
        this.root.dataset.exit = 'no-engine';
        return;
      }
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const t = new Timeline();
      await indexText(t, await res.text());
      t.finish();
      this.ranSource = source;
      this.progress.hidden = true;
      this.show(t, at, false);
    } catch (err) {
      this.failed(`The trace could not load: ${errText(err)}`);
    }
  }

  /** @param {string} message */
  failed(message) {
    this.running = false;
    this.runButton.disabled = false;
    this.progress.hidden = true;
    this.placeholder.remove();
    this.setStatus(message);
    this.controls.update(this.step, this.timeline ? this.timeline.length : 0, false);
  }

  /**
   * Installs a finished (or stopped) trace and goes to [at].
   * @param {Timeline} t
   * @param {{step?: number | 'last'}} at
   * @param {boolean} stopped
   */
  show(t, at, stopped) {
    this.timeline = t;
    this.lineCache.clear();
    this.labels = t.labels(Array.from(t.prelude.objects, ([id]) => id));
    this.prev = null;
    this.placeholder.remove();
    this.root.classList.remove('stale');
    const end = t.end;
    const total = t.length;
    this.waiting = !!(end && end.exit === 'input');
    // The same program with the same earlier lines runs the same way up to the input()
    // that waits now, so the line typed next belongs right after this step's output.
    this.asking = this.waiting && total ? { step: total - 1, outLen: t.stateAt(total - 1).outLen } : null;
    let step = at.step === 'last' || this.waiting ? total - 1 : typeof at.step === 'number' ? at.step : 0;
    this.step = Math.max(0, Math.min(total - 1, step));
    this.setStatus(endWords(t, stopped));
    this.root.dataset.steps = String(total);
    this.root.dataset.exit = end ? end.exit : stopped ? 'stopped' : 'none';
    this.controls.update(this.step, total, false);
    // Stopped before the first step: nothing of this run to draw; the old picture stays
    // dimmed as stale until the next run.
    if (!total) this.root.classList.add('stale');
    this.schedule();
  }

  /** @param {number} n */
  go(n) {
    if (!this.timeline || !this.timeline.length) return;
    this.step = Math.max(0, Math.min(this.timeline.length - 1, n));
    this.schedule();
  }

  /** Renders in the next animation frame (several calls in one frame render once). */
  schedule() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => { this.pending = 0; this.render(); });
  }

  /** Draws the state at this.step: every view updates, then the arrows. */
  render() {
    const t = this.timeline;
    if (!t || !t.length) return;
    const n = this.step, total = t.length;
    setIdLabels(this.labels.ids);
    const state = t.stateAt(n);
    const prev = this.prev;
    const model = buildHeapModel(state, { inline: this.inline, expanded: this.frames.expanded });
    /** @type {State | null | undefined} */
    let beforeState;
    const before = () => {
      if (beforeState === undefined) beforeState = n === 0 ? null : prev && prev.step === n - 1 ? prev : t.stateAt(n - 1);
      return beforeState;
    };
    const last = n === total - 1;
    this.code.update({ done: state.line || 0, next: last ? 0 : this.lineOf(n + 1), error: errorAt(state, last) });
    this.controls.update(n, total, this.running);
    this.frames.update(state, prev, { model });
    this.heap.update(state, prev, { model, labels: this.labels, before });
    this.terminal.update(state, { waiting: last && !!this.waiting, echoes: this.echoes });
    const visible = new Set([...model.boxes, ...model.garbageSet]);
    this.events.update(state, state.freed.length || state.records.some((r) => r.kind === 'pop') ? before() : prev, { total, visible, namespaces: model.namespaces, frameNames: this.labels.frames });
    this.arrows.update();
    this.root.dataset.step = String(n);
    this.root.dataset.frames = String(state.frames.length);
    this.prev = state;
    if (this.options.onStep) this.options.onStep(n);
  }

  /**
   * The line of step [n] (from its step record; cached).
   * @param {number} n
   */
  lineOf(n) {
    let line = this.lineCache.get(n);
    if (line === undefined) {
      const t = /** @type {Timeline} */ (this.timeline);
      const text = t.textOf(n, n);
      const first = text.slice(0, text.indexOf('\n'));
      try { line = JSON.parse(first).line || 0; } catch { line = 0; }
      this.lineCache.set(n, /** @type {number} */ (line));
    }
    return /** @type {number} */ (line);
  }

  /** @param {KeyboardEvent} e */
  key(e) {
    const target = /** @type {HTMLElement} */ (e.target);
    if (target.closest('.cm-editor, .term, input:not([type=range]), select, textarea') || e.altKey || e.ctrlKey || e.metaKey) return;
    if (target.matches('input[type=range]')) return;
    const moves = { ArrowRight: this.step + 1, ArrowLeft: this.step - 1, Home: 0, End: (this.timeline ? this.timeline.length : 1) - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    this.controls.pause();
    this.go(/** @type {any} */ (moves)[e.key]);
  }

  /** @param {string} text */
  edited(text) {
    if (this.storageKey) {
      if (text === this.original) safeRemove(this.storageKey);
      else safeSet(this.storageKey, text);
    }
    this.root.classList.toggle('stale', text !== this.ranSource);
    if (text !== this.ranSource) this.setStatus('Edited: press Run (Ctrl+Enter) to see what this code does.');
  }

  reset() {
    this.code.setText(this.original);
    if (this.storageKey) safeRemove(this.storageKey);
    this.run();
  }

  stop() {
    const engine = getEngine();
    if (engine && this.running) engine.stop();
  }

  /**
   * The learner typed a line for input(): run again with it.
   * @param {string} line
   */
  answer(line) {
    this.stdin.push(line);
    if (this.asking) this.echoes.push({ ...this.asking, line });
    this.waiting = false;
    this.ranSource = this.code.text;
    this.run({ step: 'last' });
  }

  async share() {
    const link = await shareLink(this.code.text, this.step);
    this.shareOut.hidden = false;
    this.shareOut.value = link;
    this.shareOut.select();
    try {
      await navigator.clipboard.writeText(link);
      this.setStatus('Link copied.');
    } catch {
      this.setStatus('Copy the link above.');
    }
  }

  /** @param {boolean} on */
  setInline(on) {
    this.inline = on;
    safeSet(INLINE_KEY, on ? '1' : '0');
    this.schedule();
  }

  /** @param {string} text */
  setStatus(text) { this.status.textContent = text; }
}

/**
 * Feeds [text] to [t] in slices, one task each, so that indexing a long trace never
 * blocks the page for long.
 * @param {Timeline} t
 * @param {string} text
 */
async function indexText(t, text) {
  for (let i = 0; i < text.length; i += INDEX_SLICE) {
    if (i) await new Promise((resolve) => setTimeout(resolve, 0));
    t.append(text.slice(i, i + INDEX_SLICE));
  }
}

/**
 * The error to show under a line: the exception at this step (not a caught one), or at
 * the last step a syntax error, read from the traceback text.
 * @param {State} state
 * @param {boolean} last
 */
function errorAt(state, last) {
  const e = state.exception;
  if (e && e.what !== 'caught') {
    const tb = e.tb || [];
    let line = tb.length ? tb[tb.length - 1][1] : 0;
    if (!line) {
      const m = /line (\d+)/.exec(state.log.chunks.slice(0, state.outLen).filter((c) => c[0] === 2).map((c) => c[1]).join(''));
      line = m ? Number(m[1]) : 0;
    }
    if (line) return { line, text: `${e.type}${e.msg ? ': ' + e.msg : ''}` };
  }
  if (last && state.budget && state.line) return { line: state.line, text: 'Stopped here: the step budget ran out (an endless loop, or too much work?)' };
  return null;
}

/**
 * What the status line says when a trace is ready.
 * @param {Timeline} t
 * @param {boolean} stopped
 */
function endWords(t, stopped) {
  const n = `${t.length.toLocaleString('en')} step${t.length === 1 ? '' : 's'}`;
  if (stopped) return t.length ? `Stopped by you after ${n}.` : 'Stopped by you before the first step.';
  const end = t.end;
  if (!end) return `${n}.`;
  switch (end.exit) {
    case 'ok': return `Finished in ${n}.`;
    case 'exception': return `Ended with an exception after ${n}.`;
    case 'syntax': return 'Syntax error: the code did not run.';
    case 'budget': return `Stopped after ${n}: the step budget ran out (an endless loop, or too much work?).`;
    case 'input': return 'Waiting for input: type your answer in the terminal and press Enter.';
    default: return `${n}.`;
  }
}

/** @type {Promise<{[key: string]: string}> | null} */
let traceIndex = null;

/**
 * The no-wasm fallback's lookup: the precomputed trace of [source], if the site build
 * made one (traces/index.json maps source keys to trace files).
 * @param {string} source
 */
async function tracedFile(source) {
  if (!traceIndex) {
    traceIndex = fetch(new URL('traces/index.json', document.baseURI)).then((r) => (r.ok ? r.json() : {}), () => ({}));
  }
  const index = await traceIndex;
  const file = index[sourceKey(source)];
  return file ? new URL(file, document.baseURI).href : null;
}

/** @param {any} err */
function errText(err) { return String((err && err.message) || err); }

/** @param {string} key */
function readFlag(key) { return safeGet(key) === '1'; }
/** @param {string} key */
function safeGet(key) { try { return localStorage.getItem(key); } catch { return null; } }
/** @param {string} key @param {string} value */
function safeSet(key, value) { try { localStorage.setItem(key, value); } catch { /* private mode: edits are not kept */ } }
/** @param {string} key */
function safeRemove(key) { try { localStorage.removeItem(key); } catch { /* ignore */ } }
