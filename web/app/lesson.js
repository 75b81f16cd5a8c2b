// @ts-check
/**
 * lesson.js — wiring for a lesson page: every runnable example (`.example`, made by
 * tools/build-site.mjs from a ```python run block) becomes a visualizer, and runs when
 * it first scrolls into view.
 */
import { Visualizer } from './visualizer.js';
import { getEngine } from './engine.js';

/** @type {Map<HTMLElement, Visualizer>} */
const visualizers = new Map();

function start() {
  // The worker starts loading and compiling the wasm engine now, while the examples'
  // editors and views are built, instead of when the first example asks for a run.
  getEngine();
  const examples = /** @type {HTMLElement[]} */ ([...document.querySelectorAll('.example')]);
  const observer = typeof IntersectionObserver === 'undefined' ? null : new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      observer?.unobserve(e.target);
      const v = visualizers.get(/** @type {HTMLElement} */ (e.target));
      if (v && !v.timeline && !v.busy) v.run();
    }
  }, { rootMargin: '300px 0px' });
  examples.forEach((ex, i) => {
    const code = ex.querySelector('pre code');
    const v = new Visualizer(ex, {
      source: code ? (code.textContent || '').replace(/\n$/, '') + '\n' : '',
      storageKey: ex.dataset.key || `${location.pathname}#${i}`,
      traceUrl: ex.dataset.trace,
      title: ex.dataset.name || `Example ${i + 1}`,
      predict: ex.dataset.predict === '1',
    });
    visualizers.set(ex, v);
    if (observer) observer.observe(ex);
    else v.run();
  });
  // Examples run when they come into view; the rest run one after another once the page
  // is idle, so every example is ready however fast the learner scrolls.
  const runRest = async () => {
    for (const v of visualizers.values()) {
      if (v.timeline || v.busy) continue;
      await v.run();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  setTimeout(() => { runRest(); }, 1500);
  /** For tests and the console: the visualizers of this page. */
  /** @type {any} */ (window).pyframes = { visualizers: [...visualizers.values()] };
}

start();
