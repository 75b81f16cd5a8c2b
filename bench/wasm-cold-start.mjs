// Wasm engine cold start in Node: load the glue and the binary, instantiate, and run
// add(3, 5) to its complete event stream, in a fresh process each time; prints the
// median of 5 runs in ms (and each run). Needs `make wasm`. Not a test: numbers only.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (process.argv[2] === 'child') {
  const t0 = performance.now();
  const fs = await import('node:fs');
  const { runInModule } = await import('../web/engine/worker.js');
  const glue = new URL('../web/engine/pyframes-engine.mjs', import.meta.url);
  const factory = (await import(glue.href)).default;
  const M = await factory({ wasmBinary: fs.readFileSync(new URL('../web/engine/pyframes-engine.wasm', import.meta.url)), print() {}, printErr() {} });
  const r = runInModule(M, 'def add(a, b):\n    return a + b\nprint(add(3, 5))\n', { filename: 'add.py' });
  if (!r.stream.includes('"kind":"end"')) throw new Error('incomplete stream');
  console.log((performance.now() - t0).toFixed(1));
} else {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), 'child'], { encoding: 'utf8' });
    times.push(Number(r.stdout.trim()));
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(JSON.stringify({ coldStartMs: sorted[2], runs: times }));
}
