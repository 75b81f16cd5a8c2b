// @ts-check
// Unit tests of the replayer and the timeline on hand-written streams (node:test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyRecord, emptyState, snapshotOf, outputText } from './replay.js';
import { Timeline } from './timeline.js';

/** @param {any[]} recs */
const ndjson = (recs) => recs.map((r) => JSON.stringify(r)).join('\n') + '\n';

const header = { v: 3, kind: 'header', source: 'def add(a, b):\n    return a + b\nprint(add(3, 5))\n',
  filename: 'main.py', options: { max_steps: 0, recursion_limit: 1000, max_trace_steps: 0, snapshots: false, stdin: [] } };

// add(3, 5): module frame, call, return, print.
const addStream = [
  header,
  { kind: 'step', at: 'call', frame: 1, line: 1 },
  { kind: 'alloc', id: 10, type: 'dict', rc: 2, gen: 0, items: [] },
  { kind: 'code', id: 30, name: '<module>', qualname: '<module>', names: [], cells: 0 },
  { kind: 'push', frame: 1, parent: null, code: 30, func: null, globals: 10, locals_dict: 10, line: 1 },
  { kind: 'step', line: 1 },
  { kind: 'alloc', id: 20, type: 'str', immortal: true, value: 'add' },
  { kind: 'alloc', id: 21, type: 'function', rc: 1, gen: 0, name: 'add', qualname: 'add', defaults: [], closure: [], kwdefaults: null },
  { kind: 'dict', id: 10, del: [], set: [[20, 21]] },
  { kind: 'counts', rc: { 10: 2 } },
  { kind: 'step', line: 3 },
  { kind: 'step', at: 'call', frame: 2, line: 1 },
  { kind: 'alloc', id: 3, type: 'int', immortal: true, value: '3' },
  { kind: 'alloc', id: 5, type: 'int', immortal: true, value: '5' },
  { kind: 'code', id: 31, name: 'add', qualname: 'add', names: ['a', 'b'], cells: 0 },
  { kind: 'push', frame: 2, parent: 1, code: 31, func: 21, globals: 10, line: 1 },
  { kind: 'bind', frame: 2, slot: 0, ref: 3 },
  { kind: 'bind', frame: 2, slot: 1, ref: 5 },
  { kind: 'counts', rc: { 21: 2 } },
  { kind: 'step', line: 2 },
  { kind: 'step', at: 'return', line: 2 },
  { kind: 'alloc', id: 8, type: 'int', immortal: true, value: '8' },
  { kind: 'pop', frame: 2, ret: 8 },
  { kind: 'out', stream: 1, text: '8\n' },
  { kind: 'counts', rc: { 21: 1 } },
  { kind: 'step', at: 'return', frame: 1, line: 3 },
  { kind: 'pop', frame: 1, ret: null },
  { kind: 'end', status: 0, exit: 'ok', steps: 7, truncated: false },
];

test('replays add(3, 5) step by step', () => {
  const t = Timeline.fromText(ndjson(addStream));
  assert.equal(t.length, 7);
  const s3 = t.stateAt(3);
  assert.deepEqual(s3.frames.map((f) => f.name), ['<module>', 'add']);
  assert.deepEqual(snapshotOf(s3).frames[1].locals, [['a', 3], ['b', 5]]);
  assert.equal(s3.frames[0].line, 3);
  assert.equal(s3.objects.get(21)?.rc, 2);
  assert.deepEqual(s3.refChanges, [{ id: 21, from: 1, to: 2 }]);
  assert.deepEqual(s3.born, [3, 5]);
  // A step record without "at" is a line step; without "frame", in the previous step's frame.
  assert.equal(t.stateAt(4).at, 'line');
  assert.equal(t.stateAt(4).frame, 2);
  assert.equal(t.stateAt(4).step, 4);
  assert.equal(t.stateAt(2).frame, 1);
  const s5 = t.stateAt(5);
  assert.equal(s5.frames.length, 1);
  assert.deepEqual(s5.returned, { frame: 2, name: 'add', ret: 8, yield: false });
  assert.equal(outputText(s5, 1), '8\n');
  assert.equal(outputText(t.stateAt(4), 1), '');
  const last = t.stateAt(6);
  assert.equal(last.frames.length, 0);
  assert.equal(last.end.status, 0);
  assert.deepEqual(last.objects.get(10)?.items, [[20, 21]]);
});

