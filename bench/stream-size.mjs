// Stream size (issue #4): the event stream's bytes per step across the golden corpus
// (tests/programs/*.py, traced by `pyframes trace NAME.py` with NAME.in as stdin, as
// tests/stream.test.js does), plus the add(3, 5) example of lesson 02. Prints the
// total bytes / total steps, the median of the per-program bytes/step, the bytes by
// record kind, and the example's records and bytes. The native and wasm streams are
// byte-identical, so the native CLI measures both. Numbers only: never asserted.
//
//   node bench/stream-size.mjs [--only SUBSTRING] [--top N]
//   env: PYFRAMES_BIN (default build/pyframes)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(ROOT, 'tests', 'programs');
const BIN = path.resolve(ROOT, process.env.PYFRAMES_BIN || 'build/pyframes');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const ONLY = arg('only', '');
const TOP = Number(arg('top', 5));

const ADD_EXAMPLE = 'def add(a, b):\n    return a + b\n\nresult = add(3, 5)\nprint(result)\n';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Traces one program; returns {bytes, steps, records, kinds: {kind: [records, bytes]}}. */
function measure(args, input, cwd) {
  const r = spawnSync(BIN, ['trace', ...args], { cwd, input, maxBuffer: 1 << 30, timeout: 120000 });
  if (r.error) throw r.error;
  const out = r.stdout;
  const kinds = {};
  let steps = 0, records = 0, start = 0;
  for (let i = out.indexOf(10); i >= 0; start = i + 1, i = out.indexOf(10, start)) {
    const head = out.toString('latin1', start, Math.min(i, start + 40));
    const m = /"kind":"(\w+)"/.exec(head);
    const kind = m ? m[1] : '?';
    (kinds[kind] ||= [0, 0])[0]++;
    kinds[kind][1] += i + 1 - start;
    if (kind === 'step') steps++;
    records++;
  }
  return { bytes: out.length, steps, records, kinds };
}

if (!fs.existsSync(BIN)) {
  console.error(`stream-size: ${BIN} is missing: run \`make\` first`);
  process.exit(1);
}

const programs = fs.readdirSync(DIR).filter((n) => n.endsWith('.py') && n.includes(ONLY)).sort();
let bytes = 0, steps = 0, records = 0;
const perStep = [], kinds = {};
for (const name of programs) {
  const stem = path.join(DIR, name.slice(0, -3));
  const input = fs.existsSync(stem + '.in') ? fs.readFileSync(stem + '.in') : '';
  const m = measure([name], input, DIR);
  bytes += m.bytes;
  steps += m.steps;
  records += m.records;
  if (m.steps) perStep.push({ name, bps: m.bytes / m.steps, bytes: m.bytes, steps: m.steps });
  for (const [k, [n, b]] of Object.entries(m.kinds)) {
    kinds[k] ||= [0, 0];
    kinds[k][0] += n;
    kinds[k][1] += b;
  }
}

console.log(`corpus: ${programs.length} programs, ${steps} steps, ${records} records, ${bytes} bytes`);
console.log(`bytes/step over the corpus (total bytes / total steps): ${(bytes / steps).toFixed(1)}`);
console.log(`median of the per-program bytes/step:                 ${median(perStep.map((p) => p.bps)).toFixed(1)}`);
console.log(`records/step: ${(records / steps).toFixed(2)}`);
console.log('\nby record kind:            records      bytes   bytes/step  avg bytes');
for (const [k, [n, b]] of Object.entries(kinds).sort((a, b) => b[1][1] - a[1][1]))
  console.log(`  ${k.padEnd(22)} ${String(n).padStart(10)} ${String(b).padStart(10)} ${(b / steps).toFixed(1).padStart(12)} ${(b / n).toFixed(1).padStart(10)}`);
perStep.sort((a, b) => b.bytes - a.bytes);
console.log(`\nlargest streams:`);
for (const p of perStep.slice(0, TOP))
  console.log(`  ${p.name.padEnd(40)} ${String(p.bytes).padStart(10)} bytes ${String(p.steps).padStart(7)} steps ${p.bps.toFixed(1).padStart(8)} bytes/step`);

const add = measure(['-c', ADD_EXAMPLE], '', ROOT);
console.log(`\nadd(3, 5) (lesson 02's example): ${add.records} records, ${add.bytes} bytes, ${add.steps} steps ` +
  `(${(add.bytes / add.steps).toFixed(1)} bytes/step)`);
