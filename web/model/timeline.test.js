// @ts-check
// Timeline.stateAt(n) against a straight replay of the same stream, on long random
// streams with many checkpoints: list splices of every kind (on lists small and big
// enough to be kept shareable inside the replayer), dict sets, deletes and re-adds (on
// a dict big enough to be kept shareable, with enough deletes to compact it), sets,
// cells, updates, frees, calls and returns, output on both streams, exceptions,
// counts, gc records, a prelude, and an unfinished last step (node:test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyRecord, emptyState } from './replay.js';
import { Timeline } from './timeline.js';

/** @param {number} seed */
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random but well-formed stream of [steps] steps. Also returns the list and dict
 * contents after every step, to check the replayer's containers against plain arrays.
 * @param {number} steps @param {number} seed
 */
function randomStream(steps, seed) {
  const r = rng(seed);
  const pick = (/** @type {number} */ n) => Math.floor(r() * n);
  /** @type {any[]} */
  const recs = [];
  const emit = (/** @type {any} */ rec) => recs.push(rec);
  emit({ v: 3, kind: 'header', source: 'x = 1\n', filename: 'main.py', options: { max_steps: 0, recursion_limit: 1000, max_trace_steps: 0, snapshots: false, stdin: ['a'] } });
  // Prelude: records before the first step.
  emit({ kind: 'alloc', id: 900000, type: 'str', immortal: true, value: '__name__' });
  emit({ kind: 'out', stream: 2, text: 'prelude\n' });
  emit({ kind: 'step', at: 'call', frame: 1, line: 1 });
  emit({ kind: 'alloc', id: 1, type: 'dict', rc: 1, gen: 0, items: [] });
  emit({ kind: 'alloc', id: 2, type: 'list', rc: 1, gen: 0, items: [] });
  emit({ kind: 'alloc', id: 3, type: 'dict', rc: 1, gen: 0, items: [] });
  emit({ kind: 'alloc', id: 4, type: 'set', rc: 1, gen: 0, items: [] });
  emit({ kind: 'alloc', id: 5, type: 'cell', rc: 1, gen: 0, ref: null, frame: 1 });
  emit({ kind: 'alloc', id: 6, type: 'function', rc: 1, gen: 0, name: 'f', qualname: 'f', defaults: [], closure: [5], kwdefaults: null });
  emit({ kind: 'alloc', id: 7, type: 'list', rc: 1, gen: 0, items: [] });
  emit({ kind: 'code', id: 8, name: '<module>', qualname: '<module>', names: ['xs', 'd', 's', 'i', 'ys'], cells: 0 });
  emit({ kind: 'code', id: 9, name: 'f', qualname: 'f', names: ['a', 'b'], cells: 0 });
  emit({ kind: 'push', frame: 1, parent: null, code: 8, func: null, globals: 1, line: 1 });
  emit({ kind: 'bind', frame: 1, slot: 0, ref: 2 });
  emit({ kind: 'bind', frame: 1, slot: 1, ref: 3 });
  emit({ kind: 'bind', frame: 1, slot: 2, ref: 4 });
  emit({ kind: 'bind', frame: 1, slot: 4, ref: 7 });
  /** @type {number[]} */
  const xs = [];
  /** @type {number[]} */
  const ys = [];
  /** @type {Map<number, number>} */
  const d = new Map();
  let nextId = 100;
  /** @type {number[]} */
  const ints = [];
  /** @type {number[]} */
  const temps = [];
  let lastFrame = 1;
  let called = 0; // steps left in a call of f (frame 2, 3, ...)
  let callFrame = 0, nextFrame = 2;
  let exc = 0;
  /** @type {number[]} */
  let block = [];
  let blockEnd = 0;
  /** @type {{xs: number[], ys: number[], d: [number, number][]}[]} */
  const contents = [];
  const snap = () => contents.push({ xs: xs.slice(), ys: ys.slice(), d: [...d] });
  const newInt = () => {
    const id = nextId++;
    emit({ kind: 'alloc', id, type: 'int', rc: 1, value: String(id) });
    ints.push(id);
    return id;
  };
  const anyInt = () => (ints.length && r() < 0.85 ? ints[pick(ints.length)] : newInt());
  for (let n = 1; n < steps; n++) {
    snap();
    const at = called === 1 ? 'return' : exc === 1 ? 'exception' : 'line';
    const frame = callFrame || 1;
    emit({ kind: 'step', ...(at === 'line' ? {} : { at }), ...(frame === lastFrame ? {} : { frame }), line: 1 + pick(9) });
    lastFrame = frame;
    if (exc === 1) {
      emit({ kind: 'exc', what: 'caught', frame: 1, ref: null, type: 'ValueError', msg: 'bad', tb: [['main.py', 3, '<module>']] });
      exc = 0;
    } else if (r() < 0.01) {
      emit({ kind: 'exc', what: 'raised', frame: 1, ref: anyInt(), type: 'ValueError', msg: 'bad', tb: [['main.py', 3, '<module>']] });
      exc = 1;
    }
    if (called) {
      if (--called === 0) {
        emit({ kind: 'pop', frame: callFrame, ret: r() < 0.5 ? anyInt() : null, ...(r() < 0.3 ? { yield: true } : {}) });
        callFrame = 0;
      } else {
        emit({ kind: 'bind', frame: callFrame, slot: 0, ref: anyInt() });
      }
    } else if (r() < 0.02) {
      callFrame = nextFrame++;
      called = 1 + pick(20);
      emit({ kind: 'push', frame: callFrame, parent: 1, code: 9, func: 6, globals: 1, line: 5 });
      emit({ kind: 'bind', frame: callFrame, slot: 0, ref: anyInt() });
    }
    emit({ kind: 'bind', frame: 1, slot: 3, ref: anyInt() });
    // The big list: mostly appends, every kind of splice now and then.
    const op = r();
    /** @type {number[]} */
    let ins = [];
    let at2 = xs.length, del = 0;
    if (op < 0.5) ins = [anyInt()];
    else if (op < 0.6 && xs.length) { at2 = pick(xs.length); del = 1; ins = [anyInt()]; }
    else if (op < 0.68) { at2 = pick(xs.length + 1); ins = [anyInt(), anyInt()]; }
    else if (op < 0.74 && xs.length) { at2 = xs.length - 1; del = 1; }
    else if (op < 0.77 && xs.length) { at2 = 0; del = 1; }
    else if (op < 0.7805) { ins = Array.from({ length: 300 + pick(300) }, anyInt); }
    else if (op < 0.8 && xs.length > 10) { at2 = pick(xs.length - 10); del = pick(10); ins = Array.from({ length: pick(5) }, anyInt); }
    else if (op < 0.801 && xs.length) { at2 = 0; del = xs.length; ins = [...xs].reverse(); }
    if (del || ins.length) {
      xs.splice(at2, del, ...ins);
      emit({ kind: 'splice', id: 2, at: at2, del, ins });
    }
    // A small list.
    if (r() < 0.3) {
      if (ys.length > 8 && r() < 0.5) { const k = pick(ys.length); ys.splice(k, 1); emit({ kind: 'splice', id: 7, at: k, del: 1, ins: [] }); }
      else { const v = anyInt(); ys.push(v); emit({ kind: 'splice', id: 7, at: ys.length - 1, del: 0, ins: [v] }); }
    }
    // The big dict: sets, replaces, deletes, a delete and re-add in one record, bursts
    // of deletes (so that it compacts).
    const dop = r();
    if (dop < 0.75 || d.size < 5) {
      const set = [];
      for (let j = 0; j < 1 + pick(3); j++) {
        const k = d.size && r() < 0.3 ? [...d.keys()][pick(d.size)] : anyInt();
        set.push([k, anyInt()]);
      }
      for (const [k, v] of set) d.set(k, v);
      emit({ kind: 'dict', id: 3, del: [], set });
    } else if (dop < 0.85) {
      const keys = [...d.keys()];
      const gone = Array.from({ length: 1 + pick(3) }, () => keys[pick(keys.length)]);
      const back = r() < 0.5 ? [[gone[0], anyInt()]] : [];
      for (const k of gone) d.delete(k);
      for (const [k, v] of back) d.set(k, v);
      emit({ kind: 'dict', id: 3, del: gone, set: back });
    } else if (dop < 0.852) {
      const keys = [...d.keys()];
      const gone = keys.filter(() => r() < 0.8);
      for (const k of gone) d.delete(k);
      emit({ kind: 'dict', id: 3, del: gone, set: [] });
    }
    if (r() < 0.05) emit({ kind: 'members', id: 4, items: ints.filter(() => r() < 0.01) });
    if (r() < 0.05) emit({ kind: 'cell', id: 5, ref: r() < 0.2 ? null : anyInt() });
    if (r() < 0.02) emit({ kind: 'update', id: 6, name: 'f', qualname: 'f', defaults: [anyInt()], closure: [5], kwdefaults: null });
    if (r() < 0.03) emit({ kind: 'dict', id: 1, del: [], set: [[900000, anyInt()]] });
    // Temporaries: announced and freed a few steps later.
    if (r() < 0.3) {
      const id = nextId++;
      emit({ kind: 'alloc', id, type: 'str', rc: 1, value: `t${id}` });
      temps.push(id);
    }
    if (temps.length > 3) emit({ kind: 'free', id: /** @type {number} */ (temps.shift()) });
    // Blocks of short-lived objects: whole leaves of the heap's trie come and go.
    if (block.length && n >= blockEnd) { for (const id of block) emit({ kind: 'free', id, reason: 'gc' }); block = []; }
    else if (!block.length && r() < 0.01) {
      for (let j = 0; j < 130 + pick(200); j++) { const id = nextId++; block.push(id); emit({ kind: 'alloc', id, type: 'list', rc: 1, gen: 0, items: [] }); }
      blockEnd = n + 1 + pick(300);
    }
    if (r() < 0.01) emit({ kind: 'gc', generation: pick(3), examined: 5, unreachable: 0, finalizers: 0, freed: 0 });
    if (r() < 0.1) emit({ kind: 'out', stream: r() < 0.8 ? 1 : 2, text: `${n} é\n` });
    if (r() < 0.5) {
      /** @type {{[k: string]: number}} */
      const rc = { 2: 1 + pick(3), 3: 1 + pick(3) };
      if (ints.length) rc[ints[pick(ints.length)]] = 1 + pick(5);
      emit({ kind: 'counts', rc, ...(r() < 0.2 ? { gen: { 2: pick(3) } } : {}) });
    }
  }
  snap();
  emit({ kind: 'input', prompt: 'name? ' });
  emit({ kind: 'budget', what: 'steps', limit: 5 });
  emit({ kind: 'end', status: 0, exit: 'ok', steps, truncated: false });
  return { recs, contents };
}

