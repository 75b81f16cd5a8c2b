// @ts-check
/**
 * engine.js — the wasm engine for the Node tests: where it is (PYFRAMES_ENGINE_DIR, by
 * default web/engine, what `make wasm` writes), whether it is built, and a fresh
 * instance loaded as the worker loads it (the .wasm bytes handed in as wasmBinary).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './run.js';

export const ENGINE_DIR = path.resolve(ROOT, process.env.PYFRAMES_ENGINE_DIR || path.join('web', 'engine'));
export const GLUE = path.join(ENGINE_DIR, 'pyframes-engine.mjs');
export const WASM = path.join(ENGINE_DIR, 'pyframes-engine.wasm');
export const built = fs.existsSync(GLUE) && fs.existsSync(WASM);

/** A fresh instance of the engine. */
export async function loadEngine() {
  const factory = (await import(pathToFileURL(GLUE).href)).default;
  return factory({ wasmBinary: fs.readFileSync(WASM), print() {}, printErr() {} });
}
