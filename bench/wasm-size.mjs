// The wasm engine's download size against issue #4's budget: raw and gzip -9 sizes of
// the .wasm, the glue (.mjs) and their total, which must be at most 150,000 bytes under
// gzip -9. ENGINE_DIR selects the build (default web/engine, what `make wasm` writes).
//   node bench/wasm-size.mjs            ENGINE_DIR=/tmp/engine node bench/wasm-size.mjs
// Exits 1 when the engine is missing or over budget. tests/wasm-size.test.js asserts
// the same; engineSizes() is shared with it.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BUDGET = 150000;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** gzip -9 size of [file]: the gzip tool when there is one (what the budget names), else zlib's level 9. */
function gzipSize(file) {
  const r = spawnSync('gzip', ['-9', '-c', file], { maxBuffer: 1 << 26 });
  if (r.status === 0) return r.stdout.length;
  return zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

/** { wasm, glue, total } with { raw, gzip } each, or null when [dir] has no engine. */
export function engineSizes(dir) {
  const files = { wasm: path.join(dir, 'pyframes-engine.wasm'), glue: path.join(dir, 'pyframes-engine.mjs') };
  if (!fs.existsSync(files.wasm) || !fs.existsSync(files.glue)) return null;
  const out = {};
  for (const [k, f] of Object.entries(files)) out[k] = { raw: fs.statSync(f).size, gzip: gzipSize(f) };
  out.total = { raw: out.wasm.raw + out.glue.raw, gzip: out.wasm.gzip + out.glue.gzip };
  return out;
}

export const engineDir = (dir = process.env.ENGINE_DIR) => path.resolve(ROOT, dir || path.join('web', 'engine'));

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = engineDir();
  const s = engineSizes(dir);
  if (!s) {
    console.error(`no engine in ${dir}: run \`make wasm\` first`);
    process.exit(1);
  }
  const row = (name, v) => console.log(`${name.padEnd(7)} ${String(v.raw).padStart(9)} ${String(v.gzip).padStart(9)}`);
  console.log(`engine  ${dir}`);
  console.log(`${''.padEnd(7)} ${'raw'.padStart(9)} ${'gzip -9'.padStart(9)}`);
  row('.wasm', s.wasm);
  row('glue', s.glue);
  row('total', s.total);
  const left = BUDGET - s.total.gzip;
  console.log(`budget  ${BUDGET} (gzip -9 total): ${left >= 0 ? `${left} bytes to spare` : `${-left} bytes over`}`);
  process.exit(left >= 0 ? 0 : 1);
}
