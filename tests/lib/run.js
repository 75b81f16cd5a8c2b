// Runs the pyframes CLI (or any program) the way the golden corpus was recorded:
// stdout and stderr share ONE file description (as `2>&1` does), stdin comes from a
// file or is empty, and a timeout kills a runaway process. Used by the *.test.js files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The CLI under test: $PYFRAMES_BIN (e.g. build-asan/pyframes) or build/pyframes. */
export const BIN = path.resolve(ROOT, process.env.PYFRAMES_BIN || 'build/pyframes');

/** Per-program timeout in ms ($PYFRAMES_TIMEOUT_MS, default 10 s). */
export const TIMEOUT_MS = Number(process.env.PYFRAMES_TIMEOUT_MS || 10000);

/** Returns a reason string when the binary is missing or not executable, else null. */
export function binaryProblem(bin = BIN) {
  try {
    fs.accessSync(bin, fs.constants.X_OK);
    return null;
  } catch {
    return `${path.relative(ROOT, bin) || bin} is missing or not executable: run \`make\` first`;
  }
}

/**
 * Runs [bin] with [args] in [cwd]; returns {output, status, signal, ms, timedOut}.
 * [stdinPath] (optional) is fed as stdin; otherwise stdin is empty (/dev/null).
 */
export function runMerged(bin, args, { cwd, stdinPath, timeoutMs = TIMEOUT_MS, env } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pyframes-test-'));
  const outPath = path.join(dir, 'out');
  const outFd = fs.openSync(outPath, 'w+');
  const inFd = fs.openSync(stdinPath && fs.existsSync(stdinPath) ? stdinPath : '/dev/null', 'r');
  const start = process.hrtime.bigint();
  let result;
  try {
    result = spawnSync(bin, args, {
      cwd,
      stdio: [inFd, outFd, outFd],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      env: { ...process.env, ...env },
    });
  } finally {
    fs.closeSync(outFd);
    fs.closeSync(inFd);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const output = fs.readFileSync(outPath, 'utf8');
  fs.rmSync(dir, { recursive: true, force: true });
  const timedOut = result.error?.code === 'ETIMEDOUT' || (result.signal === 'SIGKILL' && ms >= timeoutMs);
  if (result.error && !timedOut) throw result.error;
  return { output, status: result.status, signal: result.signal, ms, timedOut };
}

/** Describes how a run ended, for assertion messages. */
export function describeEnd(r) {
  if (r.timedOut) return `timed out after ${Math.round(r.ms)} ms`;
  if (r.signal) return `killed by ${r.signal}`;
  return `exit status ${r.status}`;
}
