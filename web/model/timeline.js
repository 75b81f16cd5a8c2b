// @ts-check
/**
 * timeline.js — indexes an event stream by step and answers "state at step N" for
 * any N quickly: it replays the whole stream once as it arrives, keeps the raw text
 * (the chunks as they came, never copied line by line) and where every step starts in
 * it, and stores a checkpoint (a copy-on-write fork of the state, see Heap in
 * replay.js: it costs what changes after it, not the state's size) every so many
 * records or characters. stateAt(n) forks the nearest checkpoint at or before n (or
 * the last state it returned, when that is nearer) and replays the few steps in
 * between. No DOM: used by the page and by Node tests alike.
 */
import { applyRecord, cloneState, emptyState } from './replay.js';

/** @typedef {import('./replay.js').State} State */

/** Records between checkpoints: at most this many are replayed per seek. */
const CHECKPOINT_RECORDS = 2000;
/** Characters between checkpoints: at most about this much text is parsed per seek. */
const CHECKPOINT_CHARS = 128 * 1024;
/** Chunks shorter than this are gathered before they become a segment. */
const MIN_SEGMENT = 64 * 1024;

export class Timeline {
  constructor() {
    /** @type {State} the state after every record seen so far */
    this.live = emptyState();
    /** @type {string[]} the stream's complete lines, in pieces that each end with a newline */
    this.segments = [];
    /** the text after the last complete segment (a partial line, or short pieces gathered) */
    this.pending = '';
    /** step → where its step record starts: segment index and offset */
    this.stepSeg = new Uint32Array(1024);
    this.stepOff = new Uint32Array(1024);
    /** @type {{step: number, state: State}[]} */
    this.checkpoints = [];
    this.recordsSinceCheckpoint = 0;
    this.charsSinceCheckpoint = 0;
    /** @type {any} */
    this.header = null;
    /** @type {any} */
    this.end = null;
    /** @type {State | null} the state before the first step record */
    this.beforeFirst = null;
    /** @type {{step: number, state: State} | null} a private copy of the last state stateAt made */
    this.cursor = null;
    this.steps = 0;
    this.records = 0;
    this.chars = 0;
    this.facts = new LabelFacts();
  }

  /** Number of steps seen so far. */
  get length() { return this.steps; }

  /** @type {State} the state before the first step (header and prelude applied) */
  get prelude() { return this.beforeFirst || this.live; }

  /**
   * Builds a timeline from a complete stream.
   * @param {string} text
   */
  static fromText(text) {
    const t = new Timeline();
    t.append(text);
    t.finish();
    return t;
  }

  /**
   * Feeds a chunk of the stream (any split: partial lines are kept for later).
   * @param {string} chunk
   */
  append(chunk) {
    if (!chunk) return;
    if (this.pending.length + chunk.length < MIN_SEGMENT) { this.pending += chunk; return; }
    const last = chunk.lastIndexOf('\n');
    if (last < 0) { this.pending += chunk; return; }
    const text = this.pending + chunk.slice(0, last + 1);
    this.pending = chunk.slice(last + 1);
    this.addSegment(text);
  }

  /** Feeds what is left of the stream (a last line without newline). */
  finish() {
    let text = this.pending;
    this.pending = '';
    if (!text) return;
    if (!text.endsWith('\n')) text += '\n';
    this.addSegment(text);
  }

  /**
   * Indexes and replays a piece of the stream made of whole lines.
   * @param {string} text
   */
  addSegment(text) {
    const seg = this.segments.length;
    this.segments.push(text);
    let start = 0;
    const n = text.length;
    while (start < n) {
      let nl = text.indexOf('\n', start);
      if (nl < 0) nl = n;
      if (nl > start) this.addRecord(JSON.parse(text.slice(start, nl)), seg, start, nl - start + 1);
      start = nl + 1;
    }
    this.chars += n;
  }

  /**
   * @param {any} rec one record
   * @param {number} seg @param {number} off where its line starts
   * @param {number} size its length with the newline
   */
  addRecord(rec, seg, off, size) {
    const kind = rec.kind;
    if (kind === 'step') this.startStep(seg, off);
    else if (kind === 'header') this.header = rec;
    else if (kind === 'end') this.end = rec;
    applyRecord(this.live, rec);
    if (this.steps) this.facts.add(rec);
    this.records++;
    this.recordsSinceCheckpoint++;
    this.charsSinceCheckpoint += size;
  }

