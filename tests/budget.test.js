// Budget cases: programs whose ending is pyframes-specific (CPython would loop forever
// or exhaust the machine), so they have no CPython expectation — plus the few programs
// whose CPython output contains an address, checked by pattern. Each
// tests/budget/NAME.py has NAME.expect.json:
//   args        extra CLI options, after `run` and before the file (e.g. ["--max-steps", "1000"])
//   status      required exit status (3 = step budget exhausted, 1 = uncaught exception)
//   equals      exact required output (optional)
//   startsWith  required output prefix (optional)
//   matches     regex the output must match (optional)
//   notMatches  regex the output must not match (optional)
//   maxSeconds  the run must finish within this many seconds (default 8): a hang
//               detector, times PYFRAMES_SLOW (4 for the sanitizer build, `make asan`,
//               where big_int_loop takes 6-8 s against 0.7 s natively)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, BIN, binaryProblem, runMerged, describeEnd } from './lib/run.js';

const DIR = path.join(ROOT, 'tests', 'budget');
const problem = binaryProblem();
const programs = fs.readdirSync(DIR).filter((n) => n.endsWith('.py')).sort();
const SLOW = Number(process.env.PYFRAMES_SLOW || 1);

for (const name of programs) {
  const spec = JSON.parse(fs.readFileSync(path.join(DIR, name.slice(0, -3) + '.expect.json'), 'utf8'));
  test(`budget ${name}: ${spec.why}`, { skip: problem ?? false }, () => {
    const limitMs = (spec.maxSeconds ?? 8) * 1000 * SLOW;
    const r = runMerged(BIN, ['run', ...(spec.args ?? []), name], { cwd: DIR, timeoutMs: limitMs + 2000 });
    const shown = `\n--- output (${describeEnd(r)}, ${Math.round(r.ms)} ms) ---\n${r.output.slice(-3000)}`;
    assert.ok(!r.timedOut && !r.signal, `did not end cleanly: ${describeEnd(r)}${shown}`);
    assert.ok(r.ms <= limitMs, `took ${Math.round(r.ms)} ms, limit ${limitMs} ms${shown}`);
    assert.equal(r.status, spec.status, `exit status${shown}`);
    if (spec.equals !== undefined) assert.equal(r.output, spec.equals);
    if (spec.startsWith !== undefined) assert.ok(r.output.startsWith(spec.startsWith), `output prefix${shown}`);
    if (spec.matches !== undefined) assert.match(r.output, new RegExp(spec.matches), `expected /${spec.matches}/${shown}`);
    if (spec.notMatches !== undefined) assert.doesNotMatch(r.output, new RegExp(spec.notMatches), shown);
  });
}
