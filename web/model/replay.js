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
 *   sees the first `outLen` chunks. `codes` (the code records by id) is append-only
 *   too, and shared the same way.
 * @typedef {{
 *   step: number, at: string | null, frame: number | null, line: number,
 *   frames: FrameState[], objects: Heap,
 *   log: OutputLog, outLen: number, codes: Map<number, any>,
 *   exception: ExceptionState | null,
 *   returned: {frame: number, name: string, ret: Ref, yield: boolean} | null,
 *   born: number[], freed: {id: number, type: string, reason: string}[],
 *   collections: any[], refChanges: {id: number, from: number | undefined, to: number}[],
 *   genChanges: {id: number, from: number | undefined, to: number}[],
 *   records: any[], input: string | null, budget: any, end: any, header: any,
 *   lastTb: {ref: number, tb: [string, number, string][]} | null
 * }} State
 */

const BITS = 6;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;
let nextEpoch = 1;

/**
 * A persistent map from small non-negative integers to values: a trie of 64-wide
 * nodes. fork() is O(1); afterwards either copy copies a node the first time it
 * writes under it (path copying), so a copy costs only what changes after it.
 * Each node remembers the epoch that owns it; a trie writes in place only to nodes of
 * its own epoch, and fork() gives both tries fresh epochs. With [own], leaves also
 * keep the epoch each value was stored under (Heap uses it to copy shared objects).
 */
class Trie {
  /** @param {boolean} own */
  constructor(own) {
    this.own = own;
    /** @type {any} */
    this.root = null;
    this.depth = 0; // interior levels above the leaves
    this.cap = WIDTH; // keys below this fit
    this.epoch = nextEpoch++;
  }

  /** @param {number} key */
  get(key) {
    let n = this.root;
    if (n === null || !(key >= 0 && key < this.cap)) return undefined;
    for (let d = this.depth; d > 0; d--) {
      n = n.c[(key >>> (BITS * d)) & MASK];
      if (n === undefined) return undefined;
    }
    return n.v[key & MASK];
  }

  /**
   * The leaf holding [key], owned by this trie (nodes on the way copied if shared).
   * @param {number} key
   */
  leaf(key) {
    const e = this.epoch;
    while (key >= this.cap) {
      if (this.root !== null) {
        const r = { e, c: new Array(WIDTH) };
        r.c[0] = this.root;
        this.root = r;
      }
      this.depth++;
      this.cap *= WIDTH;
    }
    let n = this.root;
    if (n === null) n = this.root = this.depth ? { e, c: new Array(WIDTH) } : this.newLeaf();
    else if (n.e !== e) n = this.root = this.copy(n, this.depth === 0);
    for (let d = this.depth; d > 0; d--) {
      const i = (key >>> (BITS * d)) & MASK;
      let ch = n.c[i];
      if (ch === undefined) ch = n.c[i] = d === 1 ? this.newLeaf() : { e, c: new Array(WIDTH) };
      else if (ch.e !== e) ch = n.c[i] = this.copy(ch, d === 1);
      n = ch;
    }
    return n;
  }

  newLeaf() { return { e: this.epoch, v: new Array(WIDTH), o: this.own ? new Int32Array(WIDTH) : null, n: 0 }; }

  /** @param {any} n @param {boolean} isLeaf */
  copy(n, isLeaf) {
    // A copied leaf owns none of its values: they stay shared until written.
    return isLeaf ? { e: this.epoch, v: n.v.slice(), o: this.own ? new Int32Array(WIDTH) : null, n: n.n } : { e: this.epoch, c: n.c.slice() };
  }

  /**
   * Drops the leaf holding [key], and the interior nodes it leaves empty, so that
   * iterating a heap whose objects come and go costs what is alive, not every id ever
   * used. Call right after leaf(key) (the path is this trie's own).
   * @param {number} key
   */
  prune(key) {
    const path = [];
    let n = this.root;
    for (let d = this.depth; d > 0; d--) {
      path.push(n);
      n = n.c[(key >>> (BITS * d)) & MASK];
    }
    for (let d = 1; d <= this.depth; d++) {
      const parent = path[path.length - d];
      parent.c[(key >>> (BITS * d)) & MASK] = undefined;
      if (parent.c.some((/** @type {any} */ x) => x !== undefined)) return;
    }
    this.root = null;
  }

  /** @param {number} key @param {any} value */
  set(key, value) { this.leaf(key).v[key & MASK] = value; }

  /** A copy sharing every node until written; both copies stay usable. */
  fork() {
    const t = new Trie(this.own);
    t.root = this.root;
    t.depth = this.depth;
    t.cap = this.cap;
    this.epoch = nextEpoch++;
    return t;
  }

  /** @returns {Generator<[number, any]>} */
  *entries() {
    if (this.root !== null) yield* walk(this.root, this.depth, 0);
  }
}