test('stateAt returns independent copies (objects are shared and read-only)', () => {
  const t = Timeline.fromText(ndjson(addStream));
  const a = t.stateAt(3);
  a.frames[1].slots[0] = 99;
  a.born.push(99);
  const b = t.stateAt(3);
  assert.equal(b.frames[1].slots[0], 3);
  assert.deepEqual(b.born, [3, 5]);
  assert.deepEqual(b.objects.get(10)?.items, [[20, 21]]);
});

test('list splices, dict deltas, sets, cells, updates, frees', () => {
  const s = emptyState();
  const recs = [
    { kind: 'step', at: 'line', frame: null, line: 1 },
    { kind: 'alloc', id: 1, type: 'list', rc: 1, gen: 0, items: [7, 8, 9] },
    { kind: 'splice', id: 1, at: 1, del: 1, ins: [4, 5] },
    { kind: 'splice', id: 1, at: 4, del: 0, ins: [6] },
    { kind: 'alloc', id: 2, type: 'dict', rc: 1, gen: -1, items: [[10, 11], [12, 13], [14, 15]] },
    { kind: 'dict', id: 2, del: [10, 12], set: [[14, 16], [12, 17], [18, 19]] },
    { kind: 'alloc', id: 3, type: 'set', rc: 1, gen: 0, items: [1] },
    { kind: 'members', id: 3, items: [1, 2] },
    { kind: 'alloc', id: 4, type: 'cell', rc: 2, gen: 0, ref: null, frame: 1 },
    { kind: 'cell', id: 4, ref: 7 },
    { kind: 'alloc', id: 5, type: 'function', rc: 1, gen: 0, name: 'f', qualname: 'f', defaults: [], closure: [4], kwdefaults: null },
    { kind: 'update', id: 5, name: 'f', qualname: 'f', defaults: [7], closure: [4], kwdefaults: null },
    { kind: 'free', id: 3, reason: 'gc' },
    { kind: 'gc', generation: 0, examined: 4, unreachable: 1, finalizers: 0, freed: 1 },
    { kind: 'alloc', id: 6, type: 'int', rc: 1, value: '300' },
    { kind: 'dict', id: 2, set: [[20, 6]] },
    { kind: 'dict', id: 2, del: [20] },
    { kind: 'free', id: 6 },
  ];
  for (const r of recs) applyRecord(s, r);
  assert.deepEqual(s.objects.get(1)?.items, [7, 4, 5, 9, 6]);
  assert.deepEqual(s.objects.get(2)?.items, [[14, 16], [12, 17], [18, 19]]);
  assert.equal(s.objects.has(3), false);
  assert.deepEqual(s.freed, [{ id: 3, type: 'set', reason: 'gc' }, { id: 6, type: 'int', reason: 'refcount' }]);
  assert.equal(s.objects.get(4)?.ref, 7);
  assert.deepEqual(s.objects.get(5)?.defaults, [7]);
  assert.equal(s.objects.get(5)?.rc, 1);
  assert.equal(s.collections.length, 1);
});

