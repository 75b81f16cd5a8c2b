// @ts-check
/**
 * engine.js — the page's one engine: a single worker (web/engine/client.js) shared by
 * every example on the page, created on first use. The site build says whether the
 * wasm engine is present with <meta name="pyframes-engine" content="engine/">; without
 * it, examples fall back to the traces precomputed at build time (see visualizer.js).
 */
import { Engine } from '../engine/client.js';

/** @type {Engine | null} */
let engine = null;

/** The engine's directory (relative to the page), or null when the build has none. */
export function engineBase() {
  const meta = document.querySelector('meta[name="pyframes-engine"]');
  return meta ? meta.getAttribute('content') : null;
}

/** The shared engine, or null when this build has no wasm engine. */
export function getEngine() {
  const base = engineBase();
  if (!base) return null;
  if (!engine) engine = new Engine({ workerUrl: new URL(base + 'worker.js', document.baseURI) });
  return engine;
}
