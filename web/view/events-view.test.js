// @ts-check
// "What happened at this step" in words, on a real trace from build/pyframes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Timeline } from '../model/timeline.js';
import { eventWords } from './events-view.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'build', 'pyframes');

/** Every step's words for [source]. @param {string} source */
function wordsOf(source) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pyframes-words-')), 'main.py');
  fs.writeFileSync(file, source);
  const r = spawnSync(BIN, ['trace', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const t = new Timeline();
  t.append(r.stdout);
  t.finish();
  const ctx = { visible: new Set(), namespaces: new Set(), frameNames: new Map() };
  /** @type {string[]} */ const all = [];
  for (let n = 0; n < t.length; n++) all.push(...eventWords(t.stateAt(n), n ? t.stateAt(n - 1) : null, ctx));
  return all;
}

test('frees say why: a refcount reaching 0 (the reason the record leaves out) or the cycle GC', { skip: !fs.existsSync(BIN) && 'no build/pyframes' }, () => {
  const words = wordsOf('import gc\nx = [1, 2]\nx = None\na = []\na.append(a)\na = None\ngc.collect()\n');
  assert.ok(words.some((w) => /^Freed .*: its refcount reached 0$/.test(w)), words.join('\n'));
  assert.ok(words.some((w) => /^Freed .*: collected by the cycle GC$/.test(w)), words.join('\n'));
  assert.ok(!words.some((w) => w.includes('undefined')), words.filter((w) => w.includes('undefined')).join('\n'));
});
