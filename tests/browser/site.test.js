// @ts-check
/**
 * site.test.js — the lesson site in Debian's Chromium (playwright-core, headless): the
 * site is built into a temp dir (the real lessons, and the fixture lessons beside this
 * file) and served under the sub-path /pyframes/ by tools/serve.mjs. Screenshots of a
 * lesson page and the playground, light and dark, go to test-results/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Timeline } from '../../web/model/timeline.js';
import { ROOT, CHROMIUM, startSite } from '../lib/browser-site.js';

const CLI = path.join(ROOT, 'build/pyframes');
const RESULTS = path.join(ROOT, 'test-results');
const skip = !fs.existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : !fs.existsSync(CLI) ? 'build/pyframes is not built' : false;

/** Fixture examples, in the order of tests/browser/fixtures/lessons/01-fixture.md. */
const EX = { add: 0, factorial: 1, closure: 2, cycle: 3, html: 4, loop: 5 };

/** @type {any} */ let context;
let base = '';
let tmp = '';
let hasEngine = false;

/** @type {(() => Promise<void>) | null} */ let close = null;

before(async () => {
  if (skip) return;
  ({ tmp, base, context, hasEngine, close } = await startSite('pyframes-browser-', {
    site: [], fixture: ['--lessons', 'tests/browser/fixtures/lessons'],
  }));
  fs.mkdirSync(RESULTS, { recursive: true });
});

after(async () => {
  if (close) await close();
});

/**
 * Opens a page and records console errors, page errors and dialogs on it.
 * @param {string} url relative to the served root (/pyframes/)
 * @param {'light' | 'dark'} [scheme]
 */
async function open(url, scheme = 'light') {
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme: scheme });
  /** @type {string[]} */ const errors = [];
  /** @type {string[]} */ const dialogs = [];
  page.on('console', (/** @type {any} */ m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (/** @type {any} */ e) => errors.push(String(e)));
  page.on('dialog', (/** @type {any} */ d) => { dialogs.push(d.message()); d.dismiss(); });
  await page.goto(base + url);
  return { page, errors, dialogs };
}

/**
 * Waits until example [i] has a trace and shows a step; returns its number of steps.
 * @param {any} page
 * @param {number} i
 */
async function ready(page, i, timeout = 30000) {
  const viz = page.locator('.viz').nth(i);
  await viz.scrollIntoViewIfNeeded();
  await page.waitForFunction((/** @type {number} */ k) => {
    const v = document.querySelectorAll('.viz')[k];
    return v && /** @type {HTMLElement} */ (v).dataset.step !== undefined && !(/** @type {any} */ (window).pyframes.visualizers[k].busy);
  }, i, { timeout }).catch(async (/** @type {any} */ err) => {
    const status = await viz.locator('.status').innerText().catch(() => '?');
    throw new Error(`example ${i + 1} did not show a step: status "${status}" (${err.message.split('\n')[0]})`);
  });
  return Number(await viz.getAttribute('data-steps'));
}

/**
 * Goes to step [n] of example [i] through the component and waits for the render.
 * @param {any} page
 * @param {number} i
 * @param {number} n
 */
async function goTo(page, i, n) {
  await page.evaluate(([k, s]) => /** @type {any} */ (window).pyframes.visualizers[k].go(s), [i, n]);
  await page.waitForFunction(([k, s]) => /** @type {HTMLElement} */ (document.querySelectorAll('.viz')[k]).dataset.step === String(s), [i, n]);
}

/**
 * The terminal's text (xterm's DOM rows), once it matches [pattern] (xterm renders
 * writes asynchronously).
 * @param {any} page
 * @param {number} i
 * @param {RegExp} pattern
 */
