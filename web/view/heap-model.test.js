// @ts-check
// Unit tests of heap-model.js on real traces from build/pyframes (skipped when the CLI
// is not built): garbage is exactly what the cycle collector later frees, closures'
// cells are labelled with the call that made them, frames list their variables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Timeline } from '../model/timeline.js';
import { buildHeapModel, frameVariables, garbageOf, MAX_SHOWN_ITEMS, shownItems } from './heap-model.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../build/pyframes');
const skip = fs.existsSync(CLI) ? false : 'build/pyframes is not built';

/** @param {string} source */
function trace(source) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pyframes-hm-'));
  fs.writeFileSync(path.join(dir, 'main.py'), source);
  let text;
  try { text = execFileSync(CLI, ['trace', 'main.py'], { cwd: dir, encoding: 'utf8' }); } catch (e) { text = /** @type {any} */ (e).stdout; }
  fs.rmSync(dir, { recursive: true, force: true });
  return { t: Timeline.fromText(text), text };
}

test('a list cycle is garbage from del until the collector frees it', { skip }, () => {
  const { t } = trace('import gc\nitems = [1, 2]\nitems.append(items)\ndel items\nprint(gc.collect())\n');
  let sawGarbage = false;
  for (let n = 0; n < t.length; n++) {
    const s = t.stateAt(n);
    const g = [...garbageOf(s)].map((id) => s.objects.get(id)?.type);
    if (s.freed.some((f) => f.reason === 'gc')) assert.ok(sawGarbage, 'garbage was shown before the collection');
    if (g.includes('list')) sawGarbage = true;
    const m = buildHeapModel(s);
    for (const id of m.garbageSet) if (m.boxes.has(id)) assert.ok(m.garbage.includes(id), 'garbage is drawn in the garbage section');
  }
  assert.ok(sawGarbage);
});

test('objects held by names are never garbage', { skip }, () => {
  const { t } = trace('a = [1]\nb = {"k": a}\ndef f(x):\n    return [x, x]\nc = f(a)\n');
  for (let n = 0; n < t.length; n++) assert.equal(garbageOf(t.stateAt(n)).size, 0, `step ${n}`);
});

test('a closure cell is labelled with its variable and the call that made it', { skip }, () => {
  const { t } = trace('def outer(msg):\n    def inner():\n        return msg\n    return inner\nh = outer("hi")\nh()\n');
  const labels = t.labels();
  const cells = [...labels.cells.values()];
  assert.equal(cells.length, 1);
  assert.equal(cells[0].name, 'msg');
  assert.equal(labels.frames.get(cells[0].frame), 'outer');
  const last = t.stateAt(t.length - 2);
  const globals = frameVariables(last, last.frames[0]).map((v) => v[0]);
  assert.deepEqual(globals, ['outer', 'h']);
  const m = buildHeapModel(last);
  assert.ok([...m.boxes].some((id) => last.objects.get(id)?.type === 'cell'), 'the cell is drawn after outer returned');
});

test('objects are numbered #1, #2, ... in order of first appearance, names and the prelude last', { skip }, () => {
  const { t } = trace('def add(a, b):\n    return a + b\n\nx = [add(1, 2)]\ny = {"k": x}\n');
  const labels = t.labels(Array.from(t.prelude.objects, ([id]) => id));
  const state = t.stateAt(t.length - 1);
  const byType = (/** @type {string} */ type) => [...state.objects].filter(([, o]) => o.type === type).map(([id]) => id);
  const fn = byType('function')[0], list = byType('list')[0];
  assert.equal(labels.ids.get(fn), 1, 'the function is the first object the learner meets');
  assert.ok(/** @type {number} */ (labels.ids.get(list)) < 10, 'the list gets a small number');
  const numbers = [...labels.ids.ids].map((id) => labels.ids.get(id));
  assert.equal(new Set(numbers).size, numbers.length, 'numbers are unique');
  assert.ok(Math.max(...numbers) === numbers.length, 'numbers are 1..n');
});

test('a cycle through a __slots__ value or a generator\'s locals is shown as garbage', { skip }, () => {
  const { t } = trace('import gc\nclass P:\n    __slots__ = ("x",)\np = P()\np.x = [p]\ndel p\n' +
    'def g():\n    me = [None]\n    yield me\nit = g()\nbox = next(it)\nbox[0] = it\ndel it, box\n' +
    'x = 1\nprint(gc.collect())\n');
  const before = t.stateAt(t.length - 1);
  // Find the last step before the collection: both cycles are unreachable there.
  let n = t.length - 1;
  while (n > 0 && !t.stateAt(n).freed.some((f) => f.reason === 'gc')) n--;
  const s = t.stateAt(n - 1);
  const garbage = [...garbageOf(s)].map((id) => s.objects.get(id)?.type);
  assert.ok(garbage.includes('P'), `the slotted instance is garbage (got ${garbage})`);
  assert.ok(garbage.includes('generator'), `the generator is garbage (got ${garbage})`);
  assert.equal(garbageOf(before).size, 0);
});

test('objects that only the frames of a collapsed stack refer to get no box', { skip }, () => {
  // 40 nested calls, each holding its own list; at the deepest step 27 frames are collapsed.
  const { t } = trace('def down(n):\n    mine = [n]\n    if n:\n        down(n - 1)\n    else:\n        print("bottom")\n\ndown(39)\n');
  let n = 0;
  while (n < t.length && !t.stateAt(n).outLen) n++;
  const s = t.stateAt(n);
  assert.equal(s.frames.length, 41);
  const lists = (/** @type {Set<number>} */ ids) => [...ids].filter((id) => s.objects.get(id)?.type === 'list').length;
  const collapsed = buildHeapModel(s);
  assert.equal(lists(collapsed.boxes), 12, 'the lists of the 12 calls on screen (2 oldest, 10 newest)');
  const expanded = buildHeapModel(s, { expanded: true });
  assert.equal(lists(expanded.boxes), 40);
  assert.equal(expanded.hiddenObjects, 0);
  assert.equal(collapsed.hiddenObjects, expanded.boxes.size - collapsed.boxes.size, 'the note counts what is left out');
  assert.ok(collapsed.hiddenObjects >= 28);
});

test('a long list draws its first items; objects only later items hold get no box', { skip }, () => {
  const { t } = trace('xs = [[i] for i in range(500)]\nn = len(xs)\n');
  const s = t.stateAt(t.length - 2); // the last line, before the global frame goes
  const m = buildHeapModel(s);
  const lists = [...m.boxes].filter((id) => s.objects.get(id)?.type === 'list');
  assert.equal(lists.length, 1 + MAX_SHOWN_ITEMS, 'xs and the inner lists of the items on screen');
  assert.deepEqual(shownItems(Array.from({ length: 500 }, (_, i) => i)).length, MAX_SHOWN_ITEMS);
});