  /**
   * Records where the step that begins now starts, and checkpoints the state so far.
   * @param {number} seg @param {number} off
   */
  startStep(seg, off) {
    const n = this.steps;
    if (n === 0) {
      this.beforeFirst = cloneState(this.live);
    } else if (this.recordsSinceCheckpoint >= CHECKPOINT_RECORDS || this.charsSinceCheckpoint >= CHECKPOINT_CHARS) {
      this.checkpoints.push({ step: n - 1, state: cloneState(this.live) });
      this.recordsSinceCheckpoint = 0;
      this.charsSinceCheckpoint = 0;
    }
    if (n >= this.stepSeg.length) {
      const seg2 = new Uint32Array(n * 2), off2 = new Uint32Array(n * 2);
      seg2.set(this.stepSeg);
      off2.set(this.stepOff);
      this.stepSeg = seg2;
      this.stepOff = off2;
    }
    this.stepSeg[n] = seg;
    this.stepOff[n] = off;
    this.steps++;
  }

  /**
   * The raw text of the records of steps [from, to] (inclusive), complete lines only.
   * @param {number} from
   * @param {number} to
   */
  textOf(from, to) {
    const parts = [];
    let seg = this.stepSeg[from], off = this.stepOff[from];
    const endSeg = to + 1 < this.steps ? this.stepSeg[to + 1] : this.segments.length;
    const endOff = to + 1 < this.steps ? this.stepOff[to + 1] : 0;
    while (seg < endSeg) {
      parts.push(off ? this.segments[seg].slice(off) : this.segments[seg]);
      seg++;
      off = 0;
    }
    if (seg < this.segments.length && endOff > off) parts.push(this.segments[seg].slice(off, endOff));
    return parts.length === 1 ? parts[0] : parts.join('');
  }

  /**
   * The labels the page draws (see LabelFacts), from the records of every step so far,
   * gathered while the stream was indexed (no second pass over the text).
   * @param {Iterable<number>} [later] ids to number after the others
   * @returns {{frames: Map<number, string>, cells: Map<number, {name: string, frame: number}>, ids: IdNumbers}}
   */
  labels(later = []) { return this.facts.labels(later); }

  /**
   * The state at the end of step [n] (0 ≤ n < length). The result is a fresh copy the
   * caller may keep; it must not be mutated.
   * @param {number} n
   * @returns {State}
   */
  stateAt(n) {
    if (this.steps === 0) return cloneState(this.live);
    n = Math.max(0, Math.min(n, this.steps - 1));
    if (n === this.steps - 1) return cloneState(this.live);
    let lo = 0, hi = this.checkpoints.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.checkpoints[mid].step <= n) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    /** @type {{step: number, state: State}} */
    let base = best >= 0 ? this.checkpoints[best] : { step: -1, state: /** @type {State} */ (this.beforeFirst) };
    const c = this.cursor;
    if (c && c.step <= n && c.step > base.step) base = c;
    const state = cloneState(base.state);
    if (base.step === n) return state;
    const text = this.textOf(base.step + 1, n);
    let start = 0;
    const len = text.length;
    while (start < len) {
      let nl = text.indexOf('\n', start);
      if (nl < 0) nl = len;
      if (nl > start) applyRecord(state, JSON.parse(text.slice(start, nl)));
      start = nl + 1;
    }
    this.cursor = { step: n, state: cloneState(state) };
    return state;
  }
}

/**
 * Labels from the whole stream, gathered record by record (after the replayer has
 * applied each record, so push and bind records carry their names): which variable of
 * which call made each cell (cells outlive the frame that made them), each frame's
 * name, and a learner-friendly number for every object (#1, #2, ... in order of first
 * appearance). The interpreter's ids are large (start-up objects take the first few
 * thousand), so the pictures use these numbers instead. Strings only ever used as dict
 * keys (variable and attribute names, shown as text, never as boxes), the objects
 * announced before the first frame is pushed (the module's set-up: its globals dict,
 * __name__, ...) and those of `later` are numbered last. Only str ids are kept in the
 * key and value sets, since only they matter (an object is announced before anything
 * refers to it).
 */
