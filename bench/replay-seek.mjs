// Replayer seek time on a synthetic 1,000,000-step trace: a loop that appends to a
// list, rebinds locals, prints every 100 steps and frees a temporary every step (the
// shape of a long-running lesson program). Prints the time to index the stream and
// the median / p99 / max time of stateAt(n) for random n. Not a test: numbers only.
import { Timeline } from '../web/model/timeline.js';

const STEPS = Number(process.argv[2] || 1_000_000);
const lines = [];
const push = (r) => lines.push(JSON.stringify(r));
push({ v: 1, kind: 'header', source: 'xs = []\n', filename: 'main.py', options: { max_steps: 0, recursion_limit: 1000, max_trace_steps: 0, snapshots: false, stdin: [] } });
push({ kind: 'step', n: 0, at: 'call', frame: 1, line: 1 });
push({ kind: 'alloc', id: 1, type: 'dict', rc: 1, gen: 0, items: [] });
push({ kind: 'alloc', id: 2, type: 'list', rc: 1, gen: 0, items: [] });
push({ kind: 'push', frame: 1, parent: null, name: '<module>', qualname: '<module>', func: null, names: ['xs', 'i', 't'], cells: 0, globals: 1, line: 1 });
push({ kind: 'bind', frame: 1, name: 'xs', ref: 2 });
let id = 10, len = 0;
for (let n = 1; n < STEPS; n++) {
  push({ kind: 'step', n, at: 'line', frame: 1, line: 2 + (n % 3) });
  const v = id++, t = id++;
  push({ kind: 'alloc', id: v, type: 'int', rc: 2, gen: -1, value: String(n + 1000) });
  push({ kind: 'bind', frame: 1, name: 'i', ref: v });
  if (n % 10 === 0) { push({ kind: 'splice', id: 2, at: len, del: 0, ins: [v] }); len++; }
  push({ kind: 'alloc', id: t, type: 'str', rc: 1, gen: -1, value: 'temp' });
  push({ kind: 'free', id: t, reason: 'refcount' });
  if (n % 100 === 0) push({ kind: 'out', stream: 1, text: `${n}\n` });
  push({ kind: 'counts', rc: { 2: 1 + (n % 2) } });
}
push({ kind: 'end', status: 0, exit: 'ok', steps: STEPS, truncated: false });
const text = lines.join('\n') + '\n';
lines.length = 0;

let t0 = performance.now();
const t = new Timeline();
for (let i = 0; i < text.length; i += 1 << 20) t.append(text.slice(i, i + (1 << 20)));
t.finish();
const indexMs = performance.now() - t0;

const times = [];
for (let k = 0; k < 200; k++) {
  const n = Math.floor(Math.random() * t.length);
  t0 = performance.now();
  const s = t.stateAt(n);
  times.push(performance.now() - t0);
  if (s.step !== n) throw new Error(`stateAt(${n}) gave step ${s.step}`);
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
console.log(JSON.stringify({
  steps: t.length, streamMB: +(text.length / 1e6).toFixed(1), checkpoints: t.checkpoints.length,
  indexSeconds: +(indexMs / 1000).toFixed(2), seekMs: { median: +q(0.5), p99: +q(0.99), max: +q(1) },
}));
