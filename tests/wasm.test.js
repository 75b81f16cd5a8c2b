// The whole golden corpus through the WebAssembly engine in Node: stdout+stderr and
// the exit status must be CPython's (NAME.out / NAME.status), and the event stream
// must be byte-identical to `build/pyframes trace NAME.py`. One test per program.
// Needs `make wasm` (skipped with a message otherwise). PYFRAMES_ONLY selects programs;
// PYFRAMES_ENGINE_DIR tests another build of the engine (tests/lib/engine.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, BIN, binaryProblem } from './lib/run.js';
import { runInModule } from '../web/engine/worker.js';
import { built, loadEngine } from './lib/engine.js';

const DIR = path.join(ROOT, 'tests', 'programs');

function selected(name) {
  const only = process.env.PYFRAMES_ONLY;
  if (!only) return true;
  if (only.startsWith('/') && only.endsWith('/')) return new RegExp(only.slice(1, -1)).test(name);
  return name.includes(only);
}

const programs = fs.readdirSync(DIR).filter((n) => n.endsWith('.py') && selected(n)).sort();
const nativeProblem = binaryProblem();
const engine = built ? await loadEngine() : null;

test('wasm engine is built', () => {
  assert.ok(built, 'run `make wasm` first');
});

for (const name of programs) {
  test(`wasm ${name}`, { skip: built ? false : 'no wasm build' }, () => {
    const stem = path.join(DIR, name.slice(0, -3));
    const source = fs.readFileSync(path.join(DIR, name), 'utf8');
    const stdinText = fs.existsSync(stem + '.in') ? fs.readFileSync(stem + '.in', 'utf8') : '';
    const stdin = stdinText ? stdinText.replace(/\n$/, '').split('\n') : [];
    const r = runInModule(engine, source, { filename: name, stdin });
    const expected = fs.readFileSync(stem + '.out', 'utf8');
    const status = Number(fs.readFileSync(stem + '.status', 'utf8').trim());
    assert.equal(r.output, expected, `${name}: output differs from CPython 3.11's`);
    assert.equal(r.status, status, `${name}: exit status ${r.status}, CPython gives ${status}`);
    if (nativeProblem) return;
    // tracemalloc's byte counts depend on each build's real object layout (see
    // docs/event-stream.md): its programs must print the same, not stream the same.
    if (/^import tracemalloc|^from tracemalloc/m.test(source)) return;
    const native = spawnSync(BIN, ['trace', name], {
      cwd: DIR, input: stdinText, timeout: 30000, killSignal: 'SIGKILL', maxBuffer: 1 << 30, encoding: 'utf8',
    });
    if (native.stdout !== r.stream) {
      const a = native.stdout.split('\n'), b = r.stream.split('\n');
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      assert.fail(`${name}: wasm stream differs from native at line ${i + 1}\nnative: ${a[i]?.slice(0, 300)}\nwasm:   ${b[i]?.slice(0, 300)}`);
    }
  });
}

// The budget programs (tests/budget, see budget.test.js) whose expectation needs no CLI
// option: the same ending through the engine, untraced and traced as the page runs them
// (streamed, at most a million trace steps), and a traced run's stream ends with the
// budget record and an end record that says it was truncated.
const BUDGET = path.join(ROOT, 'tests', 'budget');
for (const name of fs.readdirSync(BUDGET).filter((n) => n.endsWith('.py') && selected(n)).sort()) {
  const spec = JSON.parse(fs.readFileSync(path.join(BUDGET, name.slice(0, -3) + '.expect.json'), 'utf8'));
  if (spec.args?.length || spec.status !== 3) continue;
  test(`wasm budget ${name}`, { skip: built ? false : 'no wasm build' }, () => {
    const source = fs.readFileSync(path.join(BUDGET, name), 'utf8');
    for (const trace of [false, true]) {
      const chunks = [];
      const r = trace
        ? runInModule(engine, source, { filename: name, max_trace_steps: 1e6 }, (text) => chunks.push(text))
        : runInModule(engine, source, { filename: name, trace });
      assert.equal(r.status, 3, `${name} (trace: ${trace}): exit status ${r.status}\n${r.output.slice(-500)}`);
      if (spec.startsWith !== undefined) assert.ok(r.output.startsWith(spec.startsWith), `${name}: output prefix`);
      if (spec.matches !== undefined) assert.match(r.output, new RegExp(spec.matches));
      if (spec.notMatches !== undefined) assert.doesNotMatch(r.output, new RegExp(spec.notMatches));
      if (!trace) continue;
      const recs = (chunks.join('') + r.stream).trim().split('\n').map((line) => JSON.parse(line));
      assert.deepEqual(recs.slice(-2).map((x) => x.kind), ['budget', 'end'], `${name}: the stream's last records`);
      assert.equal(recs[recs.length - 1].truncated, true);
    }
  });
}

// Recursion in C (hashing, repr or == of deeply nested containers; compiling a deeply
// nested expression) is a RecursionError in the engine too: V8 gives wasm about 1 MB
// of native stack, and running out of it threw "Maximum call stack size exceeded" out
// of the module, losing the run. The instance must still work afterwards.
const DEEP = {
  'hash of a nested tuple': 't = ()\nfor i in range(6000):\n    t = (t,)\nprint(hash(t))\n',
  'repr of a nested list': 'import sys\nsys.setrecursionlimit(100000)\nx = []\nfor i in range(7000):\n    x = [x]\nprint(repr(x)[:5])\n',
  '== of nested lists': 'import sys\nsys.setrecursionlimit(100000)\nx = y = []\nfor i in range(7000):\n    x, y = [x], [y]\nprint(x == y)\n',
  'a deeply nested expression': `x = ${Array(12000).fill('1').join('+')}\nprint(x)\n`,
  // Python code nested in C calls, at a raised recursion limit: the engine's nesting
  // cap (EVAL_DEPTH_MAX) or its stack probe (STACK_LOW) ends them, whatever the path.
  'class bodies nested by recursion': 'import sys\nsys.setrecursionlimit(100000)\ndef f(n):\n    class C:\n        f(n + 1)\nf(0)\n',
  'recursion through __init_subclass__': 'import sys\nsys.setrecursionlimit(100000)\nclass B:\n    def __init_subclass__(cls, n=0, **kw):\n        class C(B, n=n + 1): pass\nclass A(B): pass\n',
  'recursion through float()': 'import sys\nsys.setrecursionlimit(100000)\nclass A:\n    def __init__(self, n): self.n = n\n    def __float__(self): return float(A(self.n + 1))\nfloat(A(0))\n',
  'recursion through a sort key': 'import sys\nsys.setrecursionlimit(100000)\ndef f(n):\n    return sorted([n], key=lambda x: f(x + 1))\nf(0)\n',
};
for (const [what, source] of Object.entries(DEEP)) {
  test(`wasm ${what}: RecursionError, and the engine goes on`, { skip: built ? false : 'no wasm build' }, () => {
    for (const trace of [false, true]) {
      const r = trace
        ? runInModule(engine, source, { max_trace_steps: 1e6 }, () => {})
        : runInModule(engine, source, { trace });
      assert.equal(r.status, 1, `${what} (trace: ${trace}): exit status ${r.status}\n${r.output.slice(-300)}`);
      assert.match(r.output, /RecursionError: maximum recursion depth exceeded/);
      const after = runInModule(engine, 'print(6 * 7)\n', { trace: false });
      assert.equal(after.output, '42\n');
    }
  });
}