test('exceptions: raised, caught and cleared at the next step', () => {
  const s = emptyState();
  const exc = { what: 'raised', frame: 1, ref: 9, type: 'ValueError', msg: 'x', tb: [['main.py', 2, '<module>']] };
  applyRecord(s, { kind: 'step', at: 'exception', frame: 1, line: 2 });
  applyRecord(s, { kind: 'exc', ...exc });
  assert.equal(s.exception?.what, 'raised');
  applyRecord(s, { kind: 'exc', ...exc, what: 'caught' });
  assert.equal(s.exception?.what, 'caught');
  applyRecord(s, { kind: 'step', at: 'line', frame: 1, line: 4 });
  assert.equal(s.exception, null);
});

test('generators keep their frame id across yields', () => {
  const s = emptyState();
  applyRecord(s, { kind: 'code', id: 40, name: 'gen', qualname: 'gen', names: ['i'], cells: 0 });
  const push = { kind: 'push', frame: 3, parent: 1, code: 40, func: 5, globals: 2, line: 1 };
  applyRecord(s, push);
  applyRecord(s, { kind: 'bind', frame: 3, slot: 0, ref: 4 });
  applyRecord(s, { kind: 'pop', frame: 3, ret: 4, yield: true });
  assert.deepEqual(s.returned, { frame: 3, name: 'gen', ret: 4, yield: true });
  applyRecord(s, push);
  assert.equal(s.frames[0].id, 3);
  assert.deepEqual(s.frames[0].slots, [null]);
});

test('prelude records (before any step) and a stream without steps', () => {
  const t = Timeline.fromText(ndjson([
    header,
    { kind: 'out', stream: 2, text: 'SyntaxError: invalid syntax\n' },
    { kind: 'step', at: 'end', frame: null, line: 0 },
    { kind: 'end', status: 2, exit: 'syntax', steps: 1, truncated: false },
  ]));
  assert.equal(t.length, 1);
  assert.equal(outputText(t.stateAt(0), 2), 'SyntaxError: invalid syntax\n');
});

test('chunked input: records split anywhere', () => {
  const text = ndjson(addStream);
  const t = new Timeline();
  for (let i = 0; i < text.length; i += 7) t.append(text.slice(i, i + 7));
  t.finish();
  assert.equal(t.length, 7);
  assert.deepEqual(snapshotOf(t.stateAt(3)), snapshotOf(Timeline.fromText(text).stateAt(3)));
});

test('checkpoints: every step of a long trace equals a straight replay', () => {
  const recs = [header, { kind: 'step', at: 'call', frame: 1, line: 1 },
    { kind: 'alloc', id: 1, type: 'list', rc: 1, gen: 0, items: [] },
    { kind: 'code', id: 50, name: '<module>', qualname: '<module>', names: ['xs'], cells: 0 },
    { kind: 'push', frame: 1, parent: null, code: 50, func: null, globals: null, line: 1 },
    { kind: 'bind', frame: 1, slot: 0, ref: 1 }];
  for (let i = 1; i < 5000; i++) {
    recs.push({ kind: 'step', at: 'line', frame: 1, line: 2 + (i % 3) });
    recs.push({ kind: 'alloc', id: 100 + i, type: 'int', rc: 1, gen: -1, value: String(i) });
    recs.push({ kind: 'splice', id: 1, at: i - 1, del: 0, ins: [100 + i] });
    if (i % 10 === 0) recs.push({ kind: 'out', stream: 1, text: `${i}\n` });
  }
  const t = Timeline.fromText(ndjson(recs));
  assert.ok(t.checkpoints.length >= 2, `has checkpoints (${t.checkpoints.length})`);
  const wanted = [0, 1, 1999, 2000, 2001, 3333, 4998, 4999];
  const straight = emptyState();
  /** @type {any[]} */
  const expected = [];
  for (const r of recs) {
    if (r.kind === 'step' && wanted.includes(straight.step)) expected[straight.step] = structuredClone(snapshotOf(straight));
    applyRecord(straight, r);
  }
  expected[straight.step] = structuredClone(snapshotOf(straight));
  for (const n of wanted) {
    assert.deepEqual(snapshotOf(t.stateAt(n)), expected[n], `step ${n}`);
  }
});
