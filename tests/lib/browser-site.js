// @ts-check
/**
 * browser-site.js — what the browser tests share: build the site into a temp dir (one
 * or more builds, each under www/NAME), serve www/ under the sub-path /pyframes/ with
 * tools/serve.mjs on 127.0.0.1, and open Debian's Chromium (playwright-core, headless,
 * a fresh profile; never a downloaded browser).
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/**
 * Builds, serves and opens the browser.
 * @param {string} prefix temp dir name prefix
 * @param {{[name: string]: string[]}} builds www/NAME → extra arguments of tools/build-site.mjs
 * @returns {Promise<{tmp: string, base: string, context: any, hasEngine: boolean, close: () => Promise<void>}>}
 *   base: the served root (…/pyframes/); hasEngine: the first build has the wasm engine
 */
export async function startSite(prefix, builds) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [name, args] of Object.entries(builds)) {
    execFileSync('node', [path.join(ROOT, 'tools/build-site.mjs'), '--out', path.join(tmp, 'www', name), ...args],
      { cwd: ROOT, stdio: 'pipe', timeout: 180000 });
  }
  const hasEngine = fs.existsSync(path.join(tmp, 'www', Object.keys(builds)[0], 'engine/worker.js'));
  const server = spawn('node', [path.join(ROOT, 'tools/serve.mjs'), '--root', path.join(tmp, 'www'), '--host', '127.0.0.1', '--port', '0', '--base', '/pyframes/'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise((resolve, reject) => {
    /** @type {NodeJS.ReadableStream} */ (server.stdout).on('data', (d) => { const m = /(http:\/\/\S+)/.exec(String(d)); if (m) resolve(m[1]); });
    server.on('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
  });
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const close = async () => {
    await context.close();
    server.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  return { tmp, base, context, hasEngine, close };
}
