// Builds the static site (`make site`): lessons/*.md → dist/*.html with markdown-it, an
// index in lesson order, previous/next links, a playground page; web/app entry points
// bundled with esbuild; the wasm engine copied from web/engine/ (or build/wasm/) when it
// has been built. Every URL is relative, so dist/ works under any sub-path.
//
//   node tools/build-site.mjs [--lessons lessons] [--out dist] [--cli build/pyframes] [--engine DIR|none]
//
// The no-wasm fallback: when no engine is present, each example's trace is computed
// here with `build/pyframes trace` and saved beside the pages (dist/traces/); the page
// then replays it, and editing an example needs a build with the engine.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';
import * as esbuild from 'esbuild';
import { sourceKey } from '../web/app/source-key.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Precomputed traces (the no-wasm fallback) stop at 200,000 steps, below the page's own
// budget (PAGE_MAX_STEPS in web/app/visualizer.js): a million-step trace would bloat the site.
const MAX_STEPS = 200000;

/** @param {string} name @param {string} fallback */
function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const lessonsDir = path.resolve(ROOT, option('lessons', 'lessons'));
const outDir = path.resolve(ROOT, option('out', 'dist'));
const cli = path.resolve(ROOT, option('cli', 'build/pyframes'));

const PLAYGROUND_STARTER = `def make_counter():
    count = 0
    def increment():
        nonlocal count
        count += 1
        return count
    return increment

counter = make_counter()
print(counter())
print(counter())

items = [1, 2, 3]
items.append(items)   # the list now refers to itself: a cycle
del items             # unreachable, but its refcount is still 1
import gc
print(gc.collect())   # the cycle collector frees it
`;

/** Escapes text for HTML (the only place the build writes program text into markup). */
function esc(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Finds the engine files: { mjs, wasm } or null (--engine DIR or PYFRAMES_ENGINE_DIR first). */
function findEngine() {
  const given = option('engine', process.env.PYFRAMES_ENGINE_DIR || '');
  if (given === 'none') return null;
  for (const dir of [given, 'build/wasm', 'web/engine'].filter(Boolean)) {
    const mjs = path.resolve(ROOT, dir, 'pyframes-engine.mjs'), wasm = path.resolve(ROOT, dir, 'pyframes-engine.wasm');
    if (fs.existsSync(mjs) && fs.existsSync(wasm)) return { mjs, wasm };
  }
  return null;
}

/** Reads the lessons in file-name order: { file, slug, title, md }. */
function readLessons() {
  if (!fs.existsSync(lessonsDir)) return [];
  return fs.readdirSync(lessonsDir).filter((f) => /^\d+.*\.md$/.test(f)).sort().map((file) => {
    const md = fs.readFileSync(path.join(lessonsDir, file), 'utf8');
    const m = /^#\s+(.+)$/m.exec(md);
    const slug = file.replace(/\.md$/, '');
    return { file, slug, title: m ? m[1].trim() : slug, md };
  });
}

/**
 * The markdown renderer: ```python run [name=x]``` fences become example blocks; an
 * example inside (or right after) a blockquote that starts with **Predict:** is marked
 * as a "predict, then step to check" exercise.
 */
function makeRenderer() {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: true });
  const defaultFence = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, idx, opts, env, self) => {
    const t = tokens[idx];
    const info = t.info.trim().split(/\s+/);
    if (info[0] !== 'python' || info[1] !== 'run') return defaultFence(tokens, idx, opts, env, self);
    const name = (info.find((w) => w.startsWith('name=')) || '').slice(5);
    const n = env.examples.length + 1;
    const predict = isPredict(tokens, idx);
    const example = { n, name, source: t.content, predict, key: `${env.slug}/${name || n}`, trace: null };
    env.examples.push(example);
    const attrs = [`class="example${predict ? ' predict' : ''}"`, `data-key="${esc(example.key)}"`];
    if (name) attrs.push(`data-name="${esc(name)}"`);
    if (predict) attrs.push('data-predict="1"');
    if (env.traceFor) {
      const url = env.traceFor(example);
      if (url) attrs.push(`data-trace="${esc(url)}"`);
    }
    const label = predict ? '<p class="example-label predict-label">Predict first, then step through to check.</p>' : '';
    return `${label}<div ${attrs.join(' ')}><pre class="example-source"><code class="language-python">${esc(t.content)}</code></pre></div>\n`;
  };
  return md;
}

