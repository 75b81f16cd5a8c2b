// Many runs in one process, as the browser engine does (one wasm module, pf_new →
// pf_run → pf_free again and again): tests/native/multi_run.c runs a set of corpus
// programs round-robin three times and requires every run of a program to give the
// same exit status, output and event stream (trace on) as its first run — so no state
// leaks from one run into the next (static types' dicts, ids, refcounts). It also
// checks each first run's output against the program's golden CPython output.
// Environment: PYFRAMES_MULTI_RUN_BIN (default build/multi-run; `make asan` passes
// build-asan/multi-run, so the same runs happen under AddressSanitizer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, binaryProblem } from './lib/run.js';

const BIN = path.resolve(ROOT, process.env.PYFRAMES_MULTI_RUN_BIN || 'build/multi-run');
const DIR = path.join(ROOT, 'tests', 'programs');
const TIMEOUT_MS = Number(process.env.PYFRAMES_TIMEOUT_MS || 10000) * 6;

// Small programs that touch every area: classes and their static base types,
// exceptions and tracebacks, generators, closures, the cycle collector, finalizers,
// weak references, interned strings and the small-int cache.
const PROGRAMS = [
  'basics_arith.py', 'class_attribute_error.py', 'closure_basic.py', 'comp_dict.py',
  'dict_basics.py', 'exc_all_builtin_types.py', 'float_arith.py', 'fmt_float_repr.py',
  'gen_basic.py', 'int_bigint.py', 'list_as_stack_queue.py', 'misc_bank_account.py',
  'scope_global_statement.py', 'seed_factorial.py', 'set_basics.py', 'str_compare_iter.py',
  'syntax_assign_in_if.py', 'with_basic.py', 'mem_del_on_del.py', 'mem_del_generator.py',
  'mem_gc_collect_cycle.py', 'mem_gc_cycle_finalizers.py', 'mem_gc_callbacks.py',
].filter((n) => fs.existsSync(path.join(DIR, n)));

const problem = binaryProblem(BIN);

function runDriver(args) {
  const r = spawnSync(BIN, args, { cwd: DIR, encoding: 'utf8', timeout: TIMEOUT_MS, killSignal: 'SIGKILL' });
  return { out: (r.stdout ?? '') + (r.stderr ?? ''), status: r.status, signal: r.signal, error: r.error };
}

test('multi-run driver is built', () => {
  assert.equal(problem, null, problem ? `${problem} (make build/multi-run)` : '');
});

test('the same programs give identical output and event streams in every run', { skip: problem ? 'no driver' : false }, () => {
  const r = runDriver(['--runs', '3', ...PROGRAMS]);
  assert.ok(!r.error && !r.signal, `driver did not end cleanly (${r.error?.code ?? r.signal})\n${r.out.slice(-4000)}`);
  assert.equal(r.status, 0, r.out.slice(-4000));
  for (const name of PROGRAMS) assert.match(r.out, new RegExp(`^ok ${name.replace('.', '\\.')}: 3 runs`, 'm'));
});

test('runs without tracing agree too, and exit with the status CPython gives', { skip: problem ? 'no driver' : false }, () => {
  const r = runDriver(['--runs', '2', '--no-trace', ...PROGRAMS]);
  assert.equal(r.status, 0, r.out.slice(-4000));
  for (const name of PROGRAMS) {
    const stem = path.join(DIR, name.slice(0, -3));
    const status = Number(fs.readFileSync(stem + '.status', 'utf8').trim());
    assert.match(r.out, new RegExp(`^ok ${name.replace('.', '\\.')}: 2 runs, status ${status},`, 'm'),
      `${name}: exit status differs from CPython's ${status}`);
  }
});