class LabelFacts {
  constructor() {
    /** @type {Map<number, string>} */
    this.frames = new Map();
    /** @type {Map<number, {name: string, frame: number}>} */
    this.cells = new Map();
    /** @type {Set<number>} */
    this.cellIds = new Set();
    /** @type {number[]} */
    this.order = [];
    /** @type {number[]} */
    this.setup = [];
    this.pushed = false;
    /** @type {Set<number>} */
    this.strs = new Set();
    /** @type {Set<number>} str ids used as dict keys */
    this.keys = new Set();
    /** @type {Set<number>} str ids used as dict values */
    this.values = new Set();
  }

  /** @param {any} rec */
  add(rec) {
    switch (rec.kind) {
      case 'alloc':
        if (typeof rec.id === 'number') (this.pushed ? this.order : this.setup).push(rec.id);
        if (rec.type === 'cell') this.cellIds.add(rec.id);
        else if (rec.type === 'str') { if (typeof rec.id === 'number') this.strs.add(rec.id); }
        else if (rec.type === 'dict') this.pairs(rec.items);
        break;
      case 'dict':
        this.pairs(rec.set);
        break;
      case 'push':
        this.frames.set(rec.frame, rec.qualname || rec.name);
        this.pushed = true;
        break;
      case 'bind':
        if (this.cellIds.size && typeof rec.ref === 'number' && this.cellIds.has(rec.ref) && !this.cells.has(rec.ref)) {
          this.cells.set(rec.ref, { name: rec.name, frame: rec.frame });
        }
        break;
    }
  }

  /** @param {any} items [[key, value], ...] */
  pairs(items) {
    if (!Array.isArray(items)) return;
    for (const kv of items) {
      if (this.strs.has(kv[0])) this.keys.add(kv[0]);
      if (this.strs.has(kv[1])) this.values.add(kv[1]);
    }
  }

  /** @param {Iterable<number>} later */
  labels(later) {
    const rest = [...later];
    let max = 0;
    for (const list of [this.order, this.setup, rest]) for (const id of list) if (id > max) max = id;
    const ids = new IdNumbers(max + 1);
    const nameOnly = (/** @type {number} */ id) => this.strs.has(id) && this.keys.has(id) && !this.values.has(id);
    const hasNames = this.strs.size > 0;
    for (const id of this.order) if (!ids.has(id) && !(hasNames && nameOnly(id))) ids.add(id);
    for (const id of this.order) if (!ids.has(id)) ids.add(id);
    for (const id of this.setup) if (!ids.has(id)) ids.add(id);
    for (const id of rest) if (!ids.has(id)) ids.add(id);
    return { frames: new Map(this.frames), cells: new Map(this.cells), ids };
  }
}

/**
 * Object id → learner number (1, 2, ...), read like a Map (get, has, size, iteration in
 * number order) but kept in typed arrays: a million-step trace announces a million
 * objects, and a Map that size takes the page hundreds of milliseconds to build.
 */
class IdNumbers {
  /** @param {number} span ids are below this */
  constructor(span) {
    this.num = span <= (1 << 26) ? new Int32Array(span) : null;
    /** @type {Map<number, number> | null} for ids too large for the array */
    this.map = this.num ? null : new Map();
    /** @type {number[]} id by number - 1 */
    this.ids = [];
  }

  get size() { return this.ids.length; }

  /** @param {number} id */
  get(id) {
    if (this.map) return this.map.get(id);
    const n = this.num && Number.isInteger(id) && id >= 0 ? this.num[id] : 0;
    return n ? n : undefined;
  }

  /** @param {number} id */
  has(id) { return this.get(id) !== undefined; }

  /** Gives [id] the next number. @param {number} id */
  add(id) {
    this.ids.push(id);
    if (this.map) this.map.set(id, this.ids.length);
    else if (this.num && Number.isInteger(id) && id >= 0 && id < this.num.length) this.num[id] = this.ids.length;
  }

  /** @returns {Generator<[number, number]>} */
  *entries() { for (let i = 0; i < this.ids.length; i++) yield [this.ids[i], i + 1]; }
  *keys() { yield* this.ids; }
  *values() { for (let i = 1; i <= this.ids.length; i++) yield i; }
  [Symbol.iterator]() { return this.entries(); }
  /** @param {(n: number, id: number) => void} fn */
  forEach(fn) { this.ids.forEach((id, i) => fn(i + 1, id)); }
}
