// @ts-check
/**
 * worker.js — the interpreter engine in a Web Worker: loads the wasm module once
 * (pyframes-engine.mjs + .wasm, built by `make wasm`) and runs programs on request,
 * so an endless program never freezes the page. Messages (see client.js):
 *   in:  {type: 'run', id, source, options}
 *   out: {type: 'ready'} once loaded; {type: 'chunk', id, text} while a streamed run
 *        produces whole records; {type: 'done', id, status, stream, stdout, stderr, ms};
 *        {type: 'error', id, message}.
 * The only way to stop a run is to terminate the worker (client.js does that).
 */

/** @type {Promise<any> | null} */
let engine = null;

/**
 * Loads and instantiates the engine once; later runs reuse it.
 * @param {string} base URL the engine files are relative to
 */
function loadEngine(base) {
  if (!engine) {
    engine = (async () => {
      const [factory, binary] = await Promise.all([
        import(new URL('pyframes-engine.mjs', base).href),
        fetch(new URL('pyframes-engine.wasm', base)).then((r) => {
          if (!r.ok) throw new Error(`cannot load the engine: HTTP ${r.status}`);
          return r.arrayBuffer();
        }),
      ]);
      return factory.default({ wasmBinary: binary, print() {}, printErr() {} });
    })();
  }
  return engine;
}

/**
 * Runs one program in the module and returns its results.
 * @param {any} M the instantiated module
 * @param {string} source
 * @param {any} options
 * @param {(text: string) => void} [onChunk] receives whole records while streaming
 */
export function runInModule(M, source, options, onChunk) {
  const decoder = new TextDecoder();
  const opts = { ...options, stream: !!onChunk };
  M.onChunk = onChunk
    ? (/** @type {number} */ ptr, /** @type {number} */ len) => onChunk(decoder.decode(M.HEAPU8.subarray(ptr, ptr + len)))
    : null;
  const src = allocString(M, source);
  const opt = allocString(M, JSON.stringify(opts));
  const t0 = performance.now();
  let status;
  try {
    status = M._pf_wasm_run(src, opt);
  } finally {
    M._free(src);
    M._free(opt);
  }
  const ms = performance.now() - t0;
  const read = (/** @type {number} */ which) => {
    const ptr = M._pf_wasm_buffer(which), len = M._pf_wasm_buffer_len(which);
    return decoder.decode(M.HEAPU8.subarray(ptr, ptr + len));
  };
  const result = { status, stream: read(0), stdout: read(1), stderr: read(2), output: read(3), ms };
  M._pf_wasm_release();
  return result;
}

/**
 * Copies a JS string into the module's heap as NUL-terminated UTF-8.
 * @param {any} M
 * @param {string} text
 */
function allocString(M, text) {
  const bytes = new TextEncoder().encode(text);
  const ptr = M._malloc(bytes.length + 1);
  M.HEAPU8.set(bytes, ptr);
  M.HEAPU8[ptr + bytes.length] = 0;
  return ptr;
}

// In a worker (not when imported by Node tests): wire the messages.
if (typeof self !== 'undefined' && typeof (/** @type {any} */ (self)).postMessage === 'function' && typeof window === 'undefined') {
  const scope = /** @type {any} */ (self);
  const base = new URL('./', import.meta.url).href;
  loadEngine(base).then(
    () => scope.postMessage({ type: 'ready' }),
    (err) => scope.postMessage({ type: 'error', id: null, message: String(err && err.message || err) }),
  );
  scope.onmessage = async (/** @type {MessageEvent} */ e) => {
    const msg = e.data;
    if (!msg || msg.type !== 'run') return;
    try {
      const M = await loadEngine(base);
      const onChunk = msg.options && msg.options.stream
        ? (/** @type {string} */ text) => scope.postMessage({ type: 'chunk', id: msg.id, text })
        : undefined;
      const r = runInModule(M, msg.source, msg.options || {}, onChunk);
      scope.postMessage({ type: 'done', id: msg.id, ...r });
    } catch (err) {
      scope.postMessage({ type: 'error', id: msg.id, message: String(/** @type {any} */ (err)?.message || err) });
    }
  };
}
