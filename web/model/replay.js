// @ts-check
/**
 * replay.js — turns event-stream records (docs/event-stream.md) into the visible
 * state of the program: frames with their locals, live objects with contents,
 * reference counts and generations, output, the current exception, and what changed
 * at the current step. Pure data → data: no DOM, no I/O. timeline.js drives it.
 */

/**
 * @typedef {number | null} Ref
 * @typedef {{[field: string]: any, type: string, rc?: number, gen?: number, immortal?: true}} HeapObject
 *   An object's description exactly as the stream gives it (see the spec's table).
 * @typedef {{id: number, name: string, qualname: string, parent: number | null,
 *   func: Ref, line: number, globals: Ref, locals_dict?: Ref, names: string[],
 *   cells: number, slots: Ref[]}} FrameState
 * @typedef {{what: 'raised' | 'caught' | 'uncaught', ref: Ref, frame: number | null,
 *   type: string, msg: string, tb: [string, number, string][]}} ExceptionState
 * @typedef {{chunks: [number, string][]}} OutputLog
 *   Append-only log of output chunks shared by every state of one trace; a state
 *   sees the first `outLen` chunks.
 * @typedef {{
 *   step: number, at: string | null, frame: number | null, line: number,
 *   frames: FrameState[], objects: Heap,
 *   log: OutputLog, outLen: number,
 *   exception: ExceptionState | null,
 *   returned: {frame: number, name: string, ret: Ref, yield: boolean} | null,
 *   born: number[], freed: {id: number, type: string, reason: string}[],
 *   collections: any[], refChanges: {id: number, from: number | undefined, to: number}[],
 *   genChanges: {id: number, from: number | undefined, to: number}[],
 *   records: any[], input: string | null, budget: any, end: any, header: any
 * }} State
 */

const CHUNK_BITS = 6;
const CHUNK = 1 << CHUNK_BITS;
let nextEpoch = 1;

/**
 * The live objects of a state, keyed by id: a copy-on-write table in chunks of 64
 * ids. fork() makes a copy in time proportional to (largest id / 64); afterwards
 * either copy clones a chunk, and an object, the first time it writes to it. This is
 * what makes checkpoints and stateAt() cheap on big heaps.
 */
export class Heap {
  constructor() {
    /** @type {({owner: number, objs: (HeapObject | undefined)[], objOwner: Int32Array} | null)[]} */
    this.chunks = [];
    this.epoch = nextEpoch++;
    this.size = 0;
  }

  /** @param {number} id */
  get(id) {
    const c = this.chunks[id >>> CHUNK_BITS];
    return c ? c.objs[id & (CHUNK - 1)] : undefined;
  }

  /** @param {number} id */
  has(id) { return this.get(id) !== undefined; }

  /**
   * The chunk holding [id], owned by this heap (copied if shared).
   * @param {number} id
   */
  ownChunk(id) {
    const k = id >>> CHUNK_BITS;
    let c = this.chunks[k];
    if (!c) {
      c = { owner: this.epoch, objs: new Array(CHUNK), objOwner: new Int32Array(CHUNK) };
      while (this.chunks.length < k) this.chunks.push(null);
      this.chunks[k] = c;
    } else if (c.owner !== this.epoch) {
      c = { owner: this.epoch, objs: c.objs.slice(), objOwner: c.objOwner.slice() };
      this.chunks[k] = c;
    }
    return c;
  }

  /**
   * @param {number} id
   * @param {HeapObject} o an object no other heap shares
   */
  set(id, o) {
    const c = this.ownChunk(id), i = id & (CHUNK - 1);
    if (c.objs[i] === undefined) this.size++;
    c.objs[i] = o;
    c.objOwner[i] = this.epoch;
  }

  /** @param {number} id */
  delete(id) {
    if (!this.has(id)) return false;
    const c = this.ownChunk(id);
    c.objs[id & (CHUNK - 1)] = undefined;
    this.size--;
    return true;
  }

  /**
   * The object [id] ready to be changed in place (cloned first if shared).
   * @param {number} id
   * @returns {HeapObject | undefined}
   */
  mutable(id) {
    const o = this.get(id);
    if (!o) return undefined;
    const c = this.ownChunk(id), i = id & (CHUNK - 1);
    if (c.objOwner[i] === this.epoch) return o;
    const copy = cloneObject(o);
    c.objs[i] = copy;
    c.objOwner[i] = this.epoch;
    return copy;
  }

