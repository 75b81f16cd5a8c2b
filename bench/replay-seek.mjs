// Replayer seek time on a long trace. By default a synthetic 1,000,000-step trace: a
// loop that appends to a list, rebinds locals, prints every 100 steps and frees a
// temporary every step (the shape of a long-running lesson program). Or a real trace:
// `node --expose-gc bench/replay-seek.mjs FILE.ndjson` (from `build/pyframes trace`).
// Prints the time to index the stream, the memory the timeline holds (with
// --expose-gc), and the median / p99 / max time of stateAt(n) for random n, then of
// reading every object of that state the way the page's views do (Heap.get). The
// indexing runs twice (the second time with a warm JIT). Not a test: numbers only.
//   node --expose-gc bench/replay-seek.mjs [STEPS | FILE] [RUNS]
import fs from 'node:fs';
import { Timeline } from '../web/model/timeline.js';

const arg = process.argv[2] || '1000000';
const RUNS = Number(process.argv[3] || 2);
const gc = /** @type {any} */ (globalThis).gc;
const heapMB = () => { if (gc) { gc(); gc(); } return +(process.memoryUsage().heapUsed / 1e6).toFixed(0); };

/** The synthetic stream, in 1 MB chunks (as the engine sends it, in pieces). */
function synthetic(STEPS) {
  const lines = [];
  const push = (r) => lines.push(JSON.stringify(r));
  push({ v: 3, kind: 'header', source: 'xs = []\n', filename: 'main.py', options: { max_steps: 0, recursion_limit: 1000, max_trace_steps: 0, snapshots: false, stdin: [] } });
  push({ kind: 'step', at: 'call', frame: 1, line: 1 });
  push({ kind: 'alloc', id: 1, type: 'dict', rc: 1, gen: 0, items: [] });
  push({ kind: 'alloc', id: 2, type: 'list', rc: 1, gen: 0, items: [] });
  push({ kind: 'code', id: 3, name: '<module>', qualname: '<module>', names: ['xs', 'i', 't'], cells: 0 });
  push({ kind: 'push', frame: 1, parent: null, code: 3, func: null, globals: 1, line: 1 });
  push({ kind: 'bind', frame: 1, slot: 0, ref: 2 });
  let id = 10, len = 0;
  const chunks = [];
  for (let n = 1; n < STEPS; n++) {
    push({ kind: 'step', line: 2 + (n % 3) });
    const v = id++, t = id++;
    push({ kind: 'alloc', id: v, type: 'int', rc: 2, value: String(n + 1000) });
    push({ kind: 'bind', frame: 1, slot: 1, ref: v });
    if (n % 10 === 0) { push({ kind: 'splice', id: 2, at: len, del: 0, ins: [v] }); len++; }
    push({ kind: 'alloc', id: t, type: 'str', rc: 1, value: 'temp' });
    push({ kind: 'free', id: t });
    if (n % 100 === 0) push({ kind: 'out', stream: 1, text: `${n}\n` });
    push({ kind: 'counts', rc: { 2: 1 + (n % 2) } });
    if (lines.length > 20000) { chunks.push(lines.join('\n') + '\n'); lines.length = 0; }
  }
  push({ kind: 'end', status: 0, exit: 'ok', steps: STEPS, truncated: false });
  chunks.push(lines.join('\n') + '\n');
  return chunks;
}

/** A trace file, in 256 KB chunks (the wasm engine's chunk size). */
function fromFile(file) {
  const text = fs.readFileSync(file, 'utf8');
  const chunks = [];
  for (let i = 0; i < text.length; i += 1 << 18) chunks.push(text.slice(i, i + (1 << 18)));
  return chunks;
}

const source = /^\d+$/.test(arg) ? `synthetic ${arg}` : arg;
const chunks = /^\d+$/.test(arg) ? synthetic(Number(arg)) : fromFile(arg);
const streamMB = +(chunks.reduce((a, c) => a + c.length, 0) / 1e6).toFixed(1);

const q = (times, p) => +times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
const stats = (times) => { times.sort((a, b) => a - b); return { median: q(times, 0.5), p99: q(times, 0.99), max: q(times, 1) }; };

for (let run = 0; run < RUNS; run++) {
  const before = heapMB();
  let t0 = performance.now();
  let t = new Timeline();
  for (const c of chunks) t.append(c);
  t.finish();
  const indexMs = performance.now() - t0;
  const heldMB = heapMB() - before;

  const seek = [], read = [];
  let objects = 0;
  for (let k = 0; k < 300; k++) {
    const n = Math.floor(Math.random() * t.length);
    t0 = performance.now();
    const s = t.stateAt(n);
    seek.push(performance.now() - t0);
    if (s.step !== n) throw new Error(`stateAt(${n}) gave step ${s.step}`);
    // What a render touches at least once: the namespace and the containers in it.
    t0 = performance.now();
    const refs = [];
    for (const f of s.frames) {
      refs.push(...f.slots);
      for (const d of [f.globals, f.locals_dict]) {
        const o = d == null ? undefined : s.objects.get(d);
        if (o && Array.isArray(o.items)) for (const kv of o.items) refs.push(kv[1]);
      }
    }
    for (const ref of refs) {
      const o = ref == null ? undefined : s.objects.get(ref);
      if (o && Array.isArray(o.items)) objects += o.items.length;
    }
    read.push(performance.now() - t0);
  }
  console.log(JSON.stringify({
    source, run: run + 1, steps: t.length, streamMB, checkpoints: t.checkpoints.length,
    indexSeconds: +(indexMs / 1000).toFixed(2), heldMB: gc ? heldMB : 'run with --expose-gc',
    seekMs: stats(seek), readMs: stats(read),
  }));
  t = /** @type {any} */ (null);
}
