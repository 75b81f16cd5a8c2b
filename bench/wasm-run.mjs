// The benchmark programs under the wasm engine in Node against native CPython, in the
// same run: the engine is instantiated once (as the page's worker does) and each
// program runs untraced. V8 first runs wasm code compiled by Liftoff and replaces hot
// functions with TurboFan code compiled in the background, used from their next call:
// the dispatch loop is one call per run, so a program's first runs are slower. Each
// program therefore warms up (at least 3 runs and 1 s) before the two sides alternate,
// RUNS runs each, medians: the ratio wasm/CPython is the steady state, as CPython (no
// JIT) is from its first run. The first run's time is printed beside it. Needs
// `make wasm`. Numbers only.
//   node bench/wasm-run.mjs [--runs N]     env PYTHON (default python3), ENGINE_DIR (default web/engine)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInModule } from '../web/engine/worker.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(ROOT, 'bench', 'programs');
const PYTHON = process.env.PYTHON || 'python3';
const i = process.argv.indexOf('--runs');
const RUNS = Math.max(5, i > 0 ? Number(process.argv[i + 1]) : 5);
const PROGRAMS = ['fib.py', 'sum_squares.py', 'linked_list.py', 'closure_counter.py', 'cycles_50k.py', 'cycles_200k.py'];

const glue = pathToFileURL(process.env.ENGINE_DIR ? path.join(process.env.ENGINE_DIR, 'pyframes-engine.mjs') : path.join(ROOT, 'web', 'engine', 'pyframes-engine.mjs')).href;
const factory = (await import(glue)).default;
const M = await factory({ wasmBinary: fs.readFileSync(process.env.ENGINE_DIR ? path.join(process.env.ENGINE_DIR, 'pyframes-engine.wasm') : path.join(ROOT, 'web', 'engine', 'pyframes-engine.wasm')), print() {}, printErr() {} });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// CPython's time is measured inside the process, like the wasm side, which also excludes
// instantiation: read and compile the file, run it as __main__, then clear its namespace,
// which is what `python3 FILE` does at exit. The wasm side's run also ends by releasing
// what the program made. (runpy.run_path, used before, returns a copy of the namespace
// while the original stays alive in a cycle, class -> method -> globals, so the
// teardown of what the program left there went untimed: linked_list's 100,000 nodes,
// about 5 ms that the wasm side was charged for.)
function cpython(file) {
  const code = [
    'import time',
    't = time.perf_counter()',
    `g = {"__name__": "__main__", "__file__": ${JSON.stringify(file)}, "__builtins__": __builtins__}`,
    `with open(${JSON.stringify(file)}, "rb") as f: exec(compile(f.read(), ${JSON.stringify(file)}, "exec"), g)`,
    'g.clear()',
    'print(f"@{(time.perf_counter() - t) * 1000:.3f}")',
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8', cwd: DIR, maxBuffer: 1 << 26 });
  const m = /@([\d.]+)\s*$/.exec(r.stdout);
  if (!m) throw new Error(`${file}: python failed: ${r.stderr}`);
  return Number(m[1]);
}

function wasm(file) {
  const source = fs.readFileSync(path.join(DIR, file), 'utf8');
  const t = performance.now();
  const r = runInModule(M, source, { filename: file, trace: false, max_steps: 1e9 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${file}: wasm exit ${r.status}: ${r.output}`);
  return ms;
}

console.log('program                 wasm ms   CPython ms   ratio   first wasm run ms');
for (const file of PROGRAMS) {
  const w = [], c = [];
  const first = wasm(file);
  for (let n = 1, t0 = performance.now(); n < 3 || performance.now() - t0 < 1000; n++) wasm(file);
  for (let k = 0; k < RUNS; k++) { w.push(wasm(file)); c.push(cpython(file)); }
  const mw = median(w), mc = median(c);
  console.log(`${file.padEnd(22)} ${mw.toFixed(1).padStart(8)} ${mc.toFixed(1).padStart(12)} ${(mw / mc).toFixed(2).padStart(7)} ${first.toFixed(1).padStart(19)}`);
}
console.log(`CPython: ${PYTHON}; ${RUNS} runs per side, alternating, medians, after the warm-up; ratio = wasm / CPython (goal <= 1.5)`);
