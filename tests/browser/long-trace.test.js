// @ts-check
/**
 * long-trace.test.js — a long run in the playground, in Debian's Chromium
 * (playwright-core, headless; the site built into a temp dir and served under the
 * sub-path /pyframes/ on 127.0.0.1, as site.test.js does): the page shows progress
 * while a loop of a few hundred thousand steps runs, then the slider, the arrow keys,
 * Home and End go to any step and the step label and the frames follow; Stop ends an
 * endless loop, and the steps it made can be browsed. Behaviour only, no timings
 * (`node bench/replay-seek.mjs` measures the seek times).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { CHROMIUM, startSite } from '../lib/browser-site.js';

/** Iterations of the test loop: two steps each (within the page's budget of 1,000,000 bytecodes). */
const LOOP = Number(process.env.PYFRAMES_LONG_LOOP || 100000);
const skip = !fs.existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : false;

/** @type {any} */ let context;
let base = '';
let hasEngine = false;

/** @type {(() => Promise<void>) | null} */ let close = null;

before(async () => {
  if (skip) return;
  ({ base, context, hasEngine, close } = await startSite('pyframes-long-', { site: [] }));
});

after(async () => {
  if (close) await close();
});

/**
 * Opens the playground with [source] in the editor (its starter program ran first).
 * @param {string} source
 * @param {any} t
 */
