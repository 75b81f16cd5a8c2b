// input() suspension (docs/event-stream.md, "input"): an interactive run suspends in
// input() and resumes with the typed line, and the stream it produces, once the input
// requests are taken out, is the stream of a run given every line up front. Where the
// run cannot suspend (input() under a C-level call) it stops with status 4 and is run
// again with the lines so far; its last attempt must equal the up-front run too.
// Checked for every corpus program that calls input(): natively (`pyframes trace
// --suspend`), in the wasm engine (runInModule / resumeInModule), and through the
// page's client (Engine.run / provideInput) over an in-process stand-in for the Worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import Ajv from 'ajv';
import { ROOT, BIN, binaryProblem } from './lib/run.js';
import { runInModule, resumeInModule } from '../web/engine/worker.js';
import { built, loadEngine } from './lib/engine.js';

const DIR = path.join(ROOT, 'tests', 'programs');
const nativeProblem = binaryProblem();

const programs = fs.readdirSync(DIR)
  .filter((n) => n.endsWith('.py') && fs.readFileSync(path.join(DIR, n), 'utf8').includes('input('))
  .sort();

function linesOf(name) {
  const f = path.join(DIR, name.replace(/\.py$/, '.in'));
  const text = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
  return { text, lines: text ? text.replace(/\n$/, '').split('\n') : [] };
}

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs', 'event-stream.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: false, strict: false }).compile(schema);
const records = (stream) => stream.split('\n').filter(Boolean);
const kindOf = (rec) => JSON.parse(rec).kind;
const isRequest = (rec) => kindOf(rec) === 'input' || (kindOf(rec) === 'end' && JSON.parse(rec).suspended);

/** The header with options.stdin emptied (the only field the two runs may differ in). */
function normalise(rec) {
  if (kindOf(rec) !== 'header') return rec;
  const h = JSON.parse(rec);
  h.options.stdin = [];
  return JSON.stringify(h);
}

/** Splits a stream of several attempts (re-runs) at their headers. */
function attempts(stream) {
  const out = [];
  for (const rec of records(stream)) {
    if (kindOf(rec) === 'header') out.push([]);
    out[out.length - 1].push(rec);
  }
  return out;
}

/** Compares the last attempt of an interactive stream with the up-front stream. */
function checkSame(upfront, interactive, label) {
  for (const rec of records(interactive)) {
    assert.ok(validate(JSON.parse(rec)), `${label}: ${rec.slice(0, 200)} ${JSON.stringify(validate.errors)}`);
  }
  const last = attempts(interactive).at(-1);
  const waiting = last.length > 0 && isRequest(last.at(-1)); // ran out of lines
  const got = last.filter((r) => !isRequest(r)).map(normalise);
  const want = records(upfront).map(normalise);
  if (waiting) assert.deepEqual(got, want.slice(0, got.length), `${label}: suspended stream is not a prefix`);
  else assert.deepEqual(got, want, `${label}: streams differ`);
  return { requests: last.filter((r) => kindOf(r) === 'input').length, attempts: attempts(interactive).length };
}

test('programs that call input() exist', () => {
  assert.ok(programs.includes('input_suspend_loop.py') && programs.includes('input_fallback_callbacks.py'));
});

for (const name of programs) {
  test(`native --suspend: ${name}`, { skip: nativeProblem || false }, () => {
    const { text } = linesOf(name);
    const run = (args) => spawnSync(BIN, args, { cwd: DIR, input: text, encoding: 'utf8', timeout: 30000, maxBuffer: 1 << 28 });
    const up = run(['trace', name]);
    const su = run(['trace', '--suspend', name]);
    const { requests, attempts: n } = checkSame(up.stdout, su.stdout, name);
    if (name === 'input_suspend_loop.py') {
      assert.equal(n, 1, 'suspends at every input() without re-running');
      assert.equal(requests, 11);
      const out = run(['run', '--suspend', name]);
      assert.equal(out.stdout + out.stderr, fs.readFileSync(path.join(DIR, 'input_suspend_loop.out'), 'utf8'));
      assert.equal(out.status, 0);
    }
    if (name === 'input_fallback_callbacks.py') assert.ok(n > 1, 'falls back to re-running');
  });
}

const engine = built ? await loadEngine() : null;

/** Runs [name] interactively in the wasm module as client.js does; returns all attempts' streams. */
function interactiveWasm(source, name, lines) {
  let given = 0, stream = '', output = '', last;
  for (;;) {
    let r = runInModule(engine, source, { filename: name, stdin: lines.slice(0, given), interactive: true });
    stream += r.stream;
    let out = r.output;
    while (r.suspended && given < lines.length) {
      r = resumeInModule(engine, lines[given++]);
      stream += r.stream;
      out += r.output;
    }
    output = out;
    last = r;
    if (r.suspended || r.status !== 4 || given >= lines.length) break;
    given++;
  }
  return { stream, output, last };
}