/** True when the fence at [idx] belongs to a **Predict:** exercise: it sits inside such
 * a blockquote, or right after one. */
function isPredict(tokens, idx) {
  const startsPredict = (open) => {
    const inline = tokens[open + 2];
    return !!inline && inline.type === 'inline' && /^\*\*Predict\b/.test(inline.content.trim());
  };
  // Inside: the nearest enclosing blockquote_open.
  let depth = 0;
  for (let i = idx - 1; i >= 0; i--) {
    if (tokens[i].type === 'blockquote_close') depth++;
    else if (tokens[i].type === 'blockquote_open') {
      if (depth === 0) return startsPredict(i);
      depth--;
    }
  }
  // Right after: the previous token closes a blockquote; find where it opened.
  if (idx === 0 || tokens[idx - 1].type !== 'blockquote_close') return false;
  depth = 0;
  for (let i = idx - 1; i >= 0; i--) {
    if (tokens[i].type === 'blockquote_close') depth++;
    else if (tokens[i].type === 'blockquote_open' && --depth === 0) return startsPredict(i);
  }
  return false;
}

/** Runs the CLI on [source] and returns the trace text (the no-wasm fallback). */
function traceOf(source) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pyframes-site-'));
  try {
    fs.writeFileSync(path.join(dir, 'main.py'), source);
    try {
      return execFileSync(cli, ['trace', '--max-steps', String(MAX_STEPS), 'main.py'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30, timeout: 60000 });
    } catch (err) {
      if (err.stdout) return err.stdout; // exceptions exit non-zero; the stream is complete
      throw err;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The page around [body]. */
function page({ title, body, script, engine, extraHead = '' }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/site.css">
${engine ? '<meta name="pyframes-engine" content="engine/">\n' : ''}${script ? `<script type="module" src="assets/${script}.js"></script>\n` : ''}${extraHead}</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header class="site-head">
  <a class="brand" href="index.html">py<span>frames</span></a>
  <nav aria-label="Site"><a href="index.html">Lessons</a><a href="playground.html">Playground</a></nav>
</header>
${body}
<footer class="site-foot"><p>pyframes: a Python 3.11 subset interpreter, compiled to WebAssembly, that shows how functions live in memory. The reference is CPython 3.11.</p></footer>
</body>
</html>
`;
}

async function bundle(engine) {
  const assets = path.join(outDir, 'assets');
  await esbuild.build({
    entryPoints: { lesson: path.join(ROOT, 'web/app/lesson.js'), playground: path.join(ROOT, 'web/app/playground.js') },
    bundle: true, format: 'esm', splitting: true, minify: !process.env.PYFRAMES_DEV, sourcemap: !!process.env.PYFRAMES_DEV, target: 'es2020',
    outdir: assets, chunkNames: 'chunk-[hash]', logLevel: 'warning', legalComments: 'none',
  });
  const css = fs.readFileSync(path.join(ROOT, 'node_modules/@xterm/xterm/css/xterm.css'), 'utf8')
    + '\n' + fs.readFileSync(path.join(ROOT, 'web/styles/site.css'), 'utf8');
  const out = await esbuild.transform(css, { loader: 'css', minify: true });
  fs.writeFileSync(path.join(assets, 'site.css'), out.code);
  if (engine) {
    const dir = path.join(outDir, 'engine');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(engine.mjs, path.join(dir, 'pyframes-engine.mjs'));
    fs.copyFileSync(engine.wasm, path.join(dir, 'pyframes-engine.wasm'));
    fs.copyFileSync(path.join(ROOT, 'web/engine/worker.js'), path.join(dir, 'worker.js'));
  }
}

async function main() {
  const t0 = Date.now();
  const engine = findEngine();
  const canTrace = !engine && fs.existsSync(cli);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(outDir, 'assets'), { recursive: true });
  if (!engine) fs.mkdirSync(path.join(outDir, 'traces'), { recursive: true });
  const md = makeRenderer();
  const lessons = readLessons();
  let traced = 0;
  /** source key → trace file, so the fallback finds a trace for any example's code */
  const traceIndex = {};
  const traceFor = (slug) => (example) => {
    if (!canTrace) return null;
    const file = `traces/${slug}-${example.n}.ndjson`;
    fs.writeFileSync(path.join(outDir, file), traceOf(example.source));
    traceIndex[sourceKey(example.source)] = file;
    traced++;
    return file;
  };
  lessons.forEach((lesson, i) => {
    const env = { slug: lesson.slug, examples: [], traceFor: traceFor(lesson.slug) };
    const html = md.render(lesson.md, env);
    lesson.examples = env.examples;
    const prev = lessons[i - 1], next = lessons[i + 1];
    const pager = `<nav class="pager" aria-label="Lessons">
  ${prev ? `<a class="prev" rel="prev" href="${prev.slug}.html"><span>Previous</span>${esc(prev.title)}</a>` : '<span></span>'}
  ${next ? `<a class="next" rel="next" href="${next.slug}.html"><span>Next</span>${esc(next.title)}</a>` : '<a class="next" href="playground.html"><span>Next</span>The playground</a>'}
</nav>`;
    const body = `<main id="main" class="lesson" data-lesson="${esc(lesson.slug)}">
<p class="crumb">Lesson ${i + 1} of ${lessons.length}</p>
${html}
${pager}
</main>`;
    fs.writeFileSync(path.join(outDir, `${lesson.slug}.html`), page({ title: `${lesson.title} · pyframes`, body, script: 'lesson', engine }));
  });
  const items = lessons.map((l, i) => {
    const para = /\n\n([^#>`\n][^\n]*(?:\n[^\n]+)*)/.exec(l.md);
    const summary = para ? md.renderInline(para[1].replace(/\n/g, ' ')).replace(/<a [^>]*>|<\/a>/g, '') : '';
    return `<li><a href="${l.slug}.html"><span class="num">${i + 1}</span><span class="t">${esc(l.title)}</span></a>${summary ? `<p>${summary}</p>` : ''}</li>`;
  }).join('\n');
  const index = `<main id="main" class="index">
<h1>How Python functions live in memory</h1>
<p class="lead">Step through real programs and watch frames being pushed and popped, names bound to objects, reference counts rise and fall, and the garbage collector at work. Every picture comes from an interpreter that behaves like CPython 3.11, running in your browser.</p>
<ol class="lesson-list">
${items || '<li>No lessons yet.</li>'}
</ol>
<p><a class="button" href="playground.html">Open the playground</a> to run your own code.</p>
</main>`;
  fs.writeFileSync(path.join(outDir, 'index.html'), page({ title: 'pyframes: how Python functions live in memory', body: index, engine }));
  const starterTrace = canTrace ? (fs.writeFileSync(path.join(outDir, 'traces/playground.ndjson'), traceOf(PLAYGROUND_STARTER)), 'traces/playground.ndjson') : null;
  if (starterTrace) traceIndex[sourceKey(PLAYGROUND_STARTER)] = starterTrace;
  if (canTrace) fs.writeFileSync(path.join(outDir, 'traces/index.json'), JSON.stringify(traceIndex) + '\n');
  const playground = `<main id="main" class="playground-page">
<h1>Playground</h1>
<p class="lead">Write any Python (the subset pyframes supports), run it, and step through it. Share makes a link that carries your code and the step you are on.</p>
<div id="playground" class="example"${starterTrace ? ` data-trace="${starterTrace}"` : ''}><pre class="example-source"><code class="language-python">${esc(PLAYGROUND_STARTER)}</code></pre></div>
</main>`;
  fs.writeFileSync(path.join(outDir, 'playground.html'), page({ title: 'Playground · pyframes', body: playground, script: 'playground', engine }));
  await bundle(engine);
  fs.writeFileSync(path.join(outDir, '.nojekyll'), '');
  const mode = engine ? 'with the wasm engine' : canTrace ? `without wasm: ${traced + 1} precomputed traces` : 'without wasm and without the CLI: examples cannot run';
  console.log(`site: ${lessons.length} lessons → ${path.relative(process.cwd(), outDir) || '.'}/ (${mode}) in ${Date.now() - t0} ms`);
}

main().catch((err) => { console.error(err); process.exit(1); });
