// @ts-check
/**
 * worker.js — the interpreter engine in a Web Worker: loads the wasm module once
 * (pyframes-engine.mjs + .wasm, built by `make wasm`) and runs programs on request,
 * so an endless program never freezes the page. Messages (see client.js):
 *   in:  {type: 'run', id, source, options}; {type: 'resume', id, line, stream}
 *   out: {type: 'ready'} once loaded; {type: 'chunk', id, text} while a streamed run
 *        produces whole records; {type: 'done', id, status, suspended, stream, stdout,
 *        stderr, ms}; {type: 'error', id, message}.
 * An interactive run (options.interactive) that waits in input() ends with status 4
 * and suspended: true; the module keeps it, and 'resume' continues it with the line
 * (the result then holds only what the resumed part produced). A 'run' drops it.
 * The only way to stop a run is to terminate the worker (client.js does that).
 */

/** @type {Promise<any> | null} */
let engine = null;
/** @type {Promise<[any, ArrayBuffer]> | null} the glue module and the .wasm bytes */
let files = null;

/**
 * Loads the engine's files once and instantiates the module; later runs reuse the
 * instance (a fresh one after a run that broke it, from the same bytes).
 * @param {string} base URL the engine files are relative to
 */
function loadEngine(base) {
  if (!files) {
    files = Promise.all([
      import(new URL('pyframes-engine.mjs', base).href),
      fetch(new URL('pyframes-engine.wasm', base)).then((r) => {
        if (!r.ok) throw new Error(`cannot load the engine: HTTP ${r.status}`);
        return r.arrayBuffer();
      }),
    ]);
  }
  if (!engine) {
    engine = files.then(([factory, binary]) => factory.default({ wasmBinary: binary, print() {}, printErr() {} }));
  }
  return engine;
}

/** The engine's status for a run suspended in input() (PF_SUSPENDED). */
const SUSPENDED = 5;
/** pf_wasm_run's flags (core/wasm.c's RUN_*). */
const RUN_STREAM = 1, RUN_INTERACTIVE = 2, RUN_TRACE = 4;

/**
 * Runs one program in the module and returns its results.
 * @param {any} M the instantiated module
 * @param {string} source
 * @param {any} options
 * @param {(text: string) => void} [onChunk] receives whole records while streaming
 */
export function runInModule(M, source, options, onChunk) {
  const o = options || {};
  const lines = (o.stdin || []).map(String);
  const src = allocString(M, source);
  const name = o.filename == null ? 0 : allocString(M, String(o.filename));
  // The stdin lines, each ended by a NUL.
  const block = new TextEncoder().encode(lines.map((l) => `${l}\0`).join(''));
  const stdin = M._malloc(block.length + 1);
  M.HEAPU8.set(block, stdin);
  // Options left out are NaN: the engine keeps its defaults for them.
  const num = (/** @type {any} */ v) => (v == null ? NaN : Number(v));
  const flags = (onChunk ? RUN_STREAM : 0) | (o.interactive ? RUN_INTERACTIVE : 0) |
    (o.trace === false ? 0 : RUN_TRACE);
  try {
    return callEngine(M, onChunk, () => M._pf_wasm_run(src, name, stdin, block.length, lines.length,
      num(o.max_steps), num(o.recursion_limit), num(o.max_trace_steps), flags));
  } finally {
    M._free(src);
    if (name) M._free(name);
    M._free(stdin);
  }
}

/**
 * Continues the run suspended in input() with [line]; the result holds what the
 * resumed part produced. Throws if no run is suspended. A run started with streaming
 * keeps streaming (pass [onChunk] again).
 * @param {any} M
 * @param {string} line
 * @param {(text: string) => void} [onChunk]
 */
export function resumeInModule(M, line, onChunk) {
  const ptr = allocString(M, line);
  try {
    const r = callEngine(M, onChunk, () => M._pf_wasm_resume(ptr));
    if (r.status === -1) throw new Error('no run is waiting for input');
    return r;
  } finally {
    M._free(ptr);
  }
}

/** Drops a run suspended in input(), if any. @param {any} M */
export function discardInModule(M) { M._pf_wasm_discard(); }

/**
 * Calls into the engine and collects the buffers.
 * @param {any} M
 * @param {((text: string) => void) | undefined} onChunk
 * @param {() => number} call
 */
function callEngine(M, onChunk, call) {
  const decoder = new TextDecoder();
  // Without onChunk, pieces a streamed run still sends (it was started streaming and
  // resumed without) are kept and put in front of the stream.
  let kept = '';
  const take = onChunk || ((/** @type {string} */ text) => { kept += text; });
  M.onChunk = (/** @type {number} */ ptr, /** @type {number} */ len) => take(decoder.decode(M.HEAPU8.subarray(ptr, ptr + len)));
  const t0 = performance.now();
  let status = call();
  const ms = performance.now() - t0;
  const suspended = status === SUSPENDED;
  if (suspended) status = 4;
  const read = (/** @type {number} */ which) => {
    const ptr = M._pf_wasm_buffer(which), len = M._pf_wasm_buffer_len(which);
    return decoder.decode(M.HEAPU8.subarray(ptr, ptr + len));
  };
  const result = { status, suspended, stream: kept + read(0), stdout: read(1), stderr: read(2), output: read(3), ms };
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
    if (!msg || (msg.type !== 'run' && msg.type !== 'resume')) return;
    try {
      const M = await loadEngine(base);
      const streamed = msg.type === 'run' ? msg.options && msg.options.stream : msg.stream;
      const onChunk = streamed
        ? (/** @type {string} */ text) => scope.postMessage({ type: 'chunk', id: msg.id, text })
        : undefined;
      const r = msg.type === 'run'
        ? runInModule(M, msg.source, msg.options || {}, onChunk)
        : resumeInModule(M, msg.line, onChunk);
      scope.postMessage({ type: 'done', id: msg.id, ...r });
    } catch (err) {
      // A JS exception out of the module (V8's "Maximum call stack size exceeded", an
      // out-of-memory trap) leaves the C state half-way through a run: the next run
      // gets a fresh instance.
      engine = null;
      scope.postMessage({ type: 'error', id: msg.id, message: String(/** @type {any} */ (err)?.message || err) });
    }
  };
}
