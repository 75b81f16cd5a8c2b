// @ts-check
/**
 * playground.js — wiring for the playground page: one visualizer over code of the
 * learner's own, taken from a share link (#code=…&step=…), else from the last edit
 * kept in localStorage, else the page's starter program.
 */
import { Visualizer } from './visualizer.js';
import { decodeShare } from './share.js';

async function start() {
  const root = /** @type {HTMLElement} */ (document.getElementById('playground'));
  const starter = /** @type {HTMLElement | null} */ (root.querySelector('pre code'));
  const shared = await decodeShare(location.hash);
  const v = new Visualizer(root, {
    source: shared ? shared.code : (starter ? starter.textContent || '' : ''),
    storageKey: shared ? undefined : 'playground',
    traceUrl: shared ? undefined : root.dataset.trace,
    title: 'Playground',
  });
  /** @type {any} */ (window).pyframes = { visualizers: [v] };
  await v.run(shared ? { step: shared.step } : {});
}

start();
