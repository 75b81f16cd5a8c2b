// @ts-check
/**
 * client.js — the page's handle on the engine worker: run a program and get its
 * event stream (optionally in chunks as it is produced), stop a running program
 * (terminates the worker and starts a fresh one, so Stop always works), restart.
 * The engine is loaded once per worker and reused for later runs.
 *
 * input(): runs are interactive unless options.interactive is false. A program that
 * asks for a line nobody gave ends its result with an `input` record and status 4
 * (the page shows the prompt). The line the learner types goes to provideInput(line),
 * or equally to run() with the same source and options and one more stdin line: when
 * the engine kept the program suspended in input() it resumes it (nothing before the
 * prompt runs again); otherwise (input() under a C-level call) it re-runs the program
 * with the lines so far. Either way the result is the one a fresh run with all the
 * lines given up front produces (`resumed` says which way it went).
 */

/**
 * @typedef {{max_steps?: number, recursion_limit?: number, max_trace_steps?: number,
 *   stdin?: string[], filename?: string, interactive?: boolean}} RunOptions
 * @typedef {{status: number, stream: string, stdout: string, stderr: string, output: string, ms: number,
 *   suspended?: boolean, resumed?: boolean}} RunResult
 * @typedef {{source: string, key: string, stdin: string[], stream: string, stdout: string,
 *   stderr: string, output: string, suspended: boolean, options: RunOptions,
 *   onChunk?: (text: string) => void}} Session
 */

/** The options that must match for run() to continue a suspended program. */
function sessionKey(/** @type {RunOptions} */ options) {
  const { stdin, ...rest } = options;
  return JSON.stringify(Object.entries(rest).sort());
}

/** The stream before the trailing input request (`input` + provisional `end`). */
function beforeRequest(/** @type {string} */ stream) {
  const at = stream.lastIndexOf('{"kind":"input"');
  return at < 0 ? stream : stream.slice(0, at);
}

/** Rewrites the header record's options.stdin to [stdin] (as a run given them all). */
function withHeaderStdin(/** @type {string} */ stream, /** @type {string[]} */ stdin) {
  const nl = stream.indexOf('\n');
  if (nl < 0) return stream;
  try {
    const header = JSON.parse(stream.slice(0, nl));
    if (header.kind !== 'header' || !header.options) return stream;
    header.options.stdin = stdin;
    return JSON.stringify(header) + stream.slice(nl);
  } catch {
    return stream;
  }
}

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
    /** @type {Session | null} the last interactive run that waits for input */
    this.session = null;
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
      job.resolve({ status: msg.status, suspended: !!msg.suspended, stream: msg.stream, stdout: msg.stdout, stderr: msg.stderr, output: msg.output, ms: msg.ms });
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
    const s = this.session;
    const stdin = options.stdin || [];
    if (s && s.suspended && s.source === source && s.key === sessionKey(options) &&
        stdin.length === s.stdin.length + 1 && s.stdin.every((l, i) => l === stdin[i])) {
      return this.resume(stdin[stdin.length - 1], onChunk);
    }
    return this.launch(source, options, onChunk);
  }

  /**
   * Answers the input() the last run waits in with [line]: resumes the suspended
   * program, or re-runs it with one more stdin line. Same result as run().
   * @param {string} line
   * @param {(text: string) => void} [onChunk] (default: the last run's)
   * @returns {Promise<RunResult>}
   */
  provideInput(line, onChunk) {
    const s = this.session;
    if (!s) return Promise.reject(new Error('no program is waiting for input'));
    const cb = onChunk || s.onChunk;
    if (s.suspended) return this.resume(line, cb);
    return this.launch(s.source, { ...s.options, stdin: [...s.stdin, line] }, cb);
  }

  /**
   * Starts a fresh run and records it as the session if it waits for input.
   * @param {string} source @param {RunOptions} options @param {(text: string) => void} [onChunk]
   * @returns {Promise<RunResult>}
   */
  async launch(source, options, onChunk) {
    this.session = null;
    const opts = { interactive: true, ...options };
    let sent = '';
    const cb = onChunk && ((/** @type {string} */ t) => { sent += t; onChunk(t); });
    const r = await this.post({ type: 'run', source, options: { ...opts, stream: !!onChunk } }, cb);
    this.remember(source, options, options.stdin || [], sent, r, onChunk);
    return { ...r, resumed: false };
  }

  /**
   * Resumes the suspended session with [line]; falls back to a re-run if the engine
   * no longer holds it.
   * @param {string} line @param {(text: string) => void} [onChunk]
   * @returns {Promise<RunResult>}
   */
  async resume(line, onChunk) {
    const s = /** @type {Session} */ (this.session);
    const stdin = [...s.stdin, line];
    const prefix = withHeaderStdin(beforeRequest(s.stream), stdin);
    let sent = '';
    let r;
    try {
      const cb = onChunk && ((/** @type {string} */ t) => {
        if (!sent) { sent = prefix; onChunk(prefix); }
        sent += t;
        onChunk(t);
      });
      r = await this.post({ type: 'resume', line, stream: !!onChunk }, cb);
    } catch (err) {
      if (/** @type {Error} */ (err).message === 'stopped' || /** @type {Error} */ (err).message === 'disposed') throw err;
      return this.launch(s.source, { ...s.options, stdin }, onChunk);
    }
    if (onChunk && !sent) { sent = prefix; onChunk(prefix); }
    const full = {
      ...r,
      stream: (onChunk ? '' : prefix) + r.stream,
      stdout: s.stdout + r.stdout, stderr: s.stderr + r.stderr, output: s.output + r.output,
    };
    this.remember(s.source, s.options, stdin, sent, full, onChunk);
    return { ...full, resumed: true };
  }

  /**
   * Keeps what a continuation needs when [r] waits for input.
   * @param {string} source @param {RunOptions} options @param {string[]} stdin
   * @param {string} sent the stream already handed to onChunk @param {RunResult} r
   * @param {(text: string) => void} [onChunk]
   */
  remember(source, options, stdin, sent, r, onChunk) {
    this.session = r.status === 4 && options.interactive !== false
      ? { source, key: sessionKey(options), stdin, stream: sent + r.stream, stdout: r.stdout, stderr: r.stderr,
          output: r.output, suspended: !!r.suspended, options, onChunk }
      : null;
  }

  /**
   * Posts a request to the worker and waits for its result.
   * @param {any} msg @param {(text: string) => void} [onChunk]
   * @returns {Promise<RunResult>}
   */
  post(msg, onChunk) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onChunk });
      /** @type {Worker} */ (this.worker).postMessage({ ...msg, id });
    });
  }

  /** Stops whatever runs: terminates the worker, fails pending runs, starts a new one. */
  stop() {
    this.session = null;
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