  /** A copy sharing everything until written; both copies stay usable. */
  fork() {
    const h = new Heap();
    h.chunks = this.chunks.slice();
    h.size = this.size;
    this.epoch = nextEpoch++;
    return h;
  }

  *[Symbol.iterator]() {
    for (let k = 0; k < this.chunks.length; k++) {
      const c = this.chunks[k];
      if (!c) continue;
      for (let i = 0; i < CHUNK; i++) {
        const o = c.objs[i];
        if (o !== undefined) yield /** @type {[number, HeapObject]} */ ([(k << CHUNK_BITS) | i, o]);
      }
    }
  }
}

/** Fields of a description that an "update" record does not replace. */
const KEEP_ON_UPDATE = new Set(['type', 'rc', 'gen', 'immortal']);

/**
 * Returns the state before any record.
 * @param {OutputLog} [log] the output log to share (a new one by default)
 * @returns {State}
 */
export function emptyState(log) {
  return {
    step: -1, at: null, frame: null, line: 0,
    frames: [], objects: new Heap(),
    log: log || { chunks: [] }, outLen: 0,
    exception: null, returned: null,
    born: [], freed: [], collections: [], refChanges: [], genChanges: [], records: [],
    input: null, budget: null, end: null, header: null,
  };
}

/**
 * Copies a state: frames deeply, objects copy-on-write (see Heap), the output log
 * shared (it is append-only). Both states stay usable.
 * @param {State} s
 * @returns {State}
 */
export function cloneState(s) {
  return {
    ...s,
    frames: s.frames.map((f) => ({ ...f, names: f.names, slots: f.slots.slice() })),
    objects: s.objects.fork(),
    born: s.born.slice(), freed: s.freed.slice(), collections: s.collections.slice(),
    refChanges: s.refChanges.slice(), genChanges: s.genChanges.slice(), records: s.records.slice(),
  };
}

/**
 * @param {HeapObject} o
 * @returns {HeapObject}
 */
function cloneObject(o) {
  const c = { ...o };
  if (Array.isArray(o.items)) c.items = o.items.slice(); // dict pairs are replaced, never changed
  return c;
}

/**
 * @param {State} s
 * @param {number} id
 */
function frameById(s, id) {
  for (let i = s.frames.length - 1; i >= 0; i--) if (s.frames[i].id === id) return s.frames[i];
  return undefined;
}

/**
 * Copies the description fields of a record (everything but kind and id).
 * @param {any} rec
 * @returns {HeapObject}
 */
function descriptionOf(rec) {
  /** @type {any} */
  const o = {};
  for (const k in rec) if (k !== 'kind' && k !== 'id') o[k] = rec[k];
  if (Array.isArray(o.items)) o.items = o.items.map((/** @type {any} */ x) => (Array.isArray(x) ? x.slice() : x));
  return o;
}

/**
 * Opens a step: clears the per-step lists.
 * @param {State} s
 * @param {any} rec a "step" record
 */
function beginStep(s, rec) {
  s.step = rec.n;
  s.at = rec.at;
  s.frame = rec.frame;
  s.line = rec.line;
  s.born = [];
  s.freed = [];
  s.collections = [];
  s.refChanges = [];
  s.genChanges = [];
  s.records = [];
  s.returned = null;
  if (s.exception && s.exception.what === 'caught') s.exception = null;
  if (rec.frame != null) {
    const f = frameById(s, rec.frame);
    if (f) f.line = rec.line;
  }
}