for (const name of programs) {
  test(`wasm suspend/resume: ${name}`, { skip: built ? false : 'run `make wasm` first' }, () => {
    const source = fs.readFileSync(path.join(DIR, name), 'utf8');
    const { lines } = linesOf(name);
    const up = runInModule(engine, source, { filename: name, stdin: lines });
    const r = interactiveWasm(source, name, lines);
    checkSame(up.stream, r.stream, name);
    if (!r.last.suspended && r.last.status !== 4) {
      assert.equal(r.output, up.output);
      assert.equal(r.last.status, up.status);
    }
  });
}

test('wasm: resume without a suspended run is refused; a new run drops a suspended one', { skip: !built }, () => {
  assert.throws(() => resumeInModule(engine, 'x'), /no run is waiting/);
  const r = runInModule(engine, 'a = input("a? ")\nprint(a * 2)\n', { interactive: true });
  assert.equal(r.status, 4);
  assert.equal(r.suspended, true);
  assert.equal(r.output, 'a? ');
  const s = records(r.stream);
  assert.deepEqual(JSON.parse(s.at(-2)), { kind: 'input', prompt: 'a? ' });
  const r2 = runInModule(engine, 'print(1)\n', {});
  assert.equal(r2.output, '1\n');
  assert.throws(() => resumeInModule(engine, 'x'), /no run is waiting/);
});

/** An in-process stand-in for the module Worker running worker.js's message handler. */
class FakeWorker {
  constructor() {
    this.listeners = [];
    setTimeout(() => this.send({ type: 'ready' }));
  }
  addEventListener(type, fn) { if (type === 'message') this.listeners.push(fn); }
  send(data) { for (const fn of this.listeners) fn({ data }); }
  terminate() { this.listeners = []; }
  postMessage(msg) {
    setTimeout(() => {
      const onChunk = (msg.type === 'run' ? msg.options.stream : msg.stream)
        ? (text) => this.send({ type: 'chunk', id: msg.id, text }) : undefined;
      try {
        const r = msg.type === 'run'
          ? runInModule(engine, msg.source, msg.options, onChunk)
          : resumeInModule(engine, msg.line, onChunk);
        this.send({ type: 'done', id: msg.id, ...r });
      } catch (err) {
        this.send({ type: 'error', id: msg.id, message: err.message });
      }
    });
  }
}

test('client: run() with one more line and provideInput() resume, with the re-run result', { skip: !built }, async () => {
  globalThis.Worker = FakeWorker;
  const { Engine } = await import('../web/engine/client.js');
  const eng = new Engine({ workerUrl: 'unused' });
  await eng.ready;
  const source = fs.readFileSync(path.join(DIR, 'input_suspend_loop.py'), 'utf8');
  const { lines } = linesOf('input_suspend_loop.py');
  const opts = { filename: 'main.py', max_steps: 1000000 };
  const full = await eng.run(source, { ...opts, stdin: lines, interactive: false });
  // G2's page: run again with the lines typed so far (streamed), as a re-run would.
  let r = await eng.run(source, { ...opts, stdin: [] });
  assert.equal(r.status, 4);
  for (let i = 0; i < lines.length; i++) {
    let chunks = '';
    r = await eng.run(source, { ...opts, stdin: lines.slice(0, i + 1) }, (t) => { chunks += t; });
    assert.equal(r.resumed, true, `line ${i} resumed`);
    if (i === lines.length - 1) {
      assert.equal(r.status, 0);
      assert.equal(r.output, full.output);
      const header = (s) => JSON.parse(records(s)[0]);
      assert.deepEqual(header(chunks + r.stream).options.stdin, lines);
      assert.deepEqual(records(chunks + r.stream).slice(1), records(full.stream).slice(1));
    }
  }
  // provideInput: resumes, and falls back to a re-run where input() is under a C call.
  const fb = fs.readFileSync(path.join(DIR, 'input_fallback_callbacks.py'), 'utf8');
  const fbLines = linesOf('input_fallback_callbacks.py').lines;
  const fbFull = await eng.run(fb, { ...opts, stdin: fbLines, interactive: false });
  r = await eng.run(fb, opts);
  const ways = [];
  for (const line of fbLines) {
    r = await eng.provideInput(line);
    ways.push(r.resumed);
  }
  assert.equal(r.status, 0);
  assert.equal(r.output, fbFull.output);
  assert.deepEqual(records(r.stream).slice(1), records(fbFull.stream).slice(1));
  assert.ok(ways.includes(true) && ways.includes(false), `resumed and re-ran: ${ways}`);
  eng.dispose();
});
