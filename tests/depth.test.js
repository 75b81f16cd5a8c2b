// Recursion depth: the programs of tests/depth/ (exc_recursion_depth_paths.py is the
// corpus's exc_recursion_counting.py, given the default limit 1000 on stdin) recurse
// to RecursionError through slots, constructors and C functions, and print how deep
// each path went (NAME.out and NAME.status from CPython: `python3 tests/gen-expected.py
// --dir depth`). Both builds cap Python code nested in C calls (EVAL_DEPTH_MAX in
// core/vm.h), and wasm also stops where V8's stack runs short (STACK_LOW), so each path
// must reach CPython's depth with its message, or stop short of it at the cap; in wasm
// traced or not, and the engine must go on working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, BIN, binaryProblem, runMerged, describeEnd } from './lib/run.js';
import { runInModule } from '../web/engine/worker.js';
import { built, loadEngine } from './lib/engine.js';

const DIR = path.join(ROOT, 'tests', 'depth');
const programs = fs.readdirSync(DIR).filter((n) => n.endsWith('.py')).sort();
const problem = binaryProblem();
/** "name depth  message" lines. */
const parse = (/** @type {string} */ out) => out.trimEnd().split('\n').map((line) => {
  const m = /^(.+?) +(\d+) {2}(maximum recursion depth exceeded.*)$/.exec(line);
  assert.ok(m, `not a depth line: ${JSON.stringify(line)}`);
  return { name: m[1].trim(), depth: Number(m[2]), message: m[3] };
});

/** Same paths in the same order; each as deep as CPython's, or stopped by the nesting
 * cap (EVAL_DEPTH_MAX or the stack probe: at least 100 levels) with the cap's message. */
function compare(/** @type {any[]} */ got, /** @type {any[]} */ want) {
  assert.deepEqual(got.map((x) => x.name), want.map((x) => x.name));
  for (let i = 0; i < want.length; i++) {
    const what = `${want[i].name}: depth ${got[i].depth}, CPython ${want[i].depth}`;
    if (got[i].depth === want[i].depth) assert.equal(got[i].message, want[i].message, what);
    else assert.ok(got[i].depth < want[i].depth && got[i].depth >= 100, what);
  }
}

for (const name of programs) {
  const stem = path.join(DIR, name.slice(0, -3));
  const expected = fs.readFileSync(stem + '.out', 'utf8');
  const status = Number(fs.readFileSync(stem + '.status', 'utf8').trim());

  test(`depth ${name}: native, each path stops with CPython's RecursionError, no deeper`, { skip: problem || false }, () => {
    const r = runMerged(BIN, ['run', name], { cwd: DIR, stdinPath: stem + '.in', timeoutMs: 30000 });
    assert.equal(r.status, status, `${name}: ${describeEnd(r)}\n${r.output.slice(-500)}`);
    compare(parse(r.output), parse(expected));
  });

  test(`depth ${name}: wasm stops each path with RecursionError, no deeper than CPython`, { skip: built ? false : 'no wasm build' }, async () => {
    const engine = await loadEngine();
    const source = fs.readFileSync(path.join(DIR, name), 'utf8');
    const stdin = fs.existsSync(stem + '.in') ? fs.readFileSync(stem + '.in', 'utf8').trimEnd().split('\n') : [];
    const want = parse(expected);
    for (const trace of [false, true]) {
      const r = trace
        ? runInModule(engine, source, { filename: name, stdin, max_trace_steps: 1e6 }, () => {})
        : runInModule(engine, source, { filename: name, stdin, trace });
      assert.equal(r.status, status, `${name} (trace: ${trace}): exit status ${r.status}\n${r.output.slice(-500)}`);
      compare(parse(r.output), want);
      assert.equal(runInModule(engine, 'print(6 * 7)\n', { trace: false }).output, '42\n');
    }
  });
}