/**
 * @param {any} n @param {number} depth @param {number} base
 * @returns {Generator<[number, any]>}
 */
function* walk(n, depth, base) {
  if (depth === 0) {
    for (let i = 0; i < WIDTH; i++) if (n.v[i] !== undefined) yield [base + i, n.v[i]];
    return;
  }
  const span = WIDTH ** depth;
  for (let i = 0; i < WIDTH; i++) if (n.c[i] !== undefined) yield* walk(n.c[i], depth - 1, base + i * span);
}

/**
 * Item lists longer than this are kept as a Vec (or a Dict for dict items) inside the
 * replayer, so that checkpoints share them instead of copying them; Heap.get() shows
 * them as plain arrays.
 */
const BIG = 256;

/** A container's items in a shareable form (see Vec and Dict). */
class Big {}

/**
 * A persistent array: fixed leaves of 64 items; clone() copies the leaf list only,
 * and a leaf is copied the first time a clone writes to it.
 */
class Vec extends Big {
  /** @param {any[][]} leaves @param {number} length @param {boolean} owned */
  constructor(leaves, length, owned) {
    super();
    this.leaves = leaves;
    this.length = length;
    /** @type {boolean[]} which leaves this Vec may change in place */
    this.owned = owned ? leaves.map(() => true) : [];
  }

  /** @param {any[]} items */
  static from(items) {
    const v = new Vec([], 0, true);
    for (let i = 0; i < items.length; i++) v.push(items[i]);
    return v;
  }

  clone() { return new Vec(this.leaves.slice(), this.length, false); }

  /** @param {number} i */
  get(i) { return this.leaves[i >>> BITS][i & MASK]; }

  /** @param {number} k */
  leaf(k) {
    if (!this.owned[k]) { this.leaves[k] = this.leaves[k].slice(); this.owned[k] = true; }
    return this.leaves[k];
  }

  /** @param {number} i @param {any} x */
  set(i, x) { this.leaf(i >>> BITS)[i & MASK] = x; }

  /** @param {any} x */
  push(x) {
    if ((this.length & MASK) === 0) {
      this.owned[this.leaves.length] = true;
      this.leaves.push([x]);
    } else {
      this.leaf(this.leaves.length - 1).push(x);
    }
    this.length++;
  }

  /**
   * Array.prototype.splice without the result.
   * @param {number} at @param {number} del @param {any[]} ins
   */
  splice(at, del, ins) {
    const n = this.length;
    at = at < 0 ? Math.max(0, n + at) : Math.min(at, n);
    del = Math.max(0, Math.min(del, n - at));
    if (del === ins.length) {
      for (let j = 0; j < del; j++) this.set(at + j, ins[j]);
      return;
    }
    if (at === n) {
      for (let j = 0; j < ins.length; j++) this.push(ins[j]);
      return;
    }
    // Rebuild from the leaf holding [at]: cheap near the end (pop, insert), O(n) at 0.
    const k = at >>> BITS, base = k << BITS;
    const tail = [];
    for (let i = base; i < at; i++) tail.push(this.get(i));
    for (let j = 0; j < ins.length; j++) tail.push(ins[j]);
    for (let i = at + del; i < n; i++) tail.push(this.get(i));
    this.leaves.length = k;
    this.owned.length = k;
    this.length = base;
    for (let j = 0; j < tail.length; j++) this.push(tail[j]);
  }

  toArray() {
    const out = new Array(this.length);
    let i = 0;
    for (const leaf of this.leaves) for (let j = 0; j < leaf.length; j++) out[i++] = leaf[j];
    return out;
  }
}

/**
 * A dict's items, persistent: the [key, value] pairs in insertion order with holes
 * where keys were deleted (a Vec), and key → position (a Trie), so a set or a delete
 * costs O(1) whatever the size.
 */
class Dict extends Big {
  /** @param {Vec} entries @param {Trie} slots @param {number} live */
  constructor(entries, slots, live) {
    super();
    this.entries = entries;
    this.slots = slots;
    this.live = live;
  }

  /** @param {any[][]} pairs */
  static from(pairs) {
    const d = new Dict(new Vec([], 0, true), new Trie(false), 0);
    d.change([], pairs);
    return d;
  }

  get length() { return this.live; }

  clone() { return new Dict(this.entries.clone(), this.slots.fork(), this.live); }

