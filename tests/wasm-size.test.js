// Issue #4's size budget: the wasm engine (.wasm + its JS glue) is at most 150,000
// bytes under gzip -9, together. Skipped when the engine is not built (`make wasm`).
// PYFRAMES_ENGINE_DIR tests another build, as tests/wasm.test.js does.
// `node bench/wasm-size.mjs` prints the numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUDGET, engineDir, engineSizes } from '../bench/wasm-size.mjs';

const dir = engineDir(process.env.PYFRAMES_ENGINE_DIR);
const sizes = engineSizes(dir);

test('wasm engine within the size budget (gzip -9 of .wasm + glue)', { skip: sizes ? false : `no wasm build in ${dir}` }, () => {
  const { wasm, glue, total } = sizes;
  assert.ok(total.gzip <= BUDGET,
    `${total.gzip} bytes (.wasm ${wasm.gzip} + glue ${glue.gzip}) is over the ${BUDGET}-byte budget`);
});