async function playground(source, t) {
  const page = await context.newPage();
  /** @type {string[]} */ const errors = [];
  page.on('console', (/** @type {any} */ m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (/** @type {any} */ e) => errors.push(String(e)));
  t.after(() => page.evaluate(() => localStorage.removeItem('pyframes:edit:playground')).catch(() => {}).then(() => page.close()));
  await page.goto(base + 'site/playground.html');
  await page.waitForFunction(() => {
    const v = /** @type {any} */ (window).pyframes?.visualizers[0];
    return v && !v.busy && v.root.dataset.step !== undefined;
  }, null, { timeout: 60000 });
  await page.evaluate((/** @type {string} */ src) => /** @type {any} */ (window).pyframes.visualizers[0].code.setText(src), source);
  // Values inline, so that a variable's row shows its value.
  const inline = page.locator('.viz .viz-bar input[type=checkbox]');
  if (!(await inline.isChecked())) await inline.check();
  return { page, errors, viz: page.locator('.viz') };
}

/** The step the page shows (data-step) once it is not [not]. @param {any} page @param {number} not */
async function stepChanged(page, not) {
  await page.waitForFunction((/** @type {number} */ old) => {
    const s = /** @type {HTMLElement} */ (document.querySelector('.viz')).dataset.step;
    return s !== undefined && s !== String(old);
  }, not, { timeout: 10000 });
  return Number(await page.locator('.viz').getAttribute('data-step'));
}

/**
 * The value of global [name] at step [n], from the page's own timeline, and the text of
 * its row in the frames view.
 * @param {any} page @param {number} n @param {string} name
 */
async function globalAt(page, n, name) {
  return page.evaluate(([k, want]) => {
    const v = /** @type {any} */ (window).pyframes.visualizers[0];
    const s = v.timeline.stateAt(k);
    const g = s.objects.get(s.frames[0].globals);
    let value = null;
    for (const [key, val] of g.items) if (s.objects.get(key)?.value === want) value = s.objects.get(val)?.value ?? null;
    const rows = [...document.querySelectorAll('.viz .frame.global .var-row')];
    const row = rows.find((r) => r.querySelector('.var-name')?.textContent === want);
    return { value, row: row ? row.textContent : null };
  }, [n, name]);
}

test('a loop of hundreds of thousands of steps: progress while it runs, then any step at once by slider and keys', { skip, timeout: 600000 }, async (t) => {
  if (!hasEngine) return t.skip('needs the wasm engine (make wasm)');
  const { page, errors, viz } = await playground(`s = 0\nfor i in range(${LOOP}):\n    s += i * i\nprint("done", s)\n`, t);
  await viz.locator('button.run').click();
  // Progress shows while it streams in; a busy page may poll only after the run ended
  // (the status then says what the run did), which is not a failure of the page.
  await page.waitForFunction(() => /Running… [\d,]+ steps/.test(document.querySelector('.viz .status')?.textContent || '') ||
    ((v) => !v.running && (v.ranSource || '').includes('s += i * i'))(/** @type {any} */ (window).pyframes.visualizers[0]), null, { timeout: 120000 });
  // The page answers while the run streams in (the run may just have ended: a fast
  // machine gets through it in a second or two, so only a running page is checked).
  const t0 = Date.now();
  const { running, stop } = await page.evaluate(() => ({
    running: /** @type {any} */ (window).pyframes.visualizers[0].running,
    stop: !/** @type {HTMLElement} */ (document.querySelector('.viz button.stop')).hidden,
  }));
  t.diagnostic(`a round trip to the page while it runs: ${Date.now() - t0} ms (running: ${running})`);
  if (running) assert.equal(stop, true, 'Stop is offered while it runs');
  await page.waitForFunction(() => {
    const v = /** @type {any} */ (window).pyframes.visualizers[0];
    return !v.busy && v.ranSource.includes('done') && v.root.dataset.exit === 'ok';
  }, null, { timeout: 540000 });
  const total = Number(await viz.getAttribute('data-steps'));
  assert.ok(total > 2 * LOOP, `${total} steps`);
  assert.match(await viz.locator('.status').innerText(), new RegExp(`Finished in ${total.toLocaleString('en')} steps`));
  assert.equal(await viz.locator('.step-label').innerText(), `Step 1 of ${total}`);

  // The slider: a click in its middle goes to a step near the middle.
  const slider = viz.locator('input.slider');
  const box = await slider.boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const mid = await stepChanged(page, 0);
  assert.ok(mid > total * 0.3 && mid < total * 0.7, `slider went to step ${mid} of ${total}`);
  await page.waitForFunction((/** @type {string} */ text) => document.querySelector('.viz .step-label')?.textContent === text, `Step ${mid + 1} of ${total}`);
  assert.equal(await slider.inputValue(), String(mid));
  let g = await globalAt(page, mid, 'i');
  assert.ok(g.value !== null && Number(g.value) > LOOP * 0.2, `i at step ${mid} is ${g.value}`);
  assert.ok(g.row && g.row.includes(g.value), `the frame shows i = ${g.value}: "${g.row}"`);

  // The arrow keys step from there, one step each.
  await viz.locator('.stage').focus();
  for (let k = 1; k <= 3; k++) {
    await page.keyboard.press('ArrowRight');
    const n = await stepChanged(page, mid + k - 1);
    assert.equal(n, mid + k);
    assert.equal(await viz.locator('.step-label').innerText(), `Step ${n + 1} of ${total}`);
    g = await globalAt(page, n, 'i');
    assert.ok(g.row && g.row.includes(String(g.value)), `step ${n}: the frame shows i = ${g.value}: "${g.row}"`);
  }
  await page.keyboard.press('ArrowLeft');
  assert.equal(await stepChanged(page, mid + 3), mid + 2);

  // End and Home: the last step and the first; the slider follows.
  await page.keyboard.press('End');
  assert.equal(await stepChanged(page, mid + 2), total - 1);
  assert.equal(await slider.inputValue(), String(total - 1));
  assert.equal(await viz.getAttribute('data-frames'), '0');
  await page.keyboard.press('Home');
  assert.equal(await stepChanged(page, total - 1), 0);

  // A quarter of the way by the slider, then one step on by its own arrow key.
  await page.mouse.click(box.x + box.width / 4, box.y + box.height / 2);
  const far = await stepChanged(page, 0);
  assert.ok(far > total * 0.1 && far < total * 0.4, `slider went to step ${far} of ${total}`);
  await page.keyboard.press('ArrowRight');
  assert.equal(await stepChanged(page, far), far + 1);
  g = await globalAt(page, far + 1, 'i');
  assert.equal(await viz.getAttribute('data-frames'), '1');
  assert.ok(g.row && g.row.includes(String(g.value)), `step ${far + 1}: "${g.row}"`);
  assert.deepEqual(errors, []);
});

test('Stop ends an endless loop at once, and the steps it made can be browsed', { skip, timeout: 300000 }, async (t) => {
  if (!hasEngine) return t.skip('needs the wasm engine (make wasm)');
  // Some work in C per step (str.count scans 40 KB without taking steps), so that the
  // run reaches the 40,000 steps well before the step budget (about 90,000 iterations).
  const { page, errors, viz } = await playground('s = "ab" * 20000\nn = 0\nwhile True:\n    n += s.count("b") // 20000\n', t);
  await viz.locator('button.run').click();
  // Stop once it has streamed many thousand steps.
  await page.waitForFunction(() => {
    const m = /Running… ([\d,]+) steps/.exec(document.querySelector('.viz .status')?.textContent || '');
    return m && Number(m[1].replace(/,/g, '')) >= 40000;
  }, null, { timeout: 240000 });
  const t0 = Date.now();
  await viz.locator('button.stop').click();
  await page.waitForFunction(() => /** @type {HTMLElement} */ (document.querySelector('.viz')).dataset.exit === 'stopped', null, { timeout: 10000 });
  t.diagnostic(`Stop took ${Date.now() - t0} ms`);
  const total = Number(await viz.getAttribute('data-steps'));
  assert.ok(total >= 40000, `${total} steps kept`);
  assert.match(await viz.locator('.status').innerText(), /Stopped by you after/);
  await page.evaluate((/** @type {number} */ n) => /** @type {any} */ (window).pyframes.visualizers[0].go(n), Math.floor(total / 2));
  const n = await stepChanged(page, 0);
  assert.equal(n, Math.floor(total / 2));
  assert.equal(await viz.locator('.step-label').innerText(), `Step ${n + 1} of ${total}`);
  const g = await globalAt(page, n, 'n');
  assert.ok(g.value !== null && Number(g.value) > 1000, `n at step ${n} is ${g.value}`);
  assert.ok(g.row && g.row.includes(String(g.value)), `the frame shows n = ${g.value}: "${g.row}"`);
  assert.deepEqual(errors, []);
});