/**
 * Everything a state holds, in plain data (objects through the Heap's public view).
 * @param {import('./replay.js').State} s
 */
function plain(s) {
  /** @type {{[id: string]: any}} */
  const objects = {};
  for (const [id, o] of s.objects) objects[id] = o;
  const { log, outLen, objects: _, ...rest } = s;
  return structuredClone({ ...rest, objects, size: s.objects.size, output: log.chunks.slice(0, outLen) });
}

/** The plain state at the end of every step in [wanted], by applying every record. */
function straight(/** @type {any[]} */ recs, /** @type {Set<number>} */ wanted) {
  const s = emptyState();
  /** @type {Map<number, any>} */
  const out = new Map();
  for (const rec of recs) {
    if (rec.kind === 'step' && wanted.has(s.step)) out.set(s.step, plain(s));
    applyRecord(s, rec);
  }
  if (wanted.has(s.step)) out.set(s.step, plain(s));
  return out;
}

const ndjson = (/** @type {any[]} */ recs) => recs.map((r) => JSON.stringify(r)).join('\n') + '\n';

for (const seed of [1, 2]) {
  test(`stateAt(n) equals a straight replay at and around every checkpoint (seed ${seed})`, () => {
    const steps = 4000;
    const { recs, contents } = randomStream(steps, seed);
    const text = ndjson(recs);
    // Chunks of random sizes, as the engine sends them.
    const r = rng(seed + 100);
    const t = new Timeline();
    for (let i = 0; i < text.length;) {
      const size = Math.floor(r() * (r() < 0.5 ? 100 : 200000));
      t.append(text.slice(i, i + size));
      i += size;
    }
    t.finish();
    assert.equal(t.length, steps);
    assert.ok(t.checkpoints.length >= 5, `has checkpoints (${t.checkpoints.length})`);
    assert.deepEqual(t.end, recs[recs.length - 1]);
    const wanted = new Set([0, 1, 2, steps - 2, steps - 1]);
    for (const c of t.checkpoints) for (const d of [-2, -1, 0, 1, 2]) if (c.step + d >= 0 && c.step + d < steps) wanted.add(c.step + d);
    for (let n = 0; n < steps; n += 97) wanted.add(n);
    for (let k = 0; k < 40; k++) wanted.add(Math.floor(r() * steps));
    const expected = straight(recs, wanted);
    const order = [...wanted];
    // Random order, then forwards, then backwards (the cursor and the checkpoints).
    for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
    const sorted = [...wanted].sort((a, b) => a - b);
    for (const n of [...order, ...sorted, ...sorted.reverse()]) {
      const s = t.stateAt(n);
      assert.equal(s.step, n);
      assert.deepStrictEqual(plain(s), expected.get(n), `step ${n}`);
      const c = contents[n];
      assert.deepStrictEqual(s.objects.get(2)?.items, c.xs, `list at step ${n}`);
      assert.deepStrictEqual(s.objects.get(7)?.items, c.ys, `small list at step ${n}`);
      assert.deepStrictEqual(s.objects.get(3)?.items, c.d, `dict at step ${n}`);
    }
    // Every step, in a window across a checkpoint, one after another.
    const c = t.checkpoints[Math.floor(t.checkpoints.length / 2)].step;
    const window = new Set(Array.from({ length: 60 }, (_, i) => c - 30 + i));
    const exp2 = straight(recs, window);
    for (const n of window) assert.deepStrictEqual(plain(t.stateAt(n)), exp2.get(n), `step ${n} (window)`);
    // The containers really got big (the shareable forms are exercised).
    const big = contents[steps - 1];
    assert.ok(big.xs.length > 1000 && Math.max(...contents.map((x) => x.d.length)) > 300,
      `list ${big.xs.length}, dict up to ${Math.max(...contents.map((x) => x.d.length))}`);
  });
}