/** @type {{[kind: string]: (s: State, rec: any) => void}} */
const apply = {
  header(s, rec) { s.header = rec; },
  step: beginStep,
  push(s, rec) {
    /** @type {FrameState} */
    const f = {
      id: rec.frame, name: rec.name, qualname: rec.qualname, parent: rec.parent,
      func: rec.func, line: rec.line, globals: rec.globals, names: rec.names,
      cells: rec.cells, slots: rec.names.map(() => null),
    };
    if ('locals_dict' in rec) f.locals_dict = rec.locals_dict;
    if (s.frame === rec.frame) f.line = s.line;
    s.frames.push(f);
  },
  pop(s, rec) {
    for (let i = s.frames.length - 1; i >= 0; i--) {
      if (s.frames[i].id !== rec.frame) continue;
      const [f] = s.frames.splice(i, 1);
      s.returned = { frame: rec.frame, name: f.name, ret: rec.ret, yield: !!rec.yield };
      return;
    }
  },
  bind(s, rec) {
    const f = frameById(s, rec.frame);
    if (!f) return;
    const i = typeof rec.slot === 'number' ? rec.slot : f.names.indexOf(rec.name);
    if (i >= 0) f.slots[i] = rec.ref;
  },
  alloc(s, rec) {
    s.objects.set(rec.id, descriptionOf(rec));
    s.born.push(rec.id);
  },
  splice(s, rec) {
    const o = s.objects.mutable(rec.id);
    if (o && Array.isArray(o.items)) o.items.splice(rec.at, rec.del, ...rec.ins);
  },
  dict(s, rec) {
    const o = s.objects.mutable(rec.id);
    if (!o || !Array.isArray(o.items)) return;
    if (rec.del && rec.del.length) {
      const gone = new Set(rec.del);
      o.items = o.items.filter((/** @type {Ref[]} */ kv) => !gone.has(kv[0]));
    }
    for (const [k, v] of rec.set || []) {
      const at = o.items.findIndex((/** @type {Ref[]} */ kv) => kv[0] === k);
      if (at >= 0) o.items[at] = [k, v];
      else o.items.push([k, v]);
    }
  },
  members(s, rec) {
    const o = s.objects.mutable(rec.id);
    if (o) o.items = rec.items.slice();
  },
  cell(s, rec) {
    const o = s.objects.mutable(rec.id);
    if (o) o.ref = rec.ref;
  },
  update(s, rec) {
    const o = s.objects.mutable(rec.id);
    if (!o) return;
    for (const k of Object.keys(o)) if (!KEEP_ON_UPDATE.has(k)) delete o[k];
    Object.assign(o, descriptionOf(rec));
  },
  counts(s, rec) {
    for (const key in rec.rc || {}) {
      const id = Number(key), o = s.objects.mutable(id);
      if (!o) continue;
      s.refChanges.push({ id, from: o.rc, to: rec.rc[key] });
      o.rc = rec.rc[key];
    }
    for (const key in rec.gen || {}) {
      const id = Number(key), o = s.objects.mutable(id);
      if (!o) continue;
      s.genChanges.push({ id, from: o.gen, to: rec.gen[key] });
      o.gen = rec.gen[key];
    }
  },
  free(s, rec) {
    const o = s.objects.get(rec.id);
    s.objects.delete(rec.id);
    s.freed.push({ id: rec.id, type: o ? o.type : '?', reason: rec.reason });
  },
  gc(s, rec) { s.collections.push(rec); },
  out(s, rec) {
    const log = s.log.chunks;
    if (s.outLen === log.length) log.push([rec.stream, rec.text]);
    s.outLen++;
  },
  exc(s, rec) {
    s.exception = { what: rec.what, ref: rec.ref, frame: rec.frame, type: rec.type, msg: rec.msg, tb: rec.tb };
  },
  input(s, rec) { s.input = rec.prompt; },
  budget(s, rec) { s.budget = rec; },
  end(s, rec) { s.end = rec; },
  snapshot() {},
};

/**
 * Applies one record to [s] (in place). Unknown kinds are ignored.
 * @param {State} s
 * @param {any} rec
 */
export function applyRecord(s, rec) {
  const fn = apply[rec.kind];
  if (!fn) return;
  fn(s, rec);
  if (rec.kind !== 'step' && rec.kind !== 'snapshot') s.records.push(rec);
}

/**
 * The text written to [stream] (1 stdout, 2 stderr) up to this state.
 * @param {State} s
 * @param {number} stream
 */
export function outputText(s, stream) {
  let text = '';
  const chunks = s.log.chunks;
  for (let i = 0; i < s.outLen; i++) if (chunks[i][0] === stream) text += chunks[i][1];
  return text;
}

/**
 * The state in the shape of the core's "snapshot" records (for tests).
 * @param {State} s
 */
export function snapshotOf(s) {
  /** @type {{[id: string]: HeapObject}} */
  const objects = {};
  for (const [id, o] of s.objects) objects[String(id)] = o;
  return {
    frames: s.frames.map((f) => {
      /** @type {any} */
      const out = {
        id: f.id, name: f.name, qualname: f.qualname, parent: f.parent, func: f.func,
        line: f.line, globals: f.globals,
      };
      if ('locals_dict' in f) out.locals_dict = f.locals_dict;
      out.locals = [];
      f.slots.forEach((ref, i) => { if (ref != null) out.locals.push([f.names[i], ref]); });
      return out;
    }),
    objects,
    stdout: outputText(s, 1),
    stderr: outputText(s, 2),
    exception: s.exception,
  };
}
