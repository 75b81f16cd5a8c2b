// The golden corpus: every tests/programs/NAME.py runs through `pyframes run NAME.py`
// (cwd tests/programs, stdout+stderr on one pipe, 10 s timeout) and must print exactly
// NAME.out and exit with NAME.status, which CPython 3.11 produced (tests/gen-expected.py).
// One top-level test per program, so the summary counts programs.
// Environment: PYFRAMES_BIN (default build/pyframes), PYFRAMES_TIMEOUT_MS,
// PYFRAMES_ONLY (a substring or /regex/ selecting programs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, BIN, binaryProblem, runMerged, describeEnd } from './lib/run.js';

const DIR = path.join(ROOT, 'tests', 'programs');

function selected(name) {
  const only = process.env.PYFRAMES_ONLY;
  if (!only) return true;
  if (only.startsWith('/') && only.endsWith('/')) return new RegExp(only.slice(1, -1)).test(name);
  return name.includes(only);
}

const programs = fs.readdirSync(DIR).filter((n) => n.endsWith('.py') && selected(n)).sort();
const problem = binaryProblem();

test('pyframes binary is built', () => {
  assert.equal(problem, null, problem ?? '');
});

test('every corpus program has its expectation', () => {
  const missing = programs.filter((n) => {
    const stem = path.join(DIR, n.slice(0, -3));
    return !fs.existsSync(stem + '.out') || !fs.existsSync(stem + '.status');
  });
  assert.deepEqual(missing, [], 'run `python3 tests/gen-expected.py NAME.py` for these');
});

for (const name of programs) {
  const stem = path.join(DIR, name.slice(0, -3));
  test(`corpus ${name}`, { skip: problem ? 'no binary' : false }, () => {
    const expected = fs.readFileSync(stem + '.out', 'utf8');
    const status = Number(fs.readFileSync(stem + '.status', 'utf8').trim());
    const r = runMerged(BIN, ['run', name], { cwd: DIR, stdinPath: stem + '.in' });
    assert.ok(!r.timedOut && !r.signal, `${name}: ${describeEnd(r)}\n--- output so far ---\n${r.output.slice(0, 4000)}`);
    assert.equal(r.output, expected, `${name}: output differs from CPython 3.11's`);
    assert.equal(r.status, status, `${name}: exit status ${r.status}, CPython gives ${status}`);
  });
}