test('states are independent: a later seek does not change an earlier result', () => {
  const { recs } = randomStream(3000, 7);
  const t = Timeline.fromText(ndjson(recs));
  const n = t.checkpoints[1].step + 5;
  const a = t.stateAt(n);
  const before = plain(a);
  for (const m of [n + 1, n + 40, n - 3, t.length - 1, 0, n + 2]) t.stateAt(m);
  assert.deepStrictEqual(plain(a), before);
  // Frames and the per-step lists are the caller's own.
  a.frames[0].slots[0] = 12345;
  a.born.push(1);
  assert.notEqual(t.stateAt(n).frames[0].slots[0], 12345);
  assert.deepStrictEqual(plain(t.stateAt(n)), before);
});

test('a stream still arriving: every complete step can be seen, and the last one grows', () => {
  const { recs } = randomStream(2500, 3);
  const text = ndjson(recs);
  const t = new Timeline();
  const cut = Math.floor(text.length * 0.6);
  t.append(text.slice(0, cut));
  const seen = t.length;
  assert.ok(seen > 1 && seen < 2500);
  assert.equal(t.stateAt(seen - 1).step, seen - 1);
  assert.equal(t.stateAt(seen - 2).step, seen - 2);
  t.append(text.slice(cut));
  t.finish();
  assert.equal(t.length, 2500);
  const exp = straight(recs, new Set([seen - 1, 2499]));
  assert.deepStrictEqual(plain(t.stateAt(seen - 1)), exp.get(seen - 1));
  assert.deepStrictEqual(plain(t.stateAt(2499)), exp.get(2499));
});