  /**
   * Python's order: remove the keys in [del], then replace or append each pair of [set].
   * @param {Ref[]} del @param {Ref[][]} set
   */
  change(del, set) {
    for (const k of del) {
      const at = this.slots.get(/** @type {number} */ (k));
      if (at === undefined) continue;
      this.entries.set(at, null);
      this.slots.set(/** @type {number} */ (k), undefined);
      this.live--;
    }
    for (const [k, v] of set) {
      const at = this.slots.get(/** @type {number} */ (k));
      if (at !== undefined) {
        this.entries.set(at, [k, v]);
      } else {
        this.slots.set(/** @type {number} */ (k), this.entries.length);
        this.entries.push([k, v]);
        this.live++;
      }
    }
    const holes = this.entries.length - this.live;
    if (holes > BIG && holes > this.live) {
      const pairs = this.toArray();
      this.entries = new Vec([], 0, true);
      this.slots = new Trie(false);
      this.live = 0;
      this.change([], pairs);
    }
  }

  toArray() {
    const out = [];
    for (const leaf of this.entries.leaves) for (let j = 0; j < leaf.length; j++) if (leaf[j] !== null) out.push(leaf[j]);
    return out;
  }
}

/** True when every key is an integer the Trie can index. @param {any[]} pairs */
function trieKeys(pairs) {
  for (const kv of pairs) if (!Array.isArray(kv) || !Number.isInteger(kv[0]) || kv[0] < 0) return false;
  return true;
}

/**
 * Puts a big item list of [o] in its shareable form (small ones stay arrays).
 * @param {HeapObject} o
 * @param {boolean} [pairs] the items are dict pairs
 */
function compact(o, pairs) {
  const items = o.items;
  if (!Array.isArray(items) || items.length <= BIG) return;
  if (pairs === undefined) pairs = o.type === 'dict' || Array.isArray(items[0]);
  o.items = pairs ? (trieKeys(items) ? Dict.from(items) : items) : Vec.from(items);
}

/**
 * The items of [o] as a plain array the caller may change (for the rare change a
 * shareable form does not do directly).
 * @param {HeapObject} o
 */
function plainItems(o) {
  if (o.items instanceof Big) o.items = o.items.toArray();
  return o.items;
}

/**
 * The live objects of a state, keyed by id: a persistent trie (see Trie). fork()
 * takes O(1); afterwards either copy copies a node, and an object, the first time it
 * writes to it, so checkpoints and stateAt() cost what changes, not the heap's size.
 * get() and iteration give every object in the stream's shape: big item lists kept
 * shareable inside are shown as plain arrays (made once per heap and cached).
 */
export class Heap {
  constructor() {
    this.trie = new Trie(true);
    this.size = 0;
    /** @type {Map<number, HeapObject> | null} objects with their items as arrays */
    this.shown = null;
  }

  /**
   * The object [id] as the stream describes it (do not change it).
   * @param {number} id
   * @returns {HeapObject | undefined}
   */
  get(id) {
    const o = this.trie.get(id);
    if (o === undefined || !(o.items instanceof Big)) return o;
    let v = this.shown && this.shown.get(id);
    if (!v) {
      v = { ...o, items: o.items.toArray() };
      (this.shown || (this.shown = new Map())).set(id, v);
    }
    return v;
  }

  /** @param {number} id */
  has(id) { return this.trie.get(id) !== undefined; }

  /**
   * The object [id] in the replayer's own form (items may be a Vec or a Dict).
   * @param {number} id
   * @returns {HeapObject | undefined}
   */
  raw(id) { return this.trie.get(id); }

  /**
   * @param {number} id
   * @param {HeapObject} o an object no other heap shares
   */
  set(id, o) {
    const leaf = this.trie.leaf(id), i = id & MASK;
    if (leaf.v[i] === undefined) { this.size++; leaf.n++; }
    leaf.v[i] = o;
    leaf.o[i] = this.trie.epoch;
    if (this.shown) this.shown.delete(id);
  }

  /** @param {number} id */
  delete(id) {
    if (!this.has(id)) return false;
    const leaf = this.trie.leaf(id);
    leaf.v[id & MASK] = undefined;
    if (--leaf.n === 0) this.trie.prune(id);
    this.size--;
    if (this.shown) this.shown.delete(id);
    return true;
  }

  /**
   * The object [id] ready to be changed in place (copied first if shared), in the
   * replayer's own form (items may be a Vec or a Dict).
   * @param {number} id
   * @returns {HeapObject | undefined}
   */
  mutable(id) {
    const o = this.trie.get(id);
    if (o === undefined) return undefined;
    if (this.shown) this.shown.delete(id);
    const leaf = this.trie.leaf(id), i = id & MASK;
    if (leaf.o[i] === this.trie.epoch) return o;
    const copy = cloneObject(o);
    leaf.v[i] = copy;
    leaf.o[i] = this.trie.epoch;
    return copy;
  }

  /** A copy sharing everything until written; both copies stay usable. */
  fork() {
    const h = new Heap();
    h.trie = this.trie.fork();
    h.size = this.size;
    return h;
  }