async function terminalText(page, i, pattern) {
  // xterm renders only while visible: bring the terminal on screen first.
  await page.locator('.viz').nth(i).locator('.term').scrollIntoViewIfNeeded();
  await page.waitForFunction(([k, src, flags]) => new RegExp(src, flags).test(document.querySelectorAll('.viz')[k].querySelector('.xterm-rows')?.textContent || ''),
    [i, pattern.source, pattern.flags.replace('m', '')], { timeout: 10000 }).catch(() => {});
  return page.locator('.viz').nth(i).locator('.xterm-rows').innerText();
}

/**
 * Frames per step of [source], from the CLI's trace replayed in Node.
 * @param {string} source
 */
function framesPerStep(source) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pyframes-src-'));
  fs.writeFileSync(path.join(dir, 'main.py'), source);
  const text = execFileSync(CLI, ['trace', '--max-steps', '200000', 'main.py'], { cwd: dir, encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  const t = Timeline.fromText(text);
  return Array.from({ length: t.length }, (_, n) => t.stateAt(n).frames.length);
}

test('every lesson opens under a sub-path and runs each example to its last step without console errors', { skip, timeout: 600000 }, async () => {
  const { page, errors } = await open('site/index.html');
  const links = await page.locator('.lesson-list a').evaluateAll((/** @type {HTMLAnchorElement[]} */ as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.length >= 1, 'the index lists the lessons');
  for (const href of links) assert.ok(!href.startsWith('/'), `relative link: ${href}`);
  await page.close();
  for (const href of links) {
    const { page, errors: pageErrors } = await open(`site/${href}`);
    const count = await page.locator('.viz').count();
    for (let i = 0; i < count; i++) {
      const steps = await ready(page, i, 60000);
      assert.ok(steps >= 1, `${href} example ${i + 1} has steps`);
      await page.locator('.viz').nth(i).locator('.stage').focus();
      await page.keyboard.press('End');
      await page.waitForFunction(([k, s]) => /** @type {HTMLElement} */ (document.querySelectorAll('.viz')[k]).dataset.step === String(s - 1), [i, steps], { timeout: 10000 })
        .catch(async () => { throw new Error(`${href} example ${i + 1}: End did not reach step ${steps} (at ${await page.locator('.viz').nth(i).getAttribute('data-step')} of ${await page.locator('.viz').nth(i).getAttribute('data-steps')})`); });
    }
    assert.equal(await page.locator('.pager a').count() >= 1, true, `${href} has previous/next links`);
    assert.deepEqual(pageErrors, [], `${href}: console errors`);
    await page.close();
  }
  assert.deepEqual(errors, []);
});

test('stepping forward and back through factorial(5) shows one frame per active call', { skip, timeout: 120000 }, async () => {
  const { page, errors } = await open('fixture/01-fixture.html');
  const total = await ready(page, EX.factorial);
  const source = await page.evaluate((/** @type {number} */ k) => /** @type {any} */ (window).pyframes.visualizers[k].code.text, EX.factorial);
  const expected = framesPerStep(source);
  assert.equal(total, expected.length);
  assert.equal(Math.max(...expected), 6, 'the module frame and five factorial frames');
  const stage = page.locator('.viz').nth(EX.factorial).locator('.stage');
  await stage.focus();
  await page.keyboard.press('Home');
  const check = async (/** @type {number} */ n) => {
    await page.waitForFunction(([k, s]) => /** @type {HTMLElement} */ (document.querySelectorAll('.viz')[k]).dataset.step === String(s), [EX.factorial, n]);
    const shown = await page.locator('.viz').nth(EX.factorial).locator('.frames .frame:not(.returned)').count();
    assert.equal(shown, expected[n], `frames on screen at step ${n}`);
  };
  for (let n = 0; n < total; n++) {
    await check(n);
    if (n < total - 1) await page.keyboard.press('ArrowRight');
  }
  for (let n = total - 1; n >= 0; n--) {
    await check(n);
    if (n > 0) await page.keyboard.press('ArrowLeft');
  }
  assert.equal(await page.locator('.viz').nth(EX.factorial).locator('.step-label').innerText(), `Step 1 of ${total}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('editing add(3, 5) to add(3, 6) and running prints 9', { skip }, async (t) => {
  if (!hasEngine) return t.skip('needs the wasm engine (make wasm)');
  const { page, errors } = await open('fixture/01-fixture.html');
  await ready(page, EX.add);
  const viz = page.locator('.viz').nth(EX.add);
  await viz.locator('.cm-content').click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText('def add(a, b):\n    s = a + b\n    return s\n\nprint(add(3, 6))\n');
  await viz.locator('button.run').click();
  await page.waitForFunction(() => !(/** @type {any} */ (window).pyframes.visualizers[0].busy) && /** @type {any} */ (window).pyframes.visualizers[0].ranSource.includes('add(3, 6)'), null, { timeout: 30000 });
  await viz.locator('button.last').click();
  await page.waitForFunction(() => /9/.test(document.querySelectorAll('.viz')[0].querySelector('.xterm-rows')?.textContent || ''));
  assert.match(await terminalText(page, EX.add, /9/), /^9$/m);
  await viz.locator('button.reset').click();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a closure keeps the cell of the call that made it alive after the call returned', { skip }, async () => {
  const { page, errors } = await open('fixture/01-fixture.html');
  const total = await ready(page, EX.closure);
  let seen = false;
  for (let n = 0; n < total && !seen; n++) {
    await goTo(page, EX.closure, n);
    const viz = page.locator('.viz').nth(EX.closure);
    const frames = await viz.locator('.frames .frame:not(.returned) .frame-name').allInnerTexts();
    const cells = await viz.locator('.box.t-cell .cell-label').allInnerTexts();
    if (!frames.some((f) => f.startsWith('outer_function')) && frames.length >= 1 && cells.some((c) => /msg of outer_function\(\)/.test(c)) && await viz.locator('.box.t-function .closure .slot').count() > 0) seen = true;
  }
  assert.ok(seen, 'after outer_function returned, a cell labelled with its call is still drawn, held by the closure');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a reference cycle is shown as garbage, then freed by the cycle GC with that reason', { skip }, async () => {
  const { page, errors } = await open('fixture/01-fixture.html');
  const total = await ready(page, EX.cycle);
  let garbage = false, freed = '';
  for (let n = 0; n < total && !freed; n++) {
    await goTo(page, EX.cycle, n);
    const viz = page.locator('.viz').nth(EX.cycle);
    if (await viz.locator('.box.garbage.t-list').count()) garbage = true;
    const f = viz.locator('.box.freed[data-reason="gc"]');
    if (await f.count()) freed = await f.first().innerText();
  }
  assert.ok(garbage, 'the unreachable list is drawn greyed before the collection');
  assert.match(freed, /collected by the cycle GC, generation \d/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('program output is text, never markup', { skip }, async () => {
  const { page, errors, dialogs } = await open('fixture/01-fixture.html');
  const total = await ready(page, EX.html);
  await goTo(page, EX.html, total - 1);
  assert.match(await terminalText(page, EX.html, /<img src=x/), /<img src=x onerror=alert\(1\)>/);
  assert.equal(await page.locator('.viz img').count(), 0);
  const events = await page.locator('.viz').nth(EX.html).locator('.events-list').innerText();
  assert.ok(events.includes('<img src=x onerror=alert(1)>') || total > 0);
  await page.waitForTimeout(200);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('while True: pass ends with the step-budget message and the page still responds', { skip, timeout: 120000 }, async () => {
  const { page, errors } = await open('fixture/01-fixture.html');
  const total = await ready(page, EX.loop, 90000);
  const viz = page.locator('.viz').nth(EX.loop);
  assert.equal(await viz.getAttribute('data-exit'), 'budget');
  assert.match(await viz.locator('.status').innerText(), /step budget/);
  await goTo(page, EX.loop, total - 1);
  assert.match(await terminalText(page, EX.loop, /StepBudgetExceeded/), /StepBudgetExceeded/);
  const t0 = Date.now();
  await viz.locator('button.first').click();
  await page.waitForFunction((/** @type {number} */ k) => /** @type {HTMLElement} */ (document.querySelectorAll('.viz')[k]).dataset.step === '0', EX.loop);
  await goTo(page, EX.loop, Math.floor(total / 2));
  assert.ok(Date.now() - t0 < 5000, 'jumping around a long trace stays quick');
  assert.deepEqual(errors, []);
  await page.close();
});

/**
 * Opens the playground, waits for its starter program, then puts [source] in the editor.
 * @param {string} source
 * @param {any} t the test (its page is closed after it, even when it fails)
 */
async function playgroundWith(source, t) {
  const opened = await open('site/playground.html');
  // The playground keeps its code in localStorage: leave the starter for later tests.
  t.after(() => opened.page.evaluate(() => localStorage.removeItem('pyframes:edit:playground')).catch(() => {}).then(() => opened.page.close()));
  await ready(opened.page, 0);
  await opened.page.evaluate((/** @type {string} */ src) => /** @type {any} */ (window).pyframes.visualizers[0].code.setText(src), source);
  return opened;
}

/**
 * Waits until the playground's run of a source containing [marker] has finished.
 * @param {any} page
 * @param {string} marker
 */
async function ranIt(page, marker, timeout = 30000) {
  await page.waitForFunction((/** @type {string} */ m) => {
    const v = /** @type {any} */ (window).pyframes.visualizers[0];
    return !v.busy && v.ranSource.includes(m) && v.root.dataset.step !== undefined;
  }, marker, { timeout });
}

test('recursion nested in C calls ends in RecursionError on the page, not a lost run', { skip, timeout: 120000 }, async (t) => {
  if (!hasEngine) return t.skip('needs the wasm engine (make wasm)');
  // The paths with the deepest stack per level measured in Chromium, whose worker has
  // half a page's stack: sorted() calling __lt__ (lost the run from about 380 levels
  // with no cap; the stack probe stops it), hashing a nested tuple and class creation
  // in __init_subclass__ (both lost it under older caps).
  const source = [
    'import sys', 'sys.setrecursionlimit(100000)',
    'class A:', '    def __init__(self, n): self.n = n',
    '    def __lt__(self, other): return sorted([A(self.n + 1), A(self.n + 1)])',
    'try:', '    sorted([A(0), A(0)])', 'except RecursionError as e:', '    print("sort:", e)',
    't = ()', 'for i in range(6000):', '    t = (t,)',
    'try:', '    hash(t)', 'except RecursionError as e:', '    print("hash:", e)',
    'class B:', '    def __init_subclass__(cls, n=0, **kw):', '        class C(B, n=n + 1): pass',
    'try:', '    class D(B): pass', 'except RecursionError as e:', '    print("class:", e)',
    'print("done")', ''].join('\n');
  const { page, errors } = await playgroundWith(source, t);
  const viz = page.locator('.viz');
  await viz.locator('button.run').click();
  await ranIt(page, '__init_subclass__', 90000);
  assert.doesNotMatch(await viz.locator('.status').innerText(), /failed|stack/i);
  assert.equal(await viz.getAttribute('data-exit'), 'ok');
  const total = Number(await viz.getAttribute('data-steps'));
  await goTo(page, 0, total - 1);
  const shown = await terminalText(page, 0, /done/);
  for (const what of ['sort', 'hash', 'class']) assert.match(shown, new RegExp(`${what}: maximum recursion depth exceeded`));
  assert.match(shown, /done/);
  assert.deepEqual(errors, []);
});

test('recursion through __init__ and a recursive __repr__ go as deep on the page as in CPython', { skip, timeout: 120000 }, async (t) => {
  if (!hasEngine) return t.skip('needs the wasm engine (make wasm)');
  // At the default limit: the engine's cap allows 500 nested levels, and the worker's
  // stack holds them on these paths. The native build, which tests/depth holds to
  // CPython's depths, prints the expected lines.
  const source = [
    'depth = 0', 'class Node:', '    def __init__(self, n):', '        global depth',
    '        depth = n', '        Node(n + 1)',
    'try:', '    Node(0)', 'except RecursionError as e:', '    print("init:", depth, e)',
    'class Chain:', '    def __init__(self, n):', '        self.next = Chain(n - 1) if n else None',
    '    def __repr__(self):', '        return f"Chain({self.next!r})"',
    'print("repr:", len(repr(Chain(450))))', ''].join('\n');
  const file = path.join(tmp, 'deep-init.py');
  fs.writeFileSync(file, source);
  const native = execFileSync(CLI, ['run', file], { encoding: 'utf8' }).trimEnd().split('\n');
  assert.match(native[0], /^init: 49\d maximum recursion depth exceeded$/);
  assert.equal(native[1], 'repr: 3161');
  const { page, errors } = await playgroundWith(source, t);
  const viz = page.locator('.viz');
  await viz.locator('button.run').click();
  await ranIt(page, 'Chain(450)', 90000);
  assert.equal(await viz.getAttribute('data-exit'), 'ok');
  const total = Number(await viz.getAttribute('data-steps'));
  await goTo(page, 0, total - 1);
  const shown = await terminalText(page, 0, /repr:/);
  for (const line of native) assert.ok(shown.includes(line), `the page shows ${JSON.stringify(line)}:\n${shown}`);
  assert.deepEqual(errors, []);
});

test('input() prompts in the terminal and the program continues with the typed line', { skip, timeout: 90000 }, async (t) => {
  if (!hasEngine) return t.skip('needs the wasm engine (make wasm)');
  const { page, errors } = await playgroundWith('name = input("name? ")\nprint("hi", name)\n', t);
  const viz = page.locator('.viz');
  await viz.locator('button.run').click();
  await ranIt(page, 'input(');
  assert.equal(await viz.getAttribute('data-exit'), 'input');
  assert.match(await viz.locator('.status').innerText(), /Waiting for input/);
  assert.match(await terminalText(page, 0, /name\?/), /name\?\s*$/);
  await viz.locator('.term').click();
  await page.keyboard.type('Ada');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /** @type {HTMLElement} */ (document.querySelector('.viz')).dataset.exit === 'ok', null, { timeout: 30000 });
  await ranIt(page, 'input(');
  const shown = await terminalText(page, 0, /hi Ada/);
  assert.match(shown, /name\? Ada\s*\n\s*hi Ada/, 'the typed line stays after its prompt, as in a terminal');
  await viz.screenshot({ path: path.join(RESULTS, 'playground-input.png') });
  await goTo(page, 0, 0);
  assert.doesNotMatch(await terminalText(page, 0, /^\s*$/), /Ada/, 'stepping back un-types it too');
  assert.deepEqual(await page.evaluate(() => /** @type {any} */ (window).pyframes.visualizers[0].stdin), ['Ada']);
  assert.deepEqual(errors, []);
});

test('Stop ends a long-running program, the page responds and a re-run works', { skip, timeout: 90000 }, async (t) => {
  if (!hasEngine) return t.skip('needs the wasm engine (make wasm)');
  const { page, errors } = await playgroundWith('s = "ab" * 500000\ntotal = 0\nwhile True:\n    total += s.count("b")\n', t);
  const viz = page.locator('.viz');
  await viz.locator('button.run').click();
  const stop = viz.locator('button.stop');
  await stop.waitFor({ state: 'visible', timeout: 10000 });
  await page.waitForTimeout(1500);
  assert.equal(await page.evaluate(() => /** @type {any} */ (window).pyframes.visualizers[0].running), true, 'still running after 1.5 s');
  const t0 = Date.now();
  await stop.click();
  await page.waitForFunction(() => /** @type {HTMLElement} */ (document.querySelector('.viz')).dataset.exit === 'stopped', null, { timeout: 5000 });
  assert.ok(Date.now() - t0 < 5000, 'Stop takes effect at once');
  assert.match(await viz.locator('.status').innerText(), /Stopped by you/);
  assert.equal(await stop.isHidden(), true);
  await page.evaluate(() => /** @type {any} */ (window).pyframes.visualizers[0].code.setText('print("after stop")\n'));
  await viz.locator('button.run').click();
  await ranIt(page, 'after stop');
  assert.equal(await viz.getAttribute('data-exit'), 'ok');
  await viz.locator('button.last').click();
  assert.match(await terminalText(page, 0, /after stop/), /after stop/);
  assert.deepEqual(errors, []);
});

/**
 * In the page: every visible piece of text whose contrast with what is behind it is
 * below WCAG AA (4.5:1, or 3:1 for large text), with the opacity of its ancestors
 * applied. Terminal colours are checked as pairs of the CSS variables xterm uses.
 * Disabled controls are exempt (WCAG 1.4.3), and so are objects fading out.
 */
function lowContrast() {
  const parse = (/** @type {string} */ c) => {
    const m = /rgba?\(([\d.]+),?\s*([\d.]+),?\s*([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\)/.exec(c);
    if (!m) return null;
    let a = m[4] == null ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : Number(m[4]);
    return [Number(m[1]), Number(m[2]), Number(m[3]), a];
  };
  const over = (/** @type {number[]} */ top, /** @type {number[]} */ bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const lum = (/** @type {number[]} */ c) => {
    const f = (/** @type {number} */ v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (/** @type {number[]} */ a, /** @type {number[]} */ b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const background = (/** @type {Element} */ e) => {
    /** @type {number[][]} */ const layers = [];
    for (let n = /** @type {Element | null} */ (e); n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const opacity = (/** @type {Element} */ e) => { let o = 1; for (let n = /** @type {Element | null} */ (e); n; n = n.parentElement) o *= Number(getComputedStyle(n).opacity); return o; };
  /** @type {{text: string, cls: string, ratio: number, need: number}[]} */
  const bad = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const e = t.parentElement;
    if (!e || !(t.textContent || '').trim() || seen.has(e)) continue;
    seen.add(e);
    if (e.closest('.xterm, .sr-only, [hidden], .freed, option, :disabled, .cm-tooltip')) continue;
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const cs = getComputedStyle(e);
    if (cs.visibility === 'hidden') continue;
    const fg = parse(cs.color);
    if (!fg) continue;
    const bg = background(e);
    const shown = over([fg[0], fg[1], fg[2], fg[3] * opacity(e)], bg);
    const size = parseFloat(cs.fontSize), bold = Number(cs.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const got = ratio(shown, bg);
    if (got < need - 0.005) bad.push({ text: (t.textContent || '').trim().slice(0, 30), cls: `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} < ${e.parentElement?.className}`, ratio: Math.round(got * 100) / 100, need });
  }
  const v = (/** @type {string} */ name) => {
    const probe = document.createElement('i');
    probe.style.color = `var(${name})`;
    document.body.append(probe);
    const c = /** @type {number[]} */ (parse(getComputedStyle(probe).color));
    probe.remove();
    return c;
  };
  for (const [fg, bg] of [['--term-fg', '--term-bg'], ['--term-red', '--term-bg']]) {
    const got = ratio(v(fg), v(bg));
    if (got < 4.5) bad.push({ text: `${fg} on ${bg}`, cls: 'terminal', ratio: Math.round(got * 100) / 100, need: 4.5 });
  }
  return bad;
}

test('colours meet WCAG AA contrast in both themes; controls take keyboard focus visibly; steps are announced', { skip, timeout: 120000 }, async () => {
  /** @type {string[]} */ const failures = [];
  for (const scheme of /** @type {const} */ (['light', 'dark'])) {
    for (const url of ['fixture/01-fixture.html', 'site/index.html', 'site/playground.html']) {
      const { page } = await open(url, scheme);
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' }); // no box caught mid-animation
      if (await page.locator('.viz').count()) {
        const total = await ready(page, 0);
        await goTo(page, 0, Math.min(total - 1, 3));
      }
      if (url.startsWith('fixture')) {
        const total = await ready(page, EX.cycle);
        for (let n = 0; n < total; n++) {
          await goTo(page, EX.cycle, n);
          if (await page.locator('.viz').nth(EX.cycle).locator('.box.garbage').count()) break;
        }
        await page.locator('.viz').nth(EX.cycle).locator('button.stop').evaluate((b) => { b.hidden = false; });
        await page.locator('.viz').nth(EX.add).locator('.cm-content').click();
        await page.keyboard.insertText('#');
        await page.keyboard.press('Backspace');
      }
      for (const b of await page.evaluate(lowContrast)) failures.push(`${scheme} ${url}: ${b.cls} "${b.text}" ${b.ratio} < ${b.need}`);
      await page.close();
    }
  }
  assert.deepEqual([...new Set(failures)], [], 'text below WCAG AA contrast');
  // Keyboard: Tab reaches every control of an example, each with a visible outline.
  const { page } = await open('fixture/01-fixture.html');
  await ready(page, EX.factorial);
  await goTo(page, EX.factorial, 2);
  const viz = page.locator('.viz').nth(EX.factorial);
  await viz.locator('button.run').focus();
  /** @type {string[]} */ const reached = [];
  for (let i = 0; i < 20; i++) {
    const info = await page.evaluate(() => {
      const a = /** @type {HTMLElement} */ (document.activeElement);
      const cs = getComputedStyle(a.closest('.cm-editor') || a); // the editor draws the ring around its content
      return { name: a.className || a.tagName, tag: a.tagName, outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2, inViz: !!a.closest('.viz') && a.closest('.viz') === document.querySelectorAll('.viz')[1] };
    });
    if (!info.inViz) break;
    assert.ok(info.outline, `focus is visible on ${info.tag}.${info.name}`);
    reached.push(String(info.name));
    await page.keyboard.press('Tab');
    await page.waitForTimeout(60); // CodeMirror marks itself focused in its next update
  }
  for (const c of ['run', 'reset', 'share', 'cm-content', 'first', 'back', 'slider', 'play', 'speed', 'stage']) {
    assert.ok(reached.some((r) => r.split(' ').includes(c)), `Tab reaches .${c} (reached: ${reached.join(', ')})`);
  }
  // The step's words go to a polite live region.
  const live = viz.locator('.step-live[aria-live="polite"]');
  assert.match(await live.innerText(), /^Step 3 of \d+, line \d+\./);
  await page.close();
});

test('an edit survives a reload, and Reset restores the original', { skip }, async () => {
  const { page } = await open('fixture/01-fixture.html');
  await ready(page, EX.add);
  const viz = () => page.locator('.viz').nth(EX.add);
  await viz().locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('# my edit\n');
  await page.reload();
  await viz().scrollIntoViewIfNeeded();
  await viz().locator('.cm-content').waitFor();
  assert.match(await viz().locator('.cm-content').innerText(), /# my edit/);
  await viz().locator('button.reset').click();
  assert.doesNotMatch(await viz().locator('.cm-content').innerText(), /# my edit/);
  await page.close();
});

test('a shared link opens the playground with the same code and step', { skip }, async () => {
  const { page, errors } = await open('fixture/01-fixture.html');
  await ready(page, EX.factorial);
  await goTo(page, EX.factorial, 7);
  await page.locator('.viz').nth(EX.factorial).locator('button.share').click();
  await page.waitForFunction((/** @type {number} */ k) => /** @type {HTMLInputElement} */ (document.querySelectorAll('.viz')[k].querySelector('.share-link')).value !== '', EX.factorial);
  const link = await page.locator('.viz').nth(EX.factorial).locator('.share-link').inputValue();
  assert.match(link, /playground\.html#code=[\w-]+&step=7$/);
  const source = await page.evaluate((/** @type {number} */ k) => /** @type {any} */ (window).pyframes.visualizers[k].code.text, EX.factorial);
  await page.close();
  const second = await context.newPage();
  /** @type {string[]} */ const errors2 = [];
  second.on('pageerror', (/** @type {any} */ e) => errors2.push(String(e)));
  await second.goto(link);
  await ready(second, 0);
  assert.equal(await second.evaluate(() => /** @type {any} */ (window).pyframes.visualizers[0].code.text), source);
  assert.equal(await second.locator('.viz').getAttribute('data-step'), '7');
  assert.deepEqual(errors, []);
  assert.deepEqual(errors2, []);
  await second.close();
});

test('screenshots: a lesson page and the playground, light and dark; page timing and size', { skip, timeout: 180000 }, async () => {
  for (const scheme of /** @type {const} */ (['light', 'dark'])) {
    const { page } = await open('site/05-closures-and-cells.html', scheme);
    if (await page.locator('.viz').count()) {
      const total = await ready(page, 0);
      await goTo(page, 0, Math.min(total - 1, 9));
      await page.locator('main h1').scrollIntoViewIfNeeded();
    }
    await page.screenshot({ path: path.join(RESULTS, `lesson-${scheme}.png`), fullPage: false });
    await page.close();
    const pg = await open('site/playground.html', scheme);
    const total = await ready(pg.page, 0);
    await goTo(pg.page, 0, Math.min(total - 1, 22));
    await pg.page.screenshot({ path: path.join(RESULTS, `playground-${scheme}.png`), fullPage: true });
    await pg.page.close();
  }
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(base + 'site/05-closures-and-cells.html');
  if (await phone.locator('.viz').count()) await ready(phone, 0);
  await phone.screenshot({ path: path.join(RESULTS, 'lesson-phone.png'), fullPage: false });
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no horizontal scrolling on a phone (${overflow}px)`);
  await phone.close();

  // Navigation to first rendered step, median of 5 fresh loads; bytes the page downloads (gzip).
  const times = [];
  let bytes = 0;
  /** @type {{[file: string]: number}} */ const files = {};
  for (let i = 0; i < 5; i++) {
    const page = await context.newPage();
    /** @type {Set<string>} */ const urls = new Set();
    page.on('requestfinished', (/** @type {any} */ r) => urls.add(r.url()));
    await page.goto(base + 'site/02-calls-and-frames.html?run=' + i);
    await page.waitForFunction(() => document.querySelector('.viz[data-step]'), null, { timeout: 30000 });
    times.push(await page.evaluate(() => performance.now()));
    if (i === 0) {
      for (const u of urls) {
        const rel = decodeURIComponent(new URL(u).pathname).replace(/^\/pyframes\//, '');
        const file = path.join(tmp, 'www', rel);
        if (fs.existsSync(file) && fs.statSync(file).isFile()) {
          const gz = zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
          bytes += gz;
          files[rel] = gz;
        }
      }
    }
    await page.close();
  }
  times.sort((a, b) => a - b);
  const metrics = { firstStepMsMedian: Math.round(times[2]), firstStepMs: times.map(Math.round), gzipBytes: bytes, files, engine: hasEngine };
  assert.ok(Object.keys(files).some((f) => f.endsWith('.wasm')) || !hasEngine, 'the count includes the engine the worker loads');
  fs.writeFileSync(path.join(RESULTS, 'site-metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  for (const f of ['lesson-light.png', 'lesson-dark.png', 'playground-light.png', 'playground-dark.png']) assert.ok(fs.existsSync(path.join(RESULTS, f)));
});