test('labels(): every frame named, cells named by the bind that stored them, objects numbered 1..n in order of announcement', async (t) => {
  const { spawnSync } = await import('node:child_process');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const root = new URL('../..', import.meta.url).pathname;
  /** @type {[string, string][]} */
  const streams = [['random', ndjson(randomStream(1500, 11).recs)]];
  const bin = path.join(root, 'build/pyframes');
  const dir = path.join(root, 'tests/programs');
  if (fs.existsSync(bin) && fs.existsSync(dir)) {
    const names = fs.readdirSync(dir).filter((n) => n.endsWith('.py')).sort();
    for (const name of names.filter((n, i) => i % 7 === 0 || /closure|class|cell|dict|cycle|gen/.test(n)).slice(0, 80)) {
      const r = spawnSync(bin, ['trace', '--max-steps', '20000', name], { cwd: dir, encoding: 'utf8', timeout: 20000, maxBuffer: 1 << 28, input: '' });
      if (r.stdout) streams.push([name, r.stdout]);
    }
  } else {
    t.diagnostic('build/pyframes missing: random stream only');
  }
  t.diagnostic(`${streams.length} streams`);
  for (const [name, text] of streams) {
    const tl = Timeline.fromText(text);
    const later = Array.from(tl.prelude.objects, ([id]) => id);
    const labels = tl.labels(later);
    // Read the records again, independently of the timeline.
    const recs = tl.length ? tl.textOf(0, tl.length - 1).split('\n').filter((l) => l).map((l) => JSON.parse(l)) : [];
    const codes = new Map(), frames = new Map(), slots = new Map();
    const announced = [];
    for (const r of text.split('\n').filter((l) => l).map((l) => JSON.parse(l))) if (r.kind === 'code') codes.set(r.id, r);
    for (const r of recs) {
      if (r.kind === 'push') { frames.set(r.frame, codes.get(r.code)?.qualname); slots.set(r.frame, codes.get(r.code)?.names); }
      if (r.kind === 'alloc') announced.push(r.id);
    }
    for (const [f, qualname] of frames) if (qualname !== undefined) assert.equal(labels.frames.get(f), qualname, `${name}: frame ${f}`);
    for (const [cell, { name: v, frame }] of labels.cells) {
      const bind = recs.find((r) => r.kind === 'bind' && r.ref === cell);
      assert.ok(bind, `${name}: cell ${cell} has a bind`);
      assert.equal(bind.frame, frame, `${name}: cell ${cell}'s frame`);
      assert.equal(slots.get(frame)?.[bind.slot], v, `${name}: cell ${cell}'s name`);
    }
    const numbers = [...labels.ids.ids].map((id) => labels.ids.get(id));
    assert.deepEqual(numbers, numbers.map((_, i) => i + 1), `${name}: numbers 1..n`);
    for (const id of announced) assert.ok(labels.ids.has(id), `${name}: announced id ${id} has a number`);
    for (const id of later) assert.ok(labels.ids.has(id), `${name}: prelude id ${id} has a number`);
    assert.equal(labels.ids.get(-1), undefined);
  }
});
