// @ts-check
/**
 * client.js — the page's handle on the engine worker: run a program and get its
 * event stream (optionally in chunks as it is produced), stop a running program
 * (terminates the worker and starts a fresh one, so Stop always works), restart.
 * The engine is loaded once per worker and reused for later runs.
 */

/**
 * @typedef {{max_steps?: number, recursion_limit?: number, max_trace_steps?: number,
 *   snapshots?: boolean, stdin?: string[], filename?: string}} RunOptions
 * @typedef {{status: number, stream: string, stdout: string, stderr: string, output: string, ms: number}} RunResult
 */

export class Engine {
  /**
   * @param {{workerUrl?: string | URL}} [config] where worker.js is (default: beside this file)
   */
  constructor(config = {}) {
    this.workerUrl = config.workerUrl || new URL('./worker.js', import.meta.url);
    /** @type {Worker | null} */
    this.worker = null;
    /** @type {Map<number, {resolve: (r: RunResult) => void, reject: (e: Error) => void, onChunk?: (text: string) => void}>} */
    this.pending = new Map();
    this.nextId = 1;
    /** @type {Promise<void>} resolves when the engine has loaded */
    this.ready = Promise.resolve();
    this.start();
  }

  /** Starts a fresh worker (the engine loads in it right away). */
  start() {
    const worker = new Worker(this.workerUrl, { type: 'module' });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      worker.addEventListener('message', (e) => {
        if (e.data && e.data.type === 'ready') resolve();
        if (e.data && e.data.type === 'error' && e.data.id == null) reject(new Error(e.data.message));
      });
      worker.addEventListener('error', (e) => reject(new Error(e.message || 'engine failed to load')));
    });
    this.ready.catch(() => {});
    worker.addEventListener('message', (e) => this.onMessage(e.data));
  }

  /** @param {any} msg */
  onMessage(msg) {
    const job = msg && this.pending.get(msg.id);
    if (!job) return;
    if (msg.type === 'chunk') {
      if (job.onChunk) job.onChunk(msg.text);
    } else if (msg.type === 'done') {
      this.pending.delete(msg.id);
      job.resolve({ status: msg.status, stream: msg.stream, stdout: msg.stdout, stderr: msg.stderr, output: msg.output, ms: msg.ms });
    } else if (msg.type === 'error') {
      this.pending.delete(msg.id);
      job.reject(new Error(msg.message));
    }
  }

  /**
   * Runs [source]. With [onChunk] the stream arrives in pieces of whole records while
   * the program runs (then `stream` in the result holds only what was not sent).
   * @param {string} source
   * @param {RunOptions} [options]
   * @param {(text: string) => void} [onChunk]
   * @returns {Promise<RunResult>}
   */
  run(source, options = {}, onChunk) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onChunk });
      /** @type {Worker} */ (this.worker).postMessage({ type: 'run', id, source, options: { ...options, stream: !!onChunk } });
    });
  }

  /** Stops whatever runs: terminates the worker, fails pending runs, starts a new one. */
  stop() {
    if (this.worker) this.worker.terminate();
    for (const job of this.pending.values()) job.reject(new Error('stopped'));
    this.pending.clear();
    this.start();
  }

  /** Same as stop(): a fresh worker with a freshly loaded engine. */
  restart() { this.stop(); }

  /** Terminates the worker for good. */
  dispose() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    for (const job of this.pending.values()) job.reject(new Error('disposed'));
    this.pending.clear();
  }
}