  /** @returns {Generator<[number, HeapObject]>} */
  *[Symbol.iterator]() {
    for (const [id, o] of this.trie.entries()) yield [id, o.items instanceof Big ? /** @type {HeapObject} */ (this.get(id)) : o];
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
    log: log || { chunks: [] }, outLen: 0, codes: new Map(),
    exception: null, returned: null,
    born: [], freed: [], collections: [], refChanges: [], genChanges: [], records: [],
    input: null, budget: null, end: null, header: null, lastTb: null,
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
  else if (o.items instanceof Big) c.items = o.items.clone();
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
  if (Array.isArray(o.items)) {
    o.items = o.items.map((/** @type {any} */ x) => (Array.isArray(x) ? x.slice() : x));
    compact(o);
  }
  return o;
}

/**
 * Opens a step: clears the per-step lists.
 * @param {State} s
 * @param {any} rec a "step" record
 */
function beginStep(s, rec) {
  s.step++;
  s.at = rec.at || 'line';
  if ('frame' in rec) s.frame = rec.frame;
  s.line = rec.line;
  s.born = [];
  s.freed = [];
  s.collections = [];
  s.refChanges = [];
  s.genChanges = [];
  s.records = [];
  s.returned = null;
  if (s.exception && s.exception.what === 'caught') s.exception = null;
  if (s.frame != null) {
    const f = frameById(s, s.frame);
    if (f) f.line = rec.line;
  }
}

/** @type {{[kind: string]: (s: State, rec: any) => void}} */
const apply = {
  header(s, rec) { s.header = rec; },
  step: beginStep,
  code(s, rec) { s.codes.set(rec.id, rec); },
  push(s, rec) {
    const c = s.codes.get(rec.code) || { name: '?', qualname: '?', names: [], cells: 0 };
    // The names go on the record too, for the views that list this step's records.
    rec.name = c.name;
    rec.qualname = c.qualname;
    /** @type {FrameState} */
    const f = {
      id: rec.frame, name: c.name, qualname: c.qualname, parent: rec.parent,
      func: rec.func, line: rec.line, globals: rec.globals, names: c.names,
      cells: c.cells, slots: c.names.map(() => null),
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
    const i = rec.slot;
    rec.name = f.names[i];
    f.slots[i] = rec.ref;
  },
  alloc(s, rec) {
    const o = descriptionOf(rec);
    if (!rec.immortal && rec.gen === undefined) o.gen = -1; // not tracked by the collector
    s.objects.set(rec.id, o);
    s.born.push(rec.id);
  },
  splice(s, rec) {
    const o = s.objects.mutable(rec.id);
    if (!o) return;
    if (o.items instanceof Dict) plainItems(o);
    if (o.items instanceof Vec) {
      o.items.splice(rec.at, rec.del, rec.ins);
    } else if (Array.isArray(o.items)) {
      if (rec.ins.length < 1000) o.items.splice(rec.at, rec.del, ...rec.ins);
      else o.items = [...o.items.slice(0, rec.at), ...rec.ins, ...o.items.slice(rec.at + rec.del)];
      compact(o, false);
    }
  },
  dict(s, rec) {
    const o = s.objects.mutable(rec.id);
    if (!o || !o.items) return;
    const del = rec.del || [], set = rec.set || [];
    if (o.items instanceof Dict && del.every((/** @type {any} */ k) => Number.isInteger(k) && k >= 0) && trieKeys(set)) {
      o.items.change(del, set);
      return;
    }
    if (!Array.isArray(plainItems(o))) return;
    if (del.length) {
      const gone = new Set(del);
      o.items = o.items.filter((/** @type {Ref[]} */ kv) => !gone.has(kv[0]));
    }
    for (const [k, v] of set) {
      const at = o.items.findIndex((/** @type {Ref[]} */ kv) => kv[0] === k);
      if (at >= 0) o.items[at] = [k, v];
      else o.items.push([k, v]);
    }
    compact(o, true);
  },
  members(s, rec) {
    const o = s.objects.mutable(rec.id);
    if (!o) return;
    o.items = rec.items.slice();
    compact(o, false);
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
    const o = s.objects.raw(rec.id);
    s.objects.delete(rec.id);
    s.freed.push({ id: rec.id, type: o ? o.type : '?', reason: rec.reason || 'refcount' });
  },
  gc(s, rec) { s.collections.push(rec); },
  out(s, rec) {
    const log = s.log.chunks;
    if (s.outLen === log.length) log.push([rec.stream, rec.text]);
    s.outLen++;
  },
  exc(s, rec) {
    // tb_outer: the entries added in front of the traceback the previous exc record gave
    // (same exception); tb: the whole traceback.
    const tb = rec.tb_outer && s.lastTb && s.lastTb.ref === rec.ref ? rec.tb_outer.concat(s.lastTb.tb) : rec.tb || [];
    s.lastTb = { ref: rec.ref, tb };
    s.exception = { what: rec.what, ref: rec.ref, frame: rec.frame, type: rec.type, msg: rec.msg, tb };
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
