// Tracing cost (issue #4): each bench/programs program traced (the full event stream,
// written to a sink that discards it) against the same program untraced, measured in
// the same run, the two sides alternating, 5+ runs each, medians. Prints one line per
// program with the ratio traced / untraced (goal <= 3). Numbers only: never asserted.
//
//   wasm:   the page's path: runInModule(M, src, {trace: false}) against a streamed run
//           whose onChunk drops the text (the engine is instantiated once, as the
//           page's worker does; instantiation is not timed).
//   native: `pyframes trace FILE > /dev/null` against `pyframes run FILE` (process
//           wall time, start-up included: about a millisecond).
//
//   node bench/trace-cost.mjs [--runs N] [--only SUBSTRING] [--side wasm|native]
//   env: PYFRAMES_BIN (default build/pyframes),
//        PYFRAMES_ENGINE_DIR or ENGINE_DIR (default web/engine: pyframes-engine.{mjs,wasm})
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInModule } from '../web/engine/worker.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(ROOT, 'bench', 'programs');
const BIN = path.resolve(ROOT, process.env.PYFRAMES_BIN || 'build/pyframes');
const ENGINE_DIR = path.resolve(ROOT, process.env.PYFRAMES_ENGINE_DIR || process.env.ENGINE_DIR || 'web/engine');
const MAX_STEPS = 4000000000;

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const RUNS = Math.max(5, Number(arg('runs', 5)));
const ONLY = arg('only', '');
const SIDE = arg('side', '');
const PROGRAMS = ['fib.py', 'sum_squares.py', 'linked_list.py', 'closure_counter.py', 'cycles_50k.py', 'cycles_200k.py']
  .filter((f) => f.includes(ONLY));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs [measure](side) RUNS times per side, alternating which side goes first. */
function measurePair(measure) {
  const samples = { traced: [], untraced: [] };
  for (let k = 0; k < RUNS; k++) {
    const order = k % 2 ? ['untraced', 'traced'] : ['traced', 'untraced'];
    for (const side of order) samples[side].push(measure(side));
  }
  return { traced: median(samples.traced), untraced: median(samples.untraced) };
}

function row(file, t, u, extra = '') {
  console.log(`${file.padEnd(22)} ${t.toFixed(1).padStart(10)} ${u.toFixed(1).padStart(10)} ${(t / u).toFixed(2).padStart(7)}${extra}`);
}

function header(title) {
  console.log(`\n${title}`);
  console.log(`${'program'.padEnd(22)} ${'traced ms'.padStart(10)} ${'plain ms'.padStart(10)} ${'ratio'.padStart(7)}`);
}

// ---- wasm (the page's path) ----
async function wasmSide() {
  const glue = path.join(ENGINE_DIR, 'pyframes-engine.mjs');
  if (!fs.existsSync(glue)) { console.log(`\nwasm: ${glue} is missing (make wasm); skipped`); return; }
  const factory = (await import(pathToFileURL(glue).href)).default;
  const M = await factory({ wasmBinary: fs.readFileSync(path.join(ENGINE_DIR, 'pyframes-engine.wasm')), print() {}, printErr() {} });
  header(`wasm engine in Node ${process.version} (${path.relative(ROOT, ENGINE_DIR) || ENGINE_DIR}): streamed run, onChunk discards, vs trace:false`);
  for (const file of PROGRAMS) {
    const source = fs.readFileSync(path.join(DIR, file), 'utf8');
    let chars = 0;
    const r = measurePair((side) => {
      const traced = side === 'traced';
      let n = 0;
      const t = performance.now();
      const res = traced
        ? runInModule(M, source, { filename: file, max_steps: MAX_STEPS }, (text) => { n += text.length; })
        : runInModule(M, source, { filename: file, max_steps: MAX_STEPS, trace: false });
      const ms = performance.now() - t;
      if (res.status !== 0) throw new Error(`${file}: wasm ${side} exit ${res.status}: ${res.output.slice(-500)}`);
      if (traced) chars = n;
      return ms;
    });
    row(file, r.traced, r.untraced, `   stream ${(chars / 1e6).toFixed(1)} MB`);
  }
}

// ---- native CLI ----
function nativeSide() {
  if (!fs.existsSync(BIN)) { console.log(`\nnative: ${BIN} is missing (make); skipped`); return; }
  header(`native ${path.relative(ROOT, BIN) || BIN}: \`trace FILE > /dev/null\` vs \`run FILE\``);
  const devnull = fs.openSync('/dev/null', 'w');
  for (const file of PROGRAMS) {
    const r = measurePair((side) => {
      const t0 = process.hrtime.bigint();
      const p = spawnSync(BIN, [side === 'traced' ? 'trace' : 'run', '--max-steps', String(MAX_STEPS), file],
        { cwd: DIR, stdio: ['ignore', devnull, 'pipe'], timeout: 600000 });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (p.status !== 0) throw new Error(`${file}: native ${side} exit ${p.status}: ${String(p.stderr).slice(-500)}`);
      return ms;
    });
    row(file, r.traced, r.untraced);
  }
  fs.closeSync(devnull);
}

if (SIDE !== 'native') await wasmSide();
if (SIDE !== 'wasm') nativeSide();
console.log(`\n${RUNS} runs per side, alternating, medians; ratio = traced / untraced (goal <= 3)`);
