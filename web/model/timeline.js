// @ts-check
/**
 * timeline.js — indexes an event stream by step and answers "state at step N" for
 * any N quickly: it replays the whole stream once as it arrives, keeps the raw text of
 * every step, and stores a checkpoint (a deep copy of the state) every so many
 * records; stateAt(n) copies the nearest checkpoint at or before n and replays the
 * few steps in between. No DOM: used by the page and by Node tests alike.
 */
import { applyRecord, cloneState, emptyState } from './replay.js';

/** @typedef {import('./replay.js').State} State */

/** Records replayed between checkpoints (at most this many are parsed per seek). */
const CHECKPOINT_RECORDS = 2000;
/** Text kept per segment before starting a new one (keeps strings small). */
const SEGMENT_CHARS = 1 << 20;

export class Timeline {
  constructor() {
    /** @type {State} the state after every record seen so far */
    this.live = emptyState();
    /** @type {string[]} complete lines of the stream, grouped in segments */
    this.segments = [];
    /** @type {string[]} lines of the open segment (joined when it closes: flat strings slice fast) */
    this.openLines = [];
    this.openChars = 0;
    /** @type {string | null} the open segment joined, until more lines arrive */
    this.openText = null;
    /** step → where its records start: segment index and offset (and end of previous) */
    this.stepSeg = new Uint32Array(1024);
    this.stepOff = new Uint32Array(1024);
    /** @type {{step: number, state: State}[]} */
    this.checkpoints = [];
    this.recordsSinceCheckpoint = 0;
    this.pending = '';
    /** @type {any} */
    this.header = null;
    /** @type {any} */
    this.end = null;
    /** @type {State} the state before the first step (header and prelude applied) */
    this.prelude = emptyState(this.live.log);
    this.steps = 0;
  }

  /** Number of steps seen so far. */
  get length() { return this.steps; }

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
    let text = this.pending + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      if (nl > start) this.addLine(text.slice(start, nl));
      start = nl + 1;
    }
    this.pending = text.slice(start);
  }

  /** Feeds what is left of the stream (a last line without newline). */
  finish() {
    if (this.pending) this.addLine(this.pending);
    this.pending = '';
    this.closeSegment();
  }

  /**
   * @param {string} line one JSON record
   */
  addLine(line) {
    const rec = JSON.parse(line);
    if (rec.kind === 'step') this.startStep();
    if (rec.kind === 'header') this.header = rec;
    if (rec.kind === 'end') this.end = rec;
    if (this.openChars > SEGMENT_CHARS) this.closeSegment();
    this.openLines.push(line + '\n');
    this.openChars += line.length + 1;
    this.openText = null;
    applyRecord(this.live, rec);
    if (this.steps === 0) applyRecord(this.prelude, rec);
    this.recordsSinceCheckpoint++;
  }

  /** Records where the step that begins now starts, and checkpoints the state so far. */
  startStep() {
    const n = this.steps;
    if (n > 0 && this.recordsSinceCheckpoint >= CHECKPOINT_RECORDS) {
      this.checkpoints.push({ step: n - 1, state: cloneState(this.live) });
      this.recordsSinceCheckpoint = 0;
    }
    if (n >= this.stepSeg.length) {
      const seg = new Uint32Array(n * 2), off = new Uint32Array(n * 2);
      seg.set(this.stepSeg);
      off.set(this.stepOff);
      this.stepSeg = seg;
      this.stepOff = off;
    }
    this.stepSeg[n] = this.segments.length;
    this.stepOff[n] = this.openChars;
    this.steps++;
  }

  closeSegment() {
    if (!this.openLines.length) return;
    this.segments.push(this.openLines.join(''));
    this.openLines = [];
    this.openChars = 0;
    this.openText = null;
  }

  /** The text of the open segment. */
  openSegment() {
    if (this.openText === null) {
      this.openText = this.openLines.join('');
      this.openLines = [this.openText];
    }
    return this.openText;
  }

  /**
   * The raw text of the records of steps [from, to] (inclusive).
   * @param {number} from
   * @param {number} to
   */
  textOf(from, to) {
    const parts = [];
    let seg = this.stepSeg[from], off = this.stepOff[from];
    const endSeg = to + 1 < this.steps ? this.stepSeg[to + 1] : Infinity;
    const endOff = to + 1 < this.steps ? this.stepOff[to + 1] : Infinity;
    for (;;) {
      const text = seg < this.segments.length ? this.segments[seg] : this.openSegment();
      if (seg === endSeg) { parts.push(text.slice(off, endOff)); break; }
      parts.push(text.slice(off));
      if (seg >= this.segments.length) break;
      seg++;
      off = 0;
    }
    return parts.join('');
  }

  /**
   * The state at the end of step [n] (0 ≤ n < length). The result is a fresh copy the
   * caller may keep; it must not be mutated.
   * @param {number} n
   * @returns {State}
   */
  stateAt(n) {
    if (this.steps === 0) return cloneState(this.prelude);
    n = Math.max(0, Math.min(n, this.steps - 1));
    if (n === this.steps - 1 && !this.pending) return cloneState(this.live);
    let lo = 0, hi = this.checkpoints.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.checkpoints[mid].step <= n) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    const from = best >= 0 ? this.checkpoints[best].step + 1 : 0;
    const state = cloneState(best >= 0 ? this.checkpoints[best].state : this.prelude);
    if (from > n) return state;
    const text = this.textOf(from, n);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      if (nl > start) applyRecord(state, JSON.parse(text.slice(start, nl)));
      start = nl + 1;
    }
    return state;
  }
}
